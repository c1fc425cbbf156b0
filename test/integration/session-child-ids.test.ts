/**
 * Issue 9 (found by the soak bench): xstate memoizes, on every state node of a machine definition
 * (shared by every station of a process), the transitions it takes for each event TYPE it receives,
 * and never forgets one. A child's completion reaches its parent as `xstate.done.actor.<child id>`,
 * so a child id per transaction or reservation was a new cached event type per session, forever.
 * The observable here is exactly what that cache is keyed by: the distinct event types the EVSE and
 * station actors receive (from the inspection stream), which must not grow with the number of
 * sessions and reservations run. Also: an EVSE snapshot stored by the previous version (session
 * child id `transaction:<transactionId>`) is restored and its transaction goes on and ends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import type { InspectionEvent } from 'xstate';
import { SESSION_CHILD_ID, transactionActorId } from '../../machines/transaction.js';
import type { TransactionEventRequest } from '../../src/generated/ocpp-types.js';
import { waitFor } from '../../src/testing/index.js';
import { cancelReservation, reserveNow } from './reservations-helpers.js';
import type { Harness } from './station-harness.js';
import {
  assertClean,
  assertTxSequence,
  CHARGING,
  energyReading,
  settle,
  startCharging,
  startTxHarness,
  TOKEN,
  txEvents,
} from './transactions-helpers.js';

/** Distinct event types received, by receiving actor (systemId; the root is `station`). */
class ReceivedTypes {
  readonly byActor = new Map<string, Set<string>>();
  readonly inspect = (event: InspectionEvent): void => {
    if (event.type !== '@xstate.event') return;
    const actor = event.actorRef.sessionId === event.rootId ? 'station' : (event.actorRef as { systemId?: string }).systemId;
    if (actor === undefined || !(actor === 'station' || actor.startsWith('evse:'))) return;
    const types = this.byActor.get(actor) ?? new Set<string>();
    types.add(event.event.type);
    this.byActor.set(actor, types);
  };

  /** A copy, to compare later. */
  snapshot(): Record<string, string[]> {
    return Object.fromEntries([...this.byActor].map(([actor, types]) => [actor, [...types].sort()]));
  }
}

/** One session on EVSE 1 from plug to unplug, and one reservation (a new id each time) made and cancelled. */
async function cycle(h: Harness, reservationId: number): Promise<string> {
  const transactionId = await startCharging(h);
  assert.equal((await h.station.onAuthorizationPresented(TOKEN, 1)).action, 'stopped');
  h.station.onSessionFinished(1, 1);
  assert.equal(await reserveNow(h, { id: reservationId, evseId: 2 }), 'Accepted');
  assert.equal(await cancelReservation(h, reservationId), 'Accepted');
  await settle(h);
  const root = h.station.station.station;
  const changes = new EventTarget();
  const subscription = root.subscribe(() => changes.dispatchEvent(new Event('change')));
  try {
    // The session's and the reservation's actors are gone (their completion was received).
    await waitFor(
      changes,
      () =>
        h.station.getTransactionId(1) === undefined &&
        root.system.get(transactionActorId(transactionId)) === undefined &&
        root.getSnapshot().context.reservationActors.length === 0
          ? true
          : undefined,
      `session ${transactionId} and reservation ${reservationId} finished`,
      20_000,
    );
  } finally {
    subscription.unsubscribe();
  }
  return transactionId;
}

test('issue 9: sessions and reservations with ever new ids add no event type to the EVSE and station actors (the xstate transition cache stays bounded)', async (t) => {
  const received = new ReceivedTypes();
  const h = await startTxHarness({ station: { inspect: received.inspect } });
  t.after(() => h.close());
  const ids: string[] = [];
  // Warm-up: every kind of event a session and a reservation bring has been seen once.
  for (let i = 0; i < 2; i++) ids.push(await cycle(h, 100 + i));
  const warm = received.snapshot();
  for (let i = 2; i < 6; i++) ids.push(await cycle(h, 100 + i));
  assert.equal(new Set(ids).size, 6, 'six distinct transactions');
  assert.equal(txEvents(h).filter((e) => e.eventType === 'Ended').length, 6);
  const named = [...received.byActor.values()]
    .flatMap((types) => [...types])
    .filter((type) => ids.some((id) => type.includes(id)) || /reservation:\d/.test(type));
  assert.deepEqual(named, [], 'no event type names a transaction or a reservation');
  assert.deepEqual(received.snapshot(), warm, 'four more sessions and reservations: the same event types');
  assertClean(h);
});

