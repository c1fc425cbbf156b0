/**
 * Issue 6 §5: ChangeAvailability requests that overlap are decided one after the other by the actor
 * that owns availability, and what the CSMS was told is what is stored. Before the actors decided,
 * the handler read the `availability` table, awaited, and wrote it back: two requests in flight
 * read the same row and the later write lost the earlier one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChangeAvailabilityResponse } from '../../src/generated/ocpp-types.js';
import { loadAvailability } from '../../src/store/availability.js';
import { openStationDatabase } from '../../src/store/database.js';
import { registered } from './csms-helpers.js';
import { startHarness } from './station-harness.js';

test('G03/G04: overlapping ChangeAvailability requests are serialized by the EVSE and station actors; the stored settings are the last answers', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  const call = (operationalStatus: 'Operative' | 'Inoperative', evse?: { id: number; connectorId?: number }) =>
    h.csms.call(h.identity, 'ChangeAvailability', { operationalStatus, ...(evse ? { evse } : {}) }) as Promise<
      ChangeAvailabilityResponse
    >;
  // Sent without waiting for each other: the station receives them back to back.
  const answers = await Promise.all([
    call('Inoperative', { id: 1 }),
    call('Inoperative', { id: 1, connectorId: 1 }),
    call('Inoperative', { id: 2 }),
    call('Operative', { id: 2 }),
    call('Inoperative'),
  ]);
  assert.deepEqual(
    answers.map((a) => a.status),
    ['Accepted', 'Accepted', 'Accepted', 'Accepted', 'Accepted'],
  );
  // The actors agree with what was answered (before, EVSE 2 stayed Unavailable: the second request
  // read the row before the first wrote it, found "already Operative" and changed nothing).
  assert.equal(h.station.connectorStatus(1, 1), 'Unavailable');
  assert.equal(h.station.connectorStatus(2, 1), 'Unavailable', 'the station as a whole is Inoperative');
  const evse2 = h.station.station.station.system.get('evse:2')?.getSnapshot() as
    | { context: { evseOperative: boolean; stationOperative: boolean } }
    | undefined;
  assert.deepEqual([evse2?.context.evseOperative, evse2?.context.stationOperative], [true, false]);
  await h.station.stop();
  const store = await openStationDatabase(h.dbPath);
  t.after(() => store.close());
  const rows = (await loadAvailability(store.db, h.identity))
    .map((r) => `${r.evseId}/${r.connectorId}:${r.operational}`)
    .sort();
  // Every change lands; EVSE 2 went Inoperative then Operative again.
  assert.deepEqual(rows, ['0/0:Inoperative', '1/0:Inoperative', '1/1:Inoperative', '2/0:Operative']);
});
