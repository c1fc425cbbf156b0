/**
 * N03–N07 over the wire against the strict test CSMS: SetVariableMonitoring statuses, thresholds
 * and deltas firing from changes made by the host and by the CSMS, MonitoringLevel filtering,
 * ClearVariableMonitoring, SetMonitoringBase, and the hard-wired/preconfigured monitors of the
 * example configuration.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  ClearVariableMonitoringResponse,
  GetVariablesResponse,
  SetMonitoringBaseResponse,
  SetMonitoringLevelResponse,
} from '../../src/generated/ocpp-types.js';
import { callErrorCode, callFrameBytes, registered } from './csms-helpers.js';
import {
  HARD_WIRED_ID,
  PRECONFIGURED_ID,
  TEMPERATURE,
  monitorData,
  nextEvent,
  setMonitoring,
} from './monitoring-helpers.js';
import { startHarness, type Harness } from './station-harness.js';

async function withStation(set: string[], body: (h: Harness) => Promise<void>): Promise<void> {
  const h = await startHarness({ set });
  try {
    await registered(h);
    await body(h);
    assert.deepEqual(h.csms.validationFailures, []);
  } finally {
    await h.close();
  }
}

async function getValue(h: Harness, component: string, variable: string): Promise<string | undefined> {
  const response = (await h.csms.call(h.identity, 'GetVariables', {
    getVariableData: [{ component: { name: component }, variable: { name: variable } }],
  })) as GetVariablesResponse;
  return response.getVariableResult[0].attributeValue;
}

test('N04.FR.01-18: SetVariableMonitoring answers every element with its status', async () => {
  await withStation([], async (h) => {
    const results = await setMonitoring(
      h,
      monitorData('UpperThreshold', 40, 5),
      monitorData('UpperThreshold', 45, 5), // N04.FR.10: same type and severity
      monitorData('Delta', 5, 5, { component: { name: 'NoSuchCtrlr' } }), // N04.FR.03
      monitorData('Delta', 5, 5, { variable: { name: 'NoSuchVariable' } }), // N04.FR.04
      monitorData('UpperThreshold', 1, 5, { variable: { name: 'Problem' } }), // N04.FR.05: boolean
      monitorData('UpperThreshold', 200, 6), // N04.FR.06: above maxLimit 150
      monitorData('Delta', -1, 6), // N04.FR.14
      monitorData('Delta', 5, 6, { id: 999 }), // N04.FR.13
      monitorData('UpperThreshold', 70, 3, { id: HARD_WIRED_ID }), // N04.FR.18
      monitorData('Delta', 1, 6, { id: PRECONFIGURED_ID }), // N04.FR.16: other variable
    );
    assert.deepEqual(
      results.map((r) => r.status),
      [
        'Accepted',
        'Duplicate',
        'UnknownComponent',
        'UnknownVariable',
        'UnsupportedMonitorType',
        'Rejected',
        'Rejected',
        'Rejected',
        'Rejected',
        'Rejected',
      ],
    );
    // N04.FR.11: a generated id, after the configured ones; N04.FR.02: component and variable echoed.
    assert.ok(typeof results[0]?.id === 'number' && results[0].id > PRECONFIGURED_ID);
    assert.deepEqual(results[2]?.component, { name: 'NoSuchCtrlr' });
    assert.equal(results[5]?.statusInfo?.reasonCode, 'ValueOutOfRange');
    assert.deepEqual(
      h.station.monitors().map((m) => [m.id, m.kind]),
      [
        [HARD_WIRED_ID, 'HardWiredMonitor'],
        [PRECONFIGURED_ID, 'PreconfiguredMonitor'],
        [results[0]?.id, 'CustomMonitor'],
      ],
    );
  });
});

test('N04.FR.09, N06.FR.06/07: requests over ItemsPerMessage / BytesPerMessage are CALLERRORs', async () => {
  const one = { setMonitoringData: [monitorData('UpperThreshold', 40, 5)] };
  const bytes = callFrameBytes('SetVariableMonitoring', one);
  await withStation(
    [
      'MonitoringCtrlr.ItemsPerMessage[SetVariableMonitoring]=2',
      `MonitoringCtrlr.BytesPerMessage[SetVariableMonitoring]=${bytes}`,
      'MonitoringCtrlr.ItemsPerMessage[ClearVariableMonitoring]=1',
    ],
    async (h) => {
      const three = [
        monitorData('UpperThreshold', 40, 5),
        monitorData('LowerThreshold', 0, 5),
        monitorData('Delta', 1, 5),
      ];
      const set = (data: unknown[]) =>
        h.csms.call(h.identity, 'SetVariableMonitoring', { setMonitoringData: data });
      assert.equal(await callErrorCode(set(three)), 'OccurrenceConstraintViolation');
      assert.equal(await callErrorCode(set(three.slice(0, 2))), 'FormatViolation');
      assert.equal(h.station.monitors().length, 2);
      const clear = h.csms.call(h.identity, 'ClearVariableMonitoring', { id: [5, 6] });
      assert.equal(await callErrorCode(clear), 'OccurrenceConstraintViolation');
      assert.equal((await setMonitoring(h, ...one.setMonitoringData))[0]?.status, 'Accepted');
    },
  );
});

test('N07.FR.16/02: a host value above the threshold alerts, back within it clears; the hard-wired monitor too', async () => {
  await withStation([], async (h) => {
    const [custom] = await setMonitoring(h, monitorData('UpperThreshold', 40, 5));
    await h.station.setVariableFromHost(TEMPERATURE, '45');
    const alert = await nextEvent(h);
    assert.equal(alert.trigger, 'Alerting');
    assert.equal(alert.cleared, false);
    assert.equal(alert.actualValue, '45');
    assert.equal(alert.variableMonitoringId, custom?.id);
    assert.equal(alert.eventNotificationType, 'CustomMonitor');
    assert.deepEqual(
      [alert.component, alert.variable],
      [{ name: 'ChargingStation' }, { name: 'Temperature' }],
    );

    await h.station.setVariableFromHost(TEMPERATURE, '61');
    const hardWired = await nextEvent(h);
    assert.deepEqual(
      [hardWired.variableMonitoringId, hardWired.eventNotificationType, hardWired.trigger, hardWired.cleared],
      [HARD_WIRED_ID, 'HardWiredMonitor', 'Alerting', false],
    );
    await h.station.setVariableFromHost(TEMPERATURE, '20');
    const cleared = [await nextEvent(h), await nextEvent(h)];
    assert.deepEqual(
      cleared.map((e) => [e.variableMonitoringId, e.cleared, e.actualValue]).sort(),
      [
        [HARD_WIRED_ID, true, '20'],
        [custom?.id, true, '20'],
      ].sort(),
    );
    // Two changes in a row: each is judged by its own value (the alert is not lost to the later one).
    await h.station.setVariableFromHost(TEMPERATURE, '50');
    await h.station.setVariableFromHost(TEMPERATURE, '10');
    const quick = [await nextEvent(h), await nextEvent(h)];
    assert.deepEqual(
      quick.map((e) => [e.variableMonitoringId, e.cleared, e.actualValue]),
      [
        [custom?.id, false, '50'],
        [custom?.id, true, '10'],
      ],
    );
  });
});

test('N07.FR.17/18/19: LowerThreshold, numeric Delta and Delta on a change the CSMS makes', async () => {
  await withStation([], async (h) => {
    const [lower, delta, heartbeat] = await setMonitoring(
      h,
      monitorData('LowerThreshold', 0, 6),
      monitorData('Delta', 5, 7),
      monitorData('Delta', 1, 7, {
        component: { name: 'OCPPCommCtrlr' },
        variable: { name: 'HeartbeatInterval' },
      }),
    );
    await h.station.setVariableFromHost(TEMPERATURE, '29'); // within 5 of 25: nothing
    await h.station.setVariableFromHost(TEMPERATURE, '31'); // 6 from 25: Delta
    const first = await nextEvent(h);
    assert.deepEqual(
      [first.variableMonitoringId, first.trigger, first.actualValue],
      [delta?.id, 'Delta', '31'],
    );
    // libocpp's on_variable_changed: the host's change as SetVariableData. Below 0, and 34 from 31.
    await h.station.onVariableChanged({
      component: { name: 'ChargingStation' },
      variable: { name: 'Temperature' },
      attributeValue: '-3',
    });
    const two = [await nextEvent(h), await nextEvent(h)].sort(
      (a, b) => (a.variableMonitoringId ?? 0) - (b.variableMonitoringId ?? 0),
    );
    assert.deepEqual(
      two.map((e) => [e.variableMonitoringId, e.trigger]),
      [
        [lower?.id, 'Alerting'],
        [delta?.id, 'Delta'],
      ],
    );
    // The CSMS is a writer like any other: its SetVariables fires the monitor.
    await h.csms.call(h.identity, 'SetVariables', {
      setVariableData: [
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
          attributeValue: '900',
        },
      ],
    });
    const byCsms = await nextEvent(h);
    assert.deepEqual(
      [byCsms.variableMonitoringId, byCsms.trigger, byCsms.actualValue],
      [heartbeat?.id, 'Delta', '900'],
    );
  });
});

test('N05.FR.01-03: SetMonitoringLevel filters events above the level; ActiveMonitoringLevel reports it', async () => {
  await withStation([], async (h) => {
    await setMonitoring(h, monitorData('UpperThreshold', 40, 5));
    const rejected = (await h.csms.call(h.identity, 'SetMonitoringLevel', {
      severity: 10,
    })) as SetMonitoringLevelResponse;
    assert.equal(rejected.status, 'Rejected');
    const accepted = (await h.csms.call(h.identity, 'SetMonitoringLevel', {
      severity: 3,
    })) as SetMonitoringLevelResponse;
    assert.equal(accepted.status, 'Accepted');
    assert.equal(await getValue(h, 'MonitoringCtrlr', 'ActiveMonitoringLevel'), '3');
    await h.station.setVariableFromHost(TEMPERATURE, '45'); // severity 5 > 3: not reported
    await h.station.setVariableFromHost(TEMPERATURE, '65'); // hard-wired, severity 2: reported
    const first = await nextEvent(h);
    assert.equal(first.variableMonitoringId, HARD_WIRED_ID);
  });
});

test('N06, N03, N04.FR.15: clear results, a replaced preconfigured monitor is custom until SetMonitoringBase', async () => {
  await withStation([], async (h) => {
    const [replaced, custom] = await setMonitoring(
      h,
      monitorData('Delta', 1, 6, { id: PRECONFIGURED_ID, variable: { name: 'Problem' } }),
      monitorData('Delta', 3, 8),
    );
    assert.deepEqual([replaced?.status, replaced?.id], ['Accepted', PRECONFIGURED_ID]);
    const kinds = () => h.station.monitors().map((m) => [m.id, m.kind, m.severity]);
    assert.deepEqual(kinds(), [
      [1, 'HardWiredMonitor', 2],
      [2, 'CustomMonitor', 6],
      [custom?.id, 'CustomMonitor', 8],
    ]);
    // N07: the host's hardware problem reaches the (replaced) monitor on ChargingStation.Problem.
    await h.station.onHardwareProblem({ component: 'ChargingStation' }, true);
    const problem = await nextEvent(h);
    assert.deepEqual(
      [problem.variableMonitoringId, problem.eventNotificationType, problem.actualValue],
      [2, 'CustomMonitor', 'true'],
    );

    const all = (await h.csms.call(h.identity, 'SetMonitoringBase', {
      monitoringBase: 'All',
    })) as SetMonitoringBaseResponse;
    assert.equal(all.status, 'Accepted');
    assert.deepEqual(kinds(), [
      [1, 'HardWiredMonitor', 2],
      [2, 'CustomMonitor', 6],
      [custom?.id, 'CustomMonitor', 8],
    ]);

    const cleared = (await h.csms.call(h.identity, 'ClearVariableMonitoring', {
      id: [HARD_WIRED_ID, 999, custom?.id],
    })) as ClearVariableMonitoringResponse;
    assert.deepEqual(
      cleared.clearMonitoringResult.map((r) => [r.id, r.status]),
      [
        [HARD_WIRED_ID, 'Rejected'],
        [999, 'NotFound'],
        [custom?.id, 'Accepted'],
      ],
    );
    await h.csms.call(h.identity, 'SetMonitoringBase', { monitoringBase: 'HardWiredOnly' });
    assert.deepEqual(kinds(), [[1, 'HardWiredMonitor', 2]]);
    assert.equal(await getValue(h, 'MonitoringCtrlr', 'ActiveMonitoringBase'), 'HardWiredOnly');
    await h.csms.call(h.identity, 'SetMonitoringBase', { monitoringBase: 'FactoryDefault' });
    assert.deepEqual(kinds(), [
      [1, 'HardWiredMonitor', 2],
      [2, 'PreconfiguredMonitor', 4],
    ]);
    assert.equal(await getValue(h, 'MonitoringCtrlr', 'ActiveMonitoringBase'), 'FactoryDefault');
  });
});

test('N07.FR.19: the station itself is a writer too: a Delta on a connector AvailabilityState follows its status', async () => {
  await withStation([], async (h) => {
    const connector = { name: 'Connector', evse: { id: 1, connectorId: 1 } };
    const [result] = await setMonitoring(
      h,
      monitorData('Delta', 1, 5, { component: connector, variable: { name: 'AvailabilityState' } }),
    );
    assert.equal(result?.status, 'Accepted');
    h.station.onSessionStarted(1, 1);
    const event = await nextEvent(h);
    assert.deepEqual(
      [event.variableMonitoringId, event.trigger, event.actualValue, event.component],
      [result?.id, 'Delta', 'Occupied', connector],
    );
  });
});

test('VariableMonitoringType.transaction: the monitor is idle without a transaction and names it while one runs', async () => {
  await withStation(['TxCtrlr.TxStartPoint=EVConnected'], async (h) => {
    const [result] = await setMonitoring(h, monitorData('UpperThreshold', 40, 5, { transaction: true }));
    await h.station.setVariableFromHost(TEMPERATURE, '45'); // no transaction: idle
    await h.station.setVariableFromHost(TEMPERATURE, '20');
    h.station.onSessionStarted(1, 1);
    const started = await h.csms.waitForCall('TransactionEvent');
    const transactionId = (started.payload as { transactionInfo: { transactionId: string } }).transactionInfo
      .transactionId;
    await h.station.setVariableFromHost(TEMPERATURE, '50');
    const event = await nextEvent(h, (e) => e.variableMonitoringId === result?.id);
    assert.deepEqual([event.actualValue, event.cleared, event.transactionId], ['50', false, transactionId]);
  });
});
