/** N04 SetVariableMonitoring verdicts and N02 report selection and splitting, as tables of cases. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MonitorTarget } from '../../src/device-model/index.js';
import type { SetMonitoringDataType } from '../../src/generated/ocpp-types.js';
import { checkSetMonitoring } from '../../src/monitoring/set-monitoring-check.js';
import {
  monitoringReportData,
  selects,
  splitMonitoringReport,
} from '../../src/monitoring/monitoring-report.js';
import type { Monitor } from '../../src/monitoring/monitor-types.js';

const temperature: MonitorTarget = {
  status: 'Found',
  ref: { component: 'ChargingStation', variable: 'Temperature' },
  component: { name: 'ChargingStation' },
  variable: { name: 'Temperature' },
  characteristics: { dataType: 'decimal', supportsMonitoring: true, minLimit: -50, maxLimit: 150 },
  mutability: 'ReadOnly',
};
const flag: MonitorTarget = {
  ...temperature,
  variable: { name: 'Flag' },
  characteristics: { dataType: 'boolean', supportsMonitoring: true },
};
const unmonitored: MonitorTarget = {
  ...temperature,
  characteristics: { dataType: 'decimal', supportsMonitoring: false },
};

function monitor(id: number, extra: Partial<Monitor> = {}): Monitor {
  return {
    id,
    kind: 'CustomMonitor',
    origin: null,
    active: true,
    component: { name: 'ChargingStation' },
    variable: { name: 'Temperature' },
    type: 'UpperThreshold',
    value: 60,
    severity: 5,
    transaction: false,
    exceeded: false,
    reference: null,
    nextAt: null,
    ...extra,
  };
}
const data = (extra: Partial<SetMonitoringDataType> = {}): SetMonitoringDataType => ({
  type: 'UpperThreshold',
  value: 60,
  severity: 5,
  component: { name: 'ChargingStation' },
  variable: { name: 'Temperature' },
  ...extra,
});

test('checkSetMonitoring: the status of every N04 rule', () => {
  const installed = [
    monitor(1, { kind: 'HardWiredMonitor', origin: 'HardWiredMonitor', severity: 2 }),
    monitor(3),
    monitor(4, { variable: { name: 'Other' } }),
  ];
  const cases: Array<[string, SetMonitoringDataType, MonitorTarget, string]> = [
    ['accepted', data({ severity: 6 }), temperature, 'Accepted'],
    ['N04.FR.03', data(), { status: 'UnknownComponent' }, 'UnknownComponent'],
    ['N04.FR.04', data(), { status: 'UnknownVariable' }, 'UnknownVariable'],
    ['N04.FR.05 threshold on a boolean', data({ severity: 6 }), flag, 'UnsupportedMonitorType'],
    ['N04.FR.05 delta on a boolean', data({ type: 'Delta', value: 1, severity: 6 }), flag, 'Accepted'],
    ['N04.FR.05 not monitorable', data({ severity: 6 }), unmonitored, 'UnsupportedMonitorType'],
    ['N04.FR.06 above maxLimit', data({ value: 151, severity: 6 }), temperature, 'Rejected'],
    [
      'N04.FR.06 below minLimit',
      data({ type: 'LowerThreshold', value: -51, severity: 6 }),
      temperature,
      'Rejected',
    ],
    ['N04.FR.06 on maxLimit is allowed', data({ value: 150, severity: 6 }), temperature, 'Accepted'],
    ['N04.FR.14 negative delta', data({ type: 'Delta', value: -1 }), temperature, 'Rejected'],
    ['period of 0', data({ type: 'Periodic', value: 0 }), temperature, 'Rejected'],
    ['severity out of range', data({ severity: 10 }), temperature, 'Rejected'],
    ['N04.FR.10 duplicate type and severity', data(), temperature, 'Duplicate'],
    ['N04.FR.12 replacing itself is no duplicate', data({ id: 3, value: 70 }), temperature, 'Accepted'],
    ['N04.FR.13 unknown id', data({ id: 99, severity: 6 }), temperature, 'Rejected'],
    ['N04.FR.18 hard-wired', data({ id: 1, severity: 6 }), temperature, 'Rejected'],
    ['N04.FR.16 other variable', data({ id: 4, severity: 6 }), temperature, 'Rejected'],
  ];
  for (const [name, request, target, expected] of cases) {
    assert.equal(checkSetMonitoring(request, target, installed).status, expected, name);
  }
});

test('selects: N02.FR.16-21 componentVariable matching', () => {
  const onEvse = monitor(1, { component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' } });
  const onConnector = monitor(2, {
    component: { name: 'Connector', evse: { id: 2, connectorId: 1 } },
    variable: { name: 'Available' },
  });
  const instanced = monitor(3, {
    component: { name: 'OCPPCommCtrlr' },
    variable: { name: 'MessageAttempts', instance: 'TransactionEvent' },
  });
  const cases: Array<[Parameters<typeof selects>[0], Monitor, boolean]> = [
    [{ component: { name: 'evse' } }, onEvse, true],
    [{ component: { name: 'EVSE', evse: { id: 1 } } }, onEvse, true],
    [{ component: { name: 'EVSE', evse: { id: 2 } } }, onEvse, false],
    [{ component: { name: 'Connector', evse: { id: 2 } } }, onConnector, true],
    [{ component: { name: 'Connector', evse: { id: 2, connectorId: 2 } } }, onConnector, false],
    [{ component: { name: 'EVSE' }, variable: { name: 'Power' } }, onEvse, true],
    [{ component: { name: 'EVSE' }, variable: { name: 'Voltage' } }, onEvse, false],
    [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'MessageAttempts' } }, instanced, true],
    [
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'MessageAttempts', instance: 'Other' } },
      instanced,
      false,
    ],
    [{ component: { name: 'OCPPCommCtrlr', instance: 'x' } }, instanced, false],
  ];
  for (const [filter, m, expected] of cases)
    assert.equal(selects(filter, m), expected, JSON.stringify(filter));
});

test('monitoringReportData groups per variable; splitMonitoringReport: seqNo, tbc, item and byte limits', () => {
  const monitors = [
    monitor(1),
    monitor(2, { type: 'Delta', value: 1 }),
    monitor(3, { variable: { name: 'Other' } }),
    monitor(4, { variable: { name: 'Third' } }),
  ];
  const report = monitoringReportData(monitors, {});
  assert.deepEqual(
    report.map((e) => e.variableMonitoring.map((m) => m.id)),
    [[1, 2], [3], [4]],
  );
  assert.deepEqual(
    monitoringReportData(monitors, { monitoringCriteria: ['DeltaMonitoring'] }).map((e) => e.variable.name),
    ['Temperature'],
  );
  const byItems = splitMonitoringReport(report, {
    requestId: 1,
    generatedAt: '2026-01-01T00:00:00.000Z',
    itemsPerMessage: 2,
  });
  assert.deepEqual(
    byItems.map((p) => [p.seqNo, p.tbc, p.monitor?.length]),
    [
      [0, true, 2],
      [1, false, 1],
    ],
  );
  const bytesOfOne = JSON.stringify([
    2,
    'x'.repeat(36),
    'NotifyMonitoringReport',
    { ...byItems[1], tbc: false },
  ]).length;
  const byBytes = splitMonitoringReport(report, {
    requestId: 1,
    generatedAt: '2026-01-01T00:00:00.000Z',
    bytesPerMessage: bytesOfOne + 20,
  });
  // The first entry (two monitors) is larger than the limit: it goes alone; the others fit one by one.
  assert.deepEqual(
    byBytes.map((p) => p.monitor?.length),
    [1, 1, 1],
  );
  const roomy = splitMonitoringReport(report, {
    requestId: 1,
    generatedAt: '2026-01-01T00:00:00.000Z',
    bytesPerMessage: 10_000,
  });
  assert.deepEqual(
    roomy.map((p) => p.monitor?.length),
    [3],
  );
  assert.deepEqual(
    byBytes.flatMap((p) => p.monitor ?? []),
    report,
  );
  assert.deepEqual(splitMonitoringReport([], { requestId: 2, generatedAt: '2026-01-01T00:00:00.000Z' }), [
    { requestId: 2, generatedAt: '2026-01-01T00:00:00.000Z', seqNo: 0, tbc: false },
  ]);
});
