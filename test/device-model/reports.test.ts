/** Base reports (B07) and custom reports (B08) of the example device model, validated against the official schema. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  ComponentVariableType,
  GetReportRequest,
  ReportDataType,
} from '../../src/generated/ocpp-types.js';
import { splitNotifyReport } from '../../src/device-model/notify-report.js';
import { OcppRpcError } from '../../src/rpc/errors.js';
import { assertOcppValid, exampleComponents, openExample } from './helpers.js';

const label = (d: ReportDataType): string =>
  `${d.component.name}${d.component.instance ? `[${d.component.instance}]` : ''}${d.component.evse ? `@${d.component.evse.id}${d.component.evse.connectorId ? `/${d.component.evse.connectorId}` : ''}` : ''}.${d.variable.name}${d.variable.instance ? `[${d.variable.instance}]` : ''}`;

/** Every part of the report, as the runtime would send it, must be a valid NotifyReportRequest. */
async function assertSendable(
  data: ReportDataType[],
  limits: { itemsPerMessage?: number; bytesPerMessage?: number },
): Promise<void> {
  const parts = splitNotifyReport(data, { requestId: 1, generatedAt: '2025-01-31T12:00:00.000Z', ...limits });
  for (const part of parts) await assertOcppValid('NotifyReportRequest', part);
  assert.deepEqual(
    parts.flatMap((p) => p.reportData ?? []),
    data,
  );
}

test('FullInventory: every variable with every attribute, values of their dataType only: unset ones and WriteOnly values left out (B07.FR.08/11, errata B07.FR.03)', async () => {
  const { model, store } = await openExample();
  const data = model.baseReport('FullInventory');
  const variables = (await exampleComponents()).reduce((n, c) => n + c.variables.length, 0);
  assert.equal(data.length, variables);
  assert.ok(data.every((d) => d.variableCharacteristics !== undefined));
  const power = data.find((d) => label(d) === 'EVSE@1.Power');
  assert.deepEqual(power?.variableAttribute, [
    { type: 'Actual', mutability: 'ReadOnly', persistent: true, constant: false, value: '0' },
    // Unset: "" is no decimal, so the attribute is reported without a value (B07.FR.11).
    { type: 'MaxSet', mutability: 'ReadOnly', persistent: true, constant: false },
  ]);
  assert.deepEqual(data.find((d) => label(d) === 'SecurityCtrlr.BasicAuthPassword')?.variableAttribute, [
    { type: 'Actual', mutability: 'WriteOnly', persistent: true, constant: false },
  ]);
  // TC_B_53_CS: list types carry a valuesList; values are drawn from it.
  for (const d of data.filter((x) =>
    ['OptionList', 'MemberList', 'SequenceList'].includes(x.variableCharacteristics?.dataType ?? ''),
  )) {
    assert.ok(d.variableCharacteristics?.valuesList, label(d));
  }
  await assertSendable(data, model.reportLimits());
  await store.close();
});

test('ConfigurationInventory: only what the operator can set, with only the ReadWrite/WriteOnly attributes (B07.FR.07, TC_B_12_CS)', async () => {
  const { model, store } = await openExample();
  const data = model.baseReport('ConfigurationInventory');
  const labels = data.map(label);
  assert.ok(labels.includes('OCPPCommCtrlr.OfflineThreshold'));
  assert.ok(labels.includes('SecurityCtrlr.BasicAuthPassword'));
  assert.ok(!labels.includes('OCPPCommCtrlr.MessageTimeout[Default]'));
  assert.ok(!labels.includes('EVSE@1.Power'));
  assert.ok(
    data.every((d) =>
      d.variableAttribute.every((a) => a.mutability === 'ReadWrite' || a.mutability === 'WriteOnly'),
    ),
  );
  assert.ok(data.every((d) => d.variableCharacteristics !== undefined));
  await assertSendable(data, model.reportLimits());
  await store.close();
});

test('SummaryInventory: availability of station, EVSEs, differing connectors; problem variables of abnormal components (B07.FR.09)', async () => {
  const { model, store } = await openExample();
  // Config: ChargingStation, EVSEs and connectors Available (a connector like its EVSE is not listed).
  assert.deepEqual(model.baseReport('SummaryInventory').map(label), [
    'ChargingStation.AvailabilityState',
    'EVSE@1.AvailabilityState',
    'EVSE@2.AvailabilityState',
  ]);
  await model.set(
    { component: 'Connector', evseId: 1, connectorId: 1, variable: 'AvailabilityState' },
    'Unavailable',
    'host',
  );
  await model.set({ component: 'ChargingStation', variable: 'Problem' }, 'true', 'host');
  const data = model.baseReport('SummaryInventory');
  assert.deepEqual(data.map(label), [
    'ChargingStation.AvailabilityState',
    'ChargingStation.Problem',
    'EVSE@1.AvailabilityState',
    'Connector@1/1.AvailabilityState',
    'EVSE@2.AvailabilityState',
  ]);
  assert.deepEqual(data[1]?.variableAttribute, [
    { type: 'Actual', mutability: 'ReadWrite', persistent: true, constant: false, value: 'true' },
  ]);
  await assertSendable(data, model.reportLimits());
  await store.close();
});

