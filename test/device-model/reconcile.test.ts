/** What survives a restart: reconcile() of the configured model with the stored rows, through DeviceModel.open. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceModel } from '../../src/device-model/device-model.js';
import { DeviceModelConfigError } from '../../src/device-model/errors.js';
import type { LoadedComponent } from '../../src/device-model/types.js';
import { openStationDatabase } from '../../src/store/database.js';
import { dumpRows, exampleComponents, openExample, setByCsms } from './helpers.js';

const OFFLINE_THRESHOLD = { component: 'OCPPCommCtrlr', variable: 'OfflineThreshold' };
const HEARTBEAT_INTERVAL = { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' };

function variableOf(components: LoadedComponent[], component: string, variable: string) {
  const found = components.find((c) => c.name === component)?.variables.find((v) => v.name === variable);
  assert.ok(found, `${component}.${variable}`);
  return found;
}

test('values set by the CSMS and by the host at runtime survive a restart', async () => {
  const { model, store, file } = await openExample();
  assert.equal(await setByCsms(model, 'OCPPCommCtrlr', 'OfflineThreshold', '300'), 'Accepted');
  assert.equal(
    await model.set({ component: 'ChargingStation', variable: 'AvailabilityState' }, 'Faulted', 'host'),
    'Accepted',
  );
  assert.equal(model.get({ component: 'ChargingStation', variable: 'AvailabilityState' }), 'Faulted');
  const rows = await store.db
    .selectFrom('device_model')
    .select(['variable', 'value', 'value_source'])
    .where('variable', 'in', ['OfflineThreshold', 'AvailabilityState'])
    .where('component', '!=', 'EVSE')
    .where('component', '!=', 'Connector')
    .orderBy('variable')
    .execute();
  assert.deepEqual(rows, [
    { variable: 'AvailabilityState', value: 'Faulted', value_source: 'host' },
    { variable: 'OfflineThreshold', value: '300', value_source: 'csms' },
  ]);
  await store.close();

  const again = await openExample({ file });
  assert.equal(again.model.get(OFFLINE_THRESHOLD), '300');
  assert.equal(again.model.get({ component: 'ChargingStation', variable: 'AvailabilityState' }), 'Faulted');
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

test('a CSMS or host value the new config makes invalid (or ReadOnly, for the CSMS) gives way to the default, with a warning', async () => {
  const { model, store, file } = await openExample();
  assert.equal(await setByCsms(model, 'OCPPCommCtrlr', 'OfflineThreshold', '300'), 'Accepted');
  assert.equal(await setByCsms(model, 'OCPPCommCtrlr', 'ResetRetries', '7'), 'Accepted');
  assert.equal(
    await model.set({ component: 'ClockCtrlr', variable: 'TimeSource' }, 'NTP,Heartbeat', 'host'),
    'Accepted',
  );
  await store.close();

  const components = await exampleComponents();
  variableOf(components, 'OCPPCommCtrlr', 'OfflineThreshold').characteristics.maxLimit = 120;
  const retries = variableOf(components, 'OCPPCommCtrlr', 'ResetRetries').attributes[0];
  assert.ok(retries);
  retries.mutability = 'ReadOnly';
  variableOf(components, 'ClockCtrlr', 'TimeSource').characteristics.valuesList = 'Heartbeat,GPS';
  const warned: string[] = [];
  const again = await openExample({ file, components, onWarning: (w) => warned.push(w) });
  assert.equal(again.model.get(OFFLINE_THRESHOLD), '60');
  assert.equal(again.model.get({ component: 'OCPPCommCtrlr', variable: 'ResetRetries' }), '3');
  assert.equal(again.model.get({ component: 'ClockCtrlr', variable: 'TimeSource' }), 'Heartbeat');
  assert.deepEqual(again.model.warnings, [
    "ClockCtrlr.TimeSource:Actual: the value 'NTP,Heartbeat' set by the host no longer fits the configuration ('NTP' not in the valuesList Heartbeat, GPS); the configured value 'Heartbeat' applies",
    "OCPPCommCtrlr.OfflineThreshold:Actual: the value '300' set by the CSMS no longer fits the configuration (300 is above maxLimit 120); the configured value '60' applies",
    "OCPPCommCtrlr.ResetRetries:Actual: the value '7' set by the CSMS no longer fits the configuration (Actual of ResetRetries is ReadOnly); the configured value '3' applies",
  ]);
  assert.deepEqual(warned, again.model.warnings);
  // Back at its config value: the row is gone.
  const row = await again.store.db
    .selectFrom('device_model')
    .select(['value', 'value_source'])
    .where('variable', '=', 'OfflineThreshold')
    .executeTakeFirst();
  assert.equal(row, undefined);
  await again.store.close();
});

test('rows of components and variables no longer configured are deleted (a dropped CSMS value is warned about)', async () => {
  const { model, store, file } = await openExample();
  assert.equal(await setByCsms(model, 'TxCtrlr', 'EVConnectionTimeOut', '60'), 'Accepted');
  await store.close();
  const components = (await exampleComponents()).filter(
    (c) => c.name !== 'TxCtrlr' && c.name !== 'ReservationCtrlr',
  );
  const again = await openExample({ file, components });
  const names = await again.store.db.selectFrom('device_model').select('component').distinct().execute();
  assert.ok(!names.some((r) => r.component === 'TxCtrlr' || r.component === 'ReservationCtrlr'));
  assert.deepEqual(again.model.warnings, [
    "TxCtrlr.EVConnectionTimeOut:Actual: no longer in the configuration; the value '60' set by the CSMS is dropped",
  ]);
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
      {
        ref: { component: 'OCPPCommCtrlr', variable: 'MessageTimeout', variableInstance: 'Default' },
        value: '45',
      },
      { ref: { component: 'AuthCtrlr', variable: 'Enabled' }, value: 'FALSE' },
    ],
  });
  assert.equal(again.model.get(OFFLINE_THRESHOLD), '120');
  assert.equal(
    again.model.get({ component: 'OCPPCommCtrlr', variable: 'MessageTimeout', variableInstance: 'Default' }),
    '45',
  );
  assert.equal(again.model.get({ component: 'AuthCtrlr', variable: 'Enabled' }), 'false');
  const rows = await again.store.db
    .selectFrom('device_model')
    .select(['variable', 'value', 'value_source', 'updated_at'])
    .where('component', 'in', ['OCPPCommCtrlr', 'AuthCtrlr'])
    .orderBy('variable')
    .execute();
  // An override is configuration: stored as such (only when it differs from the config value), so
  // it lasts only while it is given; attributes at their config value have no row.
  assert.deepEqual(rows, [
    { variable: 'Enabled', value: 'false', value_source: 'config', updated_at: '2025-01-03T00:00:00.000Z' },
    {
      variable: 'MessageTimeout',
      value: '45',
      value_source: 'config',
      updated_at: '2025-01-03T00:00:00.000Z',
    },
    {
      variable: 'OfflineThreshold',
      value: '120',
      value_source: 'config',
      updated_at: '2025-01-03T00:00:00.000Z',
    },
  ]);
  await again.store.close();

  // The same overrides again, later: the unchanged rows keep their updated_at.
  clock = '2025-01-04T00:00:00.000Z';
  const same = await openExample({
    file,
    now: () => clock,
    overrides: [
      { ref: OFFLINE_THRESHOLD, value: '120' },
      { ref: { component: 'AuthCtrlr', variable: 'Enabled' }, value: 'false' },
    ],
  });
  const kept = await same.store.db
    .selectFrom('device_model')
    .select(['variable', 'updated_at'])
    .orderBy('variable')
    .execute();
  assert.deepEqual(kept, [
    { variable: 'Enabled', updated_at: '2025-01-03T00:00:00.000Z' },
    { variable: 'OfflineThreshold', updated_at: '2025-01-03T00:00:00.000Z' },
  ]);
  await same.store.close();

  // Without the override the config value applies again (the override had replaced the CSMS value).
  const third = await openExample({ file });
  assert.equal(third.model.get(OFFLINE_THRESHOLD), '60');
  assert.equal(third.model.get({ component: 'AuthCtrlr', variable: 'Enabled' }), 'true');
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
        {
          ref: { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval', attribute: 'MaxSet' },
          value: '1',
        },
        { ref: { component: 'EVSE', evseId: 1, variable: 'Power' }, value: '30000' },
        { ref: OFFLINE_THRESHOLD, value: '1' },
        { ref: { ...OFFLINE_THRESHOLD, attribute: 'Actual' }, value: '2' },
      ],
    }),
    (error: unknown) => {
      assert.ok(error instanceof DeviceModelConfigError);
      assert.deepEqual(
        error.issues.map((i) => `${i.location}: ${i.message}`),
        [
          "OCPPCommCtrlr.HeartbeatInterval:Actual: value 'often' rejected: 'often' is not an integer (digits, optional leading '-', no leading zeros)",
          'NoSuchCtrlr.X:Actual: cannot be set: unknown component',
          'OCPPCommCtrlr.Nope:Actual: cannot be set: unknown variable',
          'OCPPCommCtrlr.HeartbeatInterval:MaxSet: cannot be set: the variable has no such attribute',
          "EVSE@1.Power:Actual: value '30000' rejected: 30000 is above maxLimit 22000",
          'OCPPCommCtrlr.OfflineThreshold:Actual: is set twice',
        ],
      );
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
  const reread = await DeviceModel.open({
    store: again,
    stationId: 'CS-2',
    components: await exampleComponents(),
  });
  assert.equal(reread.get(OFFLINE_THRESHOLD), '60');
  // Each station's rows are its own differences from the config: CS-1's CSMS value, none for CS-2.
  const rows = await again.db
    .selectFrom('device_model')
    .select(['station_id', 'variable', 'value'])
    .execute();
  assert.deepEqual(rows, [{ station_id: 'CS-1', variable: 'OfflineThreshold', value: '300' }]);
  await again.close();
});
