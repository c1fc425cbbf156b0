/**
 * What the host's inspector (ChargePointOptions.inspect, e.g. the Stately inspector, which names an
 * actor by its `id`) sees of an actor whose child id is a slot rather than its name: the session
 * (child `transaction`) and the reservations (children `reservation-slot:<n>`) keep fixed child ids
 * so that xstate caches no event type per transaction or reservation (issue 9), while their
 * systemIds still name them (`transaction:<transactionId>`, `reservation:<id>`). docs/inspector.md
 * promises the systemIds as names; this keeps that promise.
 */
import type { AnyActorRef, InspectionEvent } from 'xstate';

/** One renamed view per actor, made once (an actor sends many inspection events). */
const views = new WeakMap<AnyActorRef, AnyActorRef>();

/**
 * The inspection event with its actor presented under its systemId as `id` (the same event when
 * the actor has no systemId or its id already is it). The view reads everything else from the
 * actor itself.
 *
 * @example
 * inspect(namedBySystemId(event)); // a session's actor arrives named `transaction:7f0c…`
 */
export function namedBySystemId(event: InspectionEvent): InspectionEvent {
  const actorRef = event.actorRef as AnyActorRef & { systemId?: string; options?: { systemId?: string } };
  // xstate announces an actor (`@xstate.actor`) before it sets `systemId`; its options have it already.
  const systemId = actorRef.systemId ?? actorRef.options?.systemId;
  if (systemId === undefined || systemId === actorRef.id) return event;
  let view = views.get(actorRef);
  if (view === undefined) {
    view = Object.create(actorRef, { id: { value: systemId, enumerable: true } }) as AnyActorRef;
    views.set(actorRef, view);
  }
  return { ...event, actorRef: view } as InspectionEvent;
}
