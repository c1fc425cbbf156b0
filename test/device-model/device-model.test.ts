import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { DeviceModel, type DeviceModelChange } from '../../src/device-model/device-model.js';
import { DeviceModelConfigError } from '../../src/device-model/errors.js';
import type { LoadedComponent } from '../../src/device-model/types.js';
import { openStationDatabase } from '../../src/store/database.js';
import { dumpRows, exampleComponents, openExample } from './helpers.js';

const OFFLINE_THRESHOLD = { component: 'OCPPCommCtrlr', variable: 'OfflineThreshold' };
const HEARTBEAT_INTERVAL = { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' };

function variableOf(components: LoadedComponent[], component: string, variable: string) {
  const found = components.find((c) => c.name === component)?.variables.find((v) => v.name === variable);
  assert.ok(found, `${component}.${variable}`);
  return found;
}

async function setByCsms(model: DeviceModel, component: string, variable: string, value: string): Promise<string> {
  const response = await model.setVariables({ setVariableData: [{ component: { name: component }, variable: { name: variable }, attributeValue: value }] });
  return response.setVariableResult[0].attributeStatus;
}

test('open stores one row per attribute; a reopen reads the same values', async () => {
  const { model, store, file } = await openExample();
  const components = await exampleComponents();
  const attributes = components.reduce((n, c) => n + c.variables.reduce((m, v) => m + v.attributes.length, 0), 0);
  const rows = await store.db.selectFrom('device_model').selectAll().execute();
  assert.equal(rows.length, attributes);
  assert.ok(rows.every((r) => r.station_id === 'CS-1' && r.value_source === 'config'));
  const power = rows.find((r) => r.component === 'EVSE' && r.evse_id === 2 && r.variable === 'Power' && r.attribute_type === 'Actual');
  assert.deepEqual(JSON.parse(power?.characteristics_json ?? '{}'), { unit: 'W', maxLimit: 22000, supportsMonitoring: true, dataType: 'decimal' });
  assert.equal(model.getInteger(HEARTBEAT_INTERVAL), 1800);
  const before = await dumpRows(store);
  await store.close();

  const again = await openExample({ file, now: () => '2030-01-01T00:00:00.000Z' });
  assert.deepEqual(await dumpRows(again.store), before);
  assert.equal(again.model.get(OFFLINE_THRESHOLD), '60');
  assert.deepEqual(again.model.warnings, []);
  await again.store.close();
});

test('typed reads: boolean, integer, decimal; undefined when unset or unknown; TypeError for the wrong type', async () => {
  const { model, store } = await openExample();
  assert.equal(model.getBoolean({ component: 'AuthCtrlr', variable: 'LocalAuthorizeOffline' }), true);
  assert.equal(model.getBoolean({ component: 'TxCtrlr', variable: 'Enabled' }), false);
  assert.equal(model.getInteger({ component: 'OCPPCommCtrlr', variable: 'MessageAttempts', variableInstance: 'TransactionEvent' }), 5);
  assert.equal(model.getDecimal({ component: 'SmartChargingCtrlr', variable: 'LimitChangeSignificance' }), 42);
  assert.equal(model.getDecimal({ component: 'EVSE', evseId: 1, variable: 'Power', attribute: 'MaxSet' }), undefined);
  assert.equal(model.get({ component: 'SecurityCtrlr', variable: 'BasicAuthPassword' }), 'DEADBEEFDEADBEEF');
  assert.equal(model.get({ component: 'NoSuch', variable: 'Thing' }), undefined);
  assert.equal(model.has({ component: 'ocppcommctrlr', variable: 'heartbeatinterval' }), true);
  assert.equal(model.has({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval', attribute: 'Target' }), false);
  assert.equal(model.has({ component: 'EVSE', evseId: 3, variable: 'Power' }), false);
  assert.throws(() => model.getInteger({ component: 'TxCtrlr', variable: 'TxStartPoint' }), /TxCtrlr\.TxStartPoint is 'PowerPathClosed', not an integer/);
  assert.throws(() => model.getBoolean(HEARTBEAT_INTERVAL), TypeError);
  await store.close();
});

test('a value set by the CSMS survives a restart; host runtime values do not', async () => {
  const { model, store, file } = await openExample();
  assert.equal(await setByCsms(model, 'OCPPCommCtrlr', 'OfflineThreshold', '300'), 'Accepted');
  assert.equal(await model.set({ component: 'ChargingStation', variable: 'AvailabilityState' }, 'Faulted', 'host'), 'Accepted');
  assert.equal(model.get({ component: 'ChargingStation', variable: 'AvailabilityState' }), 'Faulted');
  const row = await store.db.selectFrom('device_model').select(['value', 'value_source']).where('variable', '=', 'OfflineThreshold').executeTakeFirstOrThrow();
  assert.deepEqual(row, { value: '300', value_source: 'csms' });
  await store.close();

  const again = await openExample({ file });
  assert.equal(again.model.get(OFFLINE_THRESHOLD), '300');
  assert.equal(again.model.get({ component: 'ChargingStation', variable: 'AvailabilityState' }), 'Available');
  await again.store.close();
});

test('a changed config default applies on the next start, unless the CSMS set the value', async () => {
  const { model, store, file } = await openExample();
  assert.equal(await setByCsms(model, 'OCPPCommCtrlr', 'OfflineThreshold', '300'), 'Accepted');
  await store.close();

  const components = await exampleComponents();
  for (const name of ['HeartbeatInterval', 'OfflineThreshold']) {
    const actual = variableOf(components, 'OCPPCommCtrlr', name).attributes[0];
    assert.ok(actual);
    actual.value = '900';
  }
  const again = await openExample({ file, components });
  assert.equal(again.model.get(HEARTBEAT_INTERVAL), '900');
  assert.equal(again.model.get(OFFLINE_THRESHOLD), '300');
  await again.store.close();
});

test('a CSMS value the new config makes invalid or ReadOnly gives way to the default, with a warning', async () => {
  const { model, store, file } = await openExample();
  assert.equal(await setByCsms(model, 'OCPPCommCtrlr', 'OfflineThreshold', '300'), 'Accepted');
  assert.equal(await setByCsms(model, 'OCPPCommCtrlr', 'ResetRetries', '7'), 'Accepted');
  await store.close();

  const components = await exampleComponents();
  variableOf(components, 'OCPPCommCtrlr', 'OfflineThreshold').characteristics.maxLimit = 120;
  const retries = variableOf(components, 'OCPPCommCtrlr', 'ResetRetries').attributes[0];
  assert.ok(retries);
  retries.mutability = 'ReadOnly';
  const warned: string[] = [];
  const again = await openExample({ file, components, onWarning: (w) => warned.push(w) });
  assert.equal(again.model.get(OFFLINE_THRESHOLD), '60');
  assert.equal(again.model.get({ component: 'OCPPCommCtrlr', variable: 'ResetRetries' }), '3');
  assert.deepEqual(again.model.warnings, [
    "OCPPCommCtrlr.OfflineThreshold:Actual: the value '300' set by the CSMS no longer fits the configuration (300 is above maxLimit 120); the configured value '60' applies",
    "OCPPCommCtrlr.ResetRetries:Actual: the value '7' set by the CSMS no longer fits the configuration (Actual of ResetRetries is ReadOnly); the configured value '3' applies",
  ]);
  assert.deepEqual(warned, again.model.warnings);
  const row = await again.store.db.selectFrom('device_model').select(['value', 'value_source']).where('variable', '=', 'OfflineThreshold').executeTakeFirstOrThrow();
  assert.deepEqual(row, { value: '60', value_source: 'config' });
  await again.store.close();
});

test('rows of components and variables no longer configured are deleted (a dropped CSMS value is warned about)', async () => {
  const { model, store, file } = await openExample();
  assert.equal(await setByCsms(model, 'TxCtrlr', 'EVConnectionTimeOut', '60'), 'Accepted');
  await store.close();
  const components = (await exampleComponents()).filter((c) => c.name !== 'TxCtrlr' && c.name !== 'ReservationCtrlr');
  const again = await openExample({ file, components });
  const names = await again.store.db.selectFrom('device_model').select('component').distinct().execute();
  assert.ok(!names.some((r) => r.component === 'TxCtrlr' || r.component === 'ReservationCtrlr'));
  assert.deepEqual(again.model.warnings, ["TxCtrlr.EVConnectionTimeOut:Actual: no longer in the configuration; the value '60' set by the CSMS is dropped"]);
  await again.store.close();
});

test('overrides apply at start (ReadOnly included) and win over CSMS values; updated_at is kept for unchanged rows', async () => {
  let clock = '2025-01-01T00:00:00.000Z';
  const { model, store, file } = await openExample({ now: () => clock });
  clock = '2025-01-02T00:00:00.000Z';
  assert.equal(await setByCsms(model, 'OCPPCommCtrlr', 'OfflineThreshold', '300'), 'Accepted');
  await store.close();

  clock = '2025-01-03T00:00:00.000Z';
  const again = await openExample({
    file,
    now: () => clock,
    overrides: [
      { ref: OFFLINE_THRESHOLD, value: '120' },
      { ref: { component: 'OCPPCommCtrlr', variable: 'MessageTimeout', variableInstance: 'Default' }, value: '45' },
      { ref: { component: 'AuthCtrlr', variable: 'Enabled' }, value: 'FALSE' },
    ],
  });
  assert.equal(again.model.get(OFFLINE_THRESHOLD), '120');
  assert.equal(again.model.get({ component: 'OCPPCommCtrlr', variable: 'MessageTimeout', variableInstance: 'Default' }), '45');
  assert.equal(again.model.get({ component: 'AuthCtrlr', variable: 'Enabled' }), 'false');
  const rows = await again.store.db.selectFrom('device_model').select(['variable', 'value_source', 'updated_at']).where('component', 'in', ['OCPPCommCtrlr', 'AuthCtrlr']).execute();
  const byName = (v: string) => rows.find((r) => r.variable === v);
  assert.deepEqual(byName('OfflineThreshold'), { variable: 'OfflineThreshold', value_source: 'host', updated_at: '2025-01-03T00:00:00.000Z' });
  assert.deepEqual(byName('HeartbeatInterval'), { variable: 'HeartbeatInterval', value_source: 'config', updated_at: '2025-01-01T00:00:00.000Z' });
  await again.store.close();

  // Without the override the CSMS value is gone: the override replaced it.
  const third = await openExample({ file });
  assert.equal(third.model.get(OFFLINE_THRESHOLD), '60');
  await third.store.close();
});

test('invalid or unknown overrides throw naming them, and leave the database untouched', async () => {
  const { model, store, file } = await openExample();
  assert.equal(await setByCsms(model, 'OCPPCommCtrlr', 'OfflineThreshold', '300'), 'Accepted');
  const before = await dumpRows(store);
  await store.close();

  const reopened = await openStationDatabase(file);
  await assert.rejects(
    DeviceModel.open({
      store: reopened,
      stationId: 'CS-1',
      components: await exampleComponents(),
      overrides: [
        { ref: { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }, value: 'often' },
        { ref: { component: 'NoSuchCtrlr', variable: 'X' }, value: '1' },
        { ref: { component: 'OCPPCommCtrlr', variable: 'Nope' }, value: '1' },
        { ref: { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval', attribute: 'MaxSet' }, value: '1' },
        { ref: { component: 'EVSE', evseId: 1, variable: 'Power' }, value: '30000' },
        { ref: OFFLINE_THRESHOLD, value: '1' },
        { ref: { ...OFFLINE_THRESHOLD, attribute: 'Actual' }, value: '2' },
      ],
    }),
    (error: unknown) => {
      assert.ok(error instanceof DeviceModelConfigError);
      assert.deepEqual(error.issues.map((i) => `${i.location}: ${i.message}`), [
        "OCPPCommCtrlr.HeartbeatInterval:Actual: value 'often' rejected: 'often' is not an integer (digits, optional leading '-', no leading zeros)",
        'NoSuchCtrlr.X:Actual: cannot be set: unknown component',
        'OCPPCommCtrlr.Nope:Actual: cannot be set: unknown variable',
        'OCPPCommCtrlr.HeartbeatInterval:MaxSet: cannot be set: the variable has no such attribute',
        'EVSE@1.Power:Actual: value \'30000\' rejected: 30000 is above maxLimit 22000',
        'OCPPCommCtrlr.OfflineThreshold:Actual: is set twice',
      ]);
      return true;
    },
  );
  assert.deepEqual(await dumpRows(reopened), before);
  await reopened.close();
});

test('two stations share one database file without seeing each other', async () => {
  const { model, store, file } = await openExample();
  const other = await DeviceModel.open({ store, stationId: 'CS-2', components: await exampleComponents() });
  assert.equal(await setByCsms(model, 'OCPPCommCtrlr', 'OfflineThreshold', '300'), 'Accepted');
  assert.equal(other.get(OFFLINE_THRESHOLD), '60');
  await store.close();
  const again = await openStationDatabase(file);
  const reread = await DeviceModel.open({ store: again, stationId: 'CS-2', components: await exampleComponents() });
  assert.equal(reread.get(OFFLINE_THRESHOLD), '60');
  const counts = await again.db.selectFrom('device_model').select(['station_id']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('station_id').execute();
  assert.equal(counts.length, 2);
  assert.equal(counts[0]?.n, counts[1]?.n);
  await again.close();
});

test('onChange reports stored changes with previous value and source; unsubscribe stops it; a failing listener is a warning', async () => {
  const warnings: string[] = [];
  const { model, store } = await openExample({ onWarning: (w) => warnings.push(w) });
  const changes: DeviceModelChange[] = [];
  const stop = model.onChange((c) => changes.push(c));
  model.onChange(() => {
    throw new Error('listener bug');
  });
  assert.equal(await model.set({ component: 'EVSE', evseId: 1, variable: 'AvailabilityState' }, 'Available', 'host'), 'Accepted');
  assert.equal(await model.set({ component: 'EVSE', evseId: 1, variable: 'AvailabilityState' }, 'Available', 'host'), 'Accepted');
  assert.equal(await setByCsms(model, 'OCPPCommCtrlr', 'NetworkConfigurationPriority', '1'), 'Accepted');
  assert.equal(await setByCsms(model, 'OCPPCommCtrlr', 'HeartbeatInterval', '60'), 'Accepted');
  stop();
  assert.equal(await setByCsms(model, 'OCPPCommCtrlr', 'HeartbeatInterval', '90'), 'Accepted');
  assert.deepEqual(changes, [
    { ref: { component: 'EVSE', evseId: 1, variable: 'AvailabilityState', attribute: 'Actual' }, value: 'Available', previous: 'Unavailable', source: 'host', rebootRequired: false },
    { ref: { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval', attribute: 'Actual' }, value: '60', previous: '1800', source: 'csms', rebootRequired: false },
  ]);
  assert.equal(warnings.length, 3);
  assert.match(warnings[0] ?? '', /^onChange listener failed for EVSE@1\.AvailabilityState:Actual: listener bug$/);
  await store.close();
});

test('host writes: ReadOnly allowed, Actual not range-checked, format still checked; unknown refs get their status', async () => {
  const { model, store } = await openExample();
  const power = { component: 'EVSE', evseId: 1, variable: 'Power' };
  assert.equal(await model.set(power, '22500.5', 'host'), 'Accepted');
  assert.equal(model.getDecimal(power), 22500.5);
  assert.equal(await model.set(power, 'lots', 'host'), 'Rejected');
  assert.equal(await model.set({ ...power, attribute: 'MaxSet' }, '30000', 'host'), 'Rejected');
  assert.equal(await model.set(power, '1', 'csms'), 'Rejected');
  assert.equal(await model.set({ component: 'Nope', variable: 'X' }, '1', 'host'), 'UnknownComponent');
  assert.equal(await model.set({ component: 'EVSE', evseId: 1, variable: 'X' }, '1', 'host'), 'UnknownVariable');
  assert.equal(await model.set({ ...power, attribute: 'Target' }, '1', 'host'), 'NotSupportedAttributeType');
  assert.equal(model.getDecimal(power), 22500.5);
  await store.close();
});

test('a store failure rejects every write of the request with InternalError and changes nothing', async () => {
  const { model, store } = await openExample();
  const before = await dumpRows(store);
  const changes: DeviceModelChange[] = [];
  model.onChange((c) => changes.push(c));
  await sql`CREATE TRIGGER fail_offline BEFORE UPDATE ON device_model WHEN NEW.variable = 'OfflineThreshold' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`.execute(store.db);
  const response = await model.setVariables({
    setVariableData: [
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '60' },
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' }, attributeValue: '300' },
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'Nope' }, attributeValue: '1' },
    ],
  });
  assert.deepEqual(response.setVariableResult.map((r) => [r.attributeStatus, r.attributeStatusInfo?.reasonCode]), [
    ['Rejected', 'InternalError'],
    ['Rejected', 'InternalError'],
    ['UnknownVariable', undefined],
  ]);
  assert.match(response.setVariableResult[0].attributeStatusInfo?.additionalInfo ?? '', /storing the value failed: .*disk on fire/);
  assert.equal(model.get(HEARTBEAT_INTERVAL), '1800');
  assert.deepEqual(changes, []);
  await assert.rejects(model.set(OFFLINE_THRESHOLD, '10', 'host'), /disk on fire/);
  assert.equal(model.get(OFFLINE_THRESHOLD), '60');
  await sql`DROP TRIGGER fail_offline`.execute(store.db);
  assert.deepEqual(await dumpRows(store), before);
  await store.close();
});
