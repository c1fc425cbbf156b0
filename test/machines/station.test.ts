import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, fromCallback, SimulatedClock, type AnyActorRef } from 'xstate';
import { hasTarget, stationMachine, type StationInput } from '../../machines/station.js';
import { bootMachine } from '../../machines/boot.js';
import { connectionMachine } from '../../machines/connection.js';
import { evseMachine } from '../../machines/evse.js';
import {
  connectorMachine,
  type StatusNotificationInput,
  type StatusNotificationParams,
} from '../../machines/connector.js';
import { callAction } from '../../src/runtime/call-effects.js';
import type {
  BootNotificationResponse,
  BootReasonEnumType,
  RegistrationStatusEnumType,
} from '../../src/generated/ocpp-types.js';
import { AT, TX_SETTINGS } from './tx-settings-fixture.js';

const input: StationInput = {
  evses: [
    { evseId: 1, connectorIds: [1], txSettings: TX_SETTINGS },
    { evseId: 2, connectorIds: [1], txSettings: TX_SETTINGS },
  ],
  stationOperative: true,
  offlineThresholdS: 60,
  boot: { reason: 'PowerUp', heartbeatIntervalS: 300, defaultRetryIntervalS: 30 },
  connection: { priority: [1], attemptsPerSlot: 3, backOffRepeatTimes: 2 },
};

/** The station wired to fakes: a socket that opens on demand, a CSMS answering from a script. */
function harness(bootStatuses: RegistrationStatusEnumType[], stationInput: StationInput = input) {
  const clock = new SimulatedClock();
  /** Events taken by the EVSE and connector actors, as `systemId event` (canSend shown for link). */
  const received: string[] = [];
  const sent: StatusNotificationInput[] = [];
  const boots: string[] = [];
  let socketParent: AnyActorRef | undefined;
  const connector = connectorMachine.provide({
    actions: {
      statusNotification: callAction<StatusNotificationParams>('statusNotification', async ({ id: _id, ...input }) => {
        sent.push(input);
        return input.status;
      }),
    },
  });
  const evse = evseMachine.provide({ actors: { connector } });
  const boot = bootMachine.provide({
    actions: {
      bootNotification: callAction<{ id: number; reason: BootReasonEnumType }>('bootNotification', async (input) => {
        boots.push(input.reason);
        const status = bootStatuses.shift() ?? 'Accepted';
        return {
          status,
          interval: 10,
          currentTime: '2026-01-01T00:00:00Z',
        } satisfies BootNotificationResponse;
      }),
      heartbeat: callAction('heartbeat', async () => ({ currentTime: '2026-01-01T00:00:00Z' })),
    },
  });
  const connection = connectionMachine.provide({
    actors: {
      socket: fromCallback(({ sendBack }) => {
        socketParent = { send: sendBack } as unknown as AnyActorRef;
      }),
    },
  });
  const machine = stationMachine.provide({ actors: { boot, connection, evse } });
  const actor = createActor(machine, {
    input: stationInput,
    clock,
    inspect: (e) => {
      const id = (e.actorRef as { systemId?: string }).systemId ?? '';
      if (e.type !== '@xstate.event' || !/^(evse|connector):/.test(id)) return;
      const event = e.event as { type: string; canSend?: boolean };
      received.push(`${id} ${event.type}${event.type === 'link' ? `(${event.canSend})` : ''}`);
    },
  });
  return { actor, clock, sent, boots, received, socket: () => socketParent };
}

const tick = () => new Promise((r) => setImmediate(r));

test('B01: Accepted boot sends a StatusNotification per connector, none before', async () => {
  const h = harness(['Accepted']);
  h.actor.start();
  h.actor.system.get('connection').send({ type: 'connection.start' });
  assert.equal(h.sent.length, 0);
  h.socket()!.send({ type: 'ws.opened', slot: 1, offlineSeconds: null });
  await tick();
  await tick();
  assert.deepEqual(h.boots, ['PowerUp']);
  assert.equal(h.actor.getSnapshot().context.registration, 'Accepted');
  assert.deepEqual(h.sent.map((s) => `${s.evseId}/${s.connectorId}:${s.status}`).sort(), [
    '1/1:Available',
    '2/1:Available',
  ]);
  h.actor.stop();
});

