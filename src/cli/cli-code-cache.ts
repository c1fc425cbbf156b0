/**
 * The built CLI run from its CommonJS bundle (`dist/bundle/cli-app.cjs`) compiled with a V8 code
 * cache (`cli-app.cjs.cache`), both written by `npm run build` (scripts/build-bundle.ts). Node 20
 * has no compile cache for ES modules: compiling the ES bundle was about a third of a start without
 * the snapshot (issue 9, docs/fleet/cold-start.md). The cache is made by running the CLI once to
 * its BootNotification at build time, so it holds the bytecode of every function a boot runs, not
 * only the top level. V8 rejects a cache made by another V8 version or flags, or for other source
 * text: the script then compiles as usual (nothing else changes).
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import type * as CliBundleEntry from './cli-bundle-entry.js';

/** What the bundle exports (src/cli/cli-bundle-entry.ts). */
export type CliBundleExports = typeof CliBundleEntry;

/** The CommonJS bundle and its code cache, as `npm run build` writes them under `dist/`. */
export interface CodeCacheFiles {
  script: string;
  cache: string;
}

/**
 * Where `npm run build` writes the CommonJS bundle and its code cache, under the package's `dist/`.
 *
 * @example
 * codeCachePaths('/opt/ocpp-station/dist').cache; // '/opt/ocpp-station/dist/bundle/cli-app.cjs.cache'
 */
export function codeCachePaths(distDir: string): CodeCacheFiles {
  const script = path.join(distDir, 'bundle', 'cli-app.cjs');
  return { script, cache: `${script}.cache` };
}

/**
 * The bundle and cache the built CLI at `mainFile` (`dist/src/cli/main.js`) should run, or
 * undefined: `OCPP_STATION_CODE_CACHE=0`, or `OCPP_STATION_BUNDLE=0` (the unbundled modules asked
 * for: the cached script is a bundle too); Node.js options given to the launcher (`--inspect`...: a
 * cache made without them would be rejected anyway); either file missing; the bundle older than
 * `mainFile` or the cache older than the bundle (a later build wrote newer code).
 *
 * @example
 * const files = usableCodeCache(fileURLToPath(import.meta.url));
 */
export function usableCodeCache(
  mainFile: string,
  env: NodeJS.ProcessEnv = process.env,
  execArgv: readonly string[] = process.execArgv,
): CodeCacheFiles | undefined {
  if (env.OCPP_STATION_CODE_CACHE === '0' || env.OCPP_STATION_BUNDLE === '0' || execArgv.length > 0) {
    return undefined;
  }
  const files = codeCachePaths(path.resolve(path.dirname(mainFile), '../..'));
  try {
    const script = statSync(files.script).mtimeMs;
    return script >= statSync(mainFile).mtimeMs && statSync(files.cache).mtimeMs >= script
      ? files
      : undefined;
  } catch {
    return undefined;
  }
}

/** A loaded bundle: its exports, whether V8 took the cache, and the cache of what ran so far. */
export interface CachedCli {
  exports: CliBundleExports;
  /** True when a cache was given and V8 refused it (the bundle compiled without it). */
  cacheRejected: boolean;
  /** Writes the code cache of the functions compiled so far to `file` (atomically). */
  writeCache(file: string): void;
}

/**
 * Loads the CommonJS bundle `script` as Node.js loads a CommonJS module, compiled with the code
 * cache `cache` when given and readable; a missing or rejected cache only costs the compilation.
 *
 * @example
 * const { exports: cli } = loadCachedCli(files.script, files.cache);
 * exitWhenDone(await cli.runCli(process.argv.slice(2), cli.processCliIo()));
 */
export function loadCachedCli(script: string, cache?: string): CachedCli {
  // The build writes ASCII only (charset 'ascii'): a one-byte V8 string, the cheapest to scan.
  const source = readFileSync(script, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = cache === undefined ? undefined : readFileSync(cache);
  } catch {
    cachedData = undefined;
  }
  // Node.js' own CommonJS wrapper, so that the bundle sees require, module and __dirname. No
  // importModuleDynamically: build-bundle.ts turned the bundle's dynamic imports into require calls.
  const compiled = new vm.Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    {
      filename: script,
      cachedData,
    },
  );
  const module = { exports: {} as CliBundleExports };
  const wrapper = compiled.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string,
  ) => void;
  wrapper(module.exports, createRequire(script), module, script, path.dirname(script));
  return {
    exports: module.exports,
    cacheRejected: cachedData !== undefined && compiled.cachedDataRejected === true,
    writeCache(file) {
      const partial = `${file}.partial`;
      writeFileSync(partial, compiled.createCachedData());
      renameSync(partial, file);
    },
  };
}
