/**
 * The reads of a station's start as better-sqlite3 statements prepared once per database (issue 9,
 * boot storm): Kysely builds and compiles each query anew, which a fleet pays for every station.
 * The SQL is what the Kysely queries compile to (`select *` gives the same columns), so the rows are
 * the same; a database not opened by openStationDatabase (a host's Kysely, a plugin's) keeps the
 * portable Kysely path.
 */
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { kyselyHandle } from './sqlite-handle.js';
import { exclusive } from './connection-gate.js';
import { perHandle } from './native-statements.js';

/** The SQL of each start read; every one takes the station id first. */
const START_SQL = {
  stationStateValue: 'SELECT value_json FROM station_state WHERE station_id = ? AND key = ?',
  stationStateAll: 'SELECT key, value_json FROM station_state WHERE station_id = ?',
  messageQueue: 'SELECT * FROM message_queue WHERE station_id = ? ORDER BY id',
  authCache: 'SELECT * FROM auth_cache_entry WHERE station_id = ?',
  localList: 'SELECT * FROM local_list_entry WHERE station_id = ?',
  localListVersion: 'SELECT version_number FROM local_list_version WHERE station_id = ?',
  displayMessages:
    'SELECT message_info_json FROM display_message WHERE station_id = ? ORDER BY stored_at, message_id',
  chargingProfiles: 'SELECT * FROM charging_profile WHERE station_id = ? ORDER BY seq',
  actorSnapshots: 'SELECT * FROM actor_snapshot WHERE station_id = ?',
  transactionRecords: 'SELECT * FROM transaction_record WHERE station_id = ?',
  meterValues: 'SELECT * FROM transaction_meter_value WHERE station_id = ? ORDER BY id',
  availability: 'SELECT * FROM availability WHERE station_id = ?',
  reservations: 'SELECT * FROM reservation WHERE station_id = ?',
  monitors: 'SELECT * FROM variable_monitor WHERE station_id = ? ORDER BY monitor_id',
} as const;

/** A read of the start. */
export type StartRead = keyof typeof START_SQL;

type Prepared = Partial<Record<StartRead, SQLite.Statement>>;

/** Each read is prepared at its first use on a handle. */
const preparedOf = perHandle((): Prepared => ({}));

function statement(sqlite: SQLite.Database, read: StartRead): SQLite.Statement {
  return (preparedOf(sqlite)[read] ??= sqlite.prepare(START_SQL[read]));
}

/** Runs a prepared start read: its rows. */
export type ReadRows = <T>(read: StartRead, ...params: unknown[]) => T[];

/**
 * Several start reads at once through the statements prepared on the database's own handle, or
 * `portable()` (the same queries built with Kysely) when `db` has none. The native reads hold
 * Kysely's connection meanwhile, so that they never run inside a Kysely transaction in progress.
 *
 * @example
 * const [a, b] = await startReads(db, (rows) => [rows('availability', id), rows('reservations', id)], () => kyselyReads());
 */
export function startReads<T>(
  db: Kysely<Database>,
  work: (rows: ReadRows) => T,
  portable: () => Promise<T>,
): Promise<T> {
  const sqlite = kyselyHandle(db);
  if (sqlite === undefined) return portable();
  const rows: ReadRows = <R>(read: StartRead, ...params: unknown[]) =>
    statement(sqlite, read).all(...params) as R[];
  return exclusive(db, () => work(rows));
}

/**
 * The rows of one start read (see {@link startReads}).
 *
 * @example
 * const rows = await startRows(db, 'availability', [stationId], () =>
 *   db.selectFrom('availability').selectAll().where('station_id', '=', stationId).execute());
 */
export function startRows<T>(
  db: Kysely<Database>,
  read: StartRead,
  params: readonly unknown[],
  portable: () => Promise<T[]>,
): Promise<T[]> {
  return startReads(db, (rows) => rows<T>(read, ...params), portable);
}
