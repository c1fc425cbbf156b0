/**
 * `npm run build` (after tsc): the CLI bundled into one ES module, `dist/bundle/cli-app.mjs`, which
 * the built `ocpp-station` (dist/src/cli/main.js) imports instead of dist/src/cli/cli-app.js and its
 * ~600 modules: loading one file skips the ES module resolution, the per-file reads and the
 * CommonJS export scanning of every module (docs/fleet/cold-start.md).
 *
 * Left out of the bundle, imported from node_modules when used: better-sqlite3's native addon
 * (bundle-plugins.ts, sqliteAddonPlugin: loaded by its path, on the first database), the packages only optional features load (the embedded CSMS's
 * ocpp-rpc, node-forge for a CSR, @statelyai/inspect), ws' optional native helpers, and tsx.
 * `import.meta.url` becomes the URL of the module's own file under dist/, so that the paths it
 * resolves (the shipped config/, the visualizer's page, the fleet's worker) are the same as unbundled.
 *
 * The same CLI is also written as one CommonJS script, `cli-app.cjs`, with its V8 code cache
 * `cli-app.cjs.cache` ({@link writeCodeCache}), which `main.js` runs first (src/cli/cli-code-cache.ts).
 * Every file is ASCII only (bundle-plugins.ts, asciiOnlyFiles).
 *
 * Run: `tsx scripts/build-bundle.ts [--out dist/bundle]`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { startTestCsms } from '../src/testing/index.js';
import { asciiOnlyFiles, moduleUrlPlugin, RUNTIME_PACKAGES, sqliteAddonPlugin } from './bundle-plugins.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Packages imported from node_modules at run time (see above). */
export const EXTERNAL_PACKAGES = [...RUNTIME_PACKAGES, 'tsx'];

/** What both builds of the CLI's bundle (ES module and CommonJS) share. */
function cliAppOptions(outDir: string): esbuild.BuildOptions {
  return {
    entryPoints: { 'cli-app': path.join(root, 'src/cli/cli-bundle-entry.ts') },
    bundle: true,
    platform: 'node',
    target: 'node20',
    outdir: outDir,
    entryNames: '[name]',
    external: EXTERNAL_PACKAGES,
    // ASCII-only (with asciiOnlyFiles for the comments esbuild keeps): V8 keeps one-byte source.
    charset: 'ascii',
    logLevel: 'error',
    plugins: [sqliteAddonPlugin(root), moduleUrlPlugin(root)],
  };
}

/**
 * Bundles src/cli/cli-bundle-entry.ts (runCli and the process's io) into `<outDir>/cli-app.mjs`; returns its path.
 *
 * @example
 * const file = await buildBundle(path.join(root, 'dist/bundle'));
 */
export async function buildBundle(outDir: string): Promise<string> {
  await rm(outDir, { recursive: true, force: true });
  await esbuild.build({
    ...cliAppOptions(outDir),
    format: 'esm',
    // What cli-app.ts imports dynamically (the embedded CSMS, the visualizer's server...) stays out of
    // the entry chunk: imported only when used, as unbundled.
    splitting: true,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    // The CommonJS packages inside (ajv's runtime, luxon, ws) call require for built-in modules.
    banner: {
      js: "import { createRequire as __bundleCreateRequire } from 'node:module';\nconst require = __bundleCreateRequire(import.meta.url);",
    },
  });
  await esbuild.build({
    ...cliAppOptions(outDir),
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    // A vm.Script has no module loader on Node 20 without an experimental flag or warning: the
    // dynamic imports of external packages (node-forge, @statelyai/inspect) become require calls.
    supported: { 'dynamic-import': false },
    // module-worker.ts resolves tsx with import.meta.resolve only when run from .ts sources.
    logOverride: { 'empty-import-meta': 'silent' },
  });
  await asciiOnlyFiles(outDir);
  return path.join(outDir, 'cli-app.mjs');
}

/** Longest a code-cache run may take to boot (a loaded CI machine); only a failing build waits this long. */
const CODE_CACHE_RUN_MS = 120_000;

/**
 * Writes `<bundleDir>/cli-app.cjs.cache`, the V8 code cache of the CommonJS bundle that
 * {@link buildBundle} wrote: a Node.js loads the bundle as the built CLI does
 * (src/cli/cli-code-cache.ts), boots a station against the test CSMS (so that every function a boot
 * runs is compiled), quits and writes the cache. Returns the cache's path.
 *
 * @example
 * await writeCodeCache(path.join(root, 'dist/bundle'));
 */
export async function writeCodeCache(bundleDir: string): Promise<string> {
  const script = path.join(bundleDir, 'cli-app.cjs');
  const cache = `${script}.cache`;
  // The built loader when `npm run build` compiled it, else its source through tsx (tests).
  const built = path.join(root, 'dist/src/cli/cli-code-cache.js');
  const loader = existsSync(built) ? built : path.join(root, 'src/cli/cli-code-cache.ts');
  const run = [
    `import { loadCachedCli } from ${JSON.stringify(pathToFileURL(loader).href)};`,
    'const [script, cache, ...args] = process.argv.slice(1);',
    'const cli = loadCachedCli(script);',
    'const code = await cli.exports.runCli(args, cli.exports.processCliIo());',
    'if (code === 0) cli.writeCache(cache);',
    'cli.exports.exitWhenDone(code);',
  ].join('\n');
  const csms = await startTestCsms();
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-code-cache-'));
  try {
    const args = ['--csms', csms.url, '--id', 'CODE-CACHE', '--db', path.join(dir, 'cache.db'), '--json'];
    const child = spawn(
      process.execPath,
      [
        ...(loader.endsWith('.ts') ? ['--import', 'tsx'] : []),
        '--input-type=module',
        '-e',
        run,
        '--',
        script,
        cache,
        ...args,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'], cwd: root },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      // Booted: the registration is Accepted (the station has sent its first StatusNotifications).
      if (/"type":"registration".*"status":"Accepted"/.test(stdout)) {
        stdout = '';
        child.stdin.end('quit\n');
      }
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new Error(`code cache: the CLI did not boot and quit within ${CODE_CACHE_RUN_MS} ms\n${stderr}`),
        );
      }, CODE_CACHE_RUN_MS);
      child.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    if (code !== 0 || !existsSync(cache))
      throw new Error(`code cache: the CLI exited with ${code}\n${stderr}`);
    return cache;
  } finally {
    await csms.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: path.join(root, 'dist/bundle') } },
  });
  const file = await buildBundle(path.resolve(String(values.out)));
  console.log(`bundle: ${path.relative(process.cwd(), file)}`);
  try {
    const cache = await writeCodeCache(path.dirname(file));
    console.log(`code cache: ${path.relative(process.cwd(), cache)}`);
  } catch (error) {
    // Only a faster start is lost: main.js then runs the snapshot or the ES bundle.
    console.warn(`code cache not written (the built CLI starts without it): ${(error as Error).message}`);
  }
}
