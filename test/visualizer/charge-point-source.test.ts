/**
 * The adapter from a ChargePoint's inspection stream and frame callback to visualizer events, fed
 * with inspection events shaped as xstate sends them (the real stream is covered by
 * visualizer-server.test.ts and the page test).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InspectionEvent } from 'xstate';
import { createChargePointSource, type VisualizerEvent } from '../../src/visualizer/index.js';

const TIME = '2026-01-01T00:00:00.000Z';

/** An actor as the inspection stream shows it. */
function actor(sessionId: string, machine: string, systemId?: string) {
  return { sessionId, logic: { id: machine }, ...(systemId === undefined ? {} : { systemId }) };
}

function snapshot(
  ref: ReturnType<typeof actor>,
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
  const source = createChargePointSource({ now: () => TIME });
  const events: VisualizerEvent[] = [];
  source.subscribe((e) => events.push(e));
  return {
    source,
    events,
    states: () =>
      events.flatMap((e) =>
        e.type === 'state' ? [`${e.actor} ${JSON.stringify(e.value)} ${e.status} ${e.event}`] : [],
      ),
  };
}

test('actors by systemId (the root is station), production machines only, value changes only', () => {
  const { source, states } = collect();
  const root = actor('x:0', 'station');
  const connector = actor('x:1', 'connector', 'connector:1:1');
  source.inspect({ type: '@xstate.actor', actorRef: root, rootId: 'x:0' } as unknown as InspectionEvent);
  source.inspect(snapshot(root, 'x:0', { operation: 'running' }, 'xstate.init'));
  source.inspect(snapshot(connector, 'x:0', { status: 'Available' }, 'xstate.init'));
  // A context change alone is no state change.
  source.inspect(snapshot(connector, 'x:0', { status: 'Available' }, 'link', 'active', { linked: true }));
  // An invoked helper (longWait) and an actor without systemId are not charts of the station.
  source.inspect(snapshot(actor('x:2', 'longWait'), 'x:0', 'waiting', 'xstate.init'));
  source.inspect(snapshot(actor('x:3', 'connector'), 'x:0', { status: 'Available' }, 'xstate.init'));
  source.inspect(snapshot(connector, 'x:0', { status: 'Occupied' }, 'hw.plugged'));
  // Other inspection events carry no state.
  source.inspect({
    type: '@xstate.event',
    actorRef: connector,
    rootId: 'x:0',
    event: { type: 'hw.plugged' },
  } as unknown as InspectionEvent);
  assert.deepEqual(states(), [
    'station {"operation":"running"} active xstate.init',
    'connector:1:1 {"status":"Available"} active xstate.init',
    'connector:1:1 {"status":"Occupied"} active hw.plugged',
  ]);
});

test('a finished actor is reported once and forgotten; a new root reports the previous run stopped', () => {
  const { source, states, events } = collect();
  const root = actor('x:0', 'station');
  const tx = actor('x:5', 'transaction', 'transaction:T1');
  const boot = actor('x:6', 'boot', 'boot');
  source.inspect({ type: '@xstate.actor', actorRef: root, rootId: 'x:0' } as unknown as InspectionEvent);
  source.inspect(snapshot(boot, 'x:0', 'registering', 'connection.up'));
  source.inspect(snapshot(tx, 'x:0', { transaction: { chargingState: 'Charging' } }, 'ev.charging'));
  source.inspect(snapshot(tx, 'x:0', 'ended', 'ev.disconnected', 'done'));
  // A ChargePoint started again (a reboot): a new root actor.
  const root2 = actor('y:0', 'station');
  source.inspect({ type: '@xstate.actor', actorRef: root2, rootId: 'y:0' } as unknown as InspectionEvent);
  source.inspect(snapshot(actor('y:1', 'boot', 'boot'), 'y:0', 'registering', 'xstate.init'));
  assert.deepEqual(states(), [
    'boot "registering" active connection.up',
    'transaction:T1 {"transaction":{"chargingState":"Charging"}} active ev.charging',
    'transaction:T1 "ended" done ev.disconnected',
    'boot "registering" stopped xstate.stop',
    'boot "registering" active xstate.init',
  ]);
  assert.ok(events.every((e) => e.time === TIME));
  const first = events[0];
  assert.ok(first?.type === 'state' && first.machine === 'boot');
});

test('frames: parsed OCPP-J arrays with their direction; text that is not JSON is kept as text', () => {
  const { source, events } = collect();
  source.ocppMessagesCallback('[2,"m1","Heartbeat",{}]', 'station->CSMS');
  source.ocppMessagesCallback('{not json', 'CSMS->station');
  assert.deepEqual(events, [
    { type: 'frame', direction: 'out', frame: [2, 'm1', 'Heartbeat', {}], time: TIME },
    { type: 'frame', direction: 'in', frame: '{not json', time: TIME },
  ]);
});

test('a listener that throws is cut off and reported; the others and the station go on', () => {
  const failures: unknown[] = [];
  const source = createChargePointSource({ now: () => TIME, onListenerError: (e) => failures.push(e) });
  let calls = 0;
  source.subscribe(() => {
    throw new Error('observer bug');
  });
  source.subscribe(() => (calls += 1));
  source.ocppMessagesCallback('[2,"m1","Heartbeat",{}]', 'station->CSMS');
  source.ocppMessagesCallback('[3,"m1",{}]', 'CSMS->station');
  assert.equal(calls, 2);
  assert.equal(failures.length, 1);
  assert.match(String(failures[0]), /observer bug/);
});
