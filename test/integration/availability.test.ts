/**
 * G03/G04 ChangeAvailability over the wire: EVSE, connector and station level, the
 * StatusNotifications that follow, the host's effective-operative-status callbacks, and the
 * setting surviving a reboot (G03.FR.08, G04.FR.09).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  ChangeAvailabilityRequest,
  ChangeAvailabilityResponse,
  OperationalStatusEnumType,
  StatusNotificationRequest,
} from '../../src/generated/ocpp-types.js';
import type { ChargePointCallbacks } from '../../src/callbacks.js';
import { registered } from './csms-helpers.js';
import { startHarness, type Harness } from './station-harness.js';

/** Every effective-operative-status callback, as 'cs:Inoperative', 'evse 1:Operative', 'connector 1/1:...'. */
function recordingCallbacks(log: string[]): ChargePointCallbacks {
  return {
    csEffectiveOperativeStatusChangedCallback: (status) => log.push(`cs:${status}`),
    evseEffectiveOperativeStatusChangedCallback: (evseId, status) => log.push(`evse ${evseId}:${status}`),
    connectorEffectiveOperativeStatusChangedCallback: (evseId, connectorId, status) =>
      log.push(`connector ${evseId}/${connectorId}:${status}`),
  };
}

async function changeAvailability(
  h: Harness,
  operationalStatus: OperationalStatusEnumType,
  evse?: { id: number; connectorId?: number },
): Promise<ChangeAvailabilityResponse> {
  const request: ChangeAvailabilityRequest = { operationalStatus, ...(evse ? { evse } : {}) };
  return (await h.csms.call(h.identity, 'ChangeAvailability', request)) as ChangeAvailabilityResponse;
}

/** The next StatusNotification as 'evse/connector:status'. */
async function nextStatus(h: Harness): Promise<string> {
  const s = (await h.csms.waitForCall('StatusNotification')).payload as StatusNotificationRequest;
  return `${s.evseId}/${s.connectorId}:${s.connectorStatus}`;
}

async function nextStatuses(h: Harness, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) out.push(await nextStatus(h));
  return out.sort();
}

test('G03 EVSE level: Inoperative makes its connector Unavailable, Operative reverts it; same state is Accepted (TC_G_03/04/10, G03.FR.03/04/06/07)', async (t) => {
  const log: string[] = [];
  const h = await startHarness({ station: { callbacks: recordingCallbacks(log) } });
  t.after(() => h.close());
  await registered(h);
  assert.deepEqual(await changeAvailability(h, 'Inoperative', { id: 1 }), { status: 'Accepted' });
  assert.equal(await nextStatus(h), '1/1:Unavailable');
  assert.deepEqual(log, ['evse 1:Inoperative', 'connector 1/1:Inoperative']);
  // G03.FR.03 (TC_G_10): already Inoperative -> Accepted, and nothing changes.
  assert.deepEqual(await changeAvailability(h, 'Inoperative', { id: 1 }), { status: 'Accepted' });
  assert.deepEqual(await changeAvailability(h, 'Operative', { id: 2 }), { status: 'Accepted' });
  assert.deepEqual(await changeAvailability(h, 'Operative', { id: 1 }), { status: 'Accepted' });
  // The next StatusNotification is EVSE 1 becoming Available again: none came in between.
  assert.equal(await nextStatus(h), '1/1:Available');
  assert.deepEqual(log, [
    'evse 1:Inoperative',
    'connector 1/1:Inoperative',
    'evse 1:Operative',
    'connector 1/1:Operative',
  ]);
  assert.equal(h.station.connectorStatus(1, 1), 'Available');
  assert.equal(h.station.connectorStatus(2, 1), 'Available');
  assert.deepEqual(h.csms.validationFailures, []);
});

