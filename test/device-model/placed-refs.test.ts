/** placedRef: one frozen ref per base and place, so ModelIndex.resolve's memory by ref object hits (issue 9). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placedRef } from '../../src/device-model/placed-refs.js';
import { ModelIndex } from '../../src/device-model/model-index.js';
import type { VariableRef } from '../../src/device-model/types.js';
import { exampleComponents } from './helpers.js';

const AVAILABILITY: VariableRef = { component: 'EVSE', variable: 'AvailabilityState' };
const CONNECTOR_TYPE: VariableRef = { component: 'Connector', variable: 'ConnectorType' };

test('the same base and place give the same frozen object; other places other objects', () => {
  const evse1 = placedRef(AVAILABILITY, 1);
  assert.equal(placedRef(AVAILABILITY, 1), evse1);
  assert.deepEqual(evse1, { component: 'EVSE', variable: 'AvailabilityState', evseId: 1 });
  assert.ok(Object.isFrozen(evse1));
  assert.notEqual(placedRef(AVAILABILITY, 2), evse1);
  const connector = placedRef(CONNECTOR_TYPE, 1, 1);
  assert.equal(placedRef(CONNECTOR_TYPE, 1, 1), connector);
  assert.deepEqual(connector, { component: 'Connector', variable: 'ConnectorType', evseId: 1, connectorId: 1 });
  assert.notEqual(placedRef(CONNECTOR_TYPE, 1, 2), connector);
  // The base is not changed.
  assert.deepEqual(AVAILABILITY, { component: 'EVSE', variable: 'AvailabilityState' });
});

test('a placed ref resolves to the attribute at its place, and to the remembered resolution', async () => {
  const index = ModelIndex.build(await exampleComponents(), new Date().toISOString());
  const first = index.resolve(placedRef(AVAILABILITY, 2));
  assert.equal(first.status, 'Found');
  if (first.status === 'Found') assert.equal(first.variable.component.evseId, 2);
  assert.equal(index.resolve(placedRef(AVAILABILITY, 2)), first);
  assert.equal(index.resolve(placedRef(CONNECTOR_TYPE, 1, 1)).status, 'Found');
  assert.equal(index.resolve(placedRef(CONNECTOR_TYPE, 9, 1)).status, 'UnknownComponent');
});
