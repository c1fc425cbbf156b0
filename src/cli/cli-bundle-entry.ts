/**
 * Entry of the built CLI's single-file bundle (`dist/bundle/cli-app.mjs`, scripts/build-bundle.ts):
 * what `main.ts` needs to run the CLI, so that the bundle alone runs it, e.g.
 * `node --input-type=module -e "const m = await import('./dist/bundle/cli-app.mjs'); m.exitWhenDone(await m.runCli(process.argv.slice(1), m.processCliIo()))" -- --help`.
 */
export { runCli } from './cli-app.js';
export { exitWhenDone, processCliIo } from './process-io.js';
