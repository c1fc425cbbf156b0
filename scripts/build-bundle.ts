/**
 * `npm run build` (after tsc): the CLI bundled into one ES module, `dist/bundle/cli-app.mjs`, which
 * the built `ocpp-station` (dist/src/cli/main.js) imports instead of dist/src/cli/cli-app.js and its
 * ~600 modules: loading one file skips the ES module resolution, the per-file reads and the
 * CommonJS export scanning of every module (docs/fleet.md, "Cold start").
 *
 * Left out of the bundle, imported from node_modules when used: better-sqlite3's native addon
 * (bundle-plugins.ts, sqliteAddonPlugin: loaded by its path, on the first database), the packages only optional features load (the embedded CSMS's
 * ocpp-rpc, node-forge for a CSR, @statelyai/inspect), ws' optional native helpers, and tsx.
 * `import.meta.url` becomes the URL of the module's own file under dist/, so that the paths it
 * resolves (the shipped config/, the visualizer's page, the fleet's worker) are the same as unbundled.
 *
 * Run: `tsx scripts/build-bundle.ts [--out dist/bundle]`.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { moduleUrlPlugin, RUNTIME_PACKAGES, sqliteAddonPlugin } from './bundle-plugins.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Packages imported from node_modules at run time (see above). */
export const EXTERNAL_PACKAGES = [...RUNTIME_PACKAGES, 'tsx'];

/**
 * Bundles src/cli/cli-bundle-entry.ts (runCli and the process's io) into `<outDir>/cli-app.mjs`; returns its path.
 *
 * @example
 * const file = await buildBundle(path.join(root, 'dist/bundle'));
 */
export async function buildBundle(outDir: string): Promise<string> {
  await rm(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: { 'cli-app': path.join(root, 'src/cli/cli-bundle-entry.ts') },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: outDir,
    // What cli-app.ts imports dynamically (the embedded CSMS, the visualizer's server...) stays out of
    // the entry chunk: imported only when used, as unbundled.
    splitting: true,
    outExtension: { '.js': '.mjs' },
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    external: EXTERNAL_PACKAGES,
    // The CommonJS packages inside (ajv's runtime, luxon, ws) call require for built-in modules.
    banner: {
      js: "import { createRequire as __bundleCreateRequire } from 'node:module';\nconst require = __bundleCreateRequire(import.meta.url);",
    },
    logLevel: 'error',
    plugins: [sqliteAddonPlugin(root), moduleUrlPlugin(root)],
  });
  return path.join(outDir, 'cli-app.mjs');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: path.join(root, 'dist/bundle') } },
  });
  const file = await buildBundle(path.resolve(String(values.out)));
  console.log(`bundle: ${path.relative(process.cwd(), file)}`);
}
