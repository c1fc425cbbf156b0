/**
 * `npm run build:snapshot` (after `npm run build`): the CLI's V8 startup snapshot, so that the built
 * CLI starts without loading and initializing its ~600 modules (docs/fleet/cold-start.md).
 *
 * 1. esbuild bundles src/cli/snapshot-entry.ts (the whole CLI) into one CommonJS script,
 *    `<out>/cli.cjs`, with scripts/snapshot-require.cjs as its `require`: Node 20 builds a snapshot
 *    only from one script that requires built-in modules, and cannot serialize some of those.
 * 2. `node --snapshot-blob <out>/cli-<version>-<arch>.blob --build-snapshot <out>/cli.cjs` runs it
 *    once and serializes the heap; `src/cli/main.ts` starts from that blob when it is there.
 *
 * Left out of the bundle, loaded on first use after deserialization: better-sqlite3's native addon
 * (a native addon cannot be in a snapshot; bundle-plugins.ts, sqliteAddonPlugin), and the packages only optional features load (the embedded CSMS's
 * ocpp-rpc, node-forge for a CSR, @statelyai/inspect), ws' optional native helpers.
 * `import.meta.url` becomes the URL of the module's file under dist/ (the snapshot is built in
 * place; it names this checkout's directory, see snapshot-require.cjs).
 *
 * Run: `tsx scripts/build-snapshot.ts [--out dist/snapshot]`.
 */
import { execFileSync } from 'node:child_process';
import { chmod, readFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { moduleUrlPlugin, RUNTIME_PACKAGES, sqliteAddonPlugin } from './bundle-plugins.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/**
 * Built-ins that must not be loaded while building on Node 20: http/https/tls hold handles the
 * snapshot cannot serialize (or are not verified for it, like readline, worker_threads, module).
 */
const LAZY_BUILTINS = ['http', 'https', 'tls', 'readline', 'worker_threads', 'module'];

/**
 * Bundles the CLI and builds its snapshot into `outDir`, with the shell launcher `ocpp-station`
 * beside it (falling back to `mainFile`, default dist/src/cli/main.js); returns the blob's path.
 *
 * @example
 * const blob = await buildSnapshot(path.join(root, 'dist/snapshot'));
 * // node --snapshot-blob <blob> dist/src/cli/main.js --csms ws://... --id CP1
 */
export async function buildSnapshot(outDir: string, options: { mainFile?: string } = {}): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const bundle = path.join(outDir, 'cli.cjs');
  const blob = path.join(outDir, `cli-${process.version}-${process.arch}.blob`);
  const requireOf = createRequire(import.meta.url);
  const lazyKeys = Object.fromEntries(
    LAZY_BUILTINS.map((name) => [name, Object.keys(requireOf(name) as object)]),
  );
  const shim = await readFile(path.join(root, 'scripts/snapshot-require.cjs'), 'utf8');
  const banner = [
    'var require = (function () {',
    '  var module = { exports: {} };',
    shim,
    '  return module.exports;',
    `})()(require, ${JSON.stringify(builtinModules)}, ${JSON.stringify(lazyKeys)}, ${JSON.stringify(root)});`,
  ].join('\n');

  await esbuild.build({
    entryPoints: [path.join(root, 'src/cli/snapshot-entry.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: bundle,
    banner: { js: banner },
    logLevel: 'error',
    // module-worker.ts resolves tsx with import.meta.resolve only when run from .ts sources.
    logOverride: { 'empty-import-meta': 'silent' },
    plugins: [
      {
        name: 'ocpp-station-snapshot',
        setup(build) {
          build.onResolve({ filter: /.*/ }, (args) =>
            RUNTIME_PACKAGES.includes(args.path) ? { path: args.path, external: true } : undefined,
          );
        },
      },
      // better-sqlite3's JavaScript is in the snapshot; its addon loads when the first database opens.
      sqliteAddonPlugin(root),
      moduleUrlPlugin(root),
    ],
  });

  // Written under another name first: a blob cut short by an interrupted build crashes Node.js.
  const partial = `${blob}.partial`;
  await rm(partial, { force: true });
  try {
    execFileSync(process.execPath, ['--snapshot-blob', partial, '--build-snapshot', bundle], {
      cwd: outDir,
      stdio: ['ignore', 'inherit', 'pipe'],
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`node --build-snapshot ${bundle} failed:\n${stderr.slice(0, 4000)}`);
  }
  await rename(partial, blob);
  await writeLauncher(
    outDir,
    path.basename(blob),
    options.mainFile ?? path.join(root, 'dist/src/cli/main.js'),
  );
  return blob;
}

/**
 * `<out>/ocpp-station`, a POSIX shell launcher: `exec`s Node.js from the blob when it fits the
 * `node` on PATH and is newer than the build, else the usual CLI. It saves the second Node.js the
 * `main.js` launcher starts (about one `node -e 0`).
 */
async function writeLauncher(outDir: string, blobName: string, mainFile: string): Promise<void> {
  const main = path.relative(outDir, mainFile);
  const file = path.join(outDir, 'ocpp-station');
  await writeFile(
    file,
    [
      '#!/bin/sh',
      '# Generated by `npm run build:snapshot` (scripts/build-snapshot.ts). docs/cli.md, "Startup snapshot".',
      'dir=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)',
      `main="$dir/${main}"`,
      `blob="$dir/${blobName}"`,
      `if [ "\${OCPP_STATION_SNAPSHOT:-1}" != 0 ] && [ "$(node --version)" = "${process.version}" ] && [ "$blob" -nt "$main" ]; then`,
      '  exec node --snapshot-blob "$blob" "$main" "$@"',
      'fi',
      'exec node "$main" "$@"',
      '',
    ].join('\n'),
  );
  await chmod(file, 0o755);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: path.join(root, 'dist/snapshot') } },
  });
  const blob = await buildSnapshot(path.resolve(String(values.out)));
  console.log(`startup snapshot: ${path.relative(process.cwd(), blob)}`);
}
