#!/usr/bin/env node
/**
 * Entry point of the `ocpp-station` bin (`npm start -- [options]`): runs the simulated station CLI
 * on this process's stdin/stdout/stderr. See docs/cli.md. The built CLI starts, in this order of
 * preference, from: its CommonJS bundle with the V8 code cache `npm run build` wrote
 * (cli-code-cache.ts: no second Node.js, unlike the snapshot); the startup snapshot
 * `npm run build:snapshot` made for this Node.js (snapshot-launcher.ts); its ES module bundle
 * (cli-bundle.ts); its modules.
 */
import { fileURLToPath } from 'node:url';
import type * as CliApp from './cli-app.js';
import { usableBundle } from './cli-bundle.js';
import { loadCachedCli, usableCodeCache } from './cli-code-cache.js';
import { exitWhenDone, processCliIo } from './process-io.js';
import { runFromSnapshot, usableSnapshot } from './snapshot-launcher.js';

const args = process.argv.slice(2);
const mainFile = fileURLToPath(import.meta.url);
// Only the built CLI (dist/) has a bundle, a code cache or a snapshot.
const built = mainFile.endsWith('.js');
const codeCache = built ? usableCodeCache(mainFile) : undefined;
if (codeCache !== undefined) {
  const cli = loadCachedCli(codeCache.script, codeCache.cache).exports;
  cli.exitWhenDone(await cli.runCli(args, cli.processCliIo()));
} else {
  // The CLI's modules are loaded only when it runs in this process.
  const blob = built ? usableSnapshot(mainFile) : undefined;
  const fromSnapshot = blob === undefined ? undefined : await runFromSnapshot(blob, mainFile, args);
  if (fromSnapshot !== undefined) {
    exitWhenDone(fromSnapshot);
  } else {
    const bundle = built ? usableBundle(mainFile) : undefined;
    const { runCli } = (
      bundle === undefined ? await import('./cli-app.js') : await import(bundle)
    ) as typeof CliApp;
    exitWhenDone(await runCli(args, processCliIo()));
  }
}
