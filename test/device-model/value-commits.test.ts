/**
 * The device model's runtime writes (issue 9, boot storm): a `set` is readable and told to the
 * listeners at once, and its row joins the turn's other device-model writes of the database, every
 * station's, in one SQLite transaction (src/device-model/value-commits.ts, src/store/write-batch.ts);
 * the promise resolves once the row is committed. A failing store puts the value back; the model
 * and the store agree whatever order `set` and SetVariables come in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { DeviceModel, type DeviceModelChange } from '../../src/device-model/device-model.js';
import type { VariableRef } from '../../src/device-model/types.js';
import { openStationDatabase, type StationDatabase } from '../../src/store/database.js';
import { ownHandle } from '../../src/store/sqlite-handle.js';
import { exampleComponents, tempDatabaseFile } from './helpers.js';
import { countTransactions } from '../store/count-transactions.js';

const HEARTBEAT: VariableRef = { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' };
const PROFILES: VariableRef = { component: 'InternalCtrlr', variable: 'NetworkConnectionProfiles' };
const OFFLINE: VariableRef = { component: 'OCPPCommCtrlr', variable: 'OfflineThreshold' };

/** `count` stations' device models on one database file, counting the SQLite transactions run on its handle. */
async function fleet(count: number) {
  const file = await tempDatabaseFile();
  const store: StationDatabase = await openStationDatabase(file);
  const sqlite = ownHandle(store);
  assert.ok(sqlite);
  // Statements are prepared per handle at first use: every transaction function is made after this.
  const transactions = countTransactions(sqlite);
  const models: DeviceModel[] = [];
  for (let i = 1; i <= count; i++) {
    models.push(
      await DeviceModel.open({ store, stationId: `CS-${i}`, components: await exampleComponents() }),
    );
  }
  return {
    models,
    store,
    file,
    transactions,
    /** A row as a power loss would leave it: read by a second connection. */
    stored(stationId: string, variable: string): string | undefined {
      const reader = new Database(file, { readonly: true });
      try {
        const row = reader
          .prepare('SELECT value FROM device_model WHERE station_id = ? AND variable = ?')
          .get(stationId, variable) as { value: string } | undefined;
        return row?.value;
      } finally {
        reader.close();
      }
    },
  };
}

test("a set is readable and told at once; the fleet's sets of one turn are stored in one transaction", async () => {
  const f = await fleet(3);
  const before = f.transactions();
  const changes: DeviceModelChange[] = [];
  f.models[0]!.onChange((change) => changes.push(change));
  // B01.FR.04: each station's BootNotificationResponse interval, and a network profile list.
  const writes = f.models.map((model) => model.set(HEARTBEAT, '300', 'csms'));
  writes.push(f.models[1]!.set(PROFILES, '[]', 'host'));
  assert.equal(f.models[0]!.get(HEARTBEAT), '300', 'readable before the store');
  assert.deepEqual(
    changes.map((c) => [c.value, c.previous]),
    [['300', '1800']],
  );
  assert.deepEqual(await Promise.all(writes), ['Accepted', 'Accepted', 'Accepted', 'Accepted']);
  assert.equal(f.transactions() - before, 1, 'one transaction for the turn, not one per write');
  // Durable once resolved: a power loss now keeps every value.
  for (const id of ['CS-1', 'CS-2', 'CS-3']) assert.equal(f.stored(id, 'HeartbeatInterval'), '300');
  assert.equal(f.stored('CS-2', 'NetworkConnectionProfiles'), '[]');
  await f.store.close();
});

test('a failing store puts the value back and tells the listeners; a SetVariables shows nothing before it is stored', async () => {
  const f = await fleet(1);
  const [model] = f.models as [DeviceModel];
  const changes: Array<[string, string | undefined]> = [];
  model.onChange((c) => changes.push([c.value, c.previous]));
  await sql`CREATE TRIGGER fail_offline BEFORE INSERT ON device_model WHEN NEW.variable = 'OfflineThreshold' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`.execute(
    f.store.db,
  );
  const failing = model.set(OFFLINE, '10', 'host');
  assert.equal(model.get(OFFLINE), '10');
  await assert.rejects(failing, /disk on fire/);
  assert.equal(model.get(OFFLINE), '60');
  assert.deepEqual(changes, [
    ['10', '60'],
    ['60', '10'],
  ]);
  changes.length = 0;
  const response = model.setVariables({
    setVariableData: [
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' }, attributeValue: '20' },
    ],
  });
  await Promise.resolve();
  assert.equal(model.get(OFFLINE), '60', 'B05: not shown before it is stored');
  assert.equal((await response).setVariableResult[0].attributeStatus, 'Rejected');
  assert.equal(model.get(OFFLINE), '60');
  assert.deepEqual(changes, []);
  await f.store.close();
});

