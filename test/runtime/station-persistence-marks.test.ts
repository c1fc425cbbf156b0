/**
 * Which snapshot events make StationPersistence look at an actor again (src/runtime/station-persistence.ts,
 * issue 9): a connector's creation does not (its EVSE's own creation or transition covers it), nor a
 * root event that leaves the station's availability as it was (every boot's connection.up and
 * registration.changed); a real change of either is still written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyActorRef } from 'xstate';
import { StationPersistence } from '../../src/runtime/station-persistence.js';
import type { StationJournal, JournalBatch } from '../../src/store/journal.js';
import { REAL_TIMERS } from '../../src/runtime/timers.js';

function persistenceWith(stationOperative: () => boolean) {
  const batches: JournalBatch[] = [];
  const looked = { evse: 0, station: 0 };
  const journal = {
    write(batch: JournalBatch) {
      batches.push(batch);
      return Promise.resolve([]);
    },
  } as unknown as StationJournal;
  const persistence = new StationPersistence({
    journal,
    adopt: () => undefined,
    evseIds: [1],
    evse: () => {
      looked.evse++;
      return undefined as AnyActorRef | undefined;
    },
    stationOperative: () => {
      looked.station++;
      return stationOperative();
    },
    machineVersion: 1,
    nowIso: () => '2026-12-04T22:00:00.000Z',
    reportError: (error) => assert.fail(String(error)),
    timers: REAL_TIMERS,
  });
  return { persistence, batches, looked };
}

const root = (stationOperative: boolean) => ({ context: { stationOperative } });

test('B01: root events that leave the station availability as it was are not written; a change is', async () => {
  let operative = true;
  const { persistence, batches, looked } = persistenceWith(() => operative);
  persistence.actorChanged('station', root(true), true, 'xstate.init');
  persistence.actorChanged('station', root(true), true, 'connection.up');
  persistence.actorChanged('station', root(true), true, 'registration.changed');
  await persistence.flushed();
  assert.equal(looked.station, 0, 'no write pass read the station availability');
  assert.equal(batches.length, 0);

  // G03/G04: the station goes Inoperative: its row is written, then again when it comes back.
  operative = false;
  persistence.actorChanged('station', root(false), true, 'ocpp.req.ChangeAvailability');
  await persistence.flushed();
  assert.equal(batches.length, 1);
  assert.deepEqual(
    batches[0]?.availability?.map((a) => [a.evseId, a.connectorId]),
    [[0, 0]],
  );
  operative = true;
  persistence.actorChanged('station', root(true), true, 'ocpp.req.ChangeAvailability');
  await persistence.flushed();
  assert.equal(batches.length, 2);
});

test('a connector created with its EVSE does not mark the EVSE; a later connector change does', async () => {
  const { persistence, looked } = persistenceWith(() => true);
  persistence.actorChanged('connector:1:1', {}, false, 'xstate.init');
  await persistence.flushed();
  assert.equal(looked.evse, 0, 'the EVSE was not looked at again');
  persistence.actorChanged('connector:1:1', {}, false, 'hw.fault');
  await persistence.flushed();
  assert.equal(looked.evse, 1);
});
