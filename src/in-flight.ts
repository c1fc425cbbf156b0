/**
 * The asynchronous work of one owner still running, so that its stop can wait for it (issue 9:
 * nothing a station started may touch the store or the disk after `stop()` resolves). Each piece of
 * work is kept as a settled copy, which never rejects, until it ends; the set stays unallocated
 * while nothing ever ran (src/lazy-collections.ts).
 */
import { LazySet } from './lazy-collections.js';

/**
 * @example
 * const work = new InFlight();
 * await work.track(() => writeFile(file, bytes)); // resolves or rejects as the write does
 * await work.settled(); // at stop: every tracked piece has ended
 */
export class InFlight {
  private readonly running = new LazySet<Promise<void>>();

  /** How many pieces of work are running. */
  get size(): number {
    return this.running.size;
  }

  /**
   * The running pieces, as settled copies (they never reject).
   *
   * @example
   * await Promise.all([...deliveries, ...work.pending]);
   */
  get pending(): Array<Promise<void>> {
    return [...this.running];
  }

  /**
   * Runs `work` and keeps it until it ends; resolves or rejects as `work` does.
   *
   * @example
   * const row = await work.track(() => db.selectFrom('t').selectAll().executeTakeFirst());
   */
  track<T>(work: () => Promise<T>): Promise<T> {
    const op = work();
    const settled = op.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return op;
  }

  /**
   * Resolves once nothing is running, including work started while waiting.
   *
   * @example
   * await work.settled();
   */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.pending);
  }
}