test('the model and the store agree whatever order a set and a SetVariables of one variable come in', async () => {
  const f = await fleet(1);
  const [model] = f.models as [DeviceModel];
  const setVariables = (value: string) =>
    model.setVariables({
      setVariableData: [
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
          attributeValue: value,
        },
      ],
    });
  // The SetVariables first (shown once stored), the runtime's set after it in the same turn: the set wins.
  await Promise.all([setVariables('60'), model.set(HEARTBEAT, '70', 'host')]);
  assert.equal(model.get(HEARTBEAT), '70');
  assert.equal(f.stored('CS-1', 'HeartbeatInterval'), '70');
  // The other way round: the SetVariables wins.
  await Promise.all([model.set(HEARTBEAT, '80', 'host'), setVariables('90')]);
  assert.equal(model.get(HEARTBEAT), '90');
  assert.equal(f.stored('CS-1', 'HeartbeatInterval'), '90');
  await f.store.close();
});

test('a store closes after the writes of its last turn are committed', async () => {
  const f = await fleet(1);
  const write = f.models[0]!.set(HEARTBEAT, '42', 'csms');
  await f.store.close();
  await write;
  assert.equal(f.stored('CS-1', 'HeartbeatInterval'), '42');
});

/** SetVariables of OCPPCommCtrlr.OfflineThreshold. */
function setOffline(model: DeviceModel, value: string) {
  return model.setVariables({
    setVariableData: [
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' }, attributeValue: value },
    ],
  });
}

/** Makes every insert of an OfflineThreshold row (or only of `value`) fail, as a full disk would. */
async function failOffline(store: StationDatabase, value?: string): Promise<void> {
  const when =
    value === undefined ? sql`NEW.variable = 'OfflineThreshold'` : sql`NEW.value = ${sql.lit(value)}`;
  await sql`CREATE TRIGGER fail_offline BEFORE INSERT ON device_model WHEN ${when} BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`.execute(
    store.db,
  );
}

test('two failing sets of one attribute in a turn put back the stored value, not the first pending one', async () => {
  const f = await fleet(1);
  const [model] = f.models as [DeviceModel];
  await failOffline(f.store);
  const first = model.set(OFFLINE, '10', 'host');
  const second = model.set(OFFLINE, '11', 'host');
  assert.equal(model.get(OFFLINE), '11');
  await assert.rejects(first, /disk on fire/);
  await assert.rejects(second, /disk on fire/);
  assert.equal(model.get(OFFLINE), '60', 'the configured value: nothing was stored');
  assert.equal(f.stored('CS-1', 'OfflineThreshold'), undefined);
  await f.store.close();
});

test('B05: a SetVariables of the value a pending set shows is stored itself, not Accepted on the strength of that set', async () => {
  const f = await fleet(1);
  const [model] = f.models as [DeviceModel];
  await failOffline(f.store, '10');
  const failing = model.set(OFFLINE, '10', 'csms');
  const response = await setOffline(model, '10');
  await assert.rejects(failing, /disk on fire/);
  // Its own row failed too: Rejected, and nothing shown that the store does not have.
  assert.equal(response.setVariableResult[0].attributeStatus, 'Rejected');
  assert.equal(model.get(OFFLINE), '60');
  assert.equal(f.stored('CS-1', 'OfflineThreshold'), undefined);
  await f.store.close();
});

test('a set failing after a SetVariables of the same attribute was stored puts back the stored SetVariables value', async () => {
  const f = await fleet(1);
  const [model] = f.models as [DeviceModel];
  await failOffline(f.store, '30');
  const response = setOffline(model, '20');
  const failing = model.set(OFFLINE, '30', 'host');
  assert.equal((await response).setVariableResult[0].attributeStatus, 'Accepted');
  await assert.rejects(failing, /disk on fire/);
  assert.equal(f.stored('CS-1', 'OfflineThreshold'), '20');
  assert.equal(model.get(OFFLINE), '20', 'GetVariables answers what a restart would read');
  await f.store.close();
});