test('G03 connector level: only that connector goes Unavailable; the EVSE stays operative (TC_G_05/06/15/16)', async (t) => {
  const log: string[] = [];
  const h = await startHarness({ station: { callbacks: recordingCallbacks(log) } });
  t.after(() => h.close());
  await registered(h);
  assert.deepEqual(await changeAvailability(h, 'Inoperative', { id: 2, connectorId: 1 }), {
    status: 'Accepted',
  });
  assert.equal(await nextStatus(h), '2/1:Unavailable');
  assert.deepEqual(log, ['connector 2/1:Inoperative']);
  assert.equal(h.station.connectorStatus(1, 1), 'Available');
  // TC_G_16: Inoperative to Inoperative is Accepted; TC_G_15: Operative to Operative too.
  assert.deepEqual(await changeAvailability(h, 'Inoperative', { id: 2, connectorId: 1 }), {
    status: 'Accepted',
  });
  assert.deepEqual(await changeAvailability(h, 'Operative', { id: 1, connectorId: 1 }), {
    status: 'Accepted',
  });
  assert.deepEqual(await changeAvailability(h, 'Operative', { id: 2, connectorId: 1 }), {
    status: 'Accepted',
  });
  assert.equal(await nextStatus(h), '2/1:Available');
  assert.deepEqual(log, ['connector 2/1:Inoperative', 'connector 2/1:Operative']);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('G04 station level: every connector Unavailable, then each reverts to its own setting (TC_G_07/08/12/13, G04.FR.01/04/05/07/08)', async (t) => {
  const log: string[] = [];
  const h = await startHarness({ station: { callbacks: recordingCallbacks(log) } });
  t.after(() => h.close());
  await registered(h);
  // Connector 2/1 is set Inoperative on its own first.
  await changeAvailability(h, 'Inoperative', { id: 2, connectorId: 1 });
  assert.equal(await nextStatus(h), '2/1:Unavailable');
  log.length = 0;
  assert.deepEqual(await changeAvailability(h, 'Inoperative'), { status: 'Accepted' });
  assert.equal(await nextStatus(h), '1/1:Unavailable');
  assert.deepEqual(log.sort(), [
    'connector 1/1:Inoperative',
    'cs:Inoperative',
    'evse 1:Inoperative',
    'evse 2:Inoperative',
  ]);
  // G04.FR.04 (TC_G_13): already Inoperative.
  assert.deepEqual(await changeAvailability(h, 'Inoperative'), { status: 'Accepted' });
  log.length = 0;
  assert.deepEqual(await changeAvailability(h, 'Operative'), { status: 'Accepted' });
  // G04.FR.08: 1/1 reverts to Available; 2/1 keeps its own Inoperative setting, so no message for it.
  assert.equal(await nextStatus(h), '1/1:Available');
  assert.deepEqual(log.sort(), [
    'connector 1/1:Operative',
    'cs:Operative',
    'evse 1:Operative',
    'evse 2:Operative',
  ]);
  assert.equal(h.station.connectorStatus(2, 1), 'Unavailable');
  // TC_G_12: Operative to Operative.
  assert.deepEqual(await changeAvailability(h, 'Operative'), { status: 'Accepted' });
  assert.deepEqual(await changeAvailability(h, 'Operative', { id: 2, connectorId: 1 }), {
    status: 'Accepted',
  });
  assert.equal(await nextStatus(h), '2/1:Available');
  assert.deepEqual(h.csms.validationFailures, []);
});

test('G03.FR.06: a Faulted connector stays Faulted when its EVSE goes Inoperative, and is Unavailable once the fault clears', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  h.station.onFaulted(1, 1);
  assert.equal(await nextStatus(h), '1/1:Faulted');
  assert.deepEqual(await changeAvailability(h, 'Inoperative', { id: 1 }), { status: 'Accepted' });
  assert.equal(h.station.connectorStatus(1, 1), 'Faulted');
  h.station.onFaultCleared(1, 1);
  assert.equal(await nextStatus(h), '1/1:Unavailable');
  assert.deepEqual(h.csms.validationFailures, []);
});

test('G03: an unknown EVSE or connector is Rejected and changes nothing', async (t) => {
  const log: string[] = [];
  const h = await startHarness({ station: { callbacks: recordingCallbacks(log) } });
  t.after(() => h.close());
  await registered(h);
  const unknownEvse = await changeAvailability(h, 'Inoperative', { id: 3 });
  assert.equal(unknownEvse.status, 'Rejected');
  assert.equal(unknownEvse.statusInfo?.reasonCode, 'UnknownEvse');
  const unknownConnector = await changeAvailability(h, 'Inoperative', { id: 1, connectorId: 2 });
  assert.equal(unknownConnector.status, 'Rejected');
  assert.equal(unknownConnector.statusInfo?.reasonCode, 'UnknownConnectorId');
  assert.deepEqual(log, []);
  // Nothing was stored either: a reboot brings both connectors back Available.
  await h.restart();
  await h.csms.waitForCall('BootNotification');
  assert.deepEqual(await nextStatuses(h, 2), ['1/1:Available', '2/1:Available']);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('TC_G_18/19: EVSE and connector settings persist across a reboot; the connector boots Unavailable (G03.FR.08)', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  await changeAvailability(h, 'Inoperative', { id: 1 });
  await changeAvailability(h, 'Inoperative', { id: 2, connectorId: 1 });
  assert.deepEqual(await nextStatuses(h, 2), ['1/1:Unavailable', '2/1:Unavailable']);
  await h.restart();
  await h.csms.waitForCall('BootNotification');
  // B01.FR.05 after the reboot: each connector reports the persisted availability.
  assert.deepEqual(await nextStatuses(h, 2), ['1/1:Unavailable', '2/1:Unavailable']);
  // Operative again on the EVSE: its connector is Available; connector 2/1 keeps its setting.
  assert.deepEqual(await changeAvailability(h, 'Operative', { id: 1 }), { status: 'Accepted' });
  assert.equal(await nextStatus(h), '1/1:Available');
  assert.equal(h.station.connectorStatus(2, 1), 'Unavailable');
  assert.deepEqual(h.csms.validationFailures, []);
});

test('TC_G_21: station Inoperative persists across a reboot and Operative afterwards makes all Available (G04.FR.09)', async (t) => {
  const log: string[] = [];
  const h = await startHarness({ station: { callbacks: recordingCallbacks(log) } });
  t.after(() => h.close());
  await registered(h);
  await changeAvailability(h, 'Inoperative');
  assert.deepEqual(await nextStatuses(h, 2), ['1/1:Unavailable', '2/1:Unavailable']);
  await h.restart({ callbacks: recordingCallbacks(log) });
  await h.csms.waitForCall('BootNotification');
  assert.deepEqual(await nextStatuses(h, 2), ['1/1:Unavailable', '2/1:Unavailable']);
  log.length = 0;
  assert.deepEqual(await changeAvailability(h, 'Operative'), { status: 'Accepted' });
  assert.deepEqual(await nextStatuses(h, 2), ['1/1:Available', '2/1:Available']);
  assert.ok(log.includes('cs:Operative'), 'the restarted station tells the host it is operative again');
  assert.deepEqual(h.csms.validationFailures, []);
});
