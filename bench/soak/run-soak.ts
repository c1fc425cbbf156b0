/**
 * Runs one soak: the CSMS (soak-csms.ts) and the load (soak-process.ts, --expose-gc) each in a
 * process of their own, so the load's memory is its own. Shared by bench/soak.ts and
 * test/fault/fleet-soak.test.ts.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SoakResult } from './soak-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface SoakOptions {
  stations: number;
  seconds: number;
  /** Cycles to run at least, however long they take. */
  minCycles: number;
  /** Mean seconds between two steps of one EVSE's session. */
  stepSeconds: number;
  /** BootNotificationResponse interval the CSMS gives (the heartbeat period). */
  heartbeatSeconds: number;
}

export interface SoakRun extends SoakResult {
  /** What the CSMS counted: CALLs answered, CALLs strict validation refused. */
  csms: { calls: number; rejected: number };
}

function exited(child: ChildProcess, what: string): Promise<never> {
  return new Promise((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`${what} exited (${code ?? signal})`)));
  });
}

/**
 * @example
 * const run = await runSoak({ stations: 1000, seconds: 300, minCycles: 8, stepSeconds: 3, heartbeatSeconds: 2 });
 * console.log(secondHalfTrend(run.samples).rssSlope);
 */
export async function runSoak(options: SoakOptions): Promise<SoakRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-soak-'));
  const csms = fork(path.join(here, 'soak-csms.ts'), ['--heartbeat-s', String(options.heartbeatSeconds)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const port = await Promise.race([
      new Promise<number>((resolve) =>
        csms.on('message', (m: { port?: number }) => {
          if (m.port !== undefined) resolve(m.port);
        }),
      ),
      exited(csms, 'soak CSMS'),
    ]);
    const load = fork(
      path.join(here, 'soak-process.ts'),
      [
        ...['--csms', `ws://127.0.0.1:${port}`, '--stations', String(options.stations)],
        ...['--seconds', String(options.seconds), '--min-cycles', String(options.minCycles)],
        ...['--step-s', String(options.stepSeconds), '--db', path.join(dir, 'soak.db')],
      ],
      { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    const result = await new Promise<SoakResult>((resolve, reject) => {
      let got: SoakResult | undefined;
      load.on('message', (m: SoakResult) => (got = m));
      load.once('error', reject);
      load.once('exit', (code) => (got ? resolve(got) : reject(new Error(`soak load exited with ${code}`))));
    });
    const counts = await Promise.race([
      new Promise<SoakRun['csms']>((resolve) => {
        csms.on('message', (m: { counts?: SoakRun['csms'] }) => {
          if (m.counts) resolve(m.counts);
        });
        csms.send('counts');
      }),
      exited(csms, 'soak CSMS'),
    ]);
    return { ...result, csms: counts };
  } finally {
    csms.kill();
    await rm(dir, { recursive: true, force: true });
  }
}
