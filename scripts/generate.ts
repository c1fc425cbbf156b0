/**
 * `npm run generate`: regenerates everything in src/generated/ from schemas/.
 * test/generated/stale.test.ts fails when the committed output differs from a fresh run.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTypes } from './generate-types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function generateAll(): Promise<Record<string, string>> {
  return {
    'ocpp-types.ts': await generateTypes(path.join(root, 'schemas')),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = path.join(root, 'src', 'generated');
  await mkdir(outDir, { recursive: true });
  for (const [file, text] of Object.entries(await generateAll())) {
    await writeFile(path.join(outDir, file), text);
    console.log(`wrote src/generated/${file} (${text.length} chars)`);
  }
}
