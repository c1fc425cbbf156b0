/**
 * Timers of the behaviour runner on the station clock: every station's next step waits in one
 * min-heap ordered by its due time (station clock ms), and one host timer is armed for the
 * earliest. A fleet of 10,000 stations then costs one host timer, not 10,000 (DESIGN.md: "an idle
 * station runs no timer nobody needs"), and a test can drive the whole schedule with a manual clock
 * and timer (accelerated: no waiting in real time).
 *
 * The host timer is unref'd: behaviour alone never keeps the process alive, and `stop()` clears
 * everything, so nothing is left running after `quit`.
 */
import type { StationClock } from '../clock.js';

/** Arms and clears the one host timer (default: setTimeout, unref'd). */
export interface HostTimer {
  set(callback: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

interface Entry {
  dueMs: number;
  /** Insertion order: equal due times run in the order they were scheduled. */
  seq: number;
  run: () => void;
  cancelled: boolean;
}

/** A scheduled step; `cancel()` removes it. */
export interface ScheduledStep {
  cancel(): void;
}

const REAL_TIMER: HostTimer = {
  set: (callback, delayMs) => {
    const handle = setTimeout(callback, delayMs);
    handle.unref();
    return handle;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** setTimeout's largest delay (about 24.8 days); a later step re-arms when this one fires. */
const MAX_DELAY_MS = 2_147_483_647;

/**
 * @example
 * const scheduler = new BehaviourScheduler(clock);
 * scheduler.at(clock.nowMs() + 60_000, () => void station.submit('plug 1'));
 * const ok = await scheduler.sleep(5_000); // false when the scheduler was stopped meanwhile
 * scheduler.stop();
 */
export class BehaviourScheduler {
  private readonly heap: Entry[] = [];
  private seq = 0;
  private armed: { handle: unknown; dueMs: number } | null = null;
  private stopped = false;
  /** fire() is running due steps: it arms the timer once, after them. */
  private firing = false;
  /** Sleepers to release (with false) on stop. */
  private readonly sleepers = new Set<(running: boolean) => void>();

  constructor(
    private readonly clock: Pick<StationClock, 'nowMs'>,
    private readonly timer: HostTimer = REAL_TIMER,
  ) {}

  /** False once {@link stop} has run. */
  get running(): boolean {
    return !this.stopped;
  }

  /** Steps waiting. */
  get size(): number {
    return this.heap.filter((e) => !e.cancelled).length;
  }

  /** Runs `run` once the station clock reaches `dueMs` (at once, in order, when it already has). */
  at(dueMs: number, run: () => void): ScheduledStep {
    const entry: Entry = { dueMs, seq: this.seq++, run, cancelled: this.stopped };
    if (!this.stopped) {
      this.push(entry);
      this.arm();
    }
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /** Runs `run` after `delayMs` of station time. */
  after(delayMs: number, run: () => void): ScheduledStep {
    return this.at(this.clock.nowMs() + Math.max(0, delayMs), run);
  }

  /**
   * Resolves true after `delayMs` of station time; false at once when (or as soon as) the scheduler
   * is stopped, so a session's steps end with it.
   */
  sleep(delayMs: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const done = (running: boolean) => {
        this.sleepers.delete(done);
        resolve(running);
      };
      this.sleepers.add(done);
      this.after(delayMs, () => done(true));
    });
  }

  /** Clears every step and the host timer; later `at`/`sleep` calls do nothing. */
  stop(): void {
    this.stopped = true;
    this.heap.length = 0;
    if (this.armed) this.timer.clear(this.armed.handle);
    this.armed = null;
    for (const done of [...this.sleepers]) done(false);
  }

  /** Runs every step that is due, then arms the timer for the next one. */
  private fire(): void {
    this.armed = null;
    const now = this.clock.nowMs();
    this.firing = true;
    try {
      while (!this.stopped && this.heap.length > 0 && (this.heap[0] as Entry).dueMs <= now) {
        const entry = this.pop();
        if (!entry.cancelled) entry.run();
      }
    } finally {
      this.firing = false;
    }
    this.arm();
  }

  private arm(): void {
    if (this.firing) return;
    while (this.heap.length > 0 && (this.heap[0] as Entry).cancelled) this.pop();
    const head = this.heap[0];
    if (this.stopped || head === undefined) {
      if (this.armed) this.timer.clear(this.armed.handle);
      this.armed = null;
      return;
    }
    if (this.armed && this.armed.dueMs <= head.dueMs) return;
    if (this.armed) this.timer.clear(this.armed.handle);
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, head.dueMs - this.clock.nowMs()));
    this.armed = { handle: this.timer.set(() => this.fire(), delay), dueMs: head.dueMs };
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent] as Entry)) break;
      heap[i] = heap[parent] as Entry;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): Entry {
    const heap = this.heap;
    const top = heap[0] as Entry;
    const last = heap.pop() as Entry;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        const candidate = (k: number) => (k === i ? last : (heap[k] as Entry));
        if (left < heap.length && before(heap[left] as Entry, candidate(smallest))) smallest = left;
        if (right < heap.length && before(heap[right] as Entry, candidate(smallest))) smallest = right;
        if (smallest === i) break;
        heap[i] = heap[smallest] as Entry;
        i = smallest;
      }
      heap[i] = last;
    }
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.seq < b.seq);
}