async function report(
  request: Omit<GetReportRequest, 'requestId'>,
  overrides: Array<{ ref: { component: string; variable: string }; value: string }> = [],
) {
  const { model, store } = await openExample({ overrides });
  try {
    const full: GetReportRequest = { requestId: 9, ...request };
    await assertOcppValid('GetReportRequest', full);
    const result = model.report(full);
    await assertSendable(result.data, model.reportLimits());
    return { ...result, labels: result.data.map(label), model };
  } finally {
    await store.close();
  }
}

test('TC_B_16: componentCriteria Enabled reports components with Enabled true or without Enabled (B08.FR.09)', async () => {
  const { status, labels } = await report({ componentCriteria: ['Enabled'] });
  assert.equal(status, 'Accepted');
  const components = new Set(labels.map((l) => l.split('.')[0]));
  assert.ok(components.has('OCPPCommCtrlr'));
  assert.ok(components.has('EVSE@1'));
  // Enabled false in the example config.
  for (const name of ['TxCtrlr', 'SecurityCtrlr']) assert.ok(!components.has(name), name);
  // Monitoring is implemented and enabled in the example config (docs/monitoring.md).
  assert.ok(components.has('MonitoringCtrlr'));
  // CustomizationCtrlr has Enabled without a value: not "true".
  assert.ok(!components.has('CustomizationCtrlr'));
  // Every variable of a reported component is reported.
  assert.equal(labels.filter((l) => l.startsWith('OCPPCommCtrlr.')).length, 20);
});

test('B08.FR.10/13: Problem matches only Problem=true; several criteria are ORed', async () => {
  assert.equal((await report({ componentCriteria: ['Problem'] })).status, 'EmptyResultSet');
  const { labels } = await report({ componentCriteria: ['Problem', 'Available'] });
  assert.ok(labels.includes('ChargingStation.Problem'));
  assert.ok(labels.includes('TxCtrlr.TxStartPoint'));
});

test('TC_B_17/18: componentVariable EVSE#1 AvailabilityState, alone and combined with criteria (B08.FR.05/15)', async () => {
  const evse1: ComponentVariableType = {
    component: { name: 'EVSE', evse: { id: 1 } },
    variable: { name: 'AvailabilityState' },
  };
  const alone = await report({ componentVariable: [evse1] });
  assert.equal(alone.status, 'Accepted');
  assert.deepEqual(alone.data, [
    {
      component: { name: 'EVSE', evse: { id: 1 } },
      variable: { name: 'AvailabilityState' },
      variableAttribute: [
        { type: 'Actual', mutability: 'ReadOnly', persistent: true, constant: false, value: 'Available' },
      ],
      variableCharacteristics: {
        supportsMonitoring: true,
        dataType: 'OptionList',
        valuesList: 'Available,Occupied,Reserved,Unavailable,Faulted',
      },
    },
  ]);
  assert.deepEqual((await report({ componentCriteria: ['Available'], componentVariable: [evse1] })).labels, [
    'EVSE@1.AvailabilityState',
  ]);
  const problem = await report({ componentCriteria: ['Problem'], componentVariable: [evse1] });
  assert.deepEqual([problem.status, problem.data], ['EmptyResultSet', []]);
});

test('TC_B_19: criteria outside InternalCtrlr.SupportedCriteria are NotSupported (B08.FR.02)', async () => {
  const result = await report({ componentCriteria: ['Available', 'Problem'] }, [
    { ref: { component: 'InternalCtrlr', variable: 'SupportedCriteria' }, value: 'Enabled,Available' },
  ]);
  assert.deepEqual(
    [result.status, result.statusInfo, result.data],
    [
      'NotSupported',
      { reasonCode: 'UnsupportedParam', additionalInfo: 'componentCriteria Problem not supported' },
      [],
    ],
  );
});

test('TC_B_54/55/56 and B08.FR.20–25: missing instance, variable, EVSE or connector widen the match', async () => {
  assert.deepEqual(
    (
      await report({
        componentVariable: [
          { component: { name: 'DeviceDataCtrlr' }, variable: { name: 'ItemsPerMessage' } },
        ],
      })
    ).labels,
    [
      'DeviceDataCtrlr.ItemsPerMessage[GetReport]',
      'DeviceDataCtrlr.ItemsPerMessage[GetVariables]',
      'DeviceDataCtrlr.ItemsPerMessage[SetVariables]',
    ],
  );
  assert.deepEqual(
    (
      await report({
        componentVariable: [
          {
            component: { name: 'devicedatactrlr' },
            variable: { name: 'ItemsPerMessage', instance: 'getreport' },
          },
        ],
      })
    ).labels,
    ['DeviceDataCtrlr.ItemsPerMessage[GetReport]'],
  );
  assert.deepEqual(
    (
      await report({
        componentVariable: [{ component: { name: 'EVSE' }, variable: { name: 'AvailabilityState' } }],
      })
    ).labels,
    ['EVSE@1.AvailabilityState', 'EVSE@2.AvailabilityState'],
  );
  assert.deepEqual(
    (await report({ componentVariable: [{ component: { name: 'Connector', evse: { id: 2 } } }] })).labels,
    [
      'Connector@2/1.AvailabilityState',
      'Connector@2/1.Available',
      'Connector@2/1.ChargeProtocol',
      'Connector@2/1.ConnectorType',
      'Connector@2/1.SupplyPhases',
    ],
  );
  assert.equal(
    (
      await report({
        componentVariable: [{ component: { name: 'Connector', evse: { id: 2, connectorId: 2 } } }],
      })
    ).status,
    'EmptyResultSet',
  );
  const tariff = await report({
    componentVariable: [
      { component: { name: 'TariffCostCtrlr' }, variable: { name: 'Enabled' } },
      { component: { name: 'AuthCtrlr' }, variable: { name: 'Enabled' } },
    ],
  });
  assert.deepEqual(tariff.labels, [
    'AuthCtrlr.Enabled',
    'TariffCostCtrlr.Enabled[Tariff]',
    'TariffCostCtrlr.Enabled[Cost]',
  ]);
});

