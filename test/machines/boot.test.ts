import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, fromCallback, initialTransition, setup, transition } from 'xstate';
import {
  bootMachine as machineUnderTest,
  UNANSWERED_BOOTS_BEFORE_RECONNECT,
  type BootInput,
} from '../../machines/boot.js';
import type { ConnectionEvent } from '../../machines/connection.js';
import { OcppRpcError, RpcTimeoutError } from '../../src/rpc/errors.js';
import { MAX_TIMER_DELAY_MS } from '../../machines/long-wait.js';
import { RecordingClock } from './recording-clock.js';
import { callAction } from '../../src/runtime/call-effects.js';
import type { BootNotificationResponse, BootReasonEnumType } from '../../src/generated/ocpp-types.js';

// Pure transitions have no parent: the notifications to it are replaced by no-ops.
const bootMachine = machineUnderTest.provide({ actions: { reportStatus: () => undefined } });

const input: BootInput = { reason: 'PowerUp', heartbeatIntervalS: 300, defaultRetryIntervalS: 30 };
// The answer to the chart's first call (`callId` 0).
const done = (output: BootNotificationResponse) =>
  ({ type: 'bootNotification.done', id: 0, output }) as const;

function registering() {
  const [s0] = initialTransition(bootMachine, input);
  const [s1] = transition(bootMachine, s0, { type: 'connection.up', offlineSeconds: null });
  return s1;
}

test('B01.FR.01: the first connection sends a BootNotification', () => {
  const [s0] = initialTransition(bootMachine, input);
  assert.equal(s0.value, 'disconnected');
  assert.equal(registering().value, 'registering');
});

test('B01.FR.04: Accepted with interval > 0 adopts the heartbeat interval', () => {
  const [s] = transition(
    bootMachine,
    registering(),
    done({ status: 'Accepted', interval: 60, currentTime: '2026-01-01T00:00:00Z' }),
  );
  assert.deepEqual(s.value, { accepted: 'idle' });
  assert.equal(s.context.heartbeatIntervalS, 60);
  assert.equal(s.context.status, 'Accepted');
});

test('B01.FR.04: Accepted with interval 0 keeps the configured heartbeat interval', () => {
  const [s] = transition(
    bootMachine,
    registering(),
    done({ status: 'Accepted', interval: 0, currentTime: '2026-01-01T00:00:00Z' }),
  );
  assert.equal(s.context.heartbeatIntervalS, 300);
});

test('B02.FR.07/08: Pending waits the interval, or our own when it is 0', () => {
  const [p1] = transition(
    bootMachine,
    registering(),
    done({ status: 'Pending', interval: 15, currentTime: '2026-01-01T00:00:00Z' }),
  );
  assert.equal(p1.value, 'pending');
  assert.equal(p1.context.retryIntervalS, 15);
  const [p2] = transition(
    bootMachine,
    registering(),
    done({ status: 'Pending', interval: 0, currentTime: '2026-01-01T00:00:00Z' }),
  );
  assert.equal(p2.context.retryIntervalS, 30);
});

test('F06: TriggerMessage(BootNotification) while Pending boots again at once', () => {
  const [p] = transition(
    bootMachine,
    registering(),
    done({ status: 'Pending', interval: 15, currentTime: '2026-01-01T00:00:00Z' }),
  );
  const [r] = transition(bootMachine, p, { type: 'trigger.BootNotification' });
  assert.equal(r.value, 'registering');
});

test('B03: Rejected waits; a trigger does not shorten it', () => {
  const [r] = transition(
    bootMachine,
    registering(),
    done({ status: 'Rejected', interval: 100, currentTime: '2026-01-01T00:00:00Z' }),
  );
  assert.equal(r.value, 'rejected');
  const [same] = transition(bootMachine, r, { type: 'trigger.BootNotification' });
  assert.equal(same.value, 'rejected');
});

