/**
 * Registration of a real station at the strict test CSMS (B01–B03): Pending, Rejected, unanswered
 * BootNotifications and time synchronisation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRPCError } from 'ocpp-rpc';
import { waitFor, type Actor } from 'xstate';
import type { bootMachine } from '../../machines/boot.js';
import type {
  BootNotificationRequest,
  BootNotificationResponse,
  GetVariablesResponse,
  RegistrationStatusEnumType,
  RequestStartTransactionResponse,
  RequestStopTransactionResponse,
  SetVariablesResponse,
  StatusNotificationRequest,
  TriggerMessageResponse,
} from '../../src/generated/ocpp-types.js';
import type { ReceivedCall, TestCsms } from '../../src/testing/index.js';
import { answerIndex, callErrorFor, lastCsmsCallId, stationCallIndex } from './ocpp-frames.js';
import { recorder, registrationWatch } from './recorder.js';
import { profile, startHarness, type Harness } from './station-harness.js';

const bootAnswer = (status: RegistrationStatusEnumType, interval: number): BootNotificationResponse => ({
  currentTime: new Date().toISOString(),
  interval,
  status,
});

const reasonOf = (call: ReceivedCall) => (call.payload as BootNotificationRequest).reason;
const statusKey = (call: ReceivedCall) => {
  const s = call.payload as StatusNotificationRequest;
  return `${s.evseId}/${s.connectorId}:${s.connectorStatus}`;
};

/** The two connectors report Available once the station is Accepted (B01.FR.05). */
async function expectAllAvailable(csms: TestCsms): Promise<void> {
  const statuses = [
    await csms.waitForCall('StatusNotification'),
    await csms.waitForCall('StatusNotification'),
  ];
  assert.deepEqual(statuses.map(statusKey).sort(), ['1/1:Available', '2/1:Available']);
}

/** Actions the station sent before the BootNotification that was Accepted (the last one). */
function actionsBeforeAccepted(h: Harness): string[] {
  const accepted = h.csms.calls.findLastIndex((c) => c.action === 'BootNotification');
  return h.csms.calls.slice(0, accepted).map((c) => c.action);
}

