/**
 * `state` events derived from the inspection stream (src/events/state-events.ts), fed inspection
 * events shaped as xstate sends them; the real stream of a running station is covered by
 * test/visualizer/visualizer-server.test.ts and the page test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InspectionEvent } from 'xstate';
import { StateEvents } from '../../src/events/state-events.js';
import type { StateStationEvent, StationEventBody } from '../../src/events/station-event.js';
import type { StationEvent } from '../../src/index.js';
import { recorder } from '../integration/recorder.js';
import { startHarness } from '../integration/station-harness.js';

/** An actor as the inspection stream shows it. */
function actor(sessionId: string, machine: string, systemId?: string) {
  return { sessionId, logic: { id: machine }, ...(systemId === undefined ? {} : { systemId }) };
}

function snapshot(
  ref: object,
  rootId: string,
  value: unknown,
  event: string,
  status = 'active',
  context: unknown = {},
): InspectionEvent {
  return {
    type: '@xstate.snapshot',
    actorRef: ref,
    rootId,
    snapshot: { value, status, context },
    event: { type: event },
  } as unknown as InspectionEvent;
}

function collect() {
  const emitted: StationEventBody[] = [];
  const sink = { active: true, emit: (e: StationEventBody) => emitted.push(e) };
  const states = new StateEvents(sink);
  return {
    states,
    sink,
    lines: () =>
      emitted.flatMap((e) =>
        e.type === 'state'
          ? [`${e.actor}(${e.machine}) ${JSON.stringify(e.value)} ${e.status} ${e.event}`]
          : [],
      ),
  };
}

test('named machine actors (the root is station), value changes only', () => {
  const { states, lines } = collect();
  const root = actor('x:0', 'station');
  const connector = actor('x:1', 'connector', 'connector:1:1');
  states.inspect({ type: '@xstate.actor', actorRef: root, rootId: 'x:0' } as unknown as InspectionEvent);
  states.inspect(snapshot(root, 'x:0', { operation: 'running' }, 'xstate.init'));
  states.inspect(snapshot(connector, 'x:0', { status: 'Available' }, 'xstate.init'));
  // A context change alone is no state change.
  states.inspect(snapshot(connector, 'x:0', { status: 'Available' }, 'link', 'active', { linked: true }));
  // An actor without systemId, and a promise actor (no state value), are not reported.
  states.inspect(snapshot(actor('x:3', 'connector'), 'x:0', { status: 'Available' }, 'xstate.init'));
  states.inspect(snapshot(actor('x:4', 'bootNotification', 'call'), 'x:0', undefined, 'xstate.init'));
  states.inspect(snapshot(connector, 'x:0', { status: 'Occupied' }, 'hw.plugged'));
  // Other inspection events carry no state.
  states.inspect({
    type: '@xstate.event',
    actorRef: connector,
    rootId: 'x:0',
    event: { type: 'hw.plugged' },
  } as unknown as InspectionEvent);
  assert.deepEqual(lines(), [
    'station(station) {"operation":"running"} active xstate.init',
    'connector:1:1(connector) {"status":"Available"} active xstate.init',
    'connector:1:1(connector) {"status":"Occupied"} active hw.plugged',
  ]);
});

test('a finished actor is reported once and forgotten; at the stop the running ones are reported stopped, then nothing', () => {
  const { states, lines } = collect();
  const tx = actor('x:5', 'transaction', 'transaction:T1');
  const boot = actor('x:6', 'boot', 'boot');
  states.inspect(snapshot(boot, 'x:0', 'registering', 'connection.up'));
  states.inspect(snapshot(tx, 'x:0', { transaction: { chargingState: 'Charging' } }, 'ev.charging'));
  states.inspect(snapshot(tx, 'x:0', 'ended', 'ev.disconnected', 'done'));
  states.stopped();
  states.inspect(snapshot(boot, 'x:0', 'registering', 'xstate.stop', 'stopped'));
  states.stopped();
  assert.deepEqual(lines(), [
    'boot(boot) "registering" active connection.up',
    'transaction:T1(transaction) {"transaction":{"chargingState":"Charging"}} active ev.charging',
    'transaction:T1(transaction) "ended" done ev.disconnected',
    'boot(boot) "registering" stopped xstate.stop',
  ]);
});

test('nobody listening: nothing is derived or kept; a later listener hears the next state of each actor', () => {
  const { states, sink, lines } = collect();
  const connector = actor('x:1', 'connector', 'connector:1:1');
  states.inspect(snapshot(connector, 'x:0', { status: 'Available' }, 'xstate.init'));
  sink.active = false;
  states.inspect(snapshot(connector, 'x:0', { status: 'Occupied' }, 'hw.plugged'));
  sink.active = true;
  // Back to the value reported before the gap: it is a change for whoever listens now.
  states.inspect(snapshot(connector, 'x:0', { status: 'Available' }, 'hw.unplugged'));
  assert.deepEqual(lines(), [
    'connector:1:1(connector) {"status":"Available"} active xstate.init',
    'connector:1:1(connector) {"status":"Available"} active hw.unplugged',
  ]);
});

test('a running station: every actor of a boot and a session reports its state; at stop() the running ones are stopped', async (t) => {
  const h = await startHarness({ noStart: true });
  t.after(() => h.close());
  const events = recorder<StationEvent>();
  h.station.subscribe((e) => events.push(e));
  await h.station.start();
  const state = (actor: string) =>
    events.items.filter((e): e is StateStationEvent => e.type === 'state' && e.actor === actor).at(-1);
  await events.waitFor(
    (e) => e.type === 'state' && e.actor === 'boot' && JSON.stringify(e.value) === '{"accepted":"idle"}',
    'boot accepted',
  );
  h.station.onSessionStarted(1, 1);
  await events.waitFor(
    (e) =>
      e.type === 'state' && e.actor === 'connector:1:1' && JSON.stringify(e.value).includes('"Occupied"'),
    'connector 1/1 Occupied',
  );
  assert.equal(state('connector:1:1')?.event, 'hw.plugged', 'the event that caused the change');
  const machines = new Map(
    events.items.flatMap((e) => (e.type === 'state' ? [[e.actor, e.machine] as const] : [])),
  );
  const expected: Array<[string, string]> = [
    ['station', 'station'],
    ['connection', 'connection'],
    ['boot', 'boot'],
    ['evse:1', 'evse'],
    ['evse:2', 'evse'],
    ['connector:1:1', 'connector'],
  ];
  for (const [actor, machine] of expected)
    assert.equal(machines.get(actor), machine, `${actor} runs ${machine}`);
  const session = [...machines].find(([actor]) => actor.startsWith('transaction:'));
  assert.ok(session, 'the session the plug opened');
  assert.equal(session[1], 'transaction');
  // The state events are the actors' snapshots: the runtime agrees.
  assert.equal(
    (state('connector:1:1')?.value as { status?: string }).status,
    h.station.connectorStatus(1, 1),
  );
  const before = events.items.length;
  await h.station.stop();
  const stopped = events.items.slice(before).filter((e): e is StateStationEvent => e.type === 'state');
  assert.ok(stopped.length > 0 && stopped.every((e) => e.status === 'stopped' && e.event === 'xstate.stop'));
  assert.ok(stopped.some((e) => e.actor === 'connector:1:1'));
  assert.ok(
    stopped.some((e) => e.actor === session[0]),
    'the open session stops with the station',
  );
  for (const e of events.items) if (e.type === 'state') assert.match(e.time, /^\d{4}-\d{2}-\d{2}T/);
});