test('B02: Pending sends no StatusNotification and re-boots after the interval', async () => {
  const h = harness(['Pending', 'Accepted']);
  h.actor.start();
  h.actor.system.get('connection').send({ type: 'connection.start' });
  h.socket()!.send({ type: 'ws.opened', slot: 1, offlineSeconds: null });
  await tick();
  assert.equal(h.actor.getSnapshot().context.registration, 'Pending');
  assert.equal(h.sent.length, 0);
  h.clock.increment(9_999);
  await tick();
  assert.deepEqual(h.boots, ['PowerUp']);
  h.clock.increment(1);
  await tick();
  await tick();
  assert.deepEqual(h.boots, ['PowerUp', 'PowerUp']);
  assert.equal(h.actor.getSnapshot().context.registration, 'Accepted');
  assert.equal(h.sent.length, 2);
  h.actor.stop();
});

test('G01 + B04.FR.02: a change while offline is reported on reconnect, unchanged ones are not', async () => {
  const h = harness(['Accepted']);
  h.actor.start();
  h.actor.system.get('connection').send({ type: 'connection.start' });
  h.socket()!.send({ type: 'ws.opened', slot: 1, offlineSeconds: null });
  await tick();
  await tick();
  h.sent.length = 0;
  h.socket()!.send({ type: 'ws.closed' });
  h.actor.send({ type: 'hw.plugged', evseId: 2, connectorId: 1, at: AT, txId: 'tx-2' });
  await tick();
  assert.equal(h.sent.length, 0, 'nothing is sent while offline');
  h.clock.increment(1000);
  h.socket()!.send({ type: 'ws.opened', slot: 1, offlineSeconds: 5 });
  await tick();
  await tick();
  assert.deepEqual(h.boots, ['PowerUp'], 'a reconnect does not boot again');
  assert.deepEqual(h.sent, [{ evseId: 2, connectorId: 1, status: 'Occupied' }]);
  h.actor.stop();
});

test('B04.FR.01: offline longer than OfflineThreshold reports every connector', async () => {
  const h = harness(['Accepted']);
  h.actor.start();
  h.actor.system.get('connection').send({ type: 'connection.start' });
  h.socket()!.send({ type: 'ws.opened', slot: 1, offlineSeconds: null });
  await tick();
  await tick();
  h.sent.length = 0;
  h.socket()!.send({ type: 'ws.closed' });
  h.clock.increment(1000);
  h.socket()!.send({ type: 'ws.opened', slot: 1, offlineSeconds: 61 });
  await tick();
  await tick();
  assert.equal(h.sent.length, 2);
  h.actor.stop();
});

test('G03: an Inoperative EVSE makes its connector Unavailable and back', async () => {
  const h = harness(['Accepted']);
  h.actor.start();
  h.actor.system.get('connection').send({ type: 'connection.start' });
  h.socket()!.send({ type: 'ws.opened', slot: 1, offlineSeconds: null });
  await tick();
  await tick();
  h.sent.length = 0;
  h.actor.send({ type: 'csms.changeAvailability', evseId: 1, operative: false });
  await tick();
  h.actor.send({ type: 'csms.changeAvailability', evseId: 1, operative: true });
  await tick();
  await tick();
  assert.deepEqual(
    h.sent.map((s) => s.status),
    ['Unavailable', 'Available'],
  );
  assert.deepEqual(h.actor.system.get('connector:1:1').getSnapshot().value, {
    facts: 'tracking',
    status: 'Available',
    report: 'idle',
  });
  h.actor.stop();
});

