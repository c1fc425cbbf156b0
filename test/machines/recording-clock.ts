/**
 * A simulated clock for actors that also records every delay handed to it, so tests can check that
 * no timer exceeds what setTimeout honours (Node turns a larger delay into 1 ms).
 */
import { SimulatedClock } from 'xstate';
import { MAX_TIMER_DELAY_MS } from '../../machines/long-wait.js';

/**
 * @example
 * const clock = new RecordingClock();
 * const actor = createActor(machine, { clock }).start();
 * clock.advance(30 * 24 * 3600 * 1000);
 * assert.ok(clock.delays.every((ms) => ms <= MAX_TIMER_DELAY_MS));
 */
export class RecordingClock extends SimulatedClock {
  readonly delays: number[] = [];

  override setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    this.delays.push(timeout);
    return super.setTimeout(fn, timeout);
  }

  /**
   * Moves time on by `ms` in steps no timer outlasts. (One big `increment` runs a timer started by
   * an expiring one from the end of the jump, which real time never does.)
   */
  advance(ms: number): void {
    let left = ms;
    while (left > MAX_TIMER_DELAY_MS) {
      this.increment(MAX_TIMER_DELAY_MS);
      left -= MAX_TIMER_DELAY_MS;
    }
    this.increment(left);
  }
}
