/**
 * Settings that would break the station (src/runtime/setting-rules.ts, connection-data-check.ts):
 * refused when the CSMS writes them (SetVariables, SetNetworkProfile), and clamped and reported when
 * they are already stored (an older database, a host write), so the station keeps connecting.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import type {
  NetworkConnectionProfileType,
  SetNetworkProfileResponse,
  SetVariableDataType,
  SetVariablesResponse,
} from '../../src/generated/ocpp-types.js';
import { DeviceModelWarning, parseSetArgument } from '../../src/device-model/index.js';
import { NetworkProfileError } from '../../src/runtime/network-profiles.js';
import { SettingValueError } from '../../src/runtime/setting-rules.js';
import { registered } from './csms-helpers.js';
import { startHarness, type Harness } from './station-harness.js';

const set = (component: string, variable: string, value: string, instance?: string): SetVariableDataType => ({
  component: { name: component },
  variable: instance === undefined ? { name: variable } : { name: variable, instance },
  attributeValue: value,
});

/** SetVariables in requests of 4 (BytesPerMessage[SetVariables] is 2048), results in order. */
async function setVariables(h: Harness, data: SetVariableDataType[]) {
  const results: SetVariablesResponse['setVariableResult'][number][] = [];
  for (let i = 0; i < data.length; i += 4) {
    const response = (await h.csms.call(h.identity, 'SetVariables', {
      setVariableData: data.slice(i, i + 4),
    })) as SetVariablesResponse;
    results.push(...response.setVariableResult);
  }
  return results.map((r) => [
    `${r.component.name}.${r.variable.name}${r.variable.instance === undefined ? '' : `[${r.variable.instance}]`}`,
    r.attributeStatus,
    r.attributeStatusInfo?.reasonCode,
  ]);
}

const connectionData = (overrides: Partial<NetworkConnectionProfileType>): NetworkConnectionProfileType => ({
  ocppVersion: 'OCPP20',
  ocppTransport: 'JSON',
  ocppInterface: 'Wired0',
  ocppCsmsUrl: 'ws://127.0.0.1:1/ocpp',
  messageTimeout: 30,
  securityProfile: 1,
  ...overrides,
});

