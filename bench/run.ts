/**
 * `npm run bench [name...]`: runs every bench module in bench/ (or only those named), in name order.
 * A bench module is `bench/<name>.ts` exporting `async function run(): Promise<void>`, which prints
 * its own figures; ratios are against baselines measured in the same run, never fixed numbers.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const available = (await readdir(dir))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'run.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}

for (const name of wanted.length > 0 ? wanted : available) {
  const module = (await import(pathToFileURL(path.join(dir, `${name}.ts`)).href)) as { run?: unknown };
  if (typeof module.run !== 'function') {
    throw new Error(`bench/${name}.ts must export async function run(): Promise<void>`);
  }
  console.log(`\n## ${name}\n`);
  await (module.run as () => Promise<void>)();
}
