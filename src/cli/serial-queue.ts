/**
 * A first-in first-out queue of async tasks run one at a time. The CLI puts every console command
 * and every reboot in it, so a command typed while the station is starting, rebooting or offline
 * waits for its turn instead of being lost or running against a half-built station.
 *
 * @example
 * const queue = new SerialQueue((error) => console.error(error));
 * void queue.push(() => station.reboot());
 * void queue.push(() => runCommand('plug 1')); // runs on the rebooted station
 * await queue.drained();
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  /** `onError` receives what a task throws; the queue carries on with the next task. */
  constructor(private readonly onError: (error: unknown) => void) {}

  /** Tasks queued or running. */
  get size(): number {
    return this.waiting;
  }

  /**
   * Appends a task; it starts after every task pushed before it has settled. The returned promise
   * settles when this task has (it never rejects: failures go to `onError`).
   *
   * @example
   * const queue = new SerialQueue(console.error);
   * void queue.push(async () => station.plug(1));
   * await queue.push(() => console.log('runs after the plug'));
   */
  push(task: () => Promise<void> | void): Promise<void> {
    this.waiting += 1;
    const run = this.tail.then(async () => {
      try {
        await task();
      } catch (error) {
        this.onError(error);
      } finally {
        this.waiting -= 1;
      }
    });
    this.tail = run;
    return run;
  }

  /**
   * Resolves once every task pushed so far (and any pushed while those run) has settled.
   *
   * @example
   * await queue.drained();
   */
  async drained(): Promise<void> {
    while (this.waiting > 0) await this.tail;
  }
}
