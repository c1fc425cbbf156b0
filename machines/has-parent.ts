/**
 * Whether an actor has a parent to report to. A chart spawned by another (a connector by its EVSE, an
 * EVSE or a reservation by the station) reports upward with `sendParent`; the same chart run alone
 * (unit tests, a visualizer) has nobody to tell, and xstate throws on a `sendParent` without one.
 */
import type { AnyActorRef } from 'xstate';

/**
 * @example
 * enqueueActions(({ self, enqueue }) => { if (hasParent(self)) enqueue.sendParent({ type: 'x' }); });
 */
export function hasParent(self: AnyActorRef): boolean {
  return (self as { _parent?: unknown })._parent !== undefined;
}