test('B05.FR.07/08: a SetVariables value that would break the station is Rejected with a reason code', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  const big = '99999999';
  const results = await setVariables(h, [
    set('OCPPCommCtrlr', 'WebSocketPingInterval', '-1'),
    set('OCPPCommCtrlr', 'WebSocketPingInterval', big),
    set('OCPPCommCtrlr', 'HeartbeatInterval', '0'),
    set('OCPPCommCtrlr', 'OfflineThreshold', '-1'),
    set('OCPPCommCtrlr', 'RetryBackOffWaitMinimum', '-1'),
    set('OCPPCommCtrlr', 'RetryBackOffRandomRange', big),
    set('OCPPCommCtrlr', 'RetryBackOffRepeatTimes', '-1'),
    set('OCPPCommCtrlr', 'NetworkProfileConnectionAttempts', '-1'),
    set('OCPPCommCtrlr', 'MessageAttempts', '-1', 'TransactionEvent'),
    set('OCPPCommCtrlr', 'MessageAttemptInterval', '-5', 'TransactionEvent'),
    set('TxCtrlr', 'EVConnectionTimeOut', '-1'),
    set('TxCtrlr', 'TxStartPoint', ''),
    set('SampledDataCtrlr', 'TxUpdatedInterval', '-1'),
    set('AlignedDataCtrlr', 'Interval', '100000'),
    set('AuthCacheCtrlr', 'LifeTime', '-1'),
    set('AuthCtrlr', 'MasterPassGroupId', 'x'.repeat(37)),
    set('SmartChargingCtrlr', 'SupplyVoltage', '0'),
    set('SmartChargingCtrlr', 'LimitChangeSignificance', '-0.5'),
    set('ClockCtrlr', 'TimeZone', 'Mars/Olympus_Mons'),
    set('ClockCtrlr', 'TimeAdjustmentReportingThreshold', '-20'),
  ]);
  assert.deepEqual(results, [
    ['OCPPCommCtrlr.WebSocketPingInterval', 'Rejected', 'ValueTooLow'],
    ['OCPPCommCtrlr.WebSocketPingInterval', 'Rejected', 'ValueTooHigh'],
    ['OCPPCommCtrlr.HeartbeatInterval', 'Rejected', 'ValueTooLow'],
    ['OCPPCommCtrlr.OfflineThreshold', 'Rejected', 'ValueTooLow'],
    ['OCPPCommCtrlr.RetryBackOffWaitMinimum', 'Rejected', 'ValueTooLow'],
    ['OCPPCommCtrlr.RetryBackOffRandomRange', 'Rejected', 'ValueTooHigh'],
    ['OCPPCommCtrlr.RetryBackOffRepeatTimes', 'Rejected', 'ValueTooLow'],
    ['OCPPCommCtrlr.NetworkProfileConnectionAttempts', 'Rejected', 'ValueTooLow'],
    ['OCPPCommCtrlr.MessageAttempts[TransactionEvent]', 'Rejected', 'ValueTooLow'],
    ['OCPPCommCtrlr.MessageAttemptInterval[TransactionEvent]', 'Rejected', 'ValueTooLow'],
    ['TxCtrlr.EVConnectionTimeOut', 'Rejected', 'ValueTooLow'],
    ['TxCtrlr.TxStartPoint', 'Rejected', 'ValueOutOfRange'],
    ['SampledDataCtrlr.TxUpdatedInterval', 'Rejected', 'ValueTooLow'],
    ['AlignedDataCtrlr.Interval', 'Rejected', 'ValueTooHigh'],
    ['AuthCacheCtrlr.LifeTime', 'Rejected', 'ValueTooLow'],
    ['AuthCtrlr.MasterPassGroupId', 'Rejected', 'ValueOutOfRange'],
    ['SmartChargingCtrlr.SupplyVoltage', 'Rejected', 'ValueTooLow'],
    ['SmartChargingCtrlr.LimitChangeSignificance', 'Rejected', 'ValueTooLow'],
    ['ClockCtrlr.TimeZone', 'Rejected', 'InvalidValue'],
    ['ClockCtrlr.TimeAdjustmentReportingThreshold', 'Rejected', 'ValueTooLow'],
  ]);
  // The bounds themselves are fine.
  assert.deepEqual(
    await setVariables(h, [
      set('OCPPCommCtrlr', 'WebSocketPingInterval', '0'),
      set('ClockCtrlr', 'TimeZone', 'Europe/Oslo'),
    ]),
    [
      ['OCPPCommCtrlr.WebSocketPingInterval', 'Accepted', undefined],
      ['ClockCtrlr.TimeZone', 'Accepted', undefined],
    ],
  );
  // Nothing broken was stored: the station still connects after a restart.
  await h.restart();
  await registered(h);
  assert.deepEqual(h.errors, []);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B09.FR.02: SetNetworkProfile with connectionData that cannot work is Rejected (InvalidNetworkConf), and so is the same profile by SetVariables', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  const setProfile = async (data: NetworkConnectionProfileType) => {
    const response = (await h.csms.call(h.identity, 'SetNetworkProfile', {
      configurationSlot: 2,
      connectionData: data,
    })) as SetNetworkProfileResponse;
    return [response.status, response.statusInfo?.reasonCode];
  };
  assert.deepEqual(await setProfile(connectionData({ messageTimeout: -5 })), [
    'Rejected',
    'InvalidNetworkConf',
  ]);
  assert.deepEqual(await setProfile(connectionData({ messageTimeout: 0 })), [
    'Rejected',
    'InvalidNetworkConf',
  ]);
  assert.deepEqual(await setProfile(connectionData({ securityProfile: 4 })), [
    'Rejected',
    'InvalidNetworkConf',
  ]);
  // A00.FR.003: profile 2 is TLS, so a ws:// URL can never connect.
  assert.deepEqual(await setProfile(connectionData({ securityProfile: 2 })), [
    'Rejected',
    'InvalidNetworkConf',
  ]);
  assert.deepEqual(await setProfile(connectionData({ ocppCsmsUrl: 'http://127.0.0.1/ocpp' })), [
    'Rejected',
    'InvalidNetworkConf',
  ]);
  assert.deepEqual(await setProfile(connectionData({})), ['Accepted', undefined]);
  const list = JSON.stringify([
    { configurationSlot: 1, connectionData: connectionData({ ocppCsmsUrl: h.csms.url }) },
    { configurationSlot: 2, connectionData: connectionData({ messageTimeout: -5 }) },
  ]);
  assert.deepEqual(await setVariables(h, [set('InternalCtrlr', 'NetworkConnectionProfiles', list)]), [
    ['InternalCtrlr.NetworkConnectionProfiles', 'Rejected', 'InvalidValue'],
  ]);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('stored settings that would break the station are clamped or replaced and reported; the station connects and its CALLs work', async (t) => {
  const h = await startHarness({ noStart: true });
  t.after(() => h.close());
  await h.station.start();
  await registered(h);
  const dm = h.station.deviceModel;
  // Host writes are not range-checked (Part 1 §4.3) and skip the CSMS validators: they can store these.
  await dm.set({ component: 'OCPPCommCtrlr', variable: 'WebSocketPingInterval' }, '-1', 'host');
  const profiles = JSON.parse(
    dm.get({ component: 'InternalCtrlr', variable: 'NetworkConnectionProfiles' }) ?? '',
  ) as Array<{
    connectionData: NetworkConnectionProfileType;
  }>;
  for (const p of profiles) p.connectionData.messageTimeout = -5;
  await dm.set(
    { component: 'InternalCtrlr', variable: 'NetworkConnectionProfiles' },
    JSON.stringify(profiles),
    'host',
  );
  await h.station.stop();
  // And an older database: a CSMS value the configuration's limits no longer allow.
  const sqlite = new Database(h.dbPath);
  // (Its row exists only once a value differs from the configuration: inserted, or updated if there.)
  sqlite
    .prepare(
      `INSERT INTO device_model (station_id, component, variable, attribute_type, characteristics_json, mutability, persistent, constant, value, value_source, updated_at)
       VALUES (?, 'OCPPCommCtrlr', 'RetryBackOffRepeatTimes', 'Actual', '{"dataType":"integer"}', 'ReadWrite', 1, 0, '-7', 'csms', '2025-01-01T00:00:00.000Z')
       ON CONFLICT DO UPDATE SET value = excluded.value, value_source = excluded.value_source`,
    )
    .run(h.identity);
  sqlite.close();

  // The harness's own start-up override of WebSocketPingInterval would win over the stored value.
  await h.restart({
    deviceModel: {
      overrides: ['OCPPCommCtrlr.RetryBackOffWaitMinimum=1', 'OCPPCommCtrlr.RetryBackOffRandomRange=0'].map(
        parseSetArgument,
      ),
    },
  });
  // Connected, booted and registered: every CALL got its answer within a usable timeout.
  await registered(h);
  assert.equal(h.station.registrationStatus, 'Accepted');
  const reported = h.errors.map((e) => [(e as Error).constructor.name, (e as Error).message]);
  assert.ok(
    h.errors.some(
      (e) =>
        e instanceof SettingValueError &&
        e.variable === 'OCPPCommCtrlr.WebSocketPingInterval' &&
        e.used === 0,
    ),
    JSON.stringify(reported),
  );
  assert.ok(
    h.errors.some((e) => e instanceof NetworkProfileError && /slot 1: messageTimeout -5/.test(e.message)),
    JSON.stringify(reported),
  );
  assert.ok(
    h.errors.some((e) => e instanceof DeviceModelWarning && /RetryBackOffRepeatTimes/.test(e.message)),
    JSON.stringify(reported),
  );
  assert.equal(h.errors.length, 3, JSON.stringify(reported));
  assert.deepEqual(h.csms.validationFailures, []);
});
