/**
 * What the connectors' StatusNotification reporting writes (issue 9, boot storm): a snapshot that
 * differs from the stored one only in the report state (`canSend`, `reported`, the `report` region)
 * restores to the same station, because a restored connector is `resumed` and reports every status
 * again (B01.FR.05). So a fresh boot writes no journal transaction at all, while a real change of a
 * connector is still written and survives a restart (DESIGN.md restore rules).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { StationJournal } from '../../src/store/journal.js';
import type { StatusNotificationRequest } from '../../src/generated/ocpp-types.js';
import { registered } from './csms-helpers.js';
import { startHarness, type Harness } from './station-harness.js';
import { storedActors } from './stored-actors.js';

/** Counts the journal's write transactions (every station of the process; a test runs one). */
function countJournalWrites(t: TestContext): { readonly count: number } {
  const write = t.mock.method(StationJournal.prototype, 'write');
  return {
    get count() {
      return write.mock.callCount();
    },
  };
}

function statusKey(payload: unknown): string {
  const p = payload as StatusNotificationRequest;
  return `${p.evseId}/${p.connectorId}:${p.connectorStatus}`;
}

test('B01.FR.05 + issue 9: a fresh boot (Accepted, both StatusNotifications answered) writes no journal transaction', async (t) => {
  const writes = countJournalWrites(t);
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  await h.station.station.persistence.flushed();
  assert.equal(writes.count, 0);
  assert.deepEqual(storedActors(h.dbPath, h.identity), []);
});

test('F06 (TriggerMessage StatusNotification): a resync asked by the CSMS is answered and writes nothing', async (t) => {
  const writes = countJournalWrites(t);
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  await h.csms.call(h.identity, 'TriggerMessage', {
    requestedMessage: 'StatusNotification',
    evse: { id: 1, connectorId: 1 },
  });
  assert.equal(statusKey((await h.csms.waitForCall('StatusNotification')).payload), '1/1:Available');
  await h.station.station.persistence.flushed();
  assert.equal(writes.count, 0);
  assert.deepEqual(h.errors, []);
});

/** Restarts the station; the first StatusNotification of each connector after the boot, sorted. */
async function restartStatuses(h: Harness): Promise<string[]> {
  await h.restart();
  await h.csms.waitForCall('BootNotification');
  const statuses = [
    await h.csms.waitForCall('StatusNotification'),
    await h.csms.waitForCall('StatusNotification'),
  ];
  return statuses.map((c) => statusKey(c.payload)).sort();
}

test('DESIGN.md restore rules: a real connector change is still written, and a restart reports it (B01.FR.05)', async (t) => {
  const writes = countJournalWrites(t);
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  h.station.onFaulted(2, 1);
  assert.equal(statusKey((await h.csms.waitForCall('StatusNotification')).payload), '2/1:Faulted');
  await h.station.station.persistence.flushed();
  assert.ok(writes.count >= 1, `${writes.count} journal writes`);
  assert.ok(storedActors(h.dbPath, h.identity).includes('evse:2'));

  assert.deepEqual(await restartStatuses(h), ['1/1:Available', '2/1:Faulted']);
});

/** The stored EVSE snapshot's connector `connectorId` (read with a second connection). */
function storedConnector(file: string, stationId: string, evseId: number, connectorId: number) {
  const sqlite = new Database(file, { readonly: true });
  try {
    const row = sqlite
      .prepare('SELECT snapshot_json FROM actor_snapshot WHERE station_id = ? AND actor_id = ?')
      .get(stationId, `evse:${evseId}`) as { snapshot_json: string } | undefined;
    assert.ok(row, `no snapshot of evse:${evseId}`);
    const evse = JSON.parse(row.snapshot_json) as {
      children: Record<
        string,
        { snapshot: { value: { report: string }; context: { canSend: boolean }; children: object } }
      >;
    };
    return evse.children[`connector:${evseId}:${connectorId}`]?.snapshot;
  } finally {
    sqlite.close();
  }
}

test('a connector is never stored mid-report: a restart sends no stale or repeated StatusNotification (B01.FR.05)', async (t) => {
  // Queued messages: a restored StatusNotification call would go out, not be dropped offline.
  const h = await startHarness({ set: ['OCPPCommCtrlr.QueueAllMessages=true'] });
  t.after(() => h.close());
  await registered(h);
  // Written while its StatusNotification is in flight; the answer changes report state only.
  h.station.onFaulted(2, 1);
  assert.equal(statusKey((await h.csms.waitForCall('StatusNotification')).payload), '2/1:Faulted');
  await h.station.station.persistence.flushed();
  const stored = storedConnector(h.dbPath, h.identity, 2, 1);
  assert.equal(stored?.value.report, 'idle');
  assert.equal(stored?.context.canSend, false);
  assert.deepEqual(stored?.children, {});

  assert.deepEqual(await restartStatuses(h), ['1/1:Available', '2/1:Faulted']);
});
