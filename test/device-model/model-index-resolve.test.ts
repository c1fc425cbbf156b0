/** ModelIndex.resolve remembers resolutions by ref object (issue 9); a ref changed in place resolves anew. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelIndex } from '../../src/device-model/model-index.js';
import type { VariableRef } from '../../src/device-model/types.js';
import { exampleComponents } from './helpers.js';

const pathOf = (index: ModelIndex, ref: VariableRef) => {
  const found = index.resolve(ref);
  return found.status === 'Found'
    ? `${found.variable.component.name}@${found.variable.component.evseId ?? '-'}.${found.variable.name}:${found.attribute.type}`
    : found.status;
};

test('the same ref object resolves the same, and again after it was changed in place', async () => {
  const index = ModelIndex.build(await exampleComponents(), new Date().toISOString());
  const ref: VariableRef = { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' };
  const first = index.resolve(ref);
  assert.equal(first.status, 'Found');
  assert.equal(index.resolve(ref), first);
  assert.equal(pathOf(index, ref), 'OCPPCommCtrlr@-.HeartbeatInterval:Actual');
  ref.variable = 'OfflineThreshold';
  assert.equal(pathOf(index, ref), 'OCPPCommCtrlr@-.OfflineThreshold:Actual');
  ref.attribute = 'Target';
  assert.equal(pathOf(index, ref), 'NotSupportedAttributeType');
  delete ref.attribute;
  ref.component = 'NoSuchCtrlr';
  assert.equal(pathOf(index, ref), 'UnknownComponent');
});

test('EVSE addresses and case-insensitive names resolve through the cache as before', async () => {
  const loaded = await exampleComponents();
  const a = ModelIndex.build(loaded, new Date().toISOString());
  const b = ModelIndex.build(loaded, new Date().toISOString());
  const ref: VariableRef = { component: 'evse', evseId: 1, variable: 'availabilitystate' };
  assert.equal(pathOf(a, ref), 'EVSE@1.AvailabilityState:Actual');
  // Stations of a fleet share the shape, and so the remembered resolution.
  assert.equal(b.resolve(ref), a.resolve(ref));
  ref.evseId = 9;
  assert.equal(pathOf(b, ref), 'UnknownComponent');
});
