/**
 * The CLI's connection to its own process (stdin/stdout/stderr, signals, exit), shared by the two
 * ways of starting it: `main.ts` (ES modules) and the startup snapshot (`snapshot-entry.ts`).
 */
import type { CliIo } from './cli-app.js';

/**
 * The CliIo of this process: its standard streams, SIGINT/SIGTERM, and the directory a relative
 * `--db` is resolved against.
 *
 * @example
 * const code = await runCli(process.argv.slice(2), processCliIo());
 */
export function processCliIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    // Under `npm start` the working directory is the package; INIT_CWD is where the user typed it.
    cwd: process.env.INIT_CWD ?? process.cwd(),
    onSignal(handler) {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}

/**
 * Ends the process with `code` once the event loop is empty, and at the latest 2 s later.
 *
 * @example
 * exitWhenDone(await runCli(process.argv.slice(2), processCliIo()));
 */
export function exitWhenDone(code: number): void {
  process.exitCode = code;
  // Everything was closed; should a handle still linger (a socket in its closing handshake), it must
  // not keep a finished CLI alive.
  setTimeout(() => process.exit(code), 2000).unref();
}