test('B02.FR.01/02/05/08 (TC_B_02_CS): while Pending only BootNotifications go out, CSMS calls are answered, remote start/stop Rejected', async (t) => {
  let accept = false;
  const registration = registrationWatch();
  const h = await startHarness({ noStart: true, station: { inspect: registration.inspect } });
  t.after(() => h.close());
  h.csms.onCall('BootNotification', () => bootAnswer(accept ? 'Accepted' : 'Pending', 1));
  await h.station.start();
  await registration.waitFor((s) => s === 'Pending', 'registration Pending');

  // B02.FR.01: the CSMS may read and change the configuration while Pending.
  const set = (await h.csms.call(h.identity, 'SetVariables', {
    setVariableData: [
      {
        component: { name: 'OCPPCommCtrlr' },
        variable: { name: 'OfflineThreshold' },
        attributeValue: '300',
      },
    ],
  })) as SetVariablesResponse;
  assert.equal(set.setVariableResult[0]?.attributeStatus, 'Accepted');
  const get = (await h.csms.call(h.identity, 'GetVariables', {
    getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' } }],
  })) as GetVariablesResponse;
  assert.equal(get.getVariableResult[0]?.attributeStatus, 'Accepted');
  assert.equal(get.getVariableResult[0]?.attributeValue, '300');

  // B02.FR.05: Rejected even where transactions before Accepted would be allowed.
  const start = (await h.csms.call(h.identity, 'RequestStartTransaction', {
    idToken: { idToken: 'TOKEN-1', type: 'ISO14443' },
    remoteStartId: 1,
  })) as RequestStartTransactionResponse;
  assert.equal(start.status, 'Rejected');
  const stop = (await h.csms.call(h.identity, 'RequestStopTransaction', {
    transactionId: 'tx-1',
  })) as RequestStopTransactionResponse;
  assert.equal(stop.status, 'Rejected');

  // B02.FR.04/08: the next BootNotification comes after the interval, and nothing else before.
  await h.csms.waitForCall('BootNotification');
  await h.csms.waitForCall('BootNotification');
  accept = true;
  await expectAllAvailable(h.csms);
  const before = actionsBeforeAccepted(h);
  assert.ok(before.length >= 2, `several BootNotifications before Accepted, got ${before.length}`);
  assert.ok(
    before.every((a) => a === 'BootNotification'),
    before.join(','),
  );
  assert.ok(
    h.csms.calls.filter((c) => c.action === 'BootNotification').every((c) => reasonOf(c) === 'PowerUp'),
  );
  // The boot's security event waited for Accepted (B01.FR.08), and was not lost.
  const security = await h.csms.waitForCall('SecurityEventNotification');
  assert.equal((security.payload as { type: string }).type, 'StartupOfTheDevice');
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B02.FR.02/04 (TC_B_02_CS): a TriggerMessage while Pending gets its messages out; TriggerMessage(BootNotification) boots at once with reason Triggered', async (t) => {
  const registration = registrationWatch();
  const h = await startHarness({ noStart: true, station: { inspect: registration.inspect } });
  t.after(() => h.close());
  let boots = 0;
  // A long interval: the second BootNotification can only be the triggered one (B02.FR.04).
  h.csms.onCall('BootNotification', () => bootAnswer(++boots === 1 ? 'Pending' : 'Accepted', 300));
  await h.station.start();
  await registration.waitFor((s) => s === 'Pending', 'registration Pending');

  // B02.FR.02: messages the CSMS asked for may be sent while Pending.
  const report = (await h.csms.call(h.identity, 'GetBaseReport', {
    requestId: 7,
    reportBase: 'SummaryInventory',
  })) as { status: string };
  assert.equal(report.status, 'Accepted');
  assert.equal(((await h.csms.waitForCall('NotifyReport')).payload as { requestId: number }).requestId, 7);
  const heartbeat = (await h.csms.call(h.identity, 'TriggerMessage', {
    requestedMessage: 'Heartbeat',
  })) as TriggerMessageResponse;
  assert.equal(heartbeat.status, 'Accepted');
  await h.csms.waitForCall('Heartbeat');

  const trigger = (await h.csms.call(h.identity, 'TriggerMessage', {
    requestedMessage: 'BootNotification',
  })) as TriggerMessageResponse;
  assert.equal(trigger.status, 'Accepted');
  await h.csms.waitForCall('BootNotification');
  const triggered = await h.csms.waitForCall('BootNotification');
  assert.equal(reasonOf(triggered), 'Triggered');
  // F06.FR.04: the TriggerMessage response went out before the requested message.
  const triggerId = lastCsmsCallId(h.csms, h.identity, 'TriggerMessage');
  assert.ok(
    answerIndex(h.csms, h.identity, triggerId) < stationCallIndex(h.csms, h.identity, triggered.messageId),
  );
  await expectAllAvailable(h.csms);
  assert.equal(h.station.registrationStatus, 'Accepted');
  // Before Accepted only what was asked for: no StatusNotification, no SecurityEventNotification (B02.FR.02).
  assert.deepEqual([...new Set(actionsBeforeAccepted(h))].sort(), [
    'BootNotification',
    'Heartbeat',
    'NotifyReport',
  ]);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B03.FR.02/06/08 (TC_B_03_CS, TC_B_30_CS): while Rejected nothing but BootNotification goes out and CSMS calls get SecurityError', async (t) => {
  let accept = false;
  const registration = registrationWatch();
  const h = await startHarness({ noStart: true, station: { inspect: registration.inspect } });
  t.after(() => h.close());
  h.csms.onCall('BootNotification', () => bootAnswer(accept ? 'Accepted' : 'Rejected', 1));
  await h.station.start();
  await registration.waitFor((s) => s === 'Rejected', 'registration Rejected');

  for (const [action, payload] of [
    ['GetBaseReport', { requestId: 1, reportBase: 'FullInventory' }],
    ['TriggerMessage', { requestedMessage: 'BootNotification' }],
    [
      'GetVariables',
      {
        getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }],
      },
    ],
  ] as const) {
    await assert.rejects(h.csms.call(h.identity, action, payload), (error: { rpcErrorCode?: string }) => {
      assert.equal(error.rpcErrorCode, 'SecurityError', action);
      return true;
    });
  }
  // B03.FR.08 comes first: an unknown action, an action we do not support and a malformed payload
  // get SecurityError too, not NotImplemented / NotSupported / a schema code.
  for (const [id, frame] of [
    ['gate-1', '[2,"gate-1","NoSuchAction",{}]'],
    ['gate-2', '[2,"gate-2","CancelReservation",{"reservationId":1}]'],
    ['gate-3', '[2,"gate-3","Reset",{"type":"Sideways"}]'],
  ] as const) {
    h.csms.sendRaw(h.identity, frame);
    await waitForCallError(h.csms, h.identity, id);
    assert.equal(callErrorFor(h.csms, h.identity, id)?.code, 'SecurityError', frame);
  }
  // B03.FR.06: the BootNotification is repeated after the interval.
  await h.csms.waitForCall('BootNotification');
  await h.csms.waitForCall('BootNotification');
  accept = true;
  await expectAllAvailable(h.csms);
  const before = actionsBeforeAccepted(h);
  assert.ok(before.length >= 2 && before.every((a) => a === 'BootNotification'), before.join(','));
  assert.deepEqual(h.csms.validationFailures, []);
});

