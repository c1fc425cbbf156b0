/**
 * reconcile() of a station without stored rows (a fleet's new station) takes a shorter pass over
 * the overrides only (issue 9); its result is the general pass's, which a stored row that matches
 * nothing in the configuration (dropped without a warning) forces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Selectable } from 'kysely';
import { ModelIndex } from '../../src/device-model/model-index.js';
import { resolveOverrides } from '../../src/device-model/overrides.js';
import { reconcile } from '../../src/device-model/reconcile.js';
import type { DeviceModelTable } from '../../src/store/schema.js';
import { exampleComponents } from './helpers.js';

const BUILT = '2026-12-04T10:00:00.000Z';
const NOW = '2026-12-04T11:00:00.000Z';

/** A stored row of a component the configuration does not have: the general pass drops it silently. */
const FOREIGN: Selectable<DeviceModelTable> = {
  station_id: 'CS-1',
  component: 'NoSuchCtrlr',
  component_instance: '',
  evse_id: 0,
  connector_id: 0,
  variable: 'Nothing',
  variable_instance: '',
  attribute_type: 'Actual',
  characteristics_json: '{"dataType":"string"}',
  mutability: 'ReadWrite',
  persistent: 1,
  constant: 0,
  value: 'x',
  value_source: 'config',
  updated_at: BUILT,
};

async function run(stored: ReadonlyArray<Selectable<DeviceModelTable>>, set: Array<[string, string, string]>) {
  const components = await exampleComponents();
  const index = ModelIndex.build(components, BUILT);
  const overrides = resolveOverrides(
    index,
    set.map(([component, variable, value]) => ({ ref: { component, variable }, value })),
    undefined,
  );
  const result = reconcile({ stationId: 'CS-1', index, rows: stored, overrides, now: NOW });
  const values = index.components.flatMap((c) =>
    c.variables.flatMap((v) =>
      v.attributes.map((a) => [index.value(a), index.source(a), index.updatedAt(a)] as const),
    ),
  );
  const byKey = (row: { component: string; variable: string }) => `${row.component}.${row.variable}`;
  return { rows: [...result.rows].sort((a, b) => byKey(a).localeCompare(byKey(b))), warnings: result.warnings, values };
}

test('a new station: the overrides that differ from the configuration get rows, the same as the general pass', async () => {
  const set: Array<[string, string, string]> = [
    ['SecurityCtrlr', 'Identity', 'CS-1'],
    ['OCPPCommCtrlr', 'HeartbeatInterval', '77'],
    // At its configured value: no row, in both passes.
    ['TxCtrlr', 'EVConnectionTimeOut', '120'],
  ];
  const fresh = await run([], set);
  const general = await run([FOREIGN], set);
  assert.deepEqual(fresh, general);
  assert.deepEqual(
    fresh.rows.map((row) => [row.component, row.variable, row.value, row.value_source, row.updated_at]),
    [
      ['OCPPCommCtrlr', 'HeartbeatInterval', '77', 'config', NOW],
      ['SecurityCtrlr', 'Identity', 'CS-1', 'config', NOW],
    ],
  );
  assert.deepEqual(fresh.warnings, []);
});

test('a new station without overrides: no row, every attribute at its configured value', async () => {
  const fresh = await run([], []);
  assert.deepEqual(fresh, await run([FOREIGN], []));
  assert.deepEqual(fresh.rows, []);
});