test('events for an unknown EVSE or connector are dropped; the station keeps running', async () => {
  const h = harness(['Accepted']);
  const errors: unknown[] = [];
  h.actor.subscribe({ error: (e) => errors.push(e) });
  h.actor.start();
  h.actor.system.get('connection').send({ type: 'connection.start' });
  h.socket()!.send({ type: 'ws.opened', slot: 1, offlineSeconds: null });
  await tick();
  await tick();
  h.sent.length = 0;
  h.actor.send({ type: 'hw.plugged', evseId: 99, connectorId: 1, at: AT, txId: 'tx-99' });
  h.actor.send({ type: 'hw.faulted', evseId: 1, connectorId: 9, at: AT });
  h.actor.send({ type: 'csms.changeAvailability', evseId: 99, operative: false });
  h.actor.send({ type: 'csms.changeAvailability', evseId: 1, connectorId: 9, operative: false });
  await tick();
  assert.deepEqual(errors, []);
  assert.equal(h.actor.getSnapshot().status, 'active');
  assert.deepEqual(h.sent, [], 'nothing changed on the EVSEs that exist');
  assert.deepEqual(h.actor.system.get('evse:1').getSnapshot().context.connectorOperative, {});
  // The station still works.
  h.actor.send({ type: 'hw.plugged', evseId: 2, connectorId: 1, at: AT, txId: 'tx-2' });
  await tick();
  assert.deepEqual(h.sent, [{ evseId: 2, connectorId: 1, status: 'Occupied' }]);
  h.actor.stop();
});

test('hasTarget knows the EVSEs and connectors of the station (0 is the EVSE itself)', () => {
  const context = { evses: [{ evseId: 1, connectorIds: [1, 2], txSettings: TX_SETTINGS }] };
  assert.equal(hasTarget(context, 1), true);
  assert.equal(hasTarget(context, 1, 0), true);
  assert.equal(hasTarget(context, 1, 2), true);
  assert.equal(hasTarget(context, 1, 3), false);
  assert.equal(hasTarget(context, 2), false);
  assert.equal(hasTarget(context, 2, 1), false);
});

/** Boots the harness's station through Accepted and both StatusNotifications. */
async function bootAccepted(h: ReturnType<typeof harness>) {
  h.actor.start();
  h.actor.send({ type: 'resumed', at: AT, resumeTransactions: true, settings: {} });
  h.actor.system.get('connection').send({ type: 'connection.start' });
  h.socket()!.send({ type: 'ws.opened', slot: 1, offlineSeconds: null });
  await tick();
  await tick();
}

test('a fresh boot (issue 9): EVSEs and connectors hear no resumed, no reservation marks, no link before Accepted, and the connectors tell no default facts', async () => {
  const h = harness(['Accepted']);
  await bootAccepted(h);
  assert.equal(h.sent.length, 2);
  // The answers to the connectors' own calls (xstate's, or statusNotification.*) are not told.
  const told = h.received.filter((r) => !r.includes(' xstate.') && !r.includes(' statusNotification.'));
  // The link goes straight to the connectors (no EVSE forwards it).
  assert.deepEqual(told.sort(), ['connector:1:1 link(true)', 'connector:2:1 link(true)']);
  // Going offline is said (the connectors could send until now).
  h.received.length = 0;
  h.socket()!.send({ type: 'ws.closed' });
  await tick();
  assert.ok(h.received.includes('connector:1:1 link(false)'), h.received.join(', '));
  assert.ok(!h.received.some((r) => r.startsWith('evse:')), h.received.join(', '));
  h.actor.stop();
});

test('a connector created with facts other than the defaults tells them (H01: an inoperative EVSE)', async () => {
  const h = harness(['Accepted'], {
    ...input,
    evses: [{ ...(input.evses[0] as StationInput['evses'][number]), evseOperative: false }, input.evses[1] as StationInput['evses'][number]],
  });
  h.actor.start();
  await tick();
  assert.deepEqual(h.received.filter((r) => r.endsWith('connector.facts')), ['evse:1 connector.facts']);
  assert.equal(h.actor.getSnapshot().context.connectorFacts['1/1']?.operative, false);
  h.actor.stop();
});

test('a restored EVSE hears resumed and every EVSE its reservation mark; the other, fresh, EVSE no resumed', async () => {
  const restoredInput: StationInput = {
    ...input,
    evses: [{ ...(input.evses[0] as StationInput['evses'][number]), restore: {} }, input.evses[1] as StationInput['evses'][number]],
  };
  const h = harness(['Accepted'], restoredInput);
  await bootAccepted(h);
  assert.ok(h.received.includes('evse:1 resumed') && h.received.includes('connector:1:1 resumed'), h.received.join(', '));
  assert.ok(!h.received.includes('evse:2 resumed'), h.received.join(', '));
  assert.ok(h.received.includes('evse:1 reservation.mark') && h.received.includes('evse:2 reservation.mark'));
  assert.equal(h.sent.length, 2);
  h.actor.stop();
});