/** The persisted snapshot of EVSE `evseId` in `actor_snapshot`, rewritten by `edit` (the station stopped). */
function editEvseSnapshot(dbPath: string, identity: string, evseId: number, edit: (snapshot: Record<string, unknown>) => void): void {
  const db = new Database(dbPath);
  try {
    const key = { station: identity, actor: `evse:${evseId}` };
    const row = db
      .prepare('SELECT snapshot_json FROM actor_snapshot WHERE station_id = @station AND actor_id = @actor')
      .get(key) as { snapshot_json: string } | undefined;
    assert.ok(row, `a stored snapshot of evse:${evseId}`);
    const snapshot = JSON.parse(row.snapshot_json) as Record<string, unknown>;
    edit(snapshot);
    db.prepare('UPDATE actor_snapshot SET snapshot_json = @json WHERE station_id = @station AND actor_id = @actor').run({
      ...key,
      json: JSON.stringify(snapshot),
    });
  } finally {
    db.close();
  }
}

test('issue 9: an EVSE snapshot stored by the previous version (session child `transaction:<id>`) is restored; the transaction goes on and ends', async (t) => {
  const h = await startTxHarness({ set: ['InternalCtrlr.ResumeTransactionsOnBoot=true'] });
  t.after(() => h.close());
  h.station.onMeterValue(1, energyReading(1_000));
  const transactionId = await startCharging(h);
  await h.station.stop();
  // The previous version spawned the session as child `transaction:<transactionId>` (its systemId
  // was the same): the stored snapshot differs from this version's in that key only.
  editEvseSnapshot(h.dbPath, h.identity, 1, (snapshot) => {
    const children = snapshot['children'] as Record<string, unknown>;
    assert.ok(children[SESSION_CHILD_ID], 'this version stores the session as child `transaction`');
    assert.equal((children[SESSION_CHILD_ID] as { systemId?: string }).systemId, transactionActorId(transactionId));
    const renamed: Record<string, unknown> = {};
    for (const [id, child] of Object.entries(children)) renamed[id === SESSION_CHILD_ID ? transactionActorId(transactionId) : id] = child;
    snapshot['children'] = renamed;
  });
  await h.restart();
  h.station.onSessionStarted(1, 1);
  h.station.onEnergyTransferStarted(1);
  await settle(h);
  // Restored from the snapshot (a rebuild from the tables would have been reported as a RestoreError).
  assert.deepEqual(h.errors, []);
  assert.equal(h.station.getTransactionId(1), transactionId);
  assert.equal((await h.station.onAuthorizationPresented(TOKEN, 1)).action, 'stopped');
  h.station.onSessionFinished(1, 1);
  await settle(h);
  assertTxSequence(txEvents(h), [
    ...CHARGING,
    { eventType: 'Ended', triggerReason: 'StopAuthorized', cs: 'EVConnected', idToken: 'optional', stoppedReason: 'Local' },
  ]);
  const ended = txEvents(h).at(-1) as TransactionEventRequest;
  assert.equal(ended.transactionInfo.transactionId, transactionId);
  // The session's actor finished and was stopped by its EVSE (the completion it listens for arrived).
  const root = h.station.station.station;
  assert.equal(root.system.get(transactionActorId(transactionId)), undefined);
  assert.equal(h.station.getTransactionId(1), undefined);
  // The next session is a new child `transaction`, and the stored transaction row is gone.
  const next = await startCharging(h);
  assert.notEqual(next, transactionId);
  await h.station.stop();
  const db = new Database(h.dbPath, { readonly: true });
  try {
    const rows = db.prepare('SELECT transaction_id FROM transaction_record WHERE station_id = ?').all(h.identity) as Array<{
      transaction_id: string;
    }>;
    assert.deepEqual(rows.map((r) => r.transaction_id), [next]);
  } finally {
    db.close();
  }
  assertClean(h);
});
