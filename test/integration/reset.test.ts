/**
 * Reset (B11/B12) of a real station by the strict test CSMS: whole station and single EVSE, the
 * host's veto and the reboot that follows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  BootNotificationRequest,
  ResetEnumType,
  ResetRequest,
  ResetResponse,
  SecurityEventNotificationRequest,
  TriggerMessageResponse,
} from '../../src/generated/ocpp-types.js';
import { answerIndex, lastCsmsCallId } from './ocpp-frames.js';
import { recorder } from './recorder.js';
import { startHarness, type Harness } from './station-harness.js';

/** What the station did, in order: frames it wrote and reset callbacks. */
type Step =
  { kind: 'frame'; text: string } | { kind: 'reset'; evseId: number | undefined; type: ResetEnumType };

function resetHost() {
  const steps = recorder<Step>();
  return {
    steps,
    callbacks: {
      resetCallback: (evseId: number | undefined, type: ResetEnumType) =>
        steps.push({ kind: 'reset', evseId, type }),
      ocppMessagesCallback: (text: string, direction: string) => {
        if (direction === 'station->CSMS') steps.push({ kind: 'frame', text });
      },
    },
  };
}

/** Waits for the boot and both StatusNotifications of a start. */
async function accepted(h: Harness): Promise<void> {
  await h.csms.waitForCall('BootNotification');
  await h.csms.waitForCall('StatusNotification');
  await h.csms.waitForCall('StatusNotification');
}

async function reset(h: Harness, request: ResetRequest): Promise<ResetResponse> {
  return (await h.csms.call(h.identity, 'Reset', request)) as ResetResponse;
}

/** The station still works after the reset decision: a triggered Heartbeat goes out. */
async function stillRunning(h: Harness): Promise<void> {
  const trigger = (await h.csms.call(h.identity, 'TriggerMessage', {
    requestedMessage: 'Heartbeat',
  })) as TriggerMessageResponse;
  assert.equal(trigger.status, 'Accepted');
  await h.csms.waitForCall('Heartbeat');
}

for (const type of ['OnIdle', 'Immediate'] as const) {
  test(`B11.FR.01/03/04 (TC_B_20_CS): Reset ${type} of the station is Accepted, resetCallback runs after the response, the restart boots with RemoteReset and ResetOrReboot`, async (t) => {
    const host = resetHost();
    const h = await startHarness({ station: { callbacks: host.callbacks } });
    t.after(() => h.close());
    await accepted(h);
    assert.equal((await reset(h, { type })).status, 'Accepted');
    const call = await host.steps.waitFor((s) => s.kind === 'reset', 'resetCallback');
    assert.deepEqual(call, { kind: 'reset', evseId: undefined, type });
    // The CALLRESULT was written before the callback ran (the host may power off at once).
    const resetId = lastCsmsCallId(h.csms, h.identity, 'Reset');
    const responseStep = host.steps.items.findIndex(
      (s) => s.kind === 'frame' && s.text.startsWith(`[3,"${resetId}"`),
    );
    assert.ok(responseStep >= 0 && responseStep < host.steps.items.indexOf(call));
    assert.ok(answerIndex(h.csms, h.identity, resetId) >= 0);

    // The host reboots: a new ChargePoint on the same store (B11.FR.04: as in B01).
    const startup = await h.csms.waitForCall('SecurityEventNotification');
    assert.equal((startup.payload as SecurityEventNotificationRequest).type, 'StartupOfTheDevice');
    await h.restart();
    const boot = await h.csms.waitForCall('BootNotification');
    assert.equal((boot.payload as BootNotificationRequest).reason, 'RemoteReset');
    const event = await h.csms.waitForCall('SecurityEventNotification');
    assert.equal((event.payload as SecurityEventNotificationRequest).type, 'ResetOrReboot');
    await h.csms.waitForCall('StatusNotification');
    await h.csms.waitForCall('StatusNotification');
    // The boot reason was used once: a later power-up is a PowerUp again (B01.FR.09).
    await h.restart();
    const next = await h.csms.waitForCall('BootNotification');
    assert.equal((next.payload as BootNotificationRequest).reason, 'PowerUp');
    assert.deepEqual(h.csms.validationFailures, []);
  });
}

