/**
 * The digest of a fresh EVSE actor's initial snapshot, computed once per process for each EVSE
 * context a fleet creates (issue 9, boot storm): a fresh EVSE's initial snapshot is a function of
 * its machine and its context (machines/evse.ts builds the context from its input, and its
 * connectors and their first states from that context, with guards on context only), and the
 * stations of a fleet create their EVSEs with the same few contexts. A station still compares
 * every later snapshot with it, so a change after creation is written as before.
 */
import type { AnyActorRef } from 'xstate';

/** Digests by machine (the actor's logic), then by the JSON of the EVSE's initial context. */
const digests = new WeakMap<object, Map<string, number>>();
/** Distinct contexts kept per machine: a fleet has a few; a host with many shapes recomputes. */
const MAX_CONTEXTS = 64;

/**
 * The digest `digestOf(actor.getPersistedSnapshot())` of an EVSE actor just created without a
 * stored snapshot, from a cache keyed by its machine and its context.
 *
 * @example
 * written.set(evseId, initialEvseDigest(actor, (persisted) => textDigest(evseSnapshotKey(persisted))));
 */
export function initialEvseDigest(actor: AnyActorRef, digestOf: (persisted: unknown) => number): number {
  const logic = (actor as { logic?: unknown }).logic;
  const context = (actor.getSnapshot() as { context?: unknown }).context;
  if (typeof logic !== 'object' || logic === null || context === undefined)
    return digestOf(actor.getPersistedSnapshot());
  let byContext = digests.get(logic);
  if (byContext === undefined) {
    byContext = new Map();
    digests.set(logic, byContext);
  }
  const key = JSON.stringify(context);
  let digest = byContext.get(key);
  if (digest === undefined) {
    digest = digestOf(actor.getPersistedSnapshot());
    if (byContext.size >= MAX_CONTEXTS) byContext.clear();
    byContext.set(key, digest);
  }
  return digest;
}