test('no criteria and no componentVariable reports everything', async () => {
  const { model, store } = await openExample();
  assert.equal(model.report({ requestId: 1 }).data.length, model.baseReport('FullInventory').length);
  await store.close();
});

test('B08.FR.17/18: more componentVariables than ItemsPerMessageGetReport or more bytes than BytesPerMessageGetReport are CALLERRORs', async () => {
  const { model, store } = await openExample();
  const many = Array.from({ length: 101 }, (): ComponentVariableType => ({ component: { name: 'EVSE' } }));
  const [first, ...rest] = many;
  assert.ok(first);
  assert.throws(
    () => model.report({ requestId: 1, componentVariable: [first, ...rest] }),
    (e: unknown) => e instanceof OcppRpcError && e.code === 'OccurrenceConstraintViolation',
  );
  assert.equal(
    model.report({ requestId: 1, componentVariable: [first, ...rest.slice(1)] }).status,
    'Accepted',
  );
  assert.throws(
    () => model.report({ requestId: 1 }, { messageBytes: 2049 }),
    (e: unknown) => e instanceof OcppRpcError && e.code === 'FormatViolation',
  );
  assert.deepEqual(model.reportLimits(), { itemsPerMessage: 100, bytesPerMessage: 2048 });
  await store.close();
});

test('B07.FR.11: an attribute without a value of its dataType is reported without value; an unset string as ""; a derived value as derived now', async (t) => {
  const components = await exampleComponents();
  const ctrlr = components.find((c) => c.name === 'OCPPCommCtrlr');
  assert.ok(ctrlr);
  const attribute = {
    type: 'Actual' as const,
    mutability: 'ReadWrite' as const,
    persistent: true,
    constant: false,
  };
  ctrlr.variables.push(
    {
      key: 'A',
      name: 'TestInteger',
      characteristics: { dataType: 'integer', supportsMonitoring: false },
      attributes: [{ ...attribute }],
    },
    {
      key: 'B',
      name: 'TestEmptyBoolean',
      characteristics: { dataType: 'boolean', supportsMonitoring: false },
      attributes: [{ ...attribute, value: '' }],
    },
    {
      key: 'C',
      name: 'TestString',
      characteristics: { dataType: 'string', supportsMonitoring: false, minLimit: 3 },
      attributes: [{ ...attribute }],
    },
    {
      key: 'D',
      name: 'TestOption',
      characteristics: { dataType: 'OptionList', supportsMonitoring: false, valuesList: 'On,Off' },
      attributes: [{ ...attribute }],
    },
  );
  const { model, store } = await openExample({ components });
  t.after(() => store.close());
  assert.equal(
    model.derive({ component: 'OCPPCommCtrlr', variable: 'TestInteger' }, () => '7'),
    true,
  );
  assert.equal(
    model.derive({ component: 'ClockCtrlr', variable: 'DateTime' }, () => '2030-01-01T00:00:00.000Z'),
    true,
  );
  assert.equal(
    model.derive({ component: 'NoSuchCtrlr', variable: 'X' }, () => 'x'),
    false,
  );
  const data = model.baseReport('FullInventory');
  const valueOf = (name: string) => data.find((d) => label(d) === name)?.variableAttribute[0];
  assert.equal(valueOf('OCPPCommCtrlr.TestInteger')?.value, '7');
  assert.ok(
    valueOf('OCPPCommCtrlr.TestEmptyBoolean') && !('value' in valueOf('OCPPCommCtrlr.TestEmptyBoolean')!),
  );
  assert.equal(valueOf('OCPPCommCtrlr.TestString')?.value, '');
  assert.ok(valueOf('OCPPCommCtrlr.TestOption') && !('value' in valueOf('OCPPCommCtrlr.TestOption')!));
  assert.equal(valueOf('ClockCtrlr.DateTime')?.value, '2030-01-01T00:00:00.000Z');
  assert.equal(model.get({ component: 'ClockCtrlr', variable: 'DateTime' }), '2030-01-01T00:00:00.000Z');
  await assertSendable(data, model.reportLimits());
});
