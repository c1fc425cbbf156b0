/**
 * Runs the CLI as a child process (`node --import tsx src/cli/main.ts ...`) with stdin as a pipe,
 * collecting its `--json` events; waits fail with the events seen so far and stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliEvent } from '../../../src/cli/cli-events.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MAIN = path.join(REPO_ROOT, 'src/cli/main.ts');
/** Generous: a child pays tsx's start-up, and CI machines are slow. Only failing waits take this long. */
export const WAIT_MS = 30_000;

export interface CliProcess {
  readonly child: ChildProcess;
  readonly events: CliEvent[];
  stderr(): string;
  /** Writes one console line to stdin. */
  send(line: string): void;
  /** Closes stdin (the pipe ends). */
  endInput(): void;
  /** Non-JSON stdout lines (human output). */
  readonly lines: string[];
  /** Waits for a human output line matching `pattern`. */
  waitForLine(pattern: RegExp): Promise<string>;
  /** Index the next event will have; pass it as `since` to wait only for later events. */
  mark(): number;
  /** The first event at index >= since that matches. */
  waitFor<T extends CliEvent>(
    description: string,
    predicate: (event: CliEvent) => event is T,
    since?: number,
  ): Promise<T>;
  waitFor(description: string, predicate: (event: CliEvent) => boolean, since?: number): Promise<CliEvent>;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

/** Spawns the CLI through `node --import tsx` (or any command), stdout parsed as JSON lines. */
export function spawnCli(
  args: string[],
  options: { command?: string[]; cwd?: string; env?: NodeJS.ProcessEnv; waitMs?: number } = {},
): CliProcess {
  const waitMs = options.waitMs ?? WAIT_MS;
  const [command, ...prefix] = options.command ?? [process.execPath, '--import', 'tsx', MAIN];
  const child = spawn(command as string, [...prefix, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, so that `kill` also reaches grandchildren (npm -> sh -> node).
    detached: true,
  });
  const events: CliEvent[] = [];
  const nonJson: string[] = [];
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  let buffer = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      try {
        events.push(JSON.parse(line) as CliEvent);
      } catch {
        nonJson.push(line);
      }
    }
    notify();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
      notify();
    });
  });

  const describeState = () =>
    `\n--- events (${events.length}) ---\n${events.map((e) => JSON.stringify(e).slice(0, 300)).join('\n')}` +
    `${nonJson.length ? `\n--- non-JSON stdout ---\n${nonJson.join('\n')}` : ''}\n--- stderr ---\n${stderr}`;

  function waitFor(
    description: string,
    predicate: (event: CliEvent) => boolean,
    since = 0,
  ): Promise<CliEvent> {
    return waitUntil(description, () => events.slice(since).find(predicate));
  }

  function waitUntil<T>(description: string, find: () => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found) {
          done();
          resolve(found);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          done();
          reject(
            new Error(
              `CLI exited (${child.exitCode ?? child.signalCode}) before: ${description}${describeState()}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${waitMs} ms waiting for: ${description}${describeState()}`));
      }, waitMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  }

  return {
    child,
    events,
    stderr: () => stderr,
    send(line) {
      child.stdin?.write(`${line}\n`);
    },
    endInput() {
      child.stdin?.end();
    },
    lines: nonJson,
    waitForLine: (pattern) =>
      waitUntil(`a line matching ${pattern}`, () => nonJson.find((l) => pattern.test(l))),
    mark: () => events.length,
    waitFor: waitFor as CliProcess['waitFor'],
    exited,
    kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        child.kill(signal);
      }
    },
  };
}

/** Kills (SIGKILL) every process still running and waits for them: for `after` hooks. */
export async function killAll(processes: readonly CliProcess[]): Promise<void> {
  for (const p of processes) p.kill('SIGKILL');
  await Promise.all(processes.map((p) => p.exited));
}

/**
 * Spawns the CLI with `--json` and `args`, records it in `processes` (for {@link killAll}) and
 * waits until its station started and the CSMS accepted it.
 */
export async function startAcceptedCli(processes: CliProcess[], args: string[]): Promise<CliProcess> {
  const p = spawnCli(['--json', ...args]);
  processes.push(p);
  await p.waitFor('station started', is.station('started', 1));
  await p.waitFor('registration Accepted', is.registration('Accepted'));
  return p;
}

/** Type guards for the events tests wait for. */
export const is = {
  ocpp:
    (direction: 'out' | 'in', action?: string, payload?: (p: Record<string, unknown>) => boolean) =>
    (e: CliEvent): boolean =>
      e.type === 'ocpp' &&
      e.direction === direction &&
      Array.isArray(e.frame) &&
      (action === undefined || (e.frame[0] === 2 && e.frame[2] === action)) &&
      (payload === undefined || payload((e.frame as unknown[])[3] as Record<string, unknown>)),
  registration: (status: string) => (e: CliEvent) => e.type === 'registration' && e.status === status,
  connector: (evseId: number, connectorId: number, status: string) => (e: CliEvent) =>
    e.type === 'connector' && e.evseId === evseId && e.connectorId === connectorId && e.status === status,
  command: (line: string) => (e: CliEvent) => e.type === 'command' && e.line === line,
  connection: (connected: boolean) => (e: CliEvent) => e.type === 'connection' && e.connected === connected,
  station: (state: string, boot?: number) => (e: CliEvent) =>
    e.type === 'station' && e.state === state && (boot === undefined || e.boot === boot),
};
