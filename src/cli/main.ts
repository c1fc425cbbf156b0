#!/usr/bin/env node
/**
 * Entry point of the `ocpp-station` bin (`npm start -- [options]`): runs the simulated station CLI
 * on this process's stdin/stdout/stderr. See docs/cli.md. When `npm run build:snapshot` made a
 * startup snapshot for this Node.js, the built CLI starts from it instead (snapshot-launcher.ts);
 * else the built CLI runs from its single-file bundle (cli-bundle.ts) when `npm run build` wrote it.
 */
import { fileURLToPath } from 'node:url';
import type * as CliApp from './cli-app.js';
import { usableBundle } from './cli-bundle.js';
import { exitWhenDone, processCliIo } from './process-io.js';
import { runFromSnapshot, usableSnapshot } from './snapshot-launcher.js';

const args = process.argv.slice(2);
const mainFile = fileURLToPath(import.meta.url);
// Only the built CLI (dist/) has a snapshot; the CLI's modules are loaded only when it runs here.
const blob = mainFile.endsWith('.js') ? usableSnapshot(mainFile) : undefined;
const fromSnapshot = blob === undefined ? undefined : await runFromSnapshot(blob, mainFile, args);
if (fromSnapshot !== undefined) {
  exitWhenDone(fromSnapshot);
} else {
  const bundle = mainFile.endsWith('.js') ? usableBundle(mainFile) : undefined;
  const { runCli } = (
    bundle === undefined ? await import('./cli-app.js') : await import(bundle)
  ) as typeof CliApp;
  exitWhenDone(await runCli(args, processCliIo()));
}
