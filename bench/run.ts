/**
 * `npm run bench [name...]`: runs every bench module in bench/ (or only those named), in name order.
 * A bench module is `bench/<name>.ts` exporting `async function run(): Promise<void>`, which prints
 * its own figures; ratios are against baselines measured in the same run, never fixed numbers.
 * Arguments from the first `--option` on are the benches' own (e.g. `npm run bench -- fleet --stations 500`);
 * a bench reads them from process.argv.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const available = (await readdir(dir))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'run.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const args = process.argv.slice(2);
const firstOption = args.findIndex((arg) => arg.startsWith('--'));
const wanted = firstOption === -1 ? args : args.slice(0, firstOption);
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
