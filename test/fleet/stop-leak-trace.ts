/**
 * For test/fleet/stop-leak-child.ts: what the library still has going in a process, beyond what
 * process.getActiveResourcesInfo() names ("Timeout", "FSReqCallback"): where each live, ref'd
 * timer was armed, and which file system requests of the library (a frame under src/) are in
 * flight. Installed when this module is imported: import it before the library.
 */
import { createHook } from 'node:async_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The library's own frames: files under <repo>/src/ (not tests, not node_modules). */
const LIBRARY = `${path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src')}${path.sep}`;

const STACK_LINES = 12;

function stackHere(label: string): string {
  const limit = Error.stackTraceLimit;
  // The library's frame lies below node's own (a promisified fs call is ~8 frames deep).
  Error.stackTraceLimit = 40;
  const error = new Error(label);
  Error.stackTraceLimit = limit;
  return (
    error.stack
      ?.split('\n')
      .slice(2)
      .filter((line) => !line.includes('node:internal') && !line.includes(import.meta.url.replace('file://', '')))
      .slice(0, STACK_LINES)
      .join('\n') ?? ''
  );
}

const fromLibrary = (stack: string): boolean => stack.includes(LIBRARY);

interface Armed {
  timer: NodeJS.Timeout;
  stack: string;
}

const armed = new Set<Armed>();
/** Told of every timer armed from now on. */
let late: ((stack: string) => void) | null = null;
const original = { setTimeout: globalThis.setTimeout, setInterval: globalThis.setInterval };

function isLive(timer: NodeJS.Timeout): boolean {
  // A fired setTimeout or a cleared timer has no callback left (node's internal _onTimeout).
  const internals = timer as unknown as { _onTimeout: unknown; _destroyed: boolean };
  return internals._onTimeout !== null && !internals._destroyed;
}

function track(kind: 'setTimeout' | 'setInterval') {
  const arm = original[kind] as (...args: unknown[]) => NodeJS.Timeout;
  return (...args: unknown[]): NodeJS.Timeout => {
    const timer = arm(...args);
    const entry = { timer, stack: stackHere(kind) };
    armed.add(entry);
    late?.(entry.stack);
    if (armed.size > 5_000) {
      for (const old of armed) if (!isLive(old.timer)) armed.delete(old);
    }
    return timer;
  };
}

globalThis.setTimeout = track('setTimeout') as unknown as typeof globalThis.setTimeout;
globalThis.setInterval = track('setInterval') as unknown as typeof globalThis.setInterval;

/** The library's file system requests not completed yet, by async id. */
const fsRequests = new Map<number, string>();
createHook({
  init(asyncId, type) {
    if (type !== 'FSREQCALLBACK' && type !== 'FSREQPROMISE') return;
    const stack = stackHere(type);
    if (fromLibrary(stack)) fsRequests.set(asyncId, stack);
  },
  // A request is done once its completion callback ran (`destroy` waits for garbage collection).
  after(asyncId) {
    fsRequests.delete(asyncId);
  },
  destroy(asyncId) {
    fsRequests.delete(asyncId);
  },
}).enable();

/**
 * The stacks of the live timers that keep the process alive (ref'd, not fired, not cleared).
 *
 * @example
 * console.log(armedTimers().join('\n---\n'));
 */
export function armedTimers(): string[] {
  return [...armed].filter((a) => isLive(a.timer) && a.timer.hasRef()).map((a) => a.stack);
}

/**
 * The stacks of the library's file system requests still in flight.
 *
 * @example
 * assert.deepEqual(libraryFsRequests(), []);
 */
export function libraryFsRequests(): string[] {
  return [...fsRequests.values()];
}

/**
 * From now on, `report` hears where each timer the library arms comes from.
 *
 * @example
 * reportLateTimers((stack) => process.stdout.write(`late timer ${stack}\n`));
 */
export function reportLateTimers(report: (stack: string) => void): void {
  late = (stack) => {
    if (fromLibrary(stack)) report(stack);
  };
}
