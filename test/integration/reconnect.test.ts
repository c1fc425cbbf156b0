/**
 * Reconnects the station decides on itself (Part 4 §5.3): after new credentials (A01), after a
 * reboot it carried out (B11), and when the CSMS answers no BootNotification on an open socket.
 * Each waits RetryBackOffWaitMinimum plus the random part first, like a reconnect after a lost
 * connection: a CSMS still tearing down the old connection must not see the new one at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InspectionEvent } from 'xstate';
import type { BootNotificationRequest, ResetResponse } from '../../src/generated/ocpp-types.js';
import type { RpcServerClient } from '../../src/testing/index.js';
import { registered } from './csms-helpers.js';
import { recorder } from './recorder.js';
import { profile, startHarness } from './station-harness.js';

const OPEN = JSON.stringify({ session: 'open' });
const OPENING = JSON.stringify({ session: 'opening' });
const WAITING = JSON.stringify('waiting');

/** The states of the `connection` statechart, in order, through ChargePoint's `inspect` option. */
function connectionStates() {
  const states = recorder<string>();
  let last: string | undefined;
  return {
    states,
    inspect(event: InspectionEvent) {
      if (event.type !== '@xstate.snapshot' || (event.actorRef as { id?: string }).id !== 'connection')
        return;
      const value = JSON.stringify((event.snapshot as { value?: unknown }).value);
      if (value === last) return;
      last = value;
      states.push(value);
    },
  };
}

test('A01.FR.03, Part 4 §5.3: after a BasicAuthPassword change the station reconnects through the back-off wait', async (t) => {
  const passwords: Record<string, string> = { 'CS-RC1': 'DEADBEEFDEADBEEF' };
  const watch = connectionStates();
  const h = await startHarness({
    identity: 'CS-RC1',
    csms: { passwords },
    station: { inspect: watch.inspect },
  });
  t.after(() => h.close());
  await registered(h);
  const from = watch.states.items.length;
  passwords['CS-RC1'] = 'CAFEBABECAFEBABE';
  const response = (await h.csms.call(h.identity, 'SetVariables', {
    setVariableData: [
      {
        component: { name: 'SecurityCtrlr' },
        variable: { name: 'BasicAuthPassword' },
        attributeValue: 'CAFEBABECAFEBABE',
      },
    ],
  })) as { setVariableResult: Array<{ attributeStatus: string }> };
  assert.equal(response.setVariableResult[0]?.attributeStatus, 'Accepted');
  await watch.states.waitFor((s) => s === OPEN, 'the station connected again', { from });
  // Closed, waited (RetryBackOffWaitMinimum + random), then opened: never straight from one socket to the next.
  assert.deepEqual(watch.states.items.slice(from), [WAITING, OPENING, OPEN]);
  assert.equal(h.csms.calls.filter((c) => c.action === 'BootNotification').length, 1, 'no reboot');
});

test('B11, Part 4 §5.3: the start after a Reset the station carried out waits the back-off before connecting; a power-up does not', async (t) => {
  const h = await startHarness({ station: { callbacks: { resetCallback: () => undefined } } });
  t.after(() => h.close());
  await registered(h);
  const reset = (await h.csms.call(h.identity, 'Reset', { type: 'Immediate' })) as ResetResponse;
  assert.equal(reset.status, 'Accepted');

  const afterReset = connectionStates();
  await h.restart({ inspect: afterReset.inspect });
  await afterReset.states.waitFor((s) => s === OPEN, 'the rebooted station connected');
  assert.deepEqual(
    afterReset.states.items.filter((s) => s !== JSON.stringify('idle')),
    [WAITING, OPENING, OPEN],
  );
  const rebooted = await h.csms.waitForCall('BootNotification');
  assert.equal((rebooted.payload as BootNotificationRequest).reason, 'RemoteReset');
  await h.csms.waitForCall('StatusNotification');

  const afterPowerUp = connectionStates();
  await h.restart({ inspect: afterPowerUp.inspect });
  await afterPowerUp.states.waitFor((s) => s === OPEN, 'the powered-up station connected');
  assert.deepEqual(
    afterPowerUp.states.items.filter((s) => s !== JSON.stringify('idle')),
    [OPENING, OPEN],
  );
});

test('B01 error handling: BootNotifications that time out on an open socket, three in a row, make the station close it and connect again', async (t) => {
  const h = await startHarness({
    noStart: true,
    // MessageTimeout 1 s and a 1 s retry interval: three unanswered boots take a few seconds.
    profiles: (csms) => [profile(1, csms.url, { messageTimeout: 1 })],
    station: { bootRetryIntervalS: 1 },
  });
  t.after(() => h.close());
  const connections: Array<RpcServerClient | undefined> = [];
  h.csms.onCall('BootNotification', (call) => {
    connections.push(h.csms.clients.get(call.identity));
    if (connections.length <= 3) return new Promise(() => undefined);
    return { status: 'Accepted', interval: 300, currentTime: new Date().toISOString() };
  });
  await h.station.start();
  for (let n = 0; n < 4; n++) await h.csms.waitForCall('BootNotification');
  await h.csms.waitForCall('StatusNotification');
  const [first] = connections;
  assert.ok(first);
  assert.deepEqual(
    connections.map((c) => c === first),
    [true, true, true, false],
    'three unanswered on the first connection, the fourth on a new one',
  );
  assert.equal(h.csms.clients.get(h.identity), connections[3]);
  assert.equal(h.station.registrationStatus, 'Accepted');
  assert.deepEqual(h.csms.validationFailures, []);
});
