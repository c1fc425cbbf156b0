/**
 * `npm run generate`: regenerates everything in src/generated/ from schemas/ (and the fresh
 * database schema from migrations/).
 * test/generated/stale.test.ts fails when the committed output differs from a fresh run.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTypes } from './generate-types.js';
import { generateValidators } from './generate-validators.js';
import { generateConfigValidator } from './generate-config-validator.js';
import { generateFreshSchema } from './generate-fresh-schema.js';
import { generateShippedConfig } from './generate-shipped-config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the committed schemas live. */
export const SCHEMA_DIR = path.join(root, 'schemas');
/** Where the generated files are committed. */
export const GENERATED_DIR = path.join(root, 'src', 'generated');

/**
 * Generates every file of src/generated/ in memory: file name -> contents.
 *
 * @example
 * const files = await generateAll();
 * Object.keys(files); // ['ocpp-types.ts', 'validators.ts', 'component-config-validator.ts', 'fresh-schema.ts', 'shipped-component-config.ts']
 */
export async function generateAll(schemaDir: string = SCHEMA_DIR): Promise<Record<string, string>> {
  return {
    'ocpp-types.ts': await generateTypes(schemaDir),
    'validators.ts': await generateValidators(schemaDir),
    'component-config-validator.ts': await generateConfigValidator(schemaDir),
    // From migrations/, not schemas/: a new migration needs `npm run generate` too.
    'fresh-schema.ts': await generateFreshSchema(),
    // From config/component-config/: an edited config file needs `npm run generate` too.
    'shipped-component-config.ts': await generateShippedConfig(),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await mkdir(GENERATED_DIR, { recursive: true });
  for (const [file, text] of Object.entries(await generateAll())) {
    await writeFile(path.join(GENERATED_DIR, file), text);
    console.log(`wrote src/generated/${file} (${text.length} chars)`);
  }
}
