import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallbackError, type ChargePointCallbacks } from '../../src/callbacks.js';
import type { StatusNotificationRequest } from '../../src/generated/ocpp-types.js';
import { startHarness } from './station-harness.js';

const boom = () => {
  throw new Error('host bug');
};
const rejecting = () => Promise.reject(new Error('async host bug'));

test('host notification callbacks that throw or reject are reported, and the station keeps working', async (t) => {
  const callbacks: ChargePointCallbacks = {
    securityEventCallback: rejecting as never,
    bootNotificationCallback: boom,
    connectionStateChangedCallback: boom,
    timeSyncCallback: boom,
    connectorEffectiveOperativeStatusChangedCallback: boom,
    evseEffectiveOperativeStatusChangedCallback: rejecting as never,
    ocppMessagesCallback: boom,
  };
  const h = await startHarness({ station: { callbacks } });
  t.after(() => h.close());
  await h.csms.waitForCall('StatusNotification');
  await h.csms.waitForCall('StatusNotification');
  assert.equal(
    h.station.registrationStatus,
    'Accepted',
    'a throwing bootNotificationCallback does not undo Accepted',
  );

  // Operative-status callbacks run inside statechart actions: the actors must survive them.
  await h.csms.call(h.identity, 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 1 } });
  const unavailable = await h.csms.waitForCall('StatusNotification');
  assert.equal((unavailable.payload as StatusNotificationRequest).connectorStatus, 'Unavailable');
  assert.equal(h.station.station.station.getSnapshot().status, 'active');
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'Heartbeat' });
  await h.csms.waitForCall('Heartbeat');

  const failed = new Set(
    h.errors.filter((e) => e instanceof CallbackError).map((e) => (e as CallbackError).callback),
  );
  for (const name of [
    'securityEventCallback',
    'bootNotificationCallback',
    'connectionStateChangedCallback',
    'connectorEffectiveOperativeStatusChangedCallback',
    'evseEffectiveOperativeStatusChangedCallback',
  ]) {
    assert.ok(failed.has(name), `${name} reported`);
  }
  assert.deepEqual(h.csms.validationFailures, []);
});
