#!/usr/bin/env node
/**
 * Entry point of the `ocpp-station` bin (`npm start -- [options]`): runs the simulated station CLI
 * on this process's stdin/stdout/stderr. See docs/cli.md.
 */
import { runCli } from './cli-app.js';

const code = await runCli(process.argv.slice(2), {
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
});
process.exitCode = code;
// Everything was closed; should a handle still linger (a socket in its closing handshake), it must
// not keep a finished CLI alive.
setTimeout(() => process.exit(code), 2000).unref();
