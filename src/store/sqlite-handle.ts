/**
 * The better-sqlite3 handle under a {@link StationDatabase}, kept out of the public type: the
 * journal prepares its statements on it, and nothing outside the store needs it. Keeping it here
 * (not as a declared field of StationDatabase) keeps better-sqlite3's types out of the published
 * declarations, which a consumer would otherwise need `@types/better-sqlite3` to compile.
 */
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { StationDatabase } from './database.js';
import type { Database } from './schema.js';

/**
 * An own enumerable symbol property, so that a copy of the store (`{ ...store, db: store.db.withPlugin(p) }`)
 * keeps its handle, as it kept the former `sqlite` field.
 */
const SQLITE_HANDLE = Symbol('ocpp-station sqlite handle');

type WithHandle = StationDatabase & { [SQLITE_HANDLE]?: SQLite.Database };

/**
 * Records the handle of a database opened by openStationDatabase.
 *
 * @example
 * registerSqliteHandle(store, sqlite);
 */
export function registerSqliteHandle(store: StationDatabase, sqlite: SQLite.Database): void {
  Object.defineProperty(store, SQLITE_HANDLE, { value: sqlite, enumerable: true });
  handleByKysely.set(store.db, sqlite);
}

/**
 * The handle under each Kysely instance that openStationDatabase created. Only that instance:
 * a transaction's or a plugin's Kysely (`db.withPlugin(p)`) is another object and takes the
 * portable path, so a host's plugin still sees every query.
 */
const handleByKysely = new WeakMap<Kysely<Database>, SQLite.Database>();

/**
 * The better-sqlite3 handle under `db` when openStationDatabase created it, or undefined: for the
 * stores that are given the Kysely instance only (issue 9: their start reads go through statements
 * prepared once, src/store/start-statements.ts).
 *
 * @example
 * const sqlite = kyselyHandle(db); // undefined: use Kysely
 */
export function kyselyHandle(db: Kysely<Database>): SQLite.Database | undefined {
  return handleByKysely.get(db);
}

/**
 * The better-sqlite3 handle of a database opened by openStationDatabase (or a copy of one). Use it
 * only through `exclusive(store.db, ...)` (src/store/connection-gate.ts), so that no Kysely
 * transaction is open meanwhile.
 *
 * @example
 * const statement = sqliteHandle(store).prepare('SELECT 1');
 */
export function sqliteHandle(store: StationDatabase): SQLite.Database {
  const sqlite = (store as WithHandle)[SQLITE_HANDLE];
  if (sqlite === undefined)
    throw new TypeError(`${store.file}: not a database opened by openStationDatabase`);
  return sqlite;
}

/**
 * The better-sqlite3 handle of a database opened by openStationDatabase, or undefined for another
 * StationDatabase (e.g. a host's own Kysely instance): callers then take the portable path.
 *
 * @example
 * const sqlite = ownHandle(store); // undefined: use Kysely only
 */
export function ownHandle(store: StationDatabase): SQLite.Database | undefined {
  return (store as WithHandle)[SQLITE_HANDLE];
}
