/**
 * The charts the page draws are the production machines: every machine serializes, and its states
 * and transitions are exactly those of `machine.root` (walked here independently of the
 * serializer); a value a running actor reports maps onto states of its chart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, type AnyStateMachine } from 'xstate';
import { connectorMachine } from '../../machines/connector.js';
import { eventLabel, machineChart, type ChartState } from '../../src/visualizer/machine-graph.js';
import { PRODUCTION_MACHINES, productionCharts } from '../../src/visualizer/production-machines.js';

interface NodeLike {
  id: string;
  type: string;
  states: Record<string, NodeLike>;
  transitions: Map<string, Array<{ eventType: string; target?: Array<{ id: string }> }>>;
  always?: Array<{ eventType: string; target?: Array<{ id: string }> }>;
}

/** Every state id and every transition `source | event | targets` of a machine, from xstate's own nodes. */
function fromMachine(machine: AnyStateMachine) {
  const states: string[] = [];
  const transitions: string[] = [];
  const walk = (node: NodeLike) => {
    states.push(node.id);
    const all = [...[...node.transitions.values()].flat(), ...(node.always ?? [])];
    for (const t of all)
      transitions.push(`${node.id} | ${t.eventType} | ${(t.target ?? []).map((x) => x.id).join(',')}`);
    Object.values(node.states).forEach(walk);
  };
  walk(machine.root as unknown as NodeLike);
  return { states, transitions };
}

function fromChart(root: ChartState) {
  const states: string[] = [];
  const transitions: string[] = [];
  const walk = (node: ChartState) => {
    states.push(node.id);
    for (const t of node.transitions) transitions.push(`${node.id} | ${t.event} | ${t.targets.join(',')}`);
    node.states.forEach(walk);
  };
  walk(root);
  return { states, transitions };
}

test('the production machines are the charts the station spawns', () => {
  assert.deepEqual(Object.keys(PRODUCTION_MACHINES), [
    'station',
    'connection',
    'boot',
    'evse',
    'connector',
    'transaction',
    'reservation',
  ]);
  for (const [name, machine] of Object.entries(PRODUCTION_MACHINES)) assert.equal(machine.id, name);
});

for (const [name, machine] of Object.entries(PRODUCTION_MACHINES)) {
  test(`${name}: every state and transition of the machine is in its chart, and nothing else`, () => {
    const chart = machineChart(machine);
    const expected = fromMachine(machine);
    const got = fromChart(chart.root);
    assert.deepEqual(got.states, expected.states);
    assert.deepEqual(got.transitions.sort(), expected.transitions.sort());
    assert.equal(chart.stateCount, expected.states.length);
    assert.equal(chart.transitionCount, expected.transitions.length);
    assert.ok(chart.transitionCount > 0, `${name} has transitions`);
    // What the page gets is JSON: the chart survives the trip unchanged.
    assert.deepEqual(JSON.parse(JSON.stringify(chart)), chart);
    // Every target names a state of the same chart.
    const ids = new Set(got.states);
    for (const line of got.transitions) {
      for (const target of line.split(' | ')[2]?.split(',').filter(Boolean) ?? [])
        assert.ok(ids.has(target), `${line}: ${target}`);
    }
  });
}

test('the connector chart: regions, initial states, always transitions, the call answered by its done/error events', () => {
  const chart = productionCharts().connector;
  assert.ok(chart);
  assert.equal(chart.root.type, 'parallel');
  assert.deepEqual(
    chart.root.states.map((s) => s.key),
    ['facts', 'status', 'report'],
  );
  const status = chart.root.states.find((s) => s.key === 'status');
  assert.equal(status?.initial, 'Available');
  assert.deepEqual(
    status?.states.map((s) => s.key),
    ['Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted'],
  );
  const available = status?.states[0];
  assert.deepEqual(
    available?.transitions.map((t) => [t.label, t.targets]),
    [
      ['always', ['connector.status.Occupied']],
      ['always', ['connector.status.Reserved']],
      ['always', ['connector.status.Unavailable']],
      ['always', ['connector.status.Faulted']],
    ],
  );
  const sending = chart.root.states.find((s) => s.key === 'report')?.states.find((s) => s.key === 'sending');
  // Issue 9: the StatusNotification is an entry effect answered by events, not an invoked actor.
  assert.deepEqual(sending?.invoke, []);
  assert.deepEqual(
    sending?.transitions.map((t) => `${t.label} [${t.guard}] -> ${t.targets.join()}`),
    [
      'statusNotification.done [awaited] -> connector.report.idle',
      'statusNotification.error [awaited] -> connector.report.failed',
    ],
  );
  const tracking = chart.root.states[0]?.states[0];
  assert.equal(tracking?.transitions.find((t) => t.event === 'availability.effective')?.guard, 'inline');
  assert.deepEqual(tracking?.transitions.find((t) => t.event === 'hw.plugged')?.targets, []);
});

test('guards by name are kept (boot: a retry of a BootNotification that got no answer)', () => {
  const boot = productionCharts().boot;
  const guards = new Set<string>();
  const walk = (s: ChartState) => {
    for (const t of s.transitions) if (t.guard !== undefined) guards.add(t.guard);
    s.states.forEach(walk);
  };
  assert.ok(boot);
  walk(boot.root);
  assert.ok(guards.has('acceptedBefore'), [...guards].join(' '));
});

test('event labels: always, delays, done and error of invoked actors, done of a state', () => {
  const sources = new Map([['0.boot.registering', 'bootNotification']]);
  assert.equal(eventLabel('', sources), 'always');
  assert.equal(eventLabel('xstate.after.1000.boot.waiting', sources), 'after 1000 ms');
  assert.equal(eventLabel('xstate.after.retryDelay.boot.waiting', sources), 'after retryDelay');
  assert.equal(eventLabel('xstate.done.actor.0.boot.registering', sources), 'done: bootNotification');
  assert.equal(eventLabel('xstate.error.actor.0.boot.registering', sources), 'error: bootNotification');
  assert.equal(eventLabel('xstate.done.actor.socket', sources), 'done: socket');
  assert.equal(eventLabel('xstate.done.state.transaction.session', sources), 'done (all regions final)');
  assert.equal(eventLabel('hw.plugged', sources), 'hw.plugged');
});

test("a running connector's state value names states of its chart (the page's activeStateIds)", async () => {
  const { activeStateIds } = (await import('../../visualizer/chart.js' as string)) as {
    activeStateIds(chart: unknown, value: unknown): Set<string>;
  };
  const actor = createActor(connectorMachine, { input: { evseId: 1, connectorId: 1, operative: true } });
  actor.start();
  const value = actor.getSnapshot().value;
  actor.stop();
  const chart = productionCharts().connector;
  const active = activeStateIds(chart, value);
  assert.deepEqual([...active].sort(), [
    'connector',
    'connector.facts',
    'connector.facts.tracking',
    'connector.report',
    'connector.report.idle',
    'connector.status',
    'connector.status.Available',
  ]);
  // A value naming no state of the chart highlights nothing beyond the root.
  assert.deepEqual([...activeStateIds(chart, { nowhere: 'x' })], ['connector']);
});