for (const status of ['Pending', 'Rejected'] as const) {
  test(`B02.FR.04/B03.FR.02: the CSMS drops the connection while ${status}; the reconnect sends no BootNotification before the interval`, async (t) => {
    const registration = registrationWatch();
    const h = await startHarness({ noStart: true, station: { inspect: registration.inspect } });
    t.after(() => h.close());
    let boots = 0;
    // A long interval: nothing may boot again during this test unless triggered.
    h.csms.onCall('BootNotification', () => bootAnswer(++boots === 1 ? status : 'Accepted', 300));
    await h.station.start();
    await registration.waitFor((s) => s === status, `registration ${status}`);
    const boot = h.station.station.station.system.get('boot') as Actor<typeof bootMachine>;

    await h.csms.disconnect(h.identity);
    await waitFor(boot, (s) => !s.context.online, { timeout: 5_000 });
    await h.csms.waitForClient(h.identity);
    // The boot chart has taken the reconnect and is still waiting for the interval.
    const back = await waitFor(boot, (s) => s.context.online, { timeout: 5_000 });
    assert.equal(back.value, status.toLowerCase());
    assert.equal(h.station.registrationStatus, status);
    assert.equal(h.csms.calls.filter((c) => c.action === 'BootNotification').length, 1);

    if (status === 'Pending') {
      // F06: a TriggerMessage still boots at once after the reconnect.
      const trigger = (await h.csms.call(h.identity, 'TriggerMessage', {
        requestedMessage: 'BootNotification',
      })) as TriggerMessageResponse;
      assert.equal(trigger.status, 'Accepted');
      await expectAllAvailable(h.csms);
      assert.deepEqual(actionsBeforeAccepted(h), ['BootNotification']);
    } else {
      // B03.FR.08: still Rejected, so CSMS calls get SecurityError.
      await assert.rejects(
        h.csms.call(h.identity, 'GetVariables', {
          getVariableData: [
            { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
          ],
        }),
        (error: { rpcErrorCode?: string }) => error.rpcErrorCode === 'SecurityError',
      );
      assert.deepEqual(
        h.csms.calls.map((c) => c.action),
        ['BootNotification'],
      );
    }
    assert.deepEqual(h.csms.validationFailures, []);
  });
}

test('B01 error handling: a BootNotification answered with a CALLERROR or not at all is sent again after a waiting interval', async (t) => {
  const h = await startHarness({
    noStart: true,
    // MessageTimeout 1 s: the unanswered BootNotification times out quickly.
    profiles: (csms) => [profile(1, csms.url, { messageTimeout: 1 })],
    station: { bootRetryIntervalS: 1 },
  });
  t.after(() => h.close());
  let boots = 0;
  h.csms.onCall('BootNotification', () => {
    boots += 1;
    if (boots === 1) throw createRPCError('InternalError', 'database unavailable');
    if (boots === 2) return new Promise(() => undefined);
    return bootAnswer('Accepted', 300);
  });
  await h.station.start();
  const calls = [
    await h.csms.waitForCall('BootNotification'),
    await h.csms.waitForCall('BootNotification'),
    await h.csms.waitForCall('BootNotification'),
  ];
  await expectAllAvailable(h.csms);
  assert.equal(new Set(calls.map((c) => c.messageId)).size, 3);
  assert.deepEqual(calls.map(reasonOf), ['PowerUp', 'PowerUp', 'PowerUp']);
  assert.deepEqual(actionsBeforeAccepted(h), ['BootNotification', 'BootNotification']);
  assert.equal(h.station.registrationStatus, 'Accepted');
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B01.FR.06: the currentTime of the BootNotificationResponse sets the station clock and is passed to timeSyncCallback', async (t) => {
  const synced = recorder<string>();
  const csmsTime = '2031-05-06T07:08:09.000Z';
  const h = await startHarness({
    noStart: true,
    station: { callbacks: { timeSyncCallback: (time) => synced.push(time) } },
  });
  t.after(() => h.close());
  h.csms.onCall('BootNotification', () => ({ currentTime: csmsTime, interval: 300, status: 'Accepted' }));
  await h.station.start();
  const status = await h.csms.waitForCall('StatusNotification');
  assert.deepEqual(synced.items, [csmsTime]);
  // Every timestamp after the answer comes from the adopted clock.
  assert.ok((status.payload as StatusNotificationRequest).timestamp.startsWith('2031-05-06T07:'));
  assert.equal(new Date(h.station.clock.nowMs()).getUTCFullYear(), 2031);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B01.FR.06: with a TimeSource that does not list Heartbeat the CSMS time is not adopted', async (t) => {
  const synced = recorder<string>();
  const h = await startHarness({
    noStart: true,
    set: ['ClockCtrlr.TimeSource=RealTimeClock'],
    station: { callbacks: { timeSyncCallback: (time) => synced.push(time) } },
  });
  t.after(() => h.close());
  h.csms.onCall('BootNotification', () => ({
    currentTime: '2031-05-06T07:08:09.000Z',
    interval: 300,
    status: 'Accepted',
  }));
  await h.station.start();
  const status = await h.csms.waitForCall('StatusNotification');
  assert.deepEqual(synced.items, []);
  assert.ok(!(status.payload as StatusNotificationRequest).timestamp.startsWith('2031'));
  assert.notEqual(new Date(h.station.clock.nowMs()).getUTCFullYear(), 2031);
  assert.deepEqual(h.csms.validationFailures, []);
});

/** Waits until the station has answered `messageId` with a CALLERROR. */
async function waitForCallError(csms: TestCsms, identity: string, messageId: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!callErrorFor(csms, identity, messageId)) {
    if (Date.now() > deadline) throw new Error(`no CALLERROR for ${messageId} within 5 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
