/**
 * Reservations survive a restart on the same SQLite file (DESIGN.md "Restore is not a transition"):
 * the `reservation:<id>` actors resume from their snapshots (their expiry deadline re-arms for the
 * same instant), or are rebuilt from the `reservation` table when the snapshot's machine version no
 * longer fits. Waits for CSMS calls; nothing sleeps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createStationClock } from '../../src/clock.js';
import { RestoreError } from '../../src/runtime/restore-state.js';
import { cancelReservation, inSeconds, nextReservationUpdate, nextStatus, reserveNow } from './reservations-helpers.js';
import { nextTx, OTHER_TOKEN, settle, startTxHarness, TOKEN } from './transactions-helpers.js';
import { registered } from './csms-helpers.js';

function storedRows(dbPath: string): { snapshots: string[]; reservations: number[] } {
  const db = new Database(dbPath, { readonly: true });
  try {
    const snapshots = (
      db.prepare("SELECT actor_id FROM actor_snapshot WHERE actor_id LIKE 'reservation:%' ORDER BY actor_id").all() as Array<{
        actor_id: string;
      }>
    ).map((r) => r.actor_id);
    const reservations = (
      db.prepare('SELECT reservation_id FROM reservation ORDER BY reservation_id').all() as Array<{ reservation_id: number }>
    ).map((r) => r.reservation_id);
    return { snapshots, reservations };
  } finally {
    db.close();
  }
}

test('H01 persistence: reservations resume after a restart on the same database (Reserved again, B01.FR.05); the token still uses its reservation; an evse-less one can still be cancelled', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 1, evseId: 1 }), 'Accepted');
  assert.equal(await reserveNow(h, { id: 2, idToken: OTHER_TOKEN, groupIdToken: { idToken: 'G', type: 'Central' } }), 'Accepted');
  // EVSE 2 is the last free one for reservation 2 (H01.FR.20).
  await nextStatus(h, 1, 'Reserved');
  await nextStatus(h, 2, 'Reserved');
  await settle(h);
  assert.deepEqual(storedRows(h.dbPath), { snapshots: ['reservation:1', 'reservation:2'], reservations: [1, 2] });
  const before = h.station.reservations();
  await h.restart();
  assert.deepEqual(h.station.reservations(), before);
  await h.csms.waitForCall('BootNotification');
  await nextStatus(h, 1, 'Reserved');
  await nextStatus(h, 2, 'Reserved');
  assert.equal(h.station.connectorStatus(1, 1), 'Reserved');
  assert.equal((await h.station.onAuthorizationPresented(OTHER_TOKEN, 1)).action, 'ignored');
  const used = await h.station.onAuthorizationPresented(TOKEN, 1);
  assert.equal(used.action, 'started');
  h.station.onSessionStarted(1, 1);
  const started = await nextTx(h, (e) => e.eventType === 'Started');
  assert.equal(started.reservationId, 1);
  assert.equal(await cancelReservation(h, 2), 'Accepted');
  await settle(h);
  assert.deepEqual(h.station.reservations(), []);
  assert.deepEqual(storedRows(h.dbPath), { snapshots: [], reservations: [] });
  assert.deepEqual(h.errors, []);
});

test('H04.FR.01 persistence: a restored reservation expires at its expiryDateTime (the deadline re-arms); one whose time passed while the station was off expires at start', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 3, evseId: 2, expiryDateTime: inSeconds(3) }), 'Accepted');
  assert.equal(await reserveNow(h, { id: 4, evseId: 1 }), 'Accepted');
  await nextStatus(h, 2, 'Reserved');
  await settle(h);
  await h.restart();
  assert.deepEqual(h.station.reservations().map((r) => r.id), [3, 4]);
  assert.deepEqual(await nextReservationUpdate(h), { reservationId: 3, reservationUpdateStatus: 'Expired' });
  await nextStatus(h, 2, 'Available');
  assert.deepEqual(h.station.reservations().map((r) => r.id), [4]);
  await settle(h);
  // Two hours later (the station clock): reservation 4 (one hour) is over when the station starts.
  await h.restart({ clock: createStationClock(inSeconds(7200)) });
  assert.deepEqual(await nextReservationUpdate(h, 4), { reservationId: 4, reservationUpdateStatus: 'Expired' });
  await settle(h);
  assert.deepEqual(h.station.reservations(), []);
  assert.equal(h.station.connectorStatus(1, 1), 'Available');
  assert.deepEqual(storedRows(h.dbPath), { snapshots: [], reservations: [] });
});

test('H01 persistence: a reservation snapshot of another machine version is rebuilt from the reservation table (reported as a RestoreError)', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 5, evseId: 1, groupIdToken: { idToken: 'G', type: 'Central' } }), 'Accepted');
  await nextStatus(h, 1, 'Reserved');
  await settle(h);
  const before = h.station.reservations();
  await h.station.stop();
  const db = new Database(h.dbPath);
  db.prepare("UPDATE actor_snapshot SET machine_version = 1 WHERE actor_id = 'reservation:5'").run();
  db.close();
  await h.restart();
  await registered(h);
  assert.ok(h.errors.some((e) => e instanceof RestoreError && e.key === 'reservation:5'));
  assert.deepEqual(h.station.reservations(), before);
  await settle(h);
  assert.equal(h.station.connectorStatus(1, 1), 'Reserved');
  assert.equal(await cancelReservation(h, 5), 'Accepted');
  await nextStatus(h, 1, 'Available');
});
