/**
 * TriggerMessage (F06) against a real, Accepted station: each supported message, the order of the
 * response and the triggered message, rejections and NotImplemented.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  FirmwareStatusNotificationRequest,
  LogStatusNotificationRequest,
  StatusNotificationRequest,
  TriggerMessageRequest,
  TriggerMessageResponse,
} from '../../src/generated/ocpp-types.js';
import type { ReceivedCall } from '../../src/testing/index.js';
import { answerIndex, lastCsmsCallId, stationCallIndex } from './ocpp-frames.js';
import { recorder, registrationWatch } from './recorder.js';
import { startHarness, type Harness } from './station-harness.js';

async function accepted(h: Harness): Promise<void> {
  await h.csms.waitForCall('StatusNotification');
  await h.csms.waitForCall('StatusNotification');
}

async function trigger(h: Harness, request: TriggerMessageRequest): Promise<TriggerMessageResponse> {
  return (await h.csms.call(h.identity, 'TriggerMessage', request)) as TriggerMessageResponse;
}

/** F06.FR.04: the TriggerMessage response reached the CSMS before the triggered CALL. */
function assertResponseFirst(h: Harness, triggered: ReceivedCall): void {
  const triggerId = lastCsmsCallId(h.csms, h.identity, 'TriggerMessage');
  const response = answerIndex(h.csms, h.identity, triggerId);
  const call = stationCallIndex(h.csms, h.identity, triggered.messageId);
  assert.ok(response >= 0 && response < call, `response #${response} before ${triggered.action} #${call}`);
}

test('F06.FR.04/05/10 (TC_F_20_CS): Heartbeat is Accepted and sent after the response; its time sets the clock (G02.FR.06)', async (t) => {
  const synced = recorder<string>();
  const h = await startHarness({ station: { callbacks: { timeSyncCallback: (time) => synced.push(time) } } });
  t.after(() => h.close());
  await accepted(h);
  const csmsTime = '2032-02-03T04:05:06.000Z';
  h.csms.onCall('Heartbeat', () => ({ currentTime: csmsTime }));
  assert.equal((await trigger(h, { requestedMessage: 'Heartbeat' })).status, 'Accepted');
  const heartbeat = await h.csms.waitForCall('Heartbeat');
  assertResponseFirst(h, heartbeat);
  await synced.waitFor((time) => time === csmsTime, 'timeSyncCallback with the Heartbeat time');
  assert.equal(new Date(h.station.clock.nowMs()).getUTCFullYear(), 2032);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('G02.FR.06: a triggered Heartbeat does not set the clock when TimeSource does not list Heartbeat', async (t) => {
  const synced = recorder<string>();
  const h = await startHarness({
    set: ['ClockCtrlr.TimeSource=NTP'],
    station: { callbacks: { timeSyncCallback: (time) => synced.push(time) } },
  });
  t.after(() => h.close());
  await accepted(h);
  h.csms.onCall('Heartbeat', () => ({ currentTime: '2032-02-03T04:05:06.000Z' }));
  await trigger(h, { requestedMessage: 'Heartbeat' });
  await h.csms.waitForCall('Heartbeat');
  // The next triggered message is sent after the Heartbeat's answer was handled (one CALL at a time).
  await trigger(h, { requestedMessage: 'LogStatusNotification' });
  await h.csms.waitForCall('LogStatusNotification');
  assert.deepEqual(synced.items, []);
  assert.notEqual(new Date(h.station.clock.nowMs()).getUTCFullYear(), 2032);
});

test('F06.FR.09/12 (TC_F_23_CS, TC_F_24_CS): StatusNotification per connector with its current status; without a connector Rejected', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await accepted(h);
  assert.equal(
    (await trigger(h, { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } })).status,
    'Accepted',
  );
  const available = await h.csms.waitForCall('StatusNotification');
  assertResponseFirst(h, available);
  assert.deepEqual(
    [
      (available.payload as StatusNotificationRequest).evseId,
      (available.payload as StatusNotificationRequest).connectorId,
      (available.payload as StatusNotificationRequest).connectorStatus,
    ],
    [1, 1, 'Available'],
  );

  h.station.onSessionStarted(2, 1);
  await h.csms.waitForCall(
    'StatusNotification',
    (c) => (c.payload as StatusNotificationRequest).evseId === 2,
  );
  assert.equal(
    (await trigger(h, { requestedMessage: 'StatusNotification', evse: { id: 2, connectorId: 1 } })).status,
    'Accepted',
  );
  const occupied = await h.csms.waitForCall('StatusNotification');
  assertResponseFirst(h, occupied);
  assert.equal((occupied.payload as StatusNotificationRequest).evseId, 2);
  assert.equal((occupied.payload as StatusNotificationRequest).connectorStatus, 'Occupied');

  // F06.FR.12: StatusNotification only exists per connector.
  for (const request of [
    { requestedMessage: 'StatusNotification' },
    { requestedMessage: 'StatusNotification', evse: { id: 1 } },
    { requestedMessage: 'StatusNotification', evse: { id: 9, connectorId: 1 } },
    { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 2 } },
  ] satisfies TriggerMessageRequest[]) {
    assert.equal((await trigger(h, request)).status, 'Rejected', JSON.stringify(request));
  }
  // Nothing was sent for the rejected ones: the next message is the one triggered now.
  await trigger(h, { requestedMessage: 'Heartbeat' });
  await h.csms.waitForCall('Heartbeat');
  assert.equal(h.csms.calls.filter((c) => c.action === 'StatusNotification').length, 5);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('F06.FR.17 (TC_F_26_CS): BootNotification after Accepted is Rejected and nothing is sent', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await accepted(h);
  const response = await trigger(h, { requestedMessage: 'BootNotification' });
  assert.equal(response.status, 'Rejected');
  await trigger(h, { requestedMessage: 'Heartbeat' });
  await h.csms.waitForCall('Heartbeat');
  assert.equal(h.csms.calls.filter((c) => c.action === 'BootNotification').length, 1);
  assert.equal(h.station.registrationStatus, 'Accepted');
  assert.deepEqual(h.csms.validationFailures, []);
});

