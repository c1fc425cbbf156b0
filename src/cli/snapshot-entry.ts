/**
 * Entry of the CLI's startup snapshot (`npm run build:snapshot`, scripts/build-snapshot.ts): bundled
 * into one CommonJS script, evaluated once while the snapshot is built (every module of the CLI
 * loaded and initialized), and serialized; a start from the snapshot only runs the main function
 * below. See docs/fleet/cold-start.md.
 */
import v8 from 'node:v8';
import { runCli } from './cli-app.js';
import { exitWhenDone, processCliIo } from './process-io.js';
import { warmUpForSnapshot } from './snapshot-warm-up.js';

// Started as `node --snapshot-blob <blob> <dist/src/cli/main.js> [options]`: argv[1] is the script
// name the launcher passed (not run), the CLI's options follow as usual.
v8.startupSnapshot.setDeserializeMainFunction(() => {
  void runCli(process.argv.slice(2), processCliIo()).then(exitWhenDone);
});

// The snapshot is taken once the event loop is empty, so after this.
void warmUpForSnapshot();
