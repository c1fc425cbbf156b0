/**
 * setTimeout / clearTimeout on a simulated host time, for tests that pass `timers` to a station
 * (the station clock reads `nowMs`): time moves only when the test says, and every timer due
 * meanwhile runs in time order, with the event loop drained after each.
 */
import type { TimerScheduler } from '../../src/runtime/timers.js';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * @example
 * const timers = new SimulatedTimers(Date.parse('2026-01-01T00:00:00Z'));
 * const clock = createStationClock(undefined, () => timers.nowMs);
 * await timers.advance(60_000); // runs what was due within the minute
 */
export class SimulatedTimers implements TimerScheduler {
  private nextId = 1;
  private readonly timers = new Map<number, { dueMs: number; fn: () => void }>();

  constructor(public nowMs: number = Date.now()) {}

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { dueMs: this.nowMs + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Moves time to `ms`, running every timer due meanwhile in time order. */
  async advanceTo(ms: number): Promise<void> {
    for (;;) {
      let next: [number, { dueMs: number; fn: () => void }] | undefined;
      for (const entry of this.timers)
        if (entry[1].dueMs <= ms && (!next || entry[1].dueMs < next[1].dueMs)) next = entry;
      if (!next) break;
      this.timers.delete(next[0]);
      this.nowMs = Math.max(this.nowMs, next[1].dueMs);
      next[1].fn();
      await flush();
    }
    this.nowMs = Math.max(this.nowMs, ms);
  }

  /** Moves time forward by `ms`. */
  advance(ms: number): Promise<void> {
    return this.advanceTo(this.nowMs + ms);
  }
}
