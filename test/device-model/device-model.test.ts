/** DeviceModel at runtime: open, reads, host writes, change listeners, store failures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { DeviceModel, type DeviceModelChange } from '../../src/device-model/device-model.js';
import { dumpRows, exampleComponents, openExample, setByCsms } from './helpers.js';

const OFFLINE_THRESHOLD = { component: 'OCPPCommCtrlr', variable: 'OfflineThreshold' };
const HEARTBEAT_INTERVAL = { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' };

test('a new station stores no row (every attribute is at its config value); a reopen reads the same values', async () => {
  const { model, store, file } = await openExample();
  const components = await exampleComponents();
  assert.deepEqual(await dumpRows(store), []);
  assert.equal(model.getInteger(HEARTBEAT_INTERVAL), 1800);
  const report = model.baseReport('FullInventory');
  await store.close();

  const again = await openExample({ file, now: () => '2030-01-01T00:00:00.000Z' });
  assert.deepEqual(await dumpRows(again.store), []);
  assert.equal(again.model.get(OFFLINE_THRESHOLD), '60');
  assert.deepEqual(again.model.baseReport('FullInventory'), report);
  assert.deepEqual(again.model.warnings, []);
  // Reading a station = the shared config + its rows: every attribute reads its config value.
  for (const component of components) {
    for (const variable of component.variables) {
      for (const attribute of variable.attributes) {
        if (component.name === 'ClockCtrlr' && variable.name === 'DateTime') continue;
        const ref = {
          component: component.name,
          ...(component.instance === undefined ? {} : { componentInstance: component.instance }),
          ...(component.evseId === undefined ? {} : { evseId: component.evseId }),
          ...(component.connectorId === undefined ? {} : { connectorId: component.connectorId }),
          variable: variable.name,
          ...(variable.instance === undefined ? {} : { variableInstance: variable.instance }),
          attribute: attribute.type,
        };
        assert.equal(again.model.get(ref), attribute.value, JSON.stringify(ref));
      }
    }
  }
  await again.store.close();
});

test("a value's row carries the attribute's metadata as configured (characteristics, mutability, persistent, constant)", async () => {
  const { model, store } = await openExample();
  const power = { component: 'EVSE', evseId: 2, variable: 'Power' };
  assert.equal(await model.set(power, '7400', 'host'), 'Accepted');
  const rows = await store.db.selectFrom('device_model').selectAll().execute();
  assert.equal(rows.length, 1);
  const [row] = rows;
  assert.ok(row);
  assert.deepEqual(
    { ...row, characteristics_json: JSON.parse(row.characteristics_json) as unknown, updated_at: '' },
    {
      station_id: 'CS-1',
      component: 'EVSE',
      component_instance: '',
      evse_id: 2,
      connector_id: 0,
      variable: 'Power',
      variable_instance: '',
      attribute_type: 'Actual',
      characteristics_json: { unit: 'W', maxLimit: 22000, supportsMonitoring: true, dataType: 'decimal' },
      mutability: 'ReadOnly',
      persistent: 1,
      constant: 0,
      value: '7400',
      value_source: 'host',
      updated_at: '',
    },
  );
  await store.close();
});

test('typed reads: boolean, integer, decimal; undefined when unset or unknown; TypeError for the wrong type', async () => {
  const { model, store } = await openExample();
  assert.equal(model.getBoolean({ component: 'AuthCtrlr', variable: 'LocalAuthorizeOffline' }), true);
  assert.equal(model.getBoolean({ component: 'TxCtrlr', variable: 'Enabled' }), false);
  assert.equal(
    model.getInteger({
      component: 'OCPPCommCtrlr',
      variable: 'MessageAttempts',
      variableInstance: 'TransactionEvent',
    }),
    5,
  );
  assert.equal(
    model.getDecimal({ component: 'SmartChargingCtrlr', variable: 'LimitChangeSignificance' }),
    42,
  );
  assert.equal(
    model.getDecimal({ component: 'EVSE', evseId: 1, variable: 'Power', attribute: 'MaxSet' }),
    undefined,
  );
  assert.equal(model.get({ component: 'SecurityCtrlr', variable: 'BasicAuthPassword' }), 'DEADBEEFDEADBEEF');
  assert.equal(model.get({ component: 'NoSuch', variable: 'Thing' }), undefined);
  assert.equal(model.has({ component: 'ocppcommctrlr', variable: 'heartbeatinterval' }), true);
  assert.equal(
    model.has({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval', attribute: 'Target' }),
    false,
  );
  assert.equal(model.has({ component: 'EVSE', evseId: 3, variable: 'Power' }), false);
  assert.throws(
    () => model.getInteger({ component: 'TxCtrlr', variable: 'TxStartPoint' }),
    /TxCtrlr\.TxStartPoint is 'PowerPathClosed', not an integer/,
  );
  assert.throws(() => model.getBoolean(HEARTBEAT_INTERVAL), TypeError);
  await store.close();
});

test('onChange reports stored changes with previous value and source; unsubscribe stops it; a failing listener is a warning', async () => {
  const warnings: string[] = [];
  const { model, store } = await openExample({ onWarning: (w) => warnings.push(w) });
  const changes: DeviceModelChange[] = [];
  const stop = model.onChange((c) => changes.push(c));
  model.onChange(() => {
    throw new Error('listener bug');
  });
  assert.equal(
    await model.set({ component: 'EVSE', evseId: 1, variable: 'AvailabilityState' }, 'Unavailable', 'host'),
    'Accepted',
  );
  assert.equal(
    await model.set({ component: 'EVSE', evseId: 1, variable: 'AvailabilityState' }, 'Unavailable', 'host'),
    'Accepted',
  );
  assert.equal(await setByCsms(model, 'OCPPCommCtrlr', 'NetworkConfigurationPriority', '1'), 'Accepted');
  assert.equal(await setByCsms(model, 'OCPPCommCtrlr', 'HeartbeatInterval', '60'), 'Accepted');
  stop();
  assert.equal(await setByCsms(model, 'OCPPCommCtrlr', 'HeartbeatInterval', '90'), 'Accepted');
  assert.deepEqual(changes, [
    {
      ref: { component: 'EVSE', evseId: 1, variable: 'AvailabilityState', attribute: 'Actual' },
      value: 'Unavailable',
      previous: 'Available',
      source: 'host',
      rebootRequired: false,
    },
    {
      ref: { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval', attribute: 'Actual' },
      value: '60',
      previous: '1800',
      source: 'csms',
      rebootRequired: false,
    },
  ]);
  assert.equal(warnings.length, 3);
  assert.match(
    warnings[0] ?? '',
    /^onChange listener failed for EVSE@1\.AvailabilityState:Actual: listener bug$/,
  );
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
  assert.equal(
    await model.set({ component: 'EVSE', evseId: 1, variable: 'X' }, '1', 'host'),
    'UnknownVariable',
  );
  assert.equal(await model.set({ ...power, attribute: 'Target' }, '1', 'host'), 'NotSupportedAttributeType');
  assert.equal(model.getDecimal(power), 22500.5);
  await store.close();
});

test('a store failure rejects every write of the request with InternalError and changes nothing', async () => {
  const { model, store } = await openExample();
  const before = await dumpRows(store);
  const changes: DeviceModelChange[] = [];
  model.onChange((c) => changes.push(c));
  // A value at its config value has no row yet: the write is an insert.
  await sql`CREATE TRIGGER fail_offline BEFORE INSERT ON device_model WHEN NEW.variable = 'OfflineThreshold' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`.execute(
    store.db,
  );
  const response = await model.setVariables({
    setVariableData: [
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '60' },
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' }, attributeValue: '300' },
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'Nope' }, attributeValue: '1' },
    ],
  });
  assert.deepEqual(
    response.setVariableResult.map((r) => [r.attributeStatus, r.attributeStatusInfo?.reasonCode]),
    [
      ['Rejected', 'InternalError'],
      ['Rejected', 'InternalError'],
      ['UnknownVariable', undefined],
    ],
  );
  assert.match(
    response.setVariableResult[0].attributeStatusInfo?.additionalInfo ?? '',
    /storing the value failed: .*disk on fire/,
  );
  assert.equal(model.get(HEARTBEAT_INTERVAL), '1800');
  assert.deepEqual(changes, []);
  await assert.rejects(model.set(OFFLINE_THRESHOLD, '10', 'host'), /disk on fire/);
  assert.equal(model.get(OFFLINE_THRESHOLD), '60');
  await sql`DROP TRIGGER fail_offline`.execute(store.db);
  assert.deepEqual(await dumpRows(store), before);
  await store.close();
});

test("configuredValue reads loaded components; valuesList reads a variable's characteristic", async () => {
  const components = await exampleComponents();
  assert.equal(DeviceModel.configuredValue(components, HEARTBEAT_INTERVAL), '1800');
  assert.equal(DeviceModel.configuredValue(components, { component: 'Nope', variable: 'X' }), undefined);
  const { model, store } = await openExample();
  assert.equal(
    model.valuesList({ component: 'OCPPCommCtrlr', variable: 'NetworkConfigurationPriority' }),
    '1,2',
  );
  assert.equal(model.valuesList(HEARTBEAT_INTERVAL), undefined);
  await store.close();
});

test('a write that leaves the value and its source as they are stores nothing (updated_at is when they last changed)', async () => {
  let clock = '2025-01-01T00:00:00.000Z';
  const { model, store } = await openExample({ now: () => clock });
  const rowOf = () =>
    store.db
      .selectFrom('device_model')
      .select(['value', 'value_source', 'updated_at'])
      .where('variable', '=', 'OfflineThreshold')
      .executeTakeFirst();
  assert.equal(await setByCsms(model, 'OCPPCommCtrlr', 'OfflineThreshold', '300'), 'Accepted');
  clock = '2025-01-02T00:00:00.000Z';
  // The same value again: nothing to write, even with a database that refuses every write.
  await sql`CREATE TRIGGER refuse_all BEFORE INSERT ON device_model BEGIN SELECT RAISE(ABORT, 'read-only'); END`.execute(
    store.db,
  );
  await sql`CREATE TRIGGER refuse_update BEFORE UPDATE ON device_model BEGIN SELECT RAISE(ABORT, 'read-only'); END`.execute(
    store.db,
  );
  assert.equal(await setByCsms(model, 'OCPPCommCtrlr', 'OfflineThreshold', '300'), 'Accepted');
  // A request that changes a value and changes it back (B05.FR.13 forbids it; processed in order).
  const response = await model.setVariables({
    setVariableData: [
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' }, attributeValue: '5' },
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' }, attributeValue: '300' },
    ],
  });
  assert.deepEqual(
    response.setVariableResult.map((r) => r.attributeStatus),
    ['Accepted', 'Accepted'],
  );
  assert.deepEqual(await rowOf(), {
    value: '300',
    value_source: 'csms',
    updated_at: '2025-01-01T00:00:00.000Z',
  });
  // The same value from another writer changes its source: stored.
  await assert.rejects(model.set(OFFLINE_THRESHOLD, '300', 'host'), /read-only/);
  await sql`DROP TRIGGER refuse_all`.execute(store.db);
  await sql`DROP TRIGGER refuse_update`.execute(store.db);
  assert.equal(await model.set(OFFLINE_THRESHOLD, '300', 'host'), 'Accepted');
  assert.deepEqual(await rowOf(), {
    value: '300',
    value_source: 'host',
    updated_at: '2025-01-02T00:00:00.000Z',
  });
  await store.close();
});
