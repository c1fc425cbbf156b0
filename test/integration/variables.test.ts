/**
 * B05 SetVariables and B06 GetVariables over the wire: a real station (ChargePoint on a SQLite
 * file) answers the strict test CSMS, and every message passes the official schemas both ways.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor, type Actor } from 'xstate';
import type { bootMachine } from '../../machines/boot.js';
import type {
  GetVariableDataType,
  GetVariablesResponse,
  SetVariableDataType,
  SetVariablesResponse,
} from '../../src/generated/ocpp-types.js';
import { answerTo, callErrorCode, callFrameBytes, registered } from './csms-helpers.js';
import { startHarness, type Harness } from './station-harness.js';

const cv = (
  component: string,
  variable: string,
  extra: {
    evse?: { id: number; connectorId?: number };
    componentInstance?: string;
    variableInstance?: string;
  } = {},
) => ({
  component: {
    name: component,
    ...(extra.componentInstance === undefined ? {} : { instance: extra.componentInstance }),
    ...(extra.evse === undefined ? {} : { evse: extra.evse }),
  },
  variable: {
    name: variable,
    ...(extra.variableInstance === undefined ? {} : { instance: extra.variableInstance }),
  },
});

async function getVariables(h: Harness, ...data: GetVariableDataType[]) {
  const response = (await h.csms.call(h.identity, 'GetVariables', {
    getVariableData: data,
  })) as GetVariablesResponse;
  return response.getVariableResult;
}

async function setVariables(h: Harness, ...data: SetVariableDataType[]) {
  const response = (await h.csms.call(h.identity, 'SetVariables', {
    setVariableData: data,
  })) as SetVariablesResponse;
  return response.setVariableResult;
}

test('TC_B_06/32/33/34: GetVariables answers every attributeStatus over the wire (B06.FR.01–13)', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  const results = await getVariables(
    h,
    cv('OCPPCommCtrlr', 'HeartbeatInterval'),
    { ...cv('OCPPCommCtrlr', 'HeartbeatInterval'), attributeType: 'Target' },
    cv('NoSuchCtrlr', 'HeartbeatInterval'),
    cv('OCPPCommCtrlr', 'NoSuchVariable'),
    cv('SecurityCtrlr', 'BasicAuthPassword'),
    cv('InternalCtrlr', 'ICCID'),
  );
  assert.deepEqual(results, [
    // B06.FR.10/11: the interval of the BootNotificationResponse (B01.FR.04), attributeType Actual.
    {
      attributeStatus: 'Accepted',
      attributeType: 'Actual',
      attributeValue: '300',
      ...cv('OCPPCommCtrlr', 'HeartbeatInterval'),
    },
    // B06.FR.08, .03: the requested attributeType is echoed, no value.
    {
      attributeStatus: 'NotSupportedAttributeType',
      attributeType: 'Target',
      ...cv('OCPPCommCtrlr', 'HeartbeatInterval'),
    },
    // B06.FR.06, .07
    {
      attributeStatus: 'UnknownComponent',
      attributeType: 'Actual',
      ...cv('NoSuchCtrlr', 'HeartbeatInterval'),
    },
    { attributeStatus: 'UnknownVariable', attributeType: 'Actual', ...cv('OCPPCommCtrlr', 'NoSuchVariable') },
    // B06.FR.09: the WriteOnly password is never readable.
    {
      attributeStatus: 'Rejected',
      attributeStatusInfo: results[4]?.attributeStatusInfo ?? { reasonCode: 'missing' },
      attributeType: 'Actual',
      ...cv('SecurityCtrlr', 'BasicAuthPassword'),
    },
    // B06.FR.13: a supported attribute without a value reads as "".
    {
      attributeStatus: 'Accepted',
      attributeType: 'Actual',
      attributeValue: '',
      ...cv('InternalCtrlr', 'ICCID'),
    },
  ]);
  assert.equal(results[4]?.attributeStatusInfo?.reasonCode, 'WriteOnly');
  assert.ok(
    !JSON.stringify(h.csms.frames).includes('DEADBEEFDEADBEEF'),
    'the password never goes on the wire',
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B06.FR.14/15: EVSE and connector addressing and instances over the wire', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  const results = await getVariables(
    h,
    cv('EVSE', 'Power', { evse: { id: 2 } }),
    cv('Connector', 'ConnectorType', { evse: { id: 1, connectorId: 1 } }),
    cv('EVSE', 'Power'),
    cv('EVSE', 'Power', { evse: { id: 3 } }),
    cv('Connector', 'ConnectorType', { evse: { id: 1 } }),
    cv('Connector', 'ConnectorType', { evse: { id: 1, connectorId: 2 } }),
    cv('OCPPCommCtrlr', 'MessageTimeout', { variableInstance: 'Default' }),
    cv('OCPPCommCtrlr', 'MessageTimeout'),
  );
  assert.deepEqual(
    results.map((r) => [r.attributeStatus, r.attributeValue]),
    [
      ['Accepted', h.station.deviceModel.get({ component: 'EVSE', evseId: 2, variable: 'Power' })],
      ['Accepted', 'sType2'],
      ['UnknownComponent', undefined],
      ['UnknownComponent', undefined],
      ['UnknownComponent', undefined],
      ['UnknownComponent', undefined],
      ['Accepted', '60'],
      // B06.FR.15: no instance given and no MessageTimeout without one.
      ['UnknownVariable', undefined],
    ],
  );
  // B06.FR.02/14: component and variable come back as requested, EVSE and instance included.
  assert.deepEqual(results[1]?.component, { name: 'Connector', evse: { id: 1, connectorId: 1 } });
  assert.deepEqual(results[6]?.variable, { name: 'MessageTimeout', instance: 'Default' });
  assert.deepEqual(h.csms.validationFailures, []);
});

test('TC_B_09/11/35/36/37/39: SetVariables answers every attributeStatus and stores what it accepted (B05.FR.01–12)', async (t) => {
  const changed: SetVariableDataType[] = [];
  const h = await startHarness({
    station: { callbacks: { variableChangedCallback: (d) => changed.push(d) } },
  });
  t.after(() => h.close());
  await registered(h);
  // A second slot with a valid profile, so that the priority below names valid slots (B10.FR.01).
  assert.deepEqual(
    await h.csms.call(h.identity, 'SetNetworkProfile', {
      configurationSlot: 2,
      connectionData: {
        ocppVersion: 'OCPP20',
        ocppTransport: 'JSON',
        ocppCsmsUrl: h.csms.url,
        messageTimeout: 30,
        securityProfile: 1,
        ocppInterface: 'Wired0',
      },
    }),
    { status: 'Accepted' },
  );
  const data: SetVariableDataType[] = [
    { ...cv('OCPPCommCtrlr', 'OfflineThreshold'), attributeValue: '120' },
    { ...cv('OCPPCommCtrlr', 'OfflineThreshold', { evse: { id: 1 } }), attributeValue: '1' },
    { ...cv('OCPPCommCtrlr', 'NoSuchVariable'), attributeValue: '1' },
    { ...cv('OCPPCommCtrlr', 'OfflineThreshold'), attributeType: 'MaxSet', attributeValue: '1' },
    { ...cv('SecurityCtrlr', 'SecurityProfile'), attributeValue: '2' },
    { ...cv('OCPPCommCtrlr', 'RetryBackOffWaitMinimum'), attributeValue: 'soon' },
    { ...cv('OCPPCommCtrlr', 'NetworkConfigurationPriority'), attributeValue: '2,1' },
  ];
  const results = await setVariables(h, ...data);
  assert.deepEqual(
    results.map((r) => [r.attributeType, r.attributeStatus, r.attributeStatusInfo?.reasonCode]),
    [
      ['Actual', 'Accepted', undefined], // B05.FR.10, .12
      ['Actual', 'UnknownComponent', undefined], // B05.FR.04: no OCPPCommCtrlr on EVSE 1
      ['Actual', 'UnknownVariable', undefined], // B05.FR.05
      ['MaxSet', 'NotSupportedAttributeType', undefined], // B05.FR.06, .03
      ['Actual', 'Rejected', 'ReadOnly'], // B05.FR.09
      ['Actual', 'Rejected', 'InvalidValue'], // B05.FR.07
      ['Actual', 'RebootRequired', undefined], // B10.FR.01
    ],
  );
  // B05.FR.02: each result names what was requested.
  assert.deepEqual(
    results.map((r) => [r.component, r.variable]),
    data.map((d) => [d.component, d.variable]),
  );
  const dm = h.station.deviceModel;
  assert.equal(dm.get({ component: 'OCPPCommCtrlr', variable: 'OfflineThreshold' }), '120');
  assert.equal(dm.get({ component: 'SecurityCtrlr', variable: 'SecurityProfile' }), '1');
  assert.equal(dm.get({ component: 'OCPPCommCtrlr', variable: 'RetryBackOffWaitMinimum' }), '1');
  assert.equal(dm.get({ component: 'OCPPCommCtrlr', variable: 'NetworkConfigurationPriority' }), '2,1');
  const readBack = await getVariables(h, cv('OCPPCommCtrlr', 'OfflineThreshold'));
  assert.equal(readBack[0]?.attributeValue, '120');
  // The host hears of the accepted writes (Accepted and RebootRequired) only.
  assert.deepEqual(changed, [data[0], data[6]]);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B05: a SetVariables of OCPPCommCtrlr.HeartbeatInterval changes the heartbeat period at once', async (t) => {
  const changed: SetVariableDataType[] = [];
  // The boot response's interval (300 s) means no Heartbeat during this test unless the change applies.
  const h = await startHarness({
    csms: { boot: { heartbeatInterval: 300 } },
    station: { callbacks: { variableChangedCallback: (d) => changed.push(d) } },
  });
  t.after(() => h.close());
  await registered(h);
  assert.equal(h.csms.calls.filter((c) => c.action === 'Heartbeat').length, 0);
  const [result] = await setVariables(h, {
    ...cv('OCPPCommCtrlr', 'HeartbeatInterval'),
    attributeValue: '1',
  });
  assert.equal(result?.attributeStatus, 'Accepted');
  // The boot chart takes the new interval and restarts its heartbeat wait with it (G02), so a
  // Heartbeat follows now instead of 300 s after the boot.
  const boot = h.station.station.station.system.get('boot') as Actor<typeof bootMachine>;
  const updated = await waitFor(boot, (s) => s.context.heartbeatIntervalS === 1, { timeout: 5_000 });
  assert.deepEqual(updated.value, { accepted: 'idle' });
  await h.csms.waitForCall('Heartbeat');
  assert.deepEqual(changed, [{ ...cv('OCPPCommCtrlr', 'HeartbeatInterval'), attributeValue: '1' }]);
  // Back to a long period: the stored value follows and survives in the device model.
  const [back] = await setVariables(h, {
    ...cv('OCPPCommCtrlr', 'HeartbeatInterval'),
    attributeValue: '3600',
  });
  assert.equal(back?.attributeStatus, 'Accepted');
  assert.equal(
    h.station.deviceModel.getInteger({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }),
    3600,
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B06.FR.16 and ItemsPerMessageSetVariables: too many items is CALLERROR OccurrenceConstraintViolation', async (t) => {
  const h = await startHarness({
    set: [
      'DeviceDataCtrlr.ItemsPerMessage[GetVariables]=2',
      'DeviceDataCtrlr.ItemsPerMessage[SetVariables]=2',
    ],
  });
  t.after(() => h.close());
  await registered(h);
  const two = [cv('OCPPCommCtrlr', 'OfflineThreshold'), cv('OCPPCommCtrlr', 'HeartbeatInterval')];
  assert.equal((await getVariables(h, ...two)).length, 2);
  assert.equal(
    await callErrorCode(
      getVariables(h, ...two, cv('OCPPCommCtrlr', 'MessageTimeout', { variableInstance: 'Default' })),
    ),
    'OccurrenceConstraintViolation',
  );
  // The RPC layer turned the device model's OcppRpcError into that CALLERROR, with its description.
  const error = answerTo(h.csms, h.identity, 'GetVariables');
  assert.equal(error[0], 4);
  assert.equal(error[2], 'OccurrenceConstraintViolation');
  assert.match(String(error[3]), /3 elements, more than ItemsPerMessageGetVariables \(2\)/);

  const writes = ['10', '20', '30'].map((v, i) => ({
    ...cv('OCPPCommCtrlr', ['OfflineThreshold', 'ResetRetries', 'RetryBackOffRepeatTimes'][i] ?? ''),
    attributeValue: v,
  }));
  assert.equal(await callErrorCode(setVariables(h, ...writes)), 'OccurrenceConstraintViolation');
  // Nothing of a refused request is applied.
  assert.equal(h.station.deviceModel.get({ component: 'OCPPCommCtrlr', variable: 'OfflineThreshold' }), '60');
  assert.deepEqual(
    (await setVariables(h, ...writes.slice(0, 2))).map((r) => r.attributeStatus),
    ['Accepted', 'Accepted'],
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B06.FR.17 and BytesPerMessageSetVariables: a frame longer than BytesPerMessage is CALLERROR FormatViolation', async (t) => {
  // A GetVariables padded through the component instance (an unknown instance: identifierString,
  // at most 50 characters) to exactly `bytes` on the wire.
  const unpadded = callFrameBytes('GetVariables', {
    getVariableData: [cv('OCPPCommCtrlr', 'OfflineThreshold', { componentInstance: '' })],
  });
  const limit = unpadded + 40;
  const sized = (bytes: number): GetVariableDataType =>
    cv('OCPPCommCtrlr', 'OfflineThreshold', { componentInstance: 'x'.repeat(bytes - unpadded) });
  const h = await startHarness({
    set: [
      `DeviceDataCtrlr.BytesPerMessage[GetVariables]=${limit}`,
      `DeviceDataCtrlr.BytesPerMessage[SetVariables]=${limit}`,
    ],
  });
  t.after(() => h.close());
  await registered(h);
  const atLimit = await getVariables(h, sized(limit));
  assert.equal(atLimit[0]?.attributeStatus, 'UnknownComponent');
  const sent = h.csms.frames.filter((f) => f.direction === 'out' && f.text.includes('"GetVariables"')).at(-1);
  assert.equal(Buffer.byteLength(sent?.text ?? ''), limit, 'the frame is exactly at the limit');
  assert.equal(await callErrorCode(getVariables(h, sized(limit + 1))), 'FormatViolation');
  assert.match(
    String(answerTo(h.csms, h.identity, 'GetVariables')[3]),
    new RegExp(`${limit + 1} bytes, more than BytesPerMessageGetVariables \\(${limit}\\)`),
  );

  // SetVariables counts bytes, not characters: 'é' is two bytes in UTF-8.
  const value = (text: string): SetVariableDataType => ({
    ...cv('SecurityCtrlr', 'OrganizationName'),
    attributeValue: text,
  });
  const room = limit - callFrameBytes('SetVariables', { setVariableData: [value('')] });
  const tooLong = 'é'.repeat(Math.floor(room / 2) + 1);
  assert.ok(tooLong.length <= room, 'over the limit in bytes, not in characters');
  assert.equal(await callErrorCode(setVariables(h, value(tooLong))), 'FormatViolation');
  assert.equal(
    h.station.deviceModel.get({ component: 'SecurityCtrlr', variable: 'OrganizationName' }),
    'Pionix',
  );
  const fits = 'é'.repeat(Math.floor(room / 2));
  assert.equal((await setVariables(h, value(fits)))[0]?.attributeStatus, 'Accepted');
  assert.equal(h.station.deviceModel.get({ component: 'SecurityCtrlr', variable: 'OrganizationName' }), fits);
  assert.deepEqual(h.csms.validationFailures, []);
});
