/**
 * The model-based test helpers of ./testing on small charts: transition keys, the projection
 * check, covering tours, and coverage recorded from a running actor's inspection stream.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, setup } from 'xstate';
import {
  TransitionCoverage,
  checkProjection,
  machineStates,
  machineTransitions,
  mergeCoverage,
  transitionTours,
} from '../../src/testing/index.js';

const production = setup({ guards: { ok: () => true } }).createMachine({
  id: 'door',
  initial: 'closed',
  states: {
    closed: { on: { OPEN: [{ guard: 'ok', target: 'open' }, { target: 'closed' }] } },
    open: { on: { CLOSE: 'closed' }, always: { guard: () => false, target: 'closed' } },
  },
});

test('machineTransitions and machineStates list what a chart declares, with stable keys', () => {
  assert.deepEqual(machineStates(production), ['door', 'door.closed', 'door.open']);
  assert.deepEqual(
    machineTransitions(production).map((t) => t.key),
    [
      'door.closed --OPEN#0--> door.open',
      'door.closed --OPEN#1--> door.closed',
      'door.open --CLOSE--> door.closed',
      'door.open --(always)--> door.closed',
    ],
  );
});

test('checkProjection reports unnamed, unknown, silent and contradictory names', () => {
  const projection = setup({}).createMachine({
    initial: 'shut',
    states: {
      shut: {
        on: { PUSH: { target: 'ajar', meta: { fires: ['door.closed --OPEN#0--> door.open', 'door.nope'] } } },
      },
      ajar: { on: { PULL: 'shut' } },
    },
  });
  const problems = checkProjection(production, projection, {
    'door.open --(always)--> door.closed': 'guard never true',
    'door.closed --OPEN#0--> door.open': 'contradicts the name above',
  });
  assert.deepEqual(problems.unnamed, [
    'door.closed --OPEN#1--> door.closed',
    'door.open --CLOSE--> door.closed',
  ]);
  assert.deepEqual(problems.unknown, ['door.nope']);
  assert.deepEqual(problems.silent, ['(machine).ajar --PULL--> (machine).shut']);
  assert.deepEqual(problems.contradictory, ['door.closed --OPEN#0--> door.open']);
});

test('transitionTours takes every transition of a projection, each step with its fires', () => {
  const projection = setup({}).createMachine({
    id: 'p',
    initial: 'a',
    states: {
      a: { on: { X: { target: 'b', meta: { fires: ['k1'] } }, Y: { target: 'c', meta: { fires: ['k2'] } } } },
      b: { on: { BACK: { target: 'a', meta: { fires: ['k3'] } } } },
      c: { type: 'final' },
    },
  });
  const paths = transitionTours(projection);
  const taken = new Set(paths.flatMap((p) => p.steps.flatMap((s) => s.taken)));
  assert.equal(taken.size, machineTransitions(projection).length);
  assert.deepEqual(paths.flatMap((p) => p.steps.flatMap((s) => s.fires)).sort(), ['k1', 'k2', 'k3']);
});

test('TransitionCoverage records what fired in a running actor, and waits for it', async () => {
  const coverage = new TransitionCoverage([production]);
  const actor = createActor(production, { inspect: coverage.inspect }).start();
  const mark = coverage.mark();
  const fired = coverage.waitForFired(mark, ['door.open --CLOSE--> door.closed'], 1_000);
  actor.send({ type: 'OPEN' });
  actor.send({ type: 'CLOSE' });
  await fired;
  const [report] = coverage.report();
  assert.deepEqual(report?.covered, [
    'door.closed --OPEN#0--> door.open',
    'door.open --CLOSE--> door.closed',
  ]);
  await assert.rejects(
    coverage.waitForFired(coverage.mark(), ['door.open --CLOSE--> door.closed'], 50),
    /not fired/,
  );
  const merged = mergeCoverage([
    report!,
    { ...report!, covered: ['door.closed --OPEN#1--> door.closed'], paths: 2 },
  ]);
  assert.equal(merged[0]?.covered.length, 3);
  assert.equal(merged[0]?.paths, 2);
  // Without machines it learns the ones that fire.
  const learning = new TransitionCoverage();
  const other = createActor(production, { inspect: learning.inspect }).start();
  other.send({ type: 'OPEN' });
  assert.deepEqual(
    learning.report().map((r) => r.machine),
    ['door'],
  );
});