test('F06.FR.08 (TC_F_27_CS): messages this station cannot produce answer NotImplemented', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await accepted(h);
  // SignChargingStationCertificate / SignV2GCertificate are A02 (test/integration/certificate-signing.test.ts);
  // the combined certificate was removed from 2.0.1 by errata 2025-09 (ISO-3).
  for (const requestedMessage of ['SignCombinedCertificate', 'PublishFirmwareStatusNotification'] as const) {
    assert.equal((await trigger(h, { requestedMessage })).status, 'NotImplemented', requestedMessage);
  }
  assert.deepEqual(h.csms.validationFailures, []);
});

test('F06.FR.15/16/03 (TC_F_15_CS, TC_F_17_CS, TC_F_18_CS): LogStatusNotification and FirmwareStatusNotification report Idle, an irrelevant evse is ignored', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await accepted(h);
  assert.equal((await trigger(h, { requestedMessage: 'LogStatusNotification' })).status, 'Accepted');
  const log = await h.csms.waitForCall('LogStatusNotification');
  assertResponseFirst(h, log);
  assert.equal((log.payload as LogStatusNotificationRequest).status, 'Idle');
  assert.equal((await trigger(h, { requestedMessage: 'FirmwareStatusNotification' })).status, 'Accepted');
  const firmware = await h.csms.waitForCall('FirmwareStatusNotification');
  assertResponseFirst(h, firmware);
  assert.equal((firmware.payload as FirmwareStatusNotificationRequest).status, 'Idle');
  // F06.FR.03: an evse that does not matter to the message is ignored; the message is still sent.
  assert.equal(
    (await trigger(h, { requestedMessage: 'FirmwareStatusNotification', evse: { id: 1 } })).status,
    'Accepted',
  );
  assert.equal(
    ((await h.csms.waitForCall('FirmwareStatusNotification')).payload as FirmwareStatusNotificationRequest)
      .status,
    'Idle',
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B02.FR.02: while Pending, triggered StatusNotification and Heartbeat go out; nothing else does', async (t) => {
  const registration = registrationWatch();
  const h = await startHarness({
    csms: { boot: { bootStatus: 'Pending', heartbeatInterval: 300 } },
    station: { inspect: registration.inspect },
  });
  t.after(() => h.close());
  await registration.waitFor((s) => s === 'Pending', 'registration Pending');
  assert.equal(
    (await trigger(h, { requestedMessage: 'StatusNotification', evse: { id: 2, connectorId: 1 } })).status,
    'Accepted',
  );
  const status = await h.csms.waitForCall('StatusNotification');
  assert.equal((status.payload as StatusNotificationRequest).evseId, 2);
  assert.equal((await trigger(h, { requestedMessage: 'Heartbeat' })).status, 'Accepted');
  await h.csms.waitForCall('Heartbeat');
  assert.deepEqual(
    h.csms.calls.map((c) => c.action),
    ['BootNotification', 'StatusNotification', 'Heartbeat'],
  );
  assert.deepEqual(h.csms.validationFailures, []);
});
