/**
 * Start of the CLI from its V8 startup snapshot, when `npm run build:snapshot` made one
 * (docs/fleet/cold-start.md). A snapshot can only be given to Node.js on its command line, so the launcher
 * (`main.js`) starts a second Node.js with `--snapshot-blob`: that start skips loading and
 * initializing every module of the CLI, which costs more than the extra process.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';

/** Exit code of Node.js when it cannot load the startup snapshot (missing, unreadable, other version). */
const SNAPSHOT_LOAD_FAILURE = 14;
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Where build:snapshot writes the blob for a Node.js version and architecture (a blob starts only
 * the exact Node.js that built it), under the package's `dist/`.
 *
 * @example
 * snapshotBlobPath('/opt/ocpp-station/dist'); // '/opt/ocpp-station/dist/snapshot/cli-v20.19.0-x64.blob'
 */
export function snapshotBlobPath(distDir: string, version = process.version, arch = process.arch): string {
  return path.join(distDir, 'snapshot', `cli-${version}-${arch}.blob`);
}

/**
 * The blob the built CLI at `mainFile` (`dist/src/cli/main.js`) should start from, or undefined:
 * none for this Node.js; `OCPP_STATION_SNAPSHOT=0`; Node.js options given to the launcher (e.g.
 * `--inspect`, which the snapshot start would not honour); or a blob older than `mainFile` (a later
 * `npm run build` without build:snapshot: the blob holds the older code).
 *
 * @example
 * const blob = usableSnapshot(fileURLToPath(import.meta.url));
 */
export function usableSnapshot(
  mainFile: string,
  env: NodeJS.ProcessEnv = process.env,
  execArgv: readonly string[] = process.execArgv,
): string | undefined {
  if (env.OCPP_STATION_SNAPSHOT === '0' || execArgv.length > 0) return undefined;
  const blob = snapshotBlobPath(path.resolve(path.dirname(mainFile), '../..'));
  try {
    return statSync(blob).mtimeMs >= statSync(mainFile).mtimeMs ? blob : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the CLI with `args` in a Node.js started from `blob`, on this process's standard streams;
 * SIGINT, SIGTERM and SIGHUP are passed on. Resolves with its exit code, or with undefined when
 * Node.js could not load the snapshot (nothing ran: the caller starts the CLI itself).
 *
 * @example
 * const code = await runFromSnapshot(blob, fileURLToPath(import.meta.url), process.argv.slice(2));
 */
export function runFromSnapshot(
  blob: string,
  mainFile: string,
  args: readonly string[],
): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--snapshot-blob', blob, mainFile, ...args], { stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    const stopForwarding = () => FORWARDED_SIGNALS.forEach((signal) => process.off(signal, forward));
    child.once('error', (error) => {
      stopForwarding();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      stopForwarding();
      if (code === SNAPSHOT_LOAD_FAILURE) resolve(undefined);
      // A child killed by a signal: the shell convention, 128 + the signal's number.
      else resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGINT' ? 2 : 15));
    });
  });
}
