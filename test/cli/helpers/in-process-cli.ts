/**
 * runCli inside the test process: stdin a pipe, stdout and stderr kept, stdout's JSON lines parsed
 * as CLI events, and waits on them that end as soon as what they wait for is printed (never a fixed
 * sleep). For tests that need the CLI's in-process objects or speed; a child process is
 * `spawnCli` (cli-process.ts).
 */
import { tmpdir } from 'node:os';
import { PassThrough } from 'node:stream';
import { runCli, type CliIo } from '../../../src/cli/cli-app.js';
import type { CliEvent } from '../../../src/cli/cli-events.js';
import { waitFor } from '../../../src/testing/index.js';

/** Generous: the cores are shared with other test files. */
export const IN_PROCESS_WAIT_MS = 60_000;

export interface InProcessCliIo {
  stdin: PassThrough;
  out: string[];
  err: string[];
  /** Dispatches `change` on every stdout write (for waitFor). */
  changes: EventTarget;
  /** Every JSON line printed so far, parsed. */
  events(): CliEvent[];
  /** The first printed event that matches, waited for. */
  until(what: string, predicate: (event: CliEvent) => boolean, ms?: number): Promise<CliEvent>;
  /** Waits until `check` holds, whatever it looks at (the error names `what` and the output's tail). */
  untilTrue(what: string, check: () => boolean, ms?: number): Promise<void>;
  /** What runCli is given; `tty` makes stdout a terminal (the fleet's progress line). */
  io: CliIo;
}

/**
 * The in-memory terminal of a runCli.
 *
 * @example
 * const t = inProcessCliIo();
 * const done = runCli(['--json', '--csms', url], t.io);
 * await t.until('registration', (e) => e.type === 'registration');
 */
export function inProcessCliIo(options: { tty?: boolean } = {}): InProcessCliIo {
  const stdin = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  const changes = new EventTarget();
  const events = () =>
    out
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as CliEvent);
  const tail = () => `\n${out.join('').slice(-4000)}\n${err.join('')}`;
  return {
    stdin,
    out,
    err,
    changes,
    events,
    until: (what, predicate, ms = IN_PROCESS_WAIT_MS) =>
      waitFor(changes, () => events().find(predicate), what, ms).catch((error: Error) => {
        throw new Error(error.message + tail());
      }),
    untilTrue: async (what, check, ms = IN_PROCESS_WAIT_MS) => {
      await waitFor(changes, () => (check() ? true : undefined), what, ms).catch((error: Error) => {
        throw new Error(error.message + tail());
      });
    },
    io: {
      stdin,
      stdout: {
        write: (t: string) => (out.push(t), changes.dispatchEvent(new Event('change'))),
        ...(options.tty ? { isTTY: true } : {}),
      },
      stderr: { write: (t: string) => err.push(t) },
      cwd: tmpdir(),
    },
  };
}

/**
 * runCli started on an in-memory terminal; `done` is its exit code.
 *
 * @example
 * const run = startInProcessCli(['--json', '--csms', csms.url, '--count', '2']);
 * await run.untilTrue('both booted', () => run.events().filter((e) => e.type === 'registration').length === 2);
 * run.stdin.write('quit\n');
 * assert.equal(await run.done, 0);
 */
export function startInProcessCli(
  args: string[],
  options: { tty?: boolean } = {},
): InProcessCliIo & { done: Promise<number> } {
  const terminal = inProcessCliIo(options);
  return { ...terminal, done: runCli(args, terminal.io) };
}
