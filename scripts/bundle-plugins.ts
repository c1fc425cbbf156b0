/**
 * esbuild plugins shared by the CLI's single-file bundle (build-bundle.ts) and its startup snapshot
 * (build-snapshot.ts). docs/fleet/cold-start.md.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as esbuild from 'esbuild';

/**
 * `import.meta.url` of each bundled module becomes the `file:` URL of the same module in the build
 * (`dist/...js` for the package's sources, the file itself under node_modules), so that the paths
 * it resolves (the shipped config/, the visualizer's page, the fleet's worker) are as unbundled.
 *
 * @example
 * await esbuild.build({ ..., plugins: [moduleUrlPlugin(root)] });
 */
export function moduleUrlPlugin(packageRoot: string): esbuild.Plugin {
  return {
    name: 'ocpp-station-module-url',
    setup(build) {
      build.onLoad({ filter: /\.[jt]s$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const relative = path.relative(packageRoot, args.path).replace(/\.ts$/, '.js');
        const url = pathToFileURL(
          path.join(packageRoot, relative.startsWith('node_modules') ? '' : 'dist', relative),
        ).href;
        return {
          contents: text.replaceAll('import.meta.url', JSON.stringify(url)),
          loader: args.path.endsWith('.ts') ? 'ts' : 'js',
        };
      });
    },
  };
}

/**
 * `better-sqlite3` as the sources import it: a constructor that loads the native addon by its path
 * when the first database opens (`nativeBinding`), around the package's JavaScript, which is
 * bundled. Unbundled, better-sqlite3 loads ~15 CommonJS files and finds its addon through the
 * `bindings` package, which tries a dozen paths (stat calls) from a stack trace: about 25–60 ms of
 * a cold start. A native addon cannot be in a snapshot: nothing of it loads while one is built.
 * The addon is the one `npm install` built or downloaded, `build/Release/better_sqlite3.node` (or
 * `build/Debug/`) of the installed package, found with the bundle's `require.resolve` at run time.
 *
 * @example
 * await esbuild.build({ ..., plugins: [sqliteAddonPlugin(root)] });
 */
export function sqliteAddonPlugin(packageRoot: string): esbuild.Plugin {
  const contents = [
    "const Database = require('better-sqlite3/lib/database.js');",
    "Database.SqliteError = require('better-sqlite3/lib/sqlite-error.js');",
    'let addon;',
    'function loadAddon() {',
    "  const dir = require('path').dirname(require.resolve('better-sqlite3/package.json'));",
    "  const tried = ['Release', 'Debug'].map((build) => require('path').join(dir, 'build', build, 'better_sqlite3.node'));",
    '  for (const file of tried) {',
    "    if (require('fs').existsSync(file)) return require(file);",
    '  }',
    "  throw new Error('better-sqlite3: no native addon at ' + tried.join(' or ') + ' (npm rebuild better-sqlite3)');",
    '}',
    'function StationSqlite(filename, options) {',
    '  addon ??= loadAddon();',
    '  return new Database(filename, { ...options, nativeBinding: addon });',
    '}',
    'StationSqlite.SqliteError = Database.SqliteError;',
    'module.exports = StationSqlite;',
  ].join('\n');
  return {
    name: 'ocpp-station-sqlite-addon',
    setup(build) {
      build.onResolve({ filter: /^better-sqlite3$/ }, () => ({
        path: 'better-sqlite3',
        namespace: 'sqlite-addon',
      }));
      build.onLoad({ filter: /.*/, namespace: 'sqlite-addon' }, () => ({
        loader: 'js',
        contents,
        resolveDir: packageRoot,
      }));
    },
  };
}

/**
 * Packages both builds leave to node_modules at run time: the embedded CSMS and what loads only
 * for optional features or native speed-ups (why each: scripts/build-bundle.ts, build-snapshot.ts).
 */
export const RUNTIME_PACKAGES: readonly string[] = [
  'bindings',
  'ocpp-rpc',
  'node-forge',
  '@statelyai/inspect',
  'bufferutil',
  'utf-8-validate',
];

/**
 * Rewrites every `.js`/`.mjs`/`.cjs` file under `dir` as ASCII: each other UTF-16 code unit becomes
 * `\uXXXX`. esbuild's `charset: 'ascii'` escapes strings and identifiers but keeps the comments it
 * preserves (JSDoc of xstate, luxon...); one non-ASCII character makes V8 hold the whole source as a
 * two-byte string, twice the memory and slower to scan. Only comments are left to escape (esbuild
 * escaped the rest), where an escape means the same.
 *
 * @example
 * await asciiOnlyFiles('dist/bundle');
 */
export async function asciiOnlyFiles(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.[cm]?js$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const text = await readFile(file, 'utf8');
    const ascii = text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    if (ascii !== text) await writeFile(file, ascii);
  }
}
