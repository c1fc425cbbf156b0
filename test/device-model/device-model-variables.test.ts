/** Get/SetVariables (B05, B06) through DeviceModel, against the example config and a real SQLite file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import type { DeviceModel, DeviceModelChange } from '../../src/device-model/device-model.js';
import { loadComponentConfig } from '../../src/device-model/load-component-config.js';
import type {
  GetVariableDataType,
  GetVariableResultType,
  SetVariableDataType,
  SetVariableResultType,
} from '../../src/generated/ocpp-types.js';
import { OcppRpcError } from '../../src/rpc/errors.js';
import { assertOcppValid, exampleComponents, openExample } from './helpers.js';

async function get(model: DeviceModel, ...data: GetVariableDataType[]): Promise<GetVariableResultType[]> {
  const [first, ...rest] = data;
  assert.ok(first);
  const response = model.getVariables({ getVariableData: [first, ...rest] });
  await assertOcppValid('GetVariablesResponse', response);
  return response.getVariableResult;
}

async function set(model: DeviceModel, ...data: SetVariableDataType[]): Promise<SetVariableResultType[]> {
  const [first, ...rest] = data;
  assert.ok(first);
  const response = await model.setVariables({ setVariableData: [first, ...rest] });
  await assertOcppValid('SetVariablesResponse', response);
  return response.setVariableResult;
}

const cv = (component: string, variable: string, extra: { instance?: string; evse?: { id: number; connectorId?: number }; variableInstance?: string } = {}) => ({
  component: { name: component, ...(extra.instance === undefined ? {} : { instance: extra.instance }), ...(extra.evse === undefined ? {} : { evse: extra.evse }) },
  variable: { name: variable, ...(extra.variableInstance === undefined ? {} : { instance: extra.variableInstance }) },
});

test('TC_B_06/07: GetVariables of required variables is Accepted with the value; attributeType defaults to Actual', async () => {
  const { model, store } = await openExample();
  assert.deepEqual(await get(model, { ...cv('OCPPCommCtrlr', 'OfflineThreshold'), attributeType: 'Actual' }, cv('AuthCtrlr', 'LocalAuthorizeOffline')), [
    { attributeStatus: 'Accepted', attributeType: 'Actual', attributeValue: '60', ...cv('OCPPCommCtrlr', 'OfflineThreshold') },
    { attributeStatus: 'Accepted', attributeType: 'Actual', attributeValue: 'true', ...cv('AuthCtrlr', 'LocalAuthorizeOffline') },
  ]);
  await store.close();
});

test('TC_B_32/33/34: UnknownComponent, UnknownVariable, NotSupportedAttributeType omit attributeValue (B06.FR.06–08)', async () => {
  const { model, store } = await openExample();
  const results = await get(
    model,
    cv('UnknownComponent', 'OfflineThreshold'),
    cv('OCPPCommCtrlr', 'UnknownVariable'),
    { ...cv('OCPPCommCtrlr', 'OfflineThreshold'), attributeType: 'Target' },
  );
  assert.deepEqual(results, [
    { attributeStatus: 'UnknownComponent', attributeType: 'Actual', ...cv('UnknownComponent', 'OfflineThreshold') },
    { attributeStatus: 'UnknownVariable', attributeType: 'Actual', ...cv('OCPPCommCtrlr', 'UnknownVariable') },
    { attributeStatus: 'NotSupportedAttributeType', attributeType: 'Target', ...cv('OCPPCommCtrlr', 'OfflineThreshold') },
  ]);
  await store.close();
});

test('B06.FR.09: WriteOnly is Rejected without value; B06.FR.13: an unset attribute reads as ""', async () => {
  const { model, store } = await openExample();
  assert.deepEqual(await get(model, cv('SecurityCtrlr', 'BasicAuthPassword'), { ...cv('EVSE', 'Power', { evse: { id: 1 } }), attributeType: 'MaxSet' }), [
    {
      attributeStatus: 'Rejected',
      attributeStatusInfo: { reasonCode: 'WriteOnly', additionalInfo: 'Actual of BasicAuthPassword is WriteOnly' },
      attributeType: 'Actual',
      ...cv('SecurityCtrlr', 'BasicAuthPassword'),
    },
    { attributeStatus: 'Accepted', attributeType: 'MaxSet', attributeValue: '', ...cv('EVSE', 'Power', { evse: { id: 1 } }) },
  ]);
  await store.close();
});

test('B06.FR.14/15: instances, EVSE/connector addressing, case-insensitive names; results echo the request', async () => {
  const { model, store } = await openExample();
  const statuses = async (...data: GetVariableDataType[]) => (await get(model, ...data)).map((r) => [r.attributeStatus, r.attributeValue]);
  assert.deepEqual(
    await statuses(
      cv('OCPPCommCtrlr', 'MessageAttempts', { variableInstance: 'TransactionEvent' }),
      cv('OCPPCommCtrlr', 'MessageAttempts'),
      cv('OCPPCommCtrlr', 'MessageAttempts', { variableInstance: '' }),
      cv('ocppcommctrlr', 'messageattempts', { variableInstance: 'transactionevent' }),
      cv('OCPPCommCtrlr', 'MessageAttempts', { variableInstance: 'Other' }),
      cv('EVSE', 'AvailabilityState', { evse: { id: 2 } }),
      cv('EVSE', 'AvailabilityState'),
      cv('EVSE', 'AvailabilityState', { evse: { id: 3 } }),
      cv('EVSE', 'AvailabilityState', { evse: { id: 1, connectorId: 1 } }),
      cv('Connector', 'ConnectorType', { evse: { id: 1, connectorId: 1 } }),
      cv('Connector', 'ConnectorType', { evse: { id: 1 } }),
      cv('OCPPCommCtrlr', 'OfflineThreshold', { evse: { id: 1 } }),
      cv('CustomizationCtrlr', 'CustomImplementationEnabled', { variableInstance: 'org.openchargealliance.costmsg' }),
    ),
    [
      ['Accepted', '5'],
      ['UnknownVariable', undefined],
      ['UnknownVariable', undefined],
      ['Accepted', '5'],
      ['UnknownVariable', undefined],
      ['Accepted', 'Unavailable'],
      ['UnknownComponent', undefined],
      ['UnknownComponent', undefined],
      ['UnknownComponent', undefined],
      ['Accepted', 'sType2'],
      ['UnknownComponent', undefined],
      ['UnknownComponent', undefined],
      ['Accepted', ''],
    ],
  );
  const [echo] = await get(model, cv('ocppcommctrlr', 'messageattempts', { variableInstance: 'transactionevent' }));
  assert.deepEqual(echo?.component, { name: 'ocppcommctrlr' });
  assert.deepEqual(echo?.variable, { name: 'messageattempts', instance: 'transactionevent' });
  await store.close();
});

test('B06.FR.16/17: more items than ItemsPerMessageGetVariables or more bytes than BytesPerMessageGetVariables are CALLERRORs', async () => {
  const { model, store } = await openExample();
  const data = Array.from({ length: 101 }, () => cv('OCPPCommCtrlr', 'OfflineThreshold'));
  const [first, ...rest] = data;
  assert.ok(first);
  assert.throws(
    () => model.getVariables({ getVariableData: [first, ...rest] }),
    (e: unknown) => e instanceof OcppRpcError && e.code === 'OccurrenceConstraintViolation' && /101 elements, more than ItemsPerMessageGetVariables \(100\)/.test(e.message),
  );
  assert.equal(model.getVariables({ getVariableData: [first, ...rest.slice(1)] }).getVariableResult.length, 100);
  assert.throws(
    () => model.getVariables({ getVariableData: [first] }, { messageBytes: 2049 }),
    (e: unknown) => e instanceof OcppRpcError && e.code === 'FormatViolation' && /2049 bytes, more than BytesPerMessageGetVariables \(2048\)/.test(e.message),
  );
  assert.equal(model.getVariables({ getVariableData: [first] }, { messageBytes: 2048 }).getVariableResult.length, 1);
  await assert.rejects(
    model.setVariables({ setVariableData: [{ ...first, attributeValue: '1' }] }, { messageBytes: 4096 }),
    (e: unknown) => e instanceof OcppRpcError && e.code === 'FormatViolation',
  );
  await store.close();
});

test('ReportingValueSize limits returned values; ConfigurationValueSize limits values set', async () => {
  const { model, store } = await openExample({
    overrides: [
      { ref: { component: 'DeviceDataCtrlr', variable: 'ReportingValueSize' }, value: '10' },
      { ref: { component: 'DeviceDataCtrlr', variable: 'ConfigurationValueSize' }, value: '12' },
    ],
  });
  const [measurands] = await get(model, cv('AlignedDataCtrlr', 'Measurands'));
  assert.equal(measurands?.attributeValue, 'Energy.Act');
  const results = await set(
    model,
    { ...cv('ChargingStatusIndicator', 'Color'), attributeValue: '123456789012' },
    { ...cv('ChargingStatusIndicator', 'Color'), attributeValue: '1234567890123' },
  );
  assert.deepEqual(results.map((r) => [r.attributeStatus, r.attributeStatusInfo]), [
    ['Accepted', undefined],
    ['Rejected', { reasonCode: 'TooLargeElement', additionalInfo: "value length 13 exceeds the station's limit of 12" }],
  ]);
  assert.equal(model.get({ component: 'ChargingStatusIndicator', variable: 'Color' }), '123456789012');
  await store.close();
});

test('TC_B_09/10: SetVariables Accepted, stored, echoed with attributeType Actual (B05.FR.12)', async () => {
  const { model, store } = await openExample();
  assert.deepEqual(
    await set(model, { ...cv('OCPPCommCtrlr', 'OfflineThreshold'), attributeValue: '300', attributeType: 'Actual' }, { ...cv('AuthCtrlr', 'LocalAuthorizeOffline'), attributeValue: 'true' }),
    [
      { attributeType: 'Actual', attributeStatus: 'Accepted', ...cv('OCPPCommCtrlr', 'OfflineThreshold') },
      { attributeType: 'Actual', attributeStatus: 'Accepted', ...cv('AuthCtrlr', 'LocalAuthorizeOffline') },
    ],
  );
  assert.deepEqual((await get(model, cv('OCPPCommCtrlr', 'OfflineThreshold')))[0]?.attributeValue, '300');
  const row = await store.db.selectFrom('device_model').select(['value', 'value_source']).where('variable', '=', 'OfflineThreshold').executeTakeFirstOrThrow();
  assert.deepEqual(row, { value: '300', value_source: 'csms' });
  await store.close();
});

test('TC_B_11: invalidly formatted values are Rejected with InvalidValue, valid ones Accepted', async () => {
  const { model, store } = await openExample();
  const now = DateTime.utc().toISO();
  const values = ['60', '60.1', 'true', now, 'abc'];
  const targets: Array<[string, string, string[]]> = [
    ['OCPPCommCtrlr', 'OfflineThreshold', ['60']],
    ['SmartChargingCtrlr', 'LimitChangeSignificance', ['60', '60.1']],
    ['AuthCtrlr', 'AuthorizeRemoteStart', ['true']],
    ['ClockCtrlr', 'NextTimeOffsetTransitionDateTime', [now]],
  ];
  for (const [component, variable, valid] of targets) {
    for (const value of values) {
      const [result] = await set(model, { ...cv(component, variable), attributeValue: value });
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
  const results = await set(
    model,
    { ...cv('UnknownComponent', 'OfflineThreshold'), attributeValue: '1' },
    { ...cv('OCPPCommCtrlr', 'UnknownVariable'), attributeValue: '1' },
    { ...cv('OCPPCommCtrlr', 'OfflineThreshold'), attributeValue: '1', attributeType: 'Target' },
    { ...cv('OCPPCommCtrlr', 'MessageTimeout', { variableInstance: 'Default' }), attributeValue: '30' },
    { ...cv('SecurityCtrlr', 'SecurityProfile'), attributeValue: '2' },
    { ...cv('SmartChargingCtrlr', 'CompositeScheduleDefaultNumberPhases'), attributeValue: '4' },
    { ...cv('InternalCtrlr', 'OcspRequestInterval'), attributeValue: '60' },
    { ...cv('TxCtrlr', 'TxStartPoint'), attributeValue: 'ParkingBayOccupancy' },
    { ...cv('TariffCostCtrlr', 'Currency'), attributeValue: 'EURO' },
  );
  assert.deepEqual(results.map((r) => [r.attributeStatus, r.attributeType, r.attributeStatusInfo?.reasonCode]), [
    ['UnknownComponent', 'Actual', undefined],
    ['UnknownVariable', 'Actual', undefined],
    ['NotSupportedAttributeType', 'Target', undefined],
    ['Rejected', 'Actual', 'ReadOnly'],
    ['Rejected', 'Actual', 'ReadOnly'],
    ['Rejected', 'Actual', 'ValueTooHigh'],
    ['Rejected', 'Actual', 'ValueTooLow'],
    ['Rejected', 'Actual', 'InvalidValue'],
    ['Rejected', 'Actual', 'ValueOutOfRange'],
  ]);
  assert.deepEqual(results[3]?.variable, { name: 'MessageTimeout', instance: 'Default' });
  assert.equal(results[6]?.attributeStatusInfo?.additionalInfo, '60 is below minLimit 86400');
  assert.equal(model.get({ component: 'TxCtrlr', variable: 'TxStartPoint' }), 'PowerPathClosed');
  await store.close();
});

test('a WriteOnly value can be set but not read back; booleans are stored normalized', async () => {
  const { model, store } = await openExample();
  const results = await set(model, { ...cv('SecurityCtrlr', 'BasicAuthPassword'), attributeValue: '0123456789abcdef0123' }, { ...cv('TxCtrlr', 'StopTxOnInvalidId'), attributeValue: 'FALSE' });
  assert.deepEqual(results.map((r) => r.attributeStatus), ['Accepted', 'Accepted']);
  assert.equal(model.get({ component: 'SecurityCtrlr', variable: 'BasicAuthPassword' }), '0123456789abcdef0123');
  assert.equal((await get(model, cv('SecurityCtrlr', 'BasicAuthPassword')))[0]?.attributeValue, undefined);
  assert.equal(model.get({ component: 'TxCtrlr', variable: 'StopTxOnInvalidId' }), 'false');
  await store.close();
});

test('RebootRequired for a changed NetworkConfigurationPriority (B10.FR.01): stored, reported with rebootRequired', async () => {
  const { model, store } = await openExample();
  const changes: DeviceModelChange[] = [];
  model.onChange((c) => changes.push(c));
  const priority = cv('OCPPCommCtrlr', 'NetworkConfigurationPriority');
  assert.deepEqual((await set(model, { ...priority, attributeValue: '1' })).map((r) => r.attributeStatus), ['Accepted']);
  assert.deepEqual((await set(model, { ...priority, attributeValue: '2,1' })).map((r) => r.attributeStatus), ['RebootRequired']);
  assert.deepEqual((await set(model, { ...priority, attributeValue: '3' })).map((r) => r.attributeStatus), ['Rejected']);
  assert.equal(model.get({ component: 'OCPPCommCtrlr', variable: 'NetworkConfigurationPriority' }), '2,1');
  assert.deepEqual(changes.map((c) => [c.value, c.rebootRequired]), [['2,1', true]]);
  await store.close();
});

test('B05.FR.13: repeated elements in one request are applied in order, each with its own result', async () => {
  const { model, store } = await openExample();
  const changes: DeviceModelChange[] = [];
  model.onChange((c) => changes.push(c));
  const results = await set(
    model,
    { ...cv('OCPPCommCtrlr', 'HeartbeatInterval'), attributeValue: '100' },
    { ...cv('OCPPCommCtrlr', 'HeartbeatInterval'), attributeValue: 'x' },
    { ...cv('OCPPCommCtrlr', 'HeartbeatInterval'), attributeValue: '200', attributeType: 'Actual' },
  );
  assert.deepEqual(results.map((r) => r.attributeStatus), ['Accepted', 'Rejected', 'Accepted']);
  assert.equal(model.get({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }), '200');
  assert.deepEqual(changes.map((c) => [c.previous, c.value]), [['1800', '100'], ['100', '200']]);
  const row = await store.db.selectFrom('device_model').select('value').where('variable', '=', 'HeartbeatInterval').executeTakeFirstOrThrow();
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
            characteristics: { dataType: 'integer', supportsMonitoring: true, minLimit: 0, maxLimit: 1000, unit: 'rpm' },
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
  const speed = (attributeType: 'Target' | 'MinSet' | 'MaxSet', attributeValue: string): SetVariableDataType => ({ ...cv('Fan', 'Speed'), attributeType, attributeValue });
  const statuses = async (...data: SetVariableDataType[]) => (await set(model, ...data)).map((r) => `${r.attributeStatus}${r.attributeStatusInfo ? ` ${r.attributeStatusInfo.additionalInfo}` : ''}`);
  assert.deepEqual(await statuses(speed('Target', '600')), ['Rejected 600 is above the MaxSet value 500']);
  assert.deepEqual(await statuses(speed('Target', '100')), ['Rejected 100 is below the MinSet value 200']);
  assert.deepEqual(await statuses(speed('MaxSet', '700'), speed('Target', '600')), ['Accepted', 'Accepted']);
  assert.deepEqual(await statuses(speed('MinSet', '800')), ['Rejected MinSet 800 is above the MaxSet value 700']);
  assert.deepEqual(await statuses(speed('MaxSet', '100')), ['Rejected MaxSet 100 is below the MinSet value 200']);
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
    if (ref.variable === 'HeartbeatInterval' && Number(value) < 10) return { status: 'Rejected', reasonCode: 'ValueTooLow' };
    if (ref.variable === 'WebSocketPingInterval') return { status: 'RebootRequired' };
    if (ref.variable === 'ResetRetries') throw new Error('validator bug');
    return undefined;
  });
  const results = await set(
    model,
    { ...cv('ocppcommctrlr', 'heartbeatinterval'), attributeValue: '5' },
    { ...cv('OCPPCommCtrlr', 'HeartbeatInterval'), attributeValue: '50' },
    { ...cv('OCPPCommCtrlr', 'WebSocketPingInterval'), attributeValue: '30' },
    { ...cv('OCPPCommCtrlr', 'ResetRetries'), attributeValue: '1' },
    { ...cv('OCPPCommCtrlr', 'HeartbeatInterval'), attributeValue: 'x' },
  );
  assert.deepEqual(results.map((r) => [r.attributeStatus, r.attributeStatusInfo?.reasonCode]), [
    ['Rejected', 'ValueTooLow'],
    ['Accepted', undefined],
    ['RebootRequired', undefined],
    ['Rejected', 'InternalError'],
    ['Rejected', 'InvalidValue'],
  ]);
  assert.deepEqual(seen, [
    'OCPPCommCtrlr.HeartbeatInterval:Actual=5',
    'OCPPCommCtrlr.HeartbeatInterval:Actual=50',
    'OCPPCommCtrlr.WebSocketPingInterval:Actual=30',
    'OCPPCommCtrlr.ResetRetries:Actual=1',
  ]);
  assert.equal(model.get({ component: 'OCPPCommCtrlr', variable: 'WebSocketPingInterval' }), '30');
  assert.equal(model.get({ component: 'OCPPCommCtrlr', variable: 'ResetRetries' }), '3');
  // Host writes are not subject to validators.
  assert.equal(await model.set({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }, '5', 'host'), 'Accepted');
  assert.equal(seen.length, 4);
  await store.close();
});