test('Part 4 §5.3: a reconnect after Accepted resumes without a new BootNotification', () => {
  let [s] = transition(
    bootMachine,
    registering(),
    done({ status: 'Accepted', interval: 60, currentTime: '2026-01-01T00:00:00Z' }),
  );
  [s] = transition(bootMachine, s, { type: 'connection.down' });
  assert.equal(s.value, 'disconnected');
  [s] = transition(bootMachine, s, { type: 'connection.up', offlineSeconds: 5 });
  assert.deepEqual(s.value, { accepted: 'idle' });
});

test('no answer to the BootNotification retries after the waiting interval', () => {
  const [s] = transition(bootMachine, registering(), {
    type: 'bootNotification.error',
    id: 0,
    error: new Error('timeout'),
  });
  assert.equal(s.value, 'waitingToRetry');
});

/** The machine running with a scripted CSMS: each BootNotification takes the next answer. */
function scripted(answers: Array<BootNotificationResponse | Error>, bootInput: BootInput = input) {
  const clock = new RecordingClock();
  const reasons: string[] = [];
  let heartbeats = 0;
  const machine = bootMachine.provide({
    actions: {
      bootNotification: callAction<{ id: number; reason: BootReasonEnumType }>(
        'bootNotification',
        async (input) => {
          reasons.push(input.reason);
          const answer = answers.shift() ?? {
            status: 'Accepted',
            interval: 60,
            currentTime: '2026-01-01T00:00:00Z',
          };
          if (answer instanceof Error) throw answer;
          return answer;
        },
      ),
      heartbeat: callAction('heartbeat', async () => {
        heartbeats += 1;
        return { currentTime: '2026-01-01T00:00:00Z' };
      }),
    },
  });
  const actor = createActor(machine, { input: bootInput, clock });
  actor.start();
  return { actor, clock, reasons, heartbeats: () => heartbeats };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('TC_B_02_CS: a triggered BootNotification has reason Triggered, a retry after the interval the boot reason', async () => {
  const pending: BootNotificationResponse = {
    status: 'Pending',
    interval: 15,
    currentTime: '2026-01-01T00:00:00Z',
  };
  const { actor, clock, reasons } = scripted([pending, pending, pending]);
  actor.send({ type: 'connection.up', offlineSeconds: null });
  await settle();
  actor.send({ type: 'trigger.BootNotification' });
  await settle();
  assert.equal(actor.getSnapshot().value, 'pending');
  assert.equal(actor.getSnapshot().context.triggered, false);
  clock.increment(15_000);
  await settle();
  assert.deepEqual(reasons, ['PowerUp', 'Triggered', 'PowerUp']);
  actor.stop();
});

test('F06.FR.10: TriggerMessage(BootNotification) while waiting to retry an unanswered one sends it at once', async () => {
  const { actor, reasons } = scripted([new Error('timeout')]);
  actor.send({ type: 'connection.up', offlineSeconds: null });
  await settle();
  assert.equal(actor.getSnapshot().value, 'waitingToRetry');
  actor.send({ type: 'trigger.BootNotification' });
  await settle();
  assert.deepEqual(reasons, ['PowerUp', 'Triggered']);
  assert.deepEqual(actor.getSnapshot().value, { accepted: 'idle' });
  actor.stop();
});

const DAY_S = 24 * 3600;
const answer = (status: 'Accepted' | 'Pending' | 'Rejected', interval: number): BootNotificationResponse => ({
  status,
  interval,
  currentTime: '2026-01-01T00:00:00Z',
});

test('G02: a 30-day heartbeat interval neither overflows a timer nor beats early', async () => {
  const { actor, clock, heartbeats } = scripted([answer('Accepted', 30 * DAY_S)]);
  actor.send({ type: 'connection.up', offlineSeconds: null });
  await settle();
  assert.deepEqual(actor.getSnapshot().value, { accepted: 'idle' });
  clock.advance(30 * DAY_S * 1000 - 1);
  await settle();
  assert.equal(heartbeats(), 0, 'no Heartbeat before the interval');
  clock.increment(1);
  await settle();
  assert.equal(heartbeats(), 1);
  assert.ok(
    clock.delays.every((ms) => ms <= MAX_TIMER_DELAY_MS),
    `delays: ${clock.delays.join(', ')}`,
  );
  actor.stop();
});

test('G02: a 30-day HeartbeatInterval set by the CSMS is honoured too', async () => {
  const { actor, clock, heartbeats } = scripted([answer('Accepted', 0)]);
  actor.send({ type: 'connection.up', offlineSeconds: null });
  await settle();
  actor.send({ type: 'settings.heartbeatInterval', seconds: 30 * DAY_S });
  assert.equal(actor.getSnapshot().context.heartbeatIntervalS, 30 * DAY_S);
  clock.advance(30 * DAY_S * 1000 - 1);
  await settle();
  assert.equal(heartbeats(), 0);
  clock.increment(1);
  await settle();
  assert.equal(heartbeats(), 1);
  assert.ok(clock.delays.every((ms) => ms <= MAX_TIMER_DELAY_MS));
  actor.stop();
});

test('B02.FR.04/B03.FR.02: a 30-day Pending or Rejected interval is waited in full', async () => {
  for (const status of ['Pending', 'Rejected'] as const) {
    const { actor, clock, reasons } = scripted([answer(status, 30 * DAY_S)]);
    actor.send({ type: 'connection.up', offlineSeconds: null });
    await settle();
    clock.advance(30 * DAY_S * 1000 - 1);
    await settle();
    assert.deepEqual(reasons, ['PowerUp'], status);
    clock.increment(1);
    await settle();
    assert.deepEqual(reasons, ['PowerUp', 'PowerUp'], status);
    assert.ok(
      clock.delays.every((ms) => ms <= MAX_TIMER_DELAY_MS),
      status,
    );
    actor.stop();
  }
});

test('B02.FR.04: a reconnect while Pending does not boot; the interval timer keeps running through the drop', async () => {
  const { actor, clock, reasons } = scripted([answer('Pending', 15)]);
  actor.send({ type: 'connection.up', offlineSeconds: null });
  await settle();
  clock.increment(5_000);
  actor.send({ type: 'connection.down' });
  clock.increment(5_000);
  actor.send({ type: 'connection.up', offlineSeconds: 5 });
  await settle();
  assert.equal(actor.getSnapshot().value, 'pending');
  assert.equal(actor.getSnapshot().context.status, 'Pending');
  assert.deepEqual(reasons, ['PowerUp'], 'no BootNotification on the reconnect');
  clock.increment(4_999);
  await settle();
  assert.deepEqual(reasons, ['PowerUp']);
  clock.increment(1);
  await settle();
  assert.deepEqual(reasons, ['PowerUp', 'PowerUp'], '15 s after the Pending answer');
  assert.deepEqual(actor.getSnapshot().value, { accepted: 'idle' });
  actor.stop();
});

test('B03.FR.02: a reconnect while Rejected sends nothing before the interval', async () => {
  const { actor, clock, reasons } = scripted([answer('Rejected', 100)]);
  actor.send({ type: 'connection.up', offlineSeconds: null });
  await settle();
  actor.send({ type: 'connection.down' });
  actor.send({ type: 'connection.up', offlineSeconds: 0 });
  await settle();
  assert.equal(actor.getSnapshot().value, 'rejected');
  assert.deepEqual(reasons, ['PowerUp']);
  clock.increment(100_000);
  await settle();
  assert.deepEqual(reasons, ['PowerUp', 'PowerUp']);
  actor.stop();
});

test('B02.FR.08: an interval that ends while offline boots on the next connection, not before', async () => {
  for (const status of ['Pending', 'Rejected'] as const) {
    const { actor, clock, reasons } = scripted([answer(status, 15)]);
    actor.send({ type: 'connection.up', offlineSeconds: null });
    await settle();
    actor.send({ type: 'connection.down' });
    clock.increment(15_000);
    await settle();
    assert.equal(actor.getSnapshot().value, 'disconnected', status);
    assert.equal(actor.getSnapshot().context.status, status, 'the registration status is kept');
    assert.deepEqual(reasons, ['PowerUp'], status);
    actor.send({ type: 'connection.up', offlineSeconds: 20 });
    await settle();
    assert.deepEqual(reasons, ['PowerUp', 'PowerUp'], status);
    assert.deepEqual(actor.getSnapshot().value, { accepted: 'idle' }, status);
    actor.stop();
  }
});

test('B01 error handling: the wait after an unanswered BootNotification also runs through a drop', async () => {
  const { actor, clock, reasons } = scripted([new Error('timeout')], { ...input, defaultRetryIntervalS: 30 });
  actor.send({ type: 'connection.up', offlineSeconds: null });
  await settle();
  assert.equal(actor.getSnapshot().value, 'waitingToRetry');
  actor.send({ type: 'connection.down' });
  actor.send({ type: 'connection.up', offlineSeconds: 1 });
  await settle();
  assert.equal(actor.getSnapshot().value, 'waitingToRetry');
  assert.deepEqual(reasons, ['PowerUp']);
  clock.increment(30_000);
  await settle();
  assert.deepEqual(reasons, ['PowerUp', 'PowerUp']);
  actor.stop();
});

test('a connection lost before the first BootNotification was answered registers again on reconnect', () => {
  let [s] = transition(bootMachine, registering(), { type: 'connection.down' });
  assert.equal(s.value, 'disconnected');
  assert.equal(s.context.online, false);
  [s] = transition(bootMachine, s, { type: 'connection.up', offlineSeconds: 1 });
  assert.equal(s.value, 'registering');
});

test('Part 4 §5.3: no Heartbeat while offline after Accepted', async () => {
  const { actor, clock, heartbeats } = scripted([answer('Accepted', 10)]);
  actor.send({ type: 'connection.up', offlineSeconds: null });
  await settle();
  actor.send({ type: 'connection.down' });
  clock.increment(60_000);
  await settle();
  assert.equal(heartbeats(), 0);
  actor.send({ type: 'connection.up', offlineSeconds: 60 });
  clock.increment(10_000);
  await settle();
  assert.equal(heartbeats(), 1);
  actor.stop();
});

/**
 * The boot machine next to a stand-in `connection` actor (same systemId as in the station), with
 * each BootNotification taking the next scripted answer; records what reaches the connection.
 */
function besideConnection(answers: Array<BootNotificationResponse | Error>) {
  const clock = new RecordingClock();
  const toConnection: string[] = [];
  let boots = 0;
  const boot = machineUnderTest.provide({
    actions: {
      bootNotification: callAction('bootNotification', async () => {
        boots += 1;
        const next = answers.shift() ?? answer('Accepted', 60);
        if (next instanceof Error) throw next;
        return next;
      }),
    },
  });
  const connection = fromCallback<ConnectionEvent>(({ receive }) => {
    receive((event) => toConnection.push(event.type));
  });
  const station = setup({ actors: { boot, connection } }).createMachine({
    invoke: [
      { src: 'connection', systemId: 'connection' },
      { src: 'boot', systemId: 'boot', input: { ...input, defaultRetryIntervalS: 1 } },
    ],
  });
  const actor = createActor(station, { clock }).start();
  const send = (event: Parameters<typeof actor.send>[0] | { type: string; offlineSeconds?: number | null }) =>
    actor.system.get('boot')?.send(event);
  return { actor, clock, toConnection, boots: () => boots, send };
}

const timeout = () => new RpcTimeoutError('BootNotification', 'm', 1000);

test(`B01 error handling: after ${UNANSWERED_BOOTS_BEFORE_RECONNECT} BootNotifications in a row time out on an open connection, the station reconnects`, async () => {
  const { actor, clock, toConnection, boots, send } = besideConnection([timeout(), timeout(), timeout()]);
  send({ type: 'connection.up', offlineSeconds: null });
  await settle();
  for (let n = 1; n < UNANSWERED_BOOTS_BEFORE_RECONNECT; n++) {
    assert.equal(boots(), n);
    assert.deepEqual(toConnection, [], `no reconnect after ${n} unanswered`);
    clock.increment(1000);
    await settle();
  }
  assert.equal(boots(), UNANSWERED_BOOTS_BEFORE_RECONNECT);
  assert.deepEqual(toConnection, ['connection.reconnect']);
  // The new connection: the retry goes out on it and is answered.
  send({ type: 'connection.down' });
  send({ type: 'connection.up', offlineSeconds: 1 });
  clock.increment(1000);
  await settle();
  assert.equal(boots(), UNANSWERED_BOOTS_BEFORE_RECONNECT + 1);
  assert.deepEqual(actor.system.get('boot')?.getSnapshot().value, { accepted: 'idle' });
  assert.deepEqual(toConnection, ['connection.reconnect']);
  actor.stop();
});

test('B01 error handling: an answer in between (a CALLERROR) starts the count of unanswered BootNotifications again', async () => {
  const callError = new OcppRpcError('InternalError', 'busy');
  const { actor, clock, toConnection, boots, send } = besideConnection([
    timeout(),
    timeout(),
    callError,
    timeout(),
    timeout(),
  ]);
  send({ type: 'connection.up', offlineSeconds: null });
  await settle();
  for (let n = 1; n <= 5; n++) {
    clock.increment(1000);
    await settle();
  }
  assert.equal(boots(), 6);
  assert.deepEqual(toConnection, []);
  assert.deepEqual(actor.system.get('boot')?.getSnapshot().value, { accepted: 'idle' });
  actor.stop();
});

test('the BootNotification is an entry effect; an answer to a call no longer awaited changes nothing (issue 9)', () => {
  let [s, actions] = transition(bootMachine, initialTransition(bootMachine, input)[0], {
    type: 'connection.up',
    offlineSeconds: null,
  });
  assert.deepEqual(actions.find((a) => a.type === 'bootNotification')?.params, { id: 0, reason: 'PowerUp' });
  assert.deepEqual(s.children, {}, 'no actor per call');
  // The connection drops while the call is in flight; the next connection makes a new call.
  [s] = transition(bootMachine, s, { type: 'connection.down' });
  [s, actions] = transition(bootMachine, s, { type: 'connection.up', offlineSeconds: 1 });
  assert.deepEqual(actions.find((a) => a.type === 'bootNotification')?.params, { id: 1, reason: 'PowerUp' });
  // The first call's answer arrives late: stale, ignored.
  const accepted = { status: 'Accepted', interval: 60, currentTime: '2026-01-01T00:00:00Z' } as const;
  const [late] = transition(bootMachine, s, { type: 'bootNotification.done', id: 0, output: accepted });
  assert.equal(late.value, 'registering');
  const [lateError] = transition(bootMachine, s, {
    type: 'bootNotification.error',
    id: 0,
    error: new Error('x'),
  });
  assert.equal(lateError.value, 'registering');
  [s] = transition(bootMachine, s, { type: 'bootNotification.done', id: 1, output: accepted });
  assert.deepEqual(s.value, { accepted: 'idle' });
});

test('G02.FR.01: the Heartbeat is an entry effect of `beating`, answered by heartbeat.done with its id', () => {
  const [idle] = transition(
    bootMachine,
    registering(),
    done({ status: 'Accepted', interval: 60, currentTime: '2026-01-01T00:00:00Z' }),
  );
  const [beating, actions] = transition(bootMachine, idle, { type: 'heartbeat.due', leftMs: 0 });
  let s = beating;
  assert.deepEqual(s.value, { accepted: 'beating' });
  const call = actions.find((a) => a.type === 'heartbeat');
  assert.deepEqual(call?.params, { id: s.context.callId });
  const [stale] = transition(bootMachine, s, {
    type: 'heartbeat.done',
    id: s.context.callId - 1,
    output: { currentTime: '2026-01-01T00:00:00Z' },
  });
  assert.deepEqual(stale.value, { accepted: 'beating' });
  [s] = transition(bootMachine, s, {
    type: 'heartbeat.error',
    id: s.context.callId,
    error: new Error('timeout'),
  });
  assert.deepEqual(s.value, { accepted: 'idle' });
});
