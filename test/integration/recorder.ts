/**
 * Records what a station's callbacks report, in order, with event-driven waits (no polling).
 */
import type { InspectionEvent } from 'xstate';
import { waitFor } from '../../src/testing/index.js';

export interface Recorder<T> {
  readonly items: readonly T[];
  push(item: T): void;
  /** The first recorded item from index `from` on matching `predicate`, waiting for it if needed. */
  waitFor(
    predicate: (item: T) => boolean,
    what: string,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<T>;
  /** How many recorded items match. */
  count(predicate: (item: T) => boolean): number;
}

/**
 * @example
 * const states = recorder<boolean>();
 * const station = new ChargePoint({ ..., callbacks: { connectionStateChangedCallback: (up) => states.push(up) } });
 * await states.waitFor((up) => up, 'the station to connect');
 */
export function recorder<T>(): Recorder<T> {
  const items: T[] = [];
  const changes = new EventTarget();
  return {
    items,
    push(item) {
      items.push(item);
      changes.dispatchEvent(new Event('change'));
    },
    waitFor: (predicate, what, options = {}) =>
      waitFor(changes, () => items.slice(options.from ?? 0).find(predicate), what, options.timeoutMs),
    count: (predicate) => items.filter(predicate).length,
  };
}

/**
 * Watches the root actor's registration status through the `inspect` option of ChargePoint: each
 * change is recorded once.
 *
 * @example
 * const registration = registrationWatch();
 * const h = await startHarness({ station: { inspect: registration.inspect } });
 * await registration.waitFor((s) => s === 'Pending', 'registration Pending');
 */
export function registrationWatch(): Recorder<string> & { inspect: (event: InspectionEvent) => void } {
  const states = recorder<string>();
  let last: string | undefined;
  return {
    ...states,
    get items() {
      return states.items;
    },
    inspect(event) {
      if (event.type !== '@xstate.snapshot' || event.actorRef.sessionId !== event.rootId) return;
      const registration = (event.snapshot as { context?: { registration?: string } }).context?.registration;
      if (registration === undefined || registration === last) return;
      last = registration;
      states.push(registration);
    },
  };
}
