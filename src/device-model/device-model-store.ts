/**
 * The device model's statements on the `device_model` table: one row per attribute whose value
 * differs from the configuration (attribute-row.ts), keyed by station, component (name, instance,
 * EVSE, connector), variable (name, instance) and attribute type.
 */
import type SQLite from 'better-sqlite3';
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Database, DeviceModelTable } from '../store/schema.js';
import { attributeRow } from './attribute-row.js';
import { perHandle, upsertSql } from '../store/native-statements.js';
import { batchedWrite } from '../store/write-batch.js';
import { exclusive } from '../store/connection-gate.js';

import type { AttributeWrite } from './attribute-write.js';

export type { AttributeWrite };

/** The columns that identify a device_model row of a station (its primary key without station_id). */
const KEY_COLUMNS = [
  'component',
  'component_instance',
  'evse_id',
  'connector_id',
  'variable',
  'variable_instance',
  'attribute_type',
] as const;
/** The columns a row's content is compared on. */
const VALUE_COLUMNS = [
  'characteristics_json',
  'mutability',
  'persistent',
  'constant',
  'value',
  'value_source',
  'updated_at',
] as const;

function keyOf(row: Pick<Insertable<DeviceModelTable>, (typeof KEY_COLUMNS)[number]>): string {
  return KEY_COLUMNS.map((column) => String(row[column] ?? '')).join('\u0001');
}

/**
 * The station's stored rows (its values that differ from the configuration; none for a new station).
 *
 * @example
 * const stored = await readStationRows(store.db, 'CS-1', ownHandle(store));
 */
export async function readStationRows(
  db: Kysely<Database>,
  stationId: string,
  /** The database's own handle (openStationDatabase's): the read goes through one prepared SELECT. */
  sqlite?: SQLite.Database,
): Promise<Array<Selectable<DeviceModelTable>>> {
  if (sqlite === undefined) {
    return db.selectFrom('device_model').selectAll().where('station_id', '=', stationId).execute();
  }
  // Kysely would build and compile the SELECT at every station's start (issue 9).
  const { select } = nativeStatements(sqlite);
  return exclusive(db, () => select.all(stationId) as Array<Selectable<DeviceModelTable>>);
}

/**
 * Brings a station's rows from `stored` (what the table holds now) to `rows`, atomically, writing
 * only what differs: a restarted station whose model did not change writes nothing, and a new
 * station inserts only its rows that differ from the configuration, usually none (issue 9).
 *
 * @example
 * await syncStationRows(store.db, 'CS-1', stored, reconcile(input).rows);
 */
export async function syncStationRows(
  db: Kysely<Database>,
  stationId: string,
  stored: ReadonlyArray<Selectable<DeviceModelTable>>,
  rows: ReadonlyArray<Insertable<DeviceModelTable>>,
  /** The database's own handle (openStationDatabase's): the rows go through prepared statements. */
  sqlite?: SQLite.Database,
): Promise<void> {
  const old = new Map(stored.map((row) => [keyOf(row), row]));
  // A new station (a fleet's first boot): its rows, if any (overrides that differ from the
  // config), are all new, no keys to build.
  const inserts: Array<Insertable<DeviceModelTable>> = stored.length === 0 ? [...rows] : [];
  const updates: Array<Insertable<DeviceModelTable>> = [];
  for (const row of stored.length === 0 ? [] : rows) {
    const key = keyOf(row);
    const before = old.get(key);
    old.delete(key);
    if (before === undefined) inserts.push(row);
    else if (VALUE_COLUMNS.some((column) => (before[column] ?? null) !== (row[column] ?? null)))
      updates.push(row);
  }
  const deletes = [...old.values()];
  if (inserts.length + updates.length + deletes.length === 0) return;
  if (sqlite !== undefined) {
    // Kysely would build and compile every statement, and its transaction, per station (issue 9).
    // A fleet's stations open in the same turns: their rows share a transaction
    // (src/store/write-batch.ts); nothing reads the station's model before its open resolves.
    const { sync } = nativeStatements(sqlite);
    await batchedWrite(db, [{ deletes, upserts: [...updates, ...inserts] }], sync);
    return;
  }
  await db.transaction().execute(async (trx) => {
    for (const row of deletes) {
      await KEY_COLUMNS.reduce(
        (query, column) => query.where(column, '=', row[column]),
        trx.deleteFrom('device_model').where('station_id', '=', stationId),
      ).execute();
    }
    for (const row of [...updates, ...inserts]) await upsert(trx, row);
  });
}

