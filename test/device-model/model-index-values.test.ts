/**
 * ModelIndex keeps only the values that differ from the shared configuration (issue 9): reads of
 * the others fall through to the config, and an attribute set back to its config value drops its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelIndex, type AttributeState } from '../../src/device-model/model-index.js';
import type { VariableRef } from '../../src/device-model/types.js';
import { exampleComponents } from './helpers.js';

const BUILT = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-02T00:00:00.000Z';

function attributeOf(index: ModelIndex, ref: VariableRef): AttributeState {
  const found = index.resolve(ref);
  assert.equal(found.status, 'Found');
  return found.attribute;
}

const HEARTBEAT: VariableRef = { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' };

test('a new index reads every attribute at its config value, source config, the build time', async () => {
  const index = ModelIndex.build(await exampleComponents(), BUILT);
  let attributes = 0;
  for (const component of index.components)
    for (const variable of component.variables)
      for (const attribute of variable.attributes) {
        attributes++;
        assert.equal(index.value(attribute), attribute.configValue);
        assert.equal(index.current(attribute), attribute.configValue);
        assert.equal(index.source(attribute), 'config');
        assert.equal(index.updatedAt(attribute), BUILT);
        assert.equal(index.isDerived(attribute), false);
      }
  assert.ok(attributes > 200);
  assert.equal(index.assignedCount, 0);
});

test('an assigned value is kept with its source and time, and only for that station', async () => {
  const loaded = await exampleComponents();
  const a = ModelIndex.build(loaded, BUILT);
  const b = ModelIndex.build(loaded, BUILT);
  const attribute = attributeOf(a, HEARTBEAT);
  a.assign(attribute, '17', 'csms', LATER);
  assert.equal(a.value(attribute), '17');
  assert.equal(a.source(attribute), 'csms');
  assert.equal(a.updatedAt(attribute), LATER);
  assert.equal(a.assignedCount, 1);
  // The shape (and so the attribute) is shared; the value is not.
  assert.equal(attributeOf(b, HEARTBEAT), attribute);
  assert.equal(b.value(attribute), attribute.configValue);
  assert.equal(b.assignedCount, 0);
});

test('set back to its config value with source config, an attribute keeps no entry of its own', async () => {
  const index = ModelIndex.build(await exampleComponents(), BUILT);
  const attribute = attributeOf(index, HEARTBEAT);
  index.assign(attribute, '17', 'csms', LATER);
  // The config value set by the CSMS differs from the config by its source: kept.
  index.assign(attribute, attribute.configValue, 'csms', LATER);
  assert.equal(index.assignedCount, 1);
  assert.equal(index.source(attribute), 'csms');
  index.assign(attribute, attribute.configValue, 'config', LATER);
  assert.equal(index.assignedCount, 0);
  assert.equal(index.value(attribute), attribute.configValue);
  assert.equal(index.source(attribute), 'config');
  assert.equal(index.updatedAt(attribute), BUILT);
});

test('an unset value (undefined) that differs from the config is kept as unset', async () => {
  const index = ModelIndex.build(await exampleComponents(), BUILT);
  const attribute = attributeOf(index, HEARTBEAT);
  assert.notEqual(attribute.configValue, undefined);
  index.assign(attribute, undefined, 'host', LATER);
  assert.equal(index.value(attribute), undefined);
  assert.equal(index.source(attribute), 'host');
  index.derive(attribute, () => 'derived');
  assert.equal(index.current(attribute), 'derived');
  assert.equal(index.value(attribute), undefined);
  assert.equal(index.isDerived(attribute), true);
});

test('deriveAll: each model reads its own context through the shared derivations; a later derive is its own', async () => {
  const loaded = await exampleComponents();
  const a = ModelIndex.build(loaded, BUILT);
  const b = ModelIndex.build(loaded, BUILT);
  const DATE_TIME: VariableRef = { component: 'ClockCtrlr', variable: 'DateTime' };
  const list = [
    [DATE_TIME, (c: { now: string }) => c.now],
    [{ component: 'NoSuchComponent', variable: 'Nothing' }, () => 'never'],
  ] as const;
  a.deriveAll(list, { now: BUILT });
  b.deriveAll(list, { now: LATER });
  assert.equal(a.current(attributeOf(a, DATE_TIME)), BUILT);
  assert.equal(b.current(attributeOf(b, DATE_TIME)), LATER);
  assert.equal(a.isDerived(attributeOf(a, DATE_TIME)), true);
  assert.equal(a.isDerived(attributeOf(a, HEARTBEAT)), false);
  // A host derivation added to one model after the shared ones stays that model's.
  a.derive(attributeOf(a, HEARTBEAT), () => '42');
  assert.equal(a.current(attributeOf(a, HEARTBEAT)), '42');
  assert.equal(b.isDerived(attributeOf(b, HEARTBEAT)), false);
  assert.equal(b.current(attributeOf(b, HEARTBEAT)), attributeOf(b, HEARTBEAT).configValue);
  assert.equal(a.current(attributeOf(a, DATE_TIME)), BUILT);
  // The same list again (a restart on the same model) replaces its context.
  b.deriveAll(list, { now: BUILT });
  assert.equal(b.current(attributeOf(b, DATE_TIME)), BUILT);
  // A second list reads its own context; a list derived after a one-by-one derive takes it back.
  const second = [[HEARTBEAT, (c: { n: number }) => String(c.n)]] as const;
  a.deriveAll(second, { n: 7 });
  b.deriveAll(second, { n: 8 });
  assert.equal(a.current(attributeOf(a, HEARTBEAT)), '7');
  assert.equal(b.current(attributeOf(b, HEARTBEAT)), '8');
  assert.equal(a.current(attributeOf(a, DATE_TIME)), BUILT);
  // Shared: both models of the shape reach the same slots node.
  const slotsOf = (i: ModelIndex) => (i as unknown as { derivedSlots: unknown }).derivedSlots;
  assert.equal(slotsOf(a), slotsOf(b));
});
