/**
 * planSetVariables and planWrite (src/device-model/write-plan.ts): the result of each element in
 * request order (B05.FR.02–06), earlier elements seen by later ones, and the writes to store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelIndex } from '../../src/device-model/model-index.js';
import { evaluateWrite } from '../../src/device-model/write-evaluation.js';
import { planSetVariables, planWrite, type EvaluateWrite } from '../../src/device-model/write-plan.js';
import { exampleComponents } from './helpers.js';

const BUILT = '2026-01-01T00:00:00.000Z';

/** The built-in checks only, as the model evaluates a CSMS write without validators. */
function csmsEvaluate(index: ModelIndex): EvaluateWrite {
  return (variable, attribute, raw, pending) =>
    evaluateWrite(variable, attribute, raw, 'csms', {
      model: index,
      ...(pending === undefined ? {} : { pending }),
      maxValueLength: undefined,
      rebootRequired: [],
      validators: [],
    });
}

test('planSetVariables answers every element in order and plans only the accepted writes', async () => {
  const index = ModelIndex.build(await exampleComponents(), BUILT);
  const { results, writes } = planSetVariables(
    index,
    [
      {
        component: { name: 'OCPPCommCtrlr' },
        variable: { name: 'HeartbeatInterval' },
        attributeValue: '300',
      },
      { component: { name: 'NoSuchCtrlr' }, variable: { name: 'X' }, attributeValue: '1' },
      {
        component: { name: 'OCPPCommCtrlr' },
        variable: { name: 'HeartbeatInterval' },
        attributeValue: 'abc',
      },
    ],
    csmsEvaluate(index),
  );
  assert.deepEqual(
    results.map((r) => [r.attributeType, r.attributeStatus, r.component.name]),
    [
      ['Actual', 'Accepted', 'OCPPCommCtrlr'],
      ['Actual', 'UnknownComponent', 'NoSuchCtrlr'],
      ['Actual', 'Rejected', 'OCPPCommCtrlr'],
    ],
  );
  assert.equal(writes.length, 1);
  assert.equal(writes[0]?.value, '300');
  assert.equal(writes[0]?.result, results[0]);
  assert.equal(writes[0]?.rebootRequired, false);
  // Nothing is stored or shown by planning.
  assert.equal(index.value(writes[0].attribute), writes[0].attribute.configValue);
});

test('planSetVariables shows a later element the values of the earlier ones (pending)', async () => {
  const index = ModelIndex.build(await exampleComponents(), BUILT);
  const seen: Array<string | undefined> = [];
  const evaluate = csmsEvaluate(index);
  const element = {
    component: { name: 'OCPPCommCtrlr' },
    variable: { name: 'HeartbeatInterval' },
  };
  const { writes } = planSetVariables(
    index,
    [
      { ...element, attributeValue: '300' },
      { ...element, attributeValue: '400' },
    ],
    (variable, attribute, raw, pending) => {
      seen.push(pending?.get(attribute));
      return evaluate(variable, attribute, raw, pending);
    },
  );
  assert.deepEqual(seen, [undefined, '300']);
  assert.deepEqual(
    writes.map((w) => w.value),
    ['300', '400'],
  );
});

test('planWrite: a write to an unknown attribute gets its status and no write; an accepted one its write', async () => {
  const index = ModelIndex.build(await exampleComponents(), BUILT);
  const evaluate = csmsEvaluate(index);
  assert.deepEqual(planWrite(index, { component: 'NoSuchCtrlr', variable: 'X' }, '1', evaluate), {
    status: 'UnknownComponent',
  });
  const planned = planWrite(
    index,
    { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' },
    '300',
    evaluate,
  );
  assert.equal(planned.status, 'Accepted');
  assert.equal(planned.write?.value, '300');
  assert.equal(planned.write?.rebootRequired, false);
  const refused = planWrite(
    index,
    { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' },
    'abc',
    evaluate,
  );
  assert.equal(refused.status, 'Rejected');
  assert.equal(refused.write, undefined);
});