/**
 * Stores values of attributes in one transaction (with the turn's other writes, when the database
 * has its own handle), inserting the row of an attribute that had none
 * (it was at its config value) and updating the row of one that had; throws (and stores nothing)
 * when the database fails. A value is stored even when it equals the config value: it is the
 * writer's now, and survives a later change of the config default.
 *
 * @example
 * await writeAttributes(store.db, 'CS-1', [{ variable, attribute, value: '300' }], 'csms', new Date().toISOString());
 */
export async function writeAttributes(
  db: Kysely<Database>,
  stationId: string,
  writes: readonly AttributeWrite[],
  source: 'host' | 'csms',
  updatedAt: string,
  /** The database's own handle (openStationDatabase's): the writes go through one prepared upsert. */
  sqlite?: SQLite.Database,
): Promise<void> {
  const rows = writes.map(({ variable, attribute, value }) =>
    attributeRow(stationId, variable, attribute, value, source, updatedAt),
  );
  if (sqlite !== undefined) {
    // Kysely would build and compile the upsert, and its transaction, for every write of every
    // station (issue 9). The rows join the turn's other device-model writes, every station's of the
    // database (src/store/write-batch.ts): one SQLite commit per turn. The caller (DeviceModel)
    // has the values in memory already, so nothing waits for the batch to read them; a write of a
    // later turn is committed after this one (the batches run in order), so the last value wins.
    const { sync } = nativeStatements(sqlite);
    await batchedWrite(db, [{ deletes: [], upserts: rows }], sync);
    return;
  }
  await db.transaction().execute(async (trx) => {
    for (const row of rows) await upsert(trx, row);
  });
}

/** Inserts a row, or updates the row of the same key (value, source, time and metadata). */
async function upsert(db: Kysely<Database>, row: Insertable<DeviceModelTable>): Promise<void> {
  await db
    .insertInto('device_model')
    .values(row)
    .onConflict((oc) => oc.columns(['station_id', ...KEY_COLUMNS]).doUpdateSet(UPSERT_SET))
    .execute();
}

/** What an upsert changes in an existing row: the value, who set it and when, and the metadata (the config's). */
const UPSERT_SET = {
  characteristics_json: sql<string>`excluded.characteristics_json`,
  mutability: sql<DeviceModelTable['mutability']>`excluded.mutability`,
  persistent: sql<number>`excluded.persistent`,
  constant: sql<number>`excluded.constant`,
  value: sql<string | null>`excluded.value`,
  value_source: sql<DeviceModelTable['value_source']>`excluded.value_source`,
  updated_at: sql<string>`excluded.updated_at`,
};

/** One write of a station's rows: keys to delete, then rows to insert or update. */
interface RowWrite {
  deletes: ReadonlyArray<Selectable<DeviceModelTable>>;
  upserts: ReadonlyArray<Insertable<DeviceModelTable>>;
}

/** Every column of a device_model row, in the order of the prepared upsert's parameters. */
const ROW_COLUMNS = ['station_id', ...KEY_COLUMNS, ...VALUE_COLUMNS] as const;

interface NativeStatements {
  select: SQLite.Statement;
  /** Runs writes in order in one transaction (rolled back, and thrown, on a failure). */
  sync: (writes: readonly RowWrite[]) => void;
}

/** The device_model statements prepared on a database handle, once per handle. */
const nativeStatements = perHandle((sqlite): NativeStatements => {
  const upsertRow = sqlite.prepare(upsertSql('device_model', ROW_COLUMNS, ['station_id', ...KEY_COLUMNS]));
  const deleteRow = sqlite.prepare(
    `DELETE FROM device_model WHERE station_id = ? AND ${KEY_COLUMNS.map((c) => `${c} = ?`).join(' AND ')}`,
  );
  return {
    select: sqlite.prepare('SELECT * FROM device_model WHERE station_id = ?'),
    sync: sqlite.transaction((writes: readonly RowWrite[]) => {
      for (const { deletes, upserts } of writes) {
        for (const row of deletes) deleteRow.run(row.station_id, ...KEY_COLUMNS.map((c) => row[c]));
        for (const row of upserts) upsertRow.run(ROW_COLUMNS.map((c) => row[c] ?? null));
      }
    }),
  };
});
