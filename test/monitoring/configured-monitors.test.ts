/** Monitors of the component configuration (loading, ids, checks) and their reconciliation with stored ones at start. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeviceModelConfigError,
  loadComponentConfig,
  type ConfiguredMonitorAt,
} from '../../src/device-model/index.js';
import { configuredMonitors } from '../../src/device-model/monitor-target.js';
import { fromConfig, reconcileMonitors } from '../../src/monitoring/reconcile-monitors.js';
import type { Monitor } from '../../src/monitoring/monitor-types.js';

const variable = (name: string, dataType: string, monitors: unknown[], supportsMonitoring = true) => ({
  variable_name: name,
  characteristics: { dataType, supportsMonitoring, minLimit: 0, maxLimit: 100 },
  attributes: [{ type: 'Actual', value: dataType === 'boolean' ? false : 1 }],
  monitors,
});
const hw = (extra: Record<string, unknown> = {}) => ({
  type: 'UpperThreshold',
  value: 50,
  severity: 2,
  config_type: 'HardWiredMonitor',
  ...extra,
});

test('configured monitors: ids kept or numbered after the largest, libocpp fields accepted', async () => {
  const components = await loadComponentConfig([
    {
      file: 'a.json',
      content: {
        name: 'A',
        properties: {
          T: variable('T', 'decimal', [
            hw({ id: 7 }),
            {
              type: 'Delta',
              value: 5,
              severity: 6,
              config_type: 'PreconfiguredMonitor',
              reference_value: '10',
            },
          ]),
          P: variable('P', 'boolean', [
            { type: 'Delta', value: 1, severity: 4, transaction: true, config_type: 'PreconfiguredMonitor' },
          ]),
        },
      },
    },
  ]);
  assert.deepEqual(
    configuredMonitors(components).map((m) => [
      m.variable.name,
      m.monitor.id,
      m.monitor.kind,
      m.monitor.transaction,
    ]),
    [
      ['T', 7, 'HardWiredMonitor', false],
      ['T', 8, 'PreconfiguredMonitor', false],
      ['P', 9, 'PreconfiguredMonitor', true],
    ],
  );
});

test('configured monitors: the N04 rules and unique ids are checked, naming the variable', async () => {
  let error: unknown;
  try {
    await loadComponentConfig([
      {
        file: 'a.json',
        content: {
          name: 'A',
          properties: {
            T: variable('T', 'decimal', [
              hw({ value: 101 }),
              hw({ type: 'Delta', value: -1 }),
              hw({ id: 3 }),
              hw({ id: 4 }),
            ]),
            B: variable('B', 'boolean', [hw()]),
            N: variable('N', 'integer', [hw({ id: 3 })], false),
          },
        },
      },
      {
        file: 'b.json',
        content: { name: 'B', properties: { T: variable('T', 'integer', [hw({ id: 3 })]) } },
      },
    ]);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof DeviceModelConfigError);
  const messages = error.issues.map((i) => `${i.file} ${i.location} ${i.message}`);
  assert.deepEqual(messages, [
    "a.json A.T monitors[0] (UpperThreshold): threshold 101 is outside the variable's range 0..100",
    'a.json A.T monitors[1] (Delta): a Delta cannot be negative (-1)',
    'a.json A.T monitors[3]: a second UpperThreshold monitor with severity 2',
    'a.json A.B monitors[0] (UpperThreshold): a threshold needs a numeric variable (dataType boolean)',
    'a.json A.N monitors[0] (UpperThreshold): the variable does not support monitoring',
    'b.json B.T monitor id 3 is also used in a.json',
  ]);
});

const at = (
  id: number,
  kind: 'HardWiredMonitor' | 'PreconfiguredMonitor',
  value = 50,
): ConfiguredMonitorAt => ({
  component: { name: 'A' },
  variable: { name: 'T' },
  monitor: {
    id,
    type: 'UpperThreshold',
    value,
    severity: kind === 'HardWiredMonitor' ? 2 : 5,
    transaction: false,
    kind,
  },
});
const found = () =>
  ({
    status: 'Found',
    ref: { component: 'A', variable: 'T' },
    component: { name: 'A' },
    variable: { name: 'T' },
    characteristics: { dataType: 'decimal', supportsMonitoring: true },
    mutability: 'ReadOnly',
  }) as const;

test('reconcileMonitors: stored state kept, replaced kept, changed config restarts, gone removed, clashing custom renumbered', () => {
  const hardWired: Monitor = { ...fromConfig(at(1, 'HardWiredMonitor'), true), exceeded: true };
  const replaced: Monitor = {
    ...fromConfig(at(2, 'PreconfiguredMonitor'), true),
    kind: 'CustomMonitor',
    value: 70,
  };
  const stale: Monitor = { ...fromConfig(at(3, 'PreconfiguredMonitor'), true), exceeded: true };
  const custom: Monitor = {
    ...fromConfig(at(4, 'PreconfiguredMonitor'), true),
    kind: 'CustomMonitor',
    origin: null,
    id: 4,
  };
  const gone: Monitor = { ...fromConfig(at(9, 'HardWiredMonitor'), true) };
  const orphan: Monitor = { ...custom, id: 10, variable: { name: 'Missing' } };
  const configured = [
    at(1, 'HardWiredMonitor'),
    at(2, 'PreconfiguredMonitor'),
    at(3, 'PreconfiguredMonitor', 55),
    at(4, 'PreconfiguredMonitor'),
  ];
  const { monitors, removed } = reconcileMonitors(
    [hardWired, replaced, stale, custom, gone, orphan],
    configured,
    (_c, v) => (v.name === 'T' ? found() : { status: 'UnknownVariable' }),
    'All',
  );
  assert.deepEqual(
    monitors.map((m) => [m.id, m.kind, m.value, m.exceeded]),
    [
      [1, 'HardWiredMonitor', 50, true],
      [2, 'CustomMonitor', 70, false],
      [3, 'PreconfiguredMonitor', 55, false],
      [4, 'PreconfiguredMonitor', 50, false],
      [11, 'CustomMonitor', 50, false],
    ],
  );
  assert.deepEqual(
    removed.sort((a, b) => a - b),
    [4, 9, 10],
  );
  const hardWiredOnly = reconcileMonitors([], configured, () => found(), 'HardWiredOnly');
  assert.deepEqual(
    hardWiredOnly.monitors.map((m) => m.active),
    [true, false, false, false],
  );
});