test('B11.FR.01: without a resetCallback the station cannot reset and answers Rejected', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await accepted(h);
  const response = await reset(h, { type: 'Immediate' });
  assert.equal(response.status, 'Rejected');
  assert.equal(response.statusInfo?.reasonCode, 'UnsupportedRequest');
  await stillRunning(h);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B11.FR.06: isResetAllowedCallback false answers Rejected and does not reset', async (t) => {
  const host = resetHost();
  const asked = recorder<{ evseId: number | undefined; type: ResetEnumType }>();
  const h = await startHarness({
    station: {
      callbacks: {
        ...host.callbacks,
        isResetAllowedCallback: (evseId, type) => {
          asked.push({ evseId, type });
          return false;
        },
      },
    },
  });
  t.after(() => h.close());
  await accepted(h);
  const response = await reset(h, { type: 'OnIdle' });
  assert.equal(response.status, 'Rejected');
  assert.deepEqual(asked.items, [{ evseId: undefined, type: 'OnIdle' }]);
  await stillRunning(h);
  assert.equal(
    host.steps.count((s) => s.kind === 'reset'),
    0,
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B11.FR.09 / B12.FR.09 (TC_B_28_CS): an EVSE reset where EVSE.AllowReset is not true is Rejected', async (t) => {
  const host = resetHost();
  // EVSE 1 says false; EVSE 2 leaves AllowReset without a value (the example configuration).
  const h = await startHarness({ set: ['EVSE@1.AllowReset=false'], station: { callbacks: host.callbacks } });
  t.after(() => h.close());
  await accepted(h);
  for (const evseId of [1, 2]) {
    for (const type of ['OnIdle', 'Immediate'] as const) {
      const response = await reset(h, { type, evseId });
      assert.equal(response.status, 'Rejected', `EVSE ${evseId} ${type}`);
    }
  }
  await stillRunning(h);
  assert.equal(
    host.steps.count((s) => s.kind === 'reset'),
    0,
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B11.FR.08/10 (TC_B_25_CS): an EVSE with AllowReset true is reset through resetCallback(evseId); an unknown EVSE is Rejected', async (t) => {
  const host = resetHost();
  const h = await startHarness({ set: ['EVSE@2.AllowReset=true'], station: { callbacks: host.callbacks } });
  t.after(() => h.close());
  await accepted(h);
  const unknown = await reset(h, { type: 'OnIdle', evseId: 5 });
  assert.equal(unknown.status, 'Rejected');
  assert.equal(unknown.statusInfo?.reasonCode, 'UnknownEvse');
  assert.equal((await reset(h, { type: 'OnIdle', evseId: 2 })).status, 'Accepted');
  const call = await host.steps.waitFor((s) => s.kind === 'reset', 'resetCallback');
  assert.deepEqual(call, { kind: 'reset', evseId: 2, type: 'OnIdle' });
  // An EVSE reset is not a reboot: the station keeps its connection and registration.
  await stillRunning(h);
  assert.equal(h.csms.calls.filter((c) => c.action === 'BootNotification').length, 1);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B01.FR.09: the reason of a reset is used by every start until a BootNotification carrying it is Accepted', async (t) => {
  const host = resetHost();
  const h = await startHarness({ station: { callbacks: host.callbacks } });
  t.after(() => h.close());
  await accepted(h);
  assert.equal((await reset(h, { type: 'Immediate' })).status, 'Accepted');
  await host.steps.waitFor((s) => s.kind === 'reset', 'resetCallback');
  const reasonOfNextBoot = async () =>
    ((await h.csms.waitForCall('BootNotification')).payload as BootNotificationRequest).reason;

  // The reboot's BootNotification gets no answer, and the station goes down again before one comes.
  h.csms.onCall('BootNotification', () => new Promise(() => undefined));
  await h.restart();
  assert.equal(await reasonOfNextBoot(), 'RemoteReset');
  // Answered, but Pending: still not registered.
  h.csms.onCall('BootNotification', () => ({
    status: 'Pending',
    interval: 300,
    currentTime: new Date().toISOString(),
  }));
  await h.restart();
  assert.equal(await reasonOfNextBoot(), 'RemoteReset');
  // Accepted: the reason has reached the CSMS, so the next start is a power-up again.
  h.csms.onCall('BootNotification', () => ({
    status: 'Accepted',
    interval: 300,
    currentTime: new Date().toISOString(),
  }));
  await h.restart();
  assert.equal(await reasonOfNextBoot(), 'RemoteReset');
  await h.csms.waitForCall('StatusNotification');
  await h.restart();
  assert.equal(await reasonOfNextBoot(), 'PowerUp');
  assert.deepEqual(h.csms.validationFailures, []);
});
