import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GetVariablesResponse, StatusNotificationRequest } from '../../src/generated/ocpp-types.js';
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
