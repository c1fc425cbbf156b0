import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GetVariablesResponse, StatusNotificationRequest } from '../../src/generated/ocpp-types.js';
import Database from 'better-sqlite3';
import { startHarness, type Harness } from './station-harness.js';

async function availabilityStates(h: Harness): Promise<string[]> {
  const response = (await h.csms.call(h.identity, 'GetVariables', {
    getVariableData: [
      { component: { name: 'ChargingStation' }, variable: { name: 'AvailabilityState' } },
      { component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'AvailabilityState' } },
      { component: { name: 'EVSE', evse: { id: 2 } }, variable: { name: 'AvailabilityState' } },
      {
        component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
        variable: { name: 'AvailabilityState' },
      },
      {
        component: { name: 'Connector', evse: { id: 2, connectorId: 1 } },
        variable: { name: 'AvailabilityState' },
      },
    ],
  })) as GetVariablesResponse;
  return response.getVariableResult.map((r) => `${r.attributeStatus}:${r.attributeValue ?? ''}`);
}

async function statusSent(h: Harness, evseId: number, status: string): Promise<void> {
  await h.csms.waitForCall('StatusNotification', (c) => {
    const p = c.payload as StatusNotificationRequest;
    return p.evseId === evseId && p.connectorStatus === status;
  });
}

test('AvailabilityState variables of connector, EVSE and station follow the statuses (GetVariables)', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await statusSent(h, 1, 'Available');
  await statusSent(h, 2, 'Available');
  assert.deepEqual(await availabilityStates(h), [
    'Accepted:Available',
    'Accepted:Available',
    'Accepted:Available',
    'Accepted:Available',
    'Accepted:Available',
  ]);
  h.station.onSessionStarted(1, 1);
  await statusSent(h, 1, 'Occupied');
  await h.csms.call(h.identity, 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 2 } });
  await statusSent(h, 2, 'Unavailable');
  assert.deepEqual(await availabilityStates(h), [
    'Accepted:Occupied',
    'Accepted:Occupied',
    'Accepted:Unavailable',
    'Accepted:Occupied',
    'Accepted:Unavailable',
  ]);
  await h.csms.call(h.identity, 'ChangeAvailability', { operationalStatus: 'Inoperative' });
  await statusSent(h, 1, 'Unavailable');
  assert.deepEqual((await availabilityStates(h))[0], 'Accepted:Unavailable');
  assert.deepEqual(h.csms.validationFailures, []);
});

test('after a restart one connector Faulted leaves the station Available while the other EVSE is (Appendix 3)', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await statusSent(h, 1, 'Available');
  await statusSent(h, 2, 'Available');
  await h.restart();
  await h.csms.waitForCall('BootNotification');
  await statusSent(h, 1, 'Available');
  await statusSent(h, 2, 'Available');
  h.station.onFaulted(1, 1);
  await statusSent(h, 1, 'Faulted');
  // EVSE 2 is still Available, so the station is. (These connectors never changed, so they were not
  // stored and start fresh; the restored case is the next test's.)
  assert.deepEqual(await availabilityStates(h), [
    'Accepted:Available',
    'Accepted:Faulted',
    'Accepted:Available',
    'Accepted:Faulted',
    'Accepted:Available',
  ]);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('a restart writes the AvailabilityState of an Inoperative EVSE again when its row is missing (a database from before the shipped value became Available, config/PROVENANCE.md)', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await statusSent(h, 1, 'Available');
  await h.csms.call(h.identity, 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 1 } });
  await statusSent(h, 1, 'Unavailable');
  await h.station.stop();
  // As a database written when the shipped EVSE value was Unavailable: no row for EVSE 1's value.
  const db = new Database(h.dbPath);
  const removed = db
    .prepare("DELETE FROM device_model WHERE component = 'EVSE' AND evse_id = 1 AND variable = 'AvailabilityState'")
    .run();
  db.close();
  assert.equal(removed.changes, 1);
  await h.restart();
  await h.csms.waitForCall('BootNotification');
  await statusSent(h, 1, 'Unavailable');
  await statusSent(h, 2, 'Available');
  const states = await availabilityStates(h);
  assert.deepEqual(states.slice(1, 3), ['Accepted:Unavailable', 'Accepted:Available']);
  assert.deepEqual(h.csms.validationFailures, []);
});
