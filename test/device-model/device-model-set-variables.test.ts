/** SetVariables (B05) through DeviceModel, against the example config and a real SQLite file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import type { DeviceModelChange } from '../../src/device-model/device-model.js';
import { loadComponentConfig } from '../../src/device-model/load-component-config.js';
import type { LoadedComponent } from '../../src/device-model/types.js';
import type { SetVariableDataType } from '../../src/generated/ocpp-types.js';
import { cv, exampleComponents, getVariables, openExample, setVariables } from './helpers.js';

test('TC_B_09/10: SetVariables Accepted, stored, echoed with attributeType Actual (B05.FR.12)', async () => {
  const { model, store } = await openExample();
  assert.deepEqual(
    await setVariables(
      model,
      { ...cv('OCPPCommCtrlr', 'OfflineThreshold'), attributeValue: '300', attributeType: 'Actual' },
      { ...cv('AuthCtrlr', 'LocalAuthorizeOffline'), attributeValue: 'true' },
    ),
    [
      { attributeType: 'Actual', attributeStatus: 'Accepted', ...cv('OCPPCommCtrlr', 'OfflineThreshold') },
      { attributeType: 'Actual', attributeStatus: 'Accepted', ...cv('AuthCtrlr', 'LocalAuthorizeOffline') },
    ],
  );
  assert.deepEqual(
    (await getVariables(model, cv('OCPPCommCtrlr', 'OfflineThreshold')))[0]?.attributeValue,
    '300',
  );
  const row = await store.db
    .selectFrom('device_model')
    .select(['value', 'value_source'])
    .where('variable', '=', 'OfflineThreshold')
    .executeTakeFirstOrThrow();
  assert.deepEqual(row, { value: '300', value_source: 'csms' });
  await store.close();
});

test('TC_B_11: invalidly formatted values are Rejected with InvalidValue, valid ones Accepted', async () => {
  // The example has no writable dateTime variable (ClockCtrlr.DateTime is the clock): a test component adds one.
  const timer: LoadedComponent = {
    file: 'test',
    name: 'TestCtrlr',
    variables: [
      {
        key: 'NextRun',
        name: 'NextRun',
        characteristics: { dataType: 'dateTime', supportsMonitoring: false },
        attributes: [{ type: 'Actual', mutability: 'ReadWrite', persistent: true, constant: false }],
      },
    ],
  };
  const { model, store } = await openExample({ components: [...(await exampleComponents()), timer] });
  const now = DateTime.utc().toISO();
  const values = ['60', '60.1', 'true', now, 'abc'];
  const targets: Array<[string, string, string[]]> = [
    ['OCPPCommCtrlr', 'OfflineThreshold', ['60']],
    ['SmartChargingCtrlr', 'LimitChangeSignificance', ['60', '60.1']],
    ['AuthCtrlr', 'AuthorizeRemoteStart', ['true']],
    ['TestCtrlr', 'NextRun', [now]],
  ];
  for (const [component, variable, valid] of targets) {
    for (const value of values) {
      const [result] = await setVariables(model, { ...cv(component, variable), attributeValue: value });
      if (valid.includes(value)) assert.equal(result?.attributeStatus, 'Accepted', `${variable}=${value}`);
      else {
        assert.equal(result?.attributeStatus, 'Rejected', `${variable}=${value}`);
        assert.equal(result?.attributeStatusInfo?.reasonCode, 'InvalidValue');
      }
    }
  }
  await store.close();
});

test('TC_B_35/36/37/39 and B05.FR.08: unknown component/variable, unsupported attribute, ReadOnly, out of range, not in valuesList', async () => {
  const { model, store } = await openExample();
  const results = await setVariables(
    model,
    { ...cv('UnknownComponent', 'OfflineThreshold'), attributeValue: '1' },
    { ...cv('OCPPCommCtrlr', 'UnknownVariable'), attributeValue: '1' },
    { ...cv('OCPPCommCtrlr', 'OfflineThreshold'), attributeValue: '1', attributeType: 'Target' },
    { ...cv('OCPPCommCtrlr', 'MessageTimeout', { variableInstance: 'Default' }), attributeValue: '30' },
    { ...cv('SecurityCtrlr', 'SecurityProfile'), attributeValue: '2' },
    { ...cv('SmartChargingCtrlr', 'CompositeScheduleDefaultNumberPhases'), attributeValue: '4' },
    { ...cv('InternalCtrlr', 'OcspRequestInterval'), attributeValue: '60' },
    { ...cv('TxCtrlr', 'TxStartPoint'), attributeValue: 'EVConnected,Teleported' },
    { ...cv('TariffCostCtrlr', 'Currency'), attributeValue: 'EURO' },
  );
  assert.deepEqual(
    results.map((r) => [r.attributeStatus, r.attributeType, r.attributeStatusInfo?.reasonCode]),
    [
      ['UnknownComponent', 'Actual', undefined],
      ['UnknownVariable', 'Actual', undefined],
      ['NotSupportedAttributeType', 'Target', undefined],
      ['Rejected', 'Actual', 'ReadOnly'],
      ['Rejected', 'Actual', 'ReadOnly'],
      ['Rejected', 'Actual', 'ValueTooHigh'],
      ['Rejected', 'Actual', 'ValueTooLow'],
      ['Rejected', 'Actual', 'InvalidValue'],
      ['Rejected', 'Actual', 'ValueOutOfRange'],
    ],
  );
  assert.deepEqual(results[3]?.variable, { name: 'MessageTimeout', instance: 'Default' });
  assert.equal(results[6]?.attributeStatusInfo?.additionalInfo, '60 is below minLimit 86400');
  assert.equal(model.get({ component: 'TxCtrlr', variable: 'TxStartPoint' }), 'PowerPathClosed');
  await store.close();
});

test('a WriteOnly value can be set but not read back; booleans are stored normalized', async () => {
  const { model, store } = await openExample();
  const results = await setVariables(
    model,
    { ...cv('SecurityCtrlr', 'BasicAuthPassword'), attributeValue: '0123456789abcdef0123' },
    { ...cv('TxCtrlr', 'StopTxOnInvalidId'), attributeValue: 'FALSE' },
  );
  assert.deepEqual(
    results.map((r) => r.attributeStatus),
    ['Accepted', 'Accepted'],
  );
  assert.equal(
    model.get({ component: 'SecurityCtrlr', variable: 'BasicAuthPassword' }),
    '0123456789abcdef0123',
  );
  assert.equal(
    (await getVariables(model, cv('SecurityCtrlr', 'BasicAuthPassword')))[0]?.attributeValue,
    undefined,
  );
  assert.equal(model.get({ component: 'TxCtrlr', variable: 'StopTxOnInvalidId' }), 'false');
  await store.close();
});

test('RebootRequired for a changed NetworkConfigurationPriority (B10.FR.01): stored, reported with rebootRequired', async () => {
  const { model, store } = await openExample();
  const changes: DeviceModelChange[] = [];
  model.onChange((c) => changes.push(c));
  const priority = cv('OCPPCommCtrlr', 'NetworkConfigurationPriority');
  assert.deepEqual(
    (await setVariables(model, { ...priority, attributeValue: '1' })).map((r) => r.attributeStatus),
    ['Accepted'],
  );
  assert.deepEqual(
    (await setVariables(model, { ...priority, attributeValue: '2,1' })).map((r) => r.attributeStatus),
    ['RebootRequired'],
  );
  assert.deepEqual(
    (await setVariables(model, { ...priority, attributeValue: '3' })).map((r) => r.attributeStatus),
    ['Rejected'],
  );
  assert.equal(model.get({ component: 'OCPPCommCtrlr', variable: 'NetworkConfigurationPriority' }), '2,1');
  assert.deepEqual(
    changes.map((c) => [c.value, c.rebootRequired]),
    [['2,1', true]],
  );
  await store.close();
});

test('B05.FR.13: repeated elements in one request are applied in order, each with its own result', async () => {
  const { model, store } = await openExample();
  const changes: DeviceModelChange[] = [];
  model.onChange((c) => changes.push(c));
  const results = await setVariables(
    model,
    { ...cv('OCPPCommCtrlr', 'HeartbeatInterval'), attributeValue: '100' },
    { ...cv('OCPPCommCtrlr', 'HeartbeatInterval'), attributeValue: 'x' },
    { ...cv('OCPPCommCtrlr', 'HeartbeatInterval'), attributeValue: '200', attributeType: 'Actual' },
  );
  assert.deepEqual(
    results.map((r) => r.attributeStatus),
    ['Accepted', 'Rejected', 'Accepted'],
  );
  assert.equal(model.get({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }), '200');
  assert.deepEqual(
    changes.map((c) => [c.previous, c.value]),
    [
      ['1800', '100'],
      ['100', '200'],
    ],
  );
  const row = await store.db
    .selectFrom('device_model')
    .select('value')
    .where('variable', '=', 'HeartbeatInterval')
    .executeTakeFirstOrThrow();
  assert.equal(row.value, '200');
  await store.close();
});

test('Target/MinSet/MaxSet: Target must lie within MinSet..MaxSet, also when set in the same request', async () => {
  const fan = await loadComponentConfig([
    {
      file: 'custom/Fan.json',
      content: {
        name: 'Fan',
        properties: {
          Speed: {
            variable_name: 'Speed',
            characteristics: {
              dataType: 'integer',
              supportsMonitoring: true,
              minLimit: 0,
              maxLimit: 1000,
              unit: 'rpm',
            },
            attributes: [
              { type: 'Actual', mutability: 'ReadOnly', value: 0 },
              { type: 'Target', mutability: 'ReadWrite' },
              { type: 'MinSet', mutability: 'ReadWrite', value: 200 },
              { type: 'MaxSet', mutability: 'ReadWrite', value: 500 },
            ],
          },
        },
      },
    },
  ]);
  const { model, store } = await openExample({ components: [...(await exampleComponents()), ...fan] });
  const speed = (
    attributeType: 'Target' | 'MinSet' | 'MaxSet',
    attributeValue: string,
  ): SetVariableDataType => ({ ...cv('Fan', 'Speed'), attributeType, attributeValue });
  const statuses = async (...data: SetVariableDataType[]) =>
    (await setVariables(model, ...data)).map(
      (r) => `${r.attributeStatus}${r.attributeStatusInfo ? ` ${r.attributeStatusInfo.additionalInfo}` : ''}`,
    );
  assert.deepEqual(await statuses(speed('Target', '600')), ['Rejected 600 is above the MaxSet value 500']);
  assert.deepEqual(await statuses(speed('Target', '100')), ['Rejected 100 is below the MinSet value 200']);
  assert.deepEqual(await statuses(speed('MaxSet', '700'), speed('Target', '600')), ['Accepted', 'Accepted']);
  assert.deepEqual(await statuses(speed('MinSet', '800')), [
    'Rejected MinSet 800 is above the MaxSet value 700',
  ]);
  assert.deepEqual(await statuses(speed('MaxSet', '100')), [
    'Rejected MaxSet 100 is below the MinSet value 200',
  ]);
  assert.deepEqual(await statuses(speed('MaxSet', '1001')), ['Rejected 1001 is above maxLimit 1000']);
  // The hardware reports what it measures: Actual from the host is not bounded.
  assert.equal(await model.set({ component: 'Fan', variable: 'Speed' }, '1200', 'host'), 'Accepted');
  assert.equal(model.get({ component: 'Fan', variable: 'Speed', attribute: 'Target' }), '600');
  await store.close();
});

test('validators run on CSMS writes after the built-in checks: Rejected, RebootRequired, a throwing validator', async () => {
  const { model, store } = await openExample();
  const seen: string[] = [];
  model.addValidator((ref, value) => {
    seen.push(`${ref.component}.${ref.variable}:${ref.attribute}=${value}`);
    if (ref.variable === 'HeartbeatInterval' && Number(value) < 10)
      return { status: 'Rejected', reasonCode: 'ValueTooLow' };
    if (ref.variable === 'WebSocketPingInterval') return { status: 'RebootRequired' };
    if (ref.variable === 'ResetRetries') throw new Error('validator bug');
    return undefined;
  });
  const results = await setVariables(
    model,
    { ...cv('ocppcommctrlr', 'heartbeatinterval'), attributeValue: '5' },
    { ...cv('OCPPCommCtrlr', 'HeartbeatInterval'), attributeValue: '50' },
    { ...cv('OCPPCommCtrlr', 'WebSocketPingInterval'), attributeValue: '30' },
    { ...cv('OCPPCommCtrlr', 'ResetRetries'), attributeValue: '1' },
    { ...cv('OCPPCommCtrlr', 'HeartbeatInterval'), attributeValue: 'x' },
  );
  assert.deepEqual(
    results.map((r) => [r.attributeStatus, r.attributeStatusInfo?.reasonCode]),
    [
      ['Rejected', 'ValueTooLow'],
      ['Accepted', undefined],
      ['RebootRequired', undefined],
      ['Rejected', 'InternalError'],
      ['Rejected', 'InvalidValue'],
    ],
  );
  assert.deepEqual(seen, [
    'OCPPCommCtrlr.HeartbeatInterval:Actual=5',
    'OCPPCommCtrlr.HeartbeatInterval:Actual=50',
    'OCPPCommCtrlr.WebSocketPingInterval:Actual=30',
    'OCPPCommCtrlr.ResetRetries:Actual=1',
  ]);
  assert.equal(model.get({ component: 'OCPPCommCtrlr', variable: 'WebSocketPingInterval' }), '30');
  assert.equal(model.get({ component: 'OCPPCommCtrlr', variable: 'ResetRetries' }), '3');
  // Host writes are not subject to validators.
  assert.equal(
    await model.set({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }, '5', 'host'),
    'Accepted',
  );
  assert.equal(seen.length, 4);
  await store.close();
});
