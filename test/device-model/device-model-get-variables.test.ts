/** GetVariables (B06) through DeviceModel, against the example config and a real SQLite file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GetVariableDataType } from '../../src/generated/ocpp-types.js';
import { OcppRpcError } from '../../src/rpc/errors.js';
import { cv, getVariables, openExample, setVariables } from './helpers.js';

test('TC_B_06/07: GetVariables of required variables is Accepted with the value; attributeType defaults to Actual', async () => {
  const { model, store } = await openExample();
  assert.deepEqual(
    await getVariables(
      model,
      { ...cv('OCPPCommCtrlr', 'OfflineThreshold'), attributeType: 'Actual' },
      cv('AuthCtrlr', 'LocalAuthorizeOffline'),
    ),
    [
      {
        attributeStatus: 'Accepted',
        attributeType: 'Actual',
        attributeValue: '60',
        ...cv('OCPPCommCtrlr', 'OfflineThreshold'),
      },
      {
        attributeStatus: 'Accepted',
        attributeType: 'Actual',
        attributeValue: 'true',
        ...cv('AuthCtrlr', 'LocalAuthorizeOffline'),
      },
    ],
  );
  await store.close();
});

test('TC_B_32/33/34: UnknownComponent, UnknownVariable, NotSupportedAttributeType omit attributeValue (B06.FR.06–08)', async () => {
  const { model, store } = await openExample();
  const results = await getVariables(
    model,
    cv('UnknownComponent', 'OfflineThreshold'),
    cv('OCPPCommCtrlr', 'UnknownVariable'),
    { ...cv('OCPPCommCtrlr', 'OfflineThreshold'), attributeType: 'Target' },
  );
  assert.deepEqual(results, [
    {
      attributeStatus: 'UnknownComponent',
      attributeType: 'Actual',
      ...cv('UnknownComponent', 'OfflineThreshold'),
    },
    {
      attributeStatus: 'UnknownVariable',
      attributeType: 'Actual',
      ...cv('OCPPCommCtrlr', 'UnknownVariable'),
    },
    {
      attributeStatus: 'NotSupportedAttributeType',
      attributeType: 'Target',
      ...cv('OCPPCommCtrlr', 'OfflineThreshold'),
    },
  ]);
  await store.close();
});

test('B06.FR.09: WriteOnly is Rejected without value; B06.FR.13: an unset attribute reads as ""', async () => {
  const { model, store } = await openExample();
  assert.deepEqual(
    await getVariables(model, cv('SecurityCtrlr', 'BasicAuthPassword'), {
      ...cv('EVSE', 'Power', { evse: { id: 1 } }),
      attributeType: 'MaxSet',
    }),
    [
      {
        attributeStatus: 'Rejected',
        attributeStatusInfo: {
          reasonCode: 'WriteOnly',
          additionalInfo: 'Actual of BasicAuthPassword is WriteOnly',
        },
        attributeType: 'Actual',
        ...cv('SecurityCtrlr', 'BasicAuthPassword'),
      },
      {
        attributeStatus: 'Accepted',
        attributeType: 'MaxSet',
        attributeValue: '',
        ...cv('EVSE', 'Power', { evse: { id: 1 } }),
      },
    ],
  );
  await store.close();
});

test('B06.FR.14/15: instances, EVSE/connector addressing, case-insensitive names; results echo the request', async () => {
  const { model, store } = await openExample();
  const statuses = async (...data: GetVariableDataType[]) =>
    (await getVariables(model, ...data)).map((r) => [r.attributeStatus, r.attributeValue]);
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
      cv('CustomizationCtrlr', 'CustomImplementationEnabled', {
        variableInstance: 'org.openchargealliance.costmsg',
      }),
    ),
    [
      ['Accepted', '5'],
      ['UnknownVariable', undefined],
      ['UnknownVariable', undefined],
      ['Accepted', '5'],
      ['UnknownVariable', undefined],
      ['Accepted', 'Available'],
      ['UnknownComponent', undefined],
      ['UnknownComponent', undefined],
      ['UnknownComponent', undefined],
      ['Accepted', 'sType2'],
      ['UnknownComponent', undefined],
      ['UnknownComponent', undefined],
      ['Accepted', 'false'],
    ],
  );
  const [echo] = await getVariables(
    model,
    cv('ocppcommctrlr', 'messageattempts', { variableInstance: 'transactionevent' }),
  );
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
    (e: unknown) =>
      e instanceof OcppRpcError &&
      e.code === 'OccurrenceConstraintViolation' &&
      /101 elements, more than ItemsPerMessageGetVariables \(100\)/.test(e.message),
  );
  assert.equal(
    model.getVariables({ getVariableData: [first, ...rest.slice(1)] }).getVariableResult.length,
    100,
  );
  assert.throws(
    () => model.getVariables({ getVariableData: [first] }, { messageBytes: 2049 }),
    (e: unknown) =>
      e instanceof OcppRpcError &&
      e.code === 'FormatViolation' &&
      /2049 bytes, more than BytesPerMessageGetVariables \(2048\)/.test(e.message),
  );
  assert.equal(
    model.getVariables({ getVariableData: [first] }, { messageBytes: 2048 }).getVariableResult.length,
    1,
  );
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
  const [measurands] = await getVariables(model, cv('AlignedDataCtrlr', 'Measurands'));
  assert.equal(measurands?.attributeValue, 'Energy.Act');
  const results = await setVariables(
    model,
    { ...cv('ChargingStatusIndicator', 'Color'), attributeValue: '123456789012' },
    { ...cv('ChargingStatusIndicator', 'Color'), attributeValue: '1234567890123' },
  );
  assert.deepEqual(
    results.map((r) => [r.attributeStatus, r.attributeStatusInfo]),
    [
      ['Accepted', undefined],
      [
        'Rejected',
        {
          reasonCode: 'TooLargeElement',
          additionalInfo: "value length 13 exceeds the station's limit of 12",
        },
      ],
    ],
  );
  assert.equal(model.get({ component: 'ChargingStatusIndicator', variable: 'Color' }), '123456789012');
  await store.close();
});
