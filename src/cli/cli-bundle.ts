/**
 * The built CLI's single-file bundle (`dist/bundle/cli-app.mjs`, written by `npm run build` through
 * scripts/build-bundle.ts): `main.js` imports it instead of `cli-app.js` and its ~600 ES modules,
 * which roughly halves a start without the startup snapshot (docs/fleet/cold-start.md).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Where `npm run build` writes the bundle, under the package's `dist/`.
 *
 * @example
 * cliBundlePath('/opt/ocpp-station/dist'); // '/opt/ocpp-station/dist/bundle/cli-app.mjs'
 */
export function cliBundlePath(distDir: string): string {
  return path.join(distDir, 'bundle', 'cli-app.mjs');
}

/**
 * The `file:` URL of the bundle the built CLI at `mainFile` (`dist/src/cli/main.js`) should import,
 * or undefined: none; `OCPP_STATION_BUNDLE=0`; or a bundle older than `mainFile` (written by an
 * older build: the modules beside `main.js` are the newer code).
 *
 * @example
 * const { runCli } = await import(usableBundle(mainFile) ?? './cli-app.js');
 */
export function usableBundle(mainFile: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.OCPP_STATION_BUNDLE === '0') return undefined;
  const bundle = cliBundlePath(path.resolve(path.dirname(mainFile), '../..'));
  try {
    return statSync(bundle).mtimeMs >= statSync(mainFile).mtimeMs ? pathToFileURL(bundle).href : undefined;
  } catch {
    return undefined;
  }
}
