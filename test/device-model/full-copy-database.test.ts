/**
 * Databases written before issue 9's change held a full copy of the configuration per station
 * (one row per attribute, source 'config'). Migration 0013 drops the 'config' rows; a station's
 * open drops any left (rows equal to the config), and CSMS and host values survive both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import { attributeRow } from '../../src/device-model/attribute-row.js';
import { DeviceModel } from '../../src/device-model/device-model.js';
import { ModelIndex } from '../../src/device-model/model-index.js';
import { openStationDatabase, type StationDatabase } from '../../src/store/database.js';
import { dumpRows, exampleComponents, openExample, tempDatabaseFile } from './helpers.js';

const OFFLINE_THRESHOLD = { component: 'OCPPCommCtrlr', variable: 'OfflineThreshold' };
const HEARTBEAT_INTERVAL = { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' };
const OLD_TIME = '2025-06-01T00:00:00.000Z';

/**
 * Writes what the code of before stored for station CS-1: a row for every attribute, at its config
 * value with source 'config', except a CSMS value of OfflineThreshold (300) and an override of
 * HeartbeatInterval (99, source 'config').
 */
async function writeFullCopy(store: StationDatabase): Promise<number> {
  const index = ModelIndex.build(await exampleComponents(), OLD_TIME);
  const rows = index.components.flatMap((component) =>
    component.variables.flatMap((variable) =>
      variable.attributes.map((attribute) => {
        const name = `${component.name}.${variable.name}:${attribute.type}`;
        if (name === 'OCPPCommCtrlr.OfflineThreshold:Actual')
          return attributeRow('CS-1', variable, attribute, '300', 'csms', OLD_TIME);
        if (name === 'OCPPCommCtrlr.HeartbeatInterval:Actual')
          return attributeRow('CS-1', variable, attribute, '99', 'config', OLD_TIME);
        return attributeRow('CS-1', variable, attribute, attribute.configValue, 'config', OLD_TIME);
      }),
    ),
  );
  for (let i = 0; i < rows.length; i += 200) {
    await store.db
      .insertInto('device_model')
      .values(rows.slice(i, i + 200))
      .execute();
  }
  return rows.length;
}

test('migration 0013 drops the config rows of a database of full copies; CSMS values survive', async () => {
  const file = await tempDatabaseFile();
  const old = await openStationDatabase(file);
  const written = await writeFullCopy(old);
  assert.ok(written > 200);
  await old.close();
  // The file as the code of before left it: migration 0013 not yet applied (it changes no schema).
  const raw = new SQLite(file);
  raw.prepare("DELETE FROM kysely_migration WHERE name = '0013_device_model_differences'").run();
  raw.close();

  const store = await openStationDatabase(file);
  assert.deepEqual(
    store.applied.map((r) => [r.migrationName, r.status]),
    [['0013_device_model_differences', 'Success']],
  );
  const left = await store.db
    .selectFrom('device_model')
    .select(['variable', 'value', 'value_source'])
    .execute();
  assert.deepEqual(left, [{ variable: 'OfflineThreshold', value: '300', value_source: 'csms' }]);
  await store.close();

  const { model, store: again } = await openExample({ file });
  assert.equal(model.get(OFFLINE_THRESHOLD), '300');
  assert.equal(model.get(HEARTBEAT_INTERVAL), '1800');
  assert.deepEqual(model.warnings, []);
  await again.close();
});

test('a station opened on full copies (rows equal to the config) keeps only the rows that differ', async () => {
  const file = await tempDatabaseFile();
  const old = await openStationDatabase(file);
  await writeFullCopy(old);
  await old.close();

  const { model, store } = await openExample({
    file,
    overrides: [{ ref: HEARTBEAT_INTERVAL, value: '99' }],
  });
  assert.equal(model.get(OFFLINE_THRESHOLD), '300');
  assert.equal(model.get(HEARTBEAT_INTERVAL), '99');
  const rows = (await dumpRows(store)) as Array<{ variable: string; value: string; updated_at: string }>;
  assert.deepEqual(
    rows.map((r) => [r.variable, r.value, r.updated_at]),
    [
      // Unchanged value and source: the stored time is kept.
      ['HeartbeatInterval', '99', OLD_TIME],
      ['OfflineThreshold', '300', OLD_TIME],
    ],
  );
  await store.close();
});

test('a store without the SQLite handle (a host-built Kysely) takes the portable path: same rows, same values', async () => {
  const file = await tempDatabaseFile();
  const own = await openStationDatabase(file);
  // The same database through a Kysely instance of the host's: no handle, so Kysely statements only.
  const portable: StationDatabase = {
    db: own.db.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => a.result }),
    file,
    applied: [],
    close: () => own.close(),
  };
  assert.equal(Object.getOwnPropertySymbols(portable).length, 0);
  const model = await DeviceModel.open({
    store: portable,
    stationId: 'CS-1',
    components: await exampleComponents(),
    overrides: [{ ref: HEARTBEAT_INTERVAL, value: '99' }],
  });
  assert.deepEqual(
    ((await dumpRows(portable)) as Array<{ variable: string; value: string }>).map((r) => [
      r.variable,
      r.value,
    ]),
    [['HeartbeatInterval', '99']],
  );
  assert.equal(await model.set(OFFLINE_THRESHOLD, '300', 'csms'), 'Accepted');
  assert.equal(await model.set(OFFLINE_THRESHOLD, '301', 'csms'), 'Accepted');
  const again = await DeviceModel.open({
    store: portable,
    stationId: 'CS-1',
    components: await exampleComponents(),
  });
  assert.equal(again.get(OFFLINE_THRESHOLD), '301');
  assert.equal(again.get(HEARTBEAT_INTERVAL), '1800');
  assert.deepEqual(
    ((await dumpRows(portable)) as Array<{ variable: string; value: string; value_source: string }>).map(
      (r) => [r.variable, r.value, r.value_source],
    ),
    [['OfflineThreshold', '301', 'csms']],
  );
  await portable.close();
});
