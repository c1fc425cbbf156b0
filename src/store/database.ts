import SQLite from 'better-sqlite3';
import { Kysely, Migrator, sql, type MigrationResult, type SqliteDialectConfig } from 'kysely';
import { migrations } from '../../migrations/index.js';
import { ConnectionGate, gatedSqliteDialect, registerGate } from './connection-gate.js';
import { applyFreshSchema, isEmptyDatabase } from './fresh-schema.js';
import type { Database } from './schema.js';
import { registerSqliteHandle } from './sqlite-handle.js';
import { batchesSettled } from './write-batch.js';

/**
 * Raised when the database file cannot be used: unreadable, corrupt, newer than this code, or a failed migration.
 *
 * @example
 * await openStationDatabase('x.db').catch((e) => { if (e instanceof StoreError) console.error(e.file, e.message); });
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_STORE';
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
  }
}

/** An open, migrated station database. Share one between many stations of a fleet. */
export interface StationDatabase {
  readonly db: Kysely<Database>;
  /** The file path as given (':memory:' for an in-memory database). */
  readonly file: string;
  /** Migrations applied by this open (empty when the file was already current). */
  readonly applied: readonly MigrationResult[];
  /**
   * Closes the database once the writes made before the call are committed (a device-model value
   * set just before a stop is stored). A write made after the call fails (a device-model value is
   * put back and its promise rejects): stop the station first (`ChargePoint.stop()`).
   */
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) a SQLite station database in WAL mode and brings its schema to the
 * latest migration, all migrations in one transaction: a failure leaves the file as it was. A new
 * (empty) database gets the final schema directly (src/store/fresh-schema.ts), recorded as every
 * migration applied.
 *
 * A file that is not a SQLite database, or that was written by a newer version of this library
 * (it records migrations this code does not know), is refused with a {@link StoreError} naming the file.
 *
 * @example
 * const store = await openStationDatabase('station.db');
 * const rows = await store.db.selectFrom('device_model').selectAll().execute();
 * await store.close();
 */
export async function openStationDatabase(file: string): Promise<StationDatabase> {
  let sqlite: SQLite.Database;
  try {
    sqlite = new SQLite(file);
    // Reading the schema is the cheapest query that fails on a file that is not a database.
    sqlite.pragma('schema_version');
    if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
  } catch (cause) {
    throw new StoreError(file, `cannot open as a SQLite database (${(cause as Error).message})`, { cause });
  }
  // Our native statements see who holds Kysely's connection (src/store/connection-gate.ts).
  const gate = new ConnectionGate();
  const db = new Kysely<Database>({ dialect: gatedSqliteDialect({ database: cachingStatements(sqlite) }, gate) });
  registerGate(db, gate);
  try {
    // A new file: its final schema in one transaction, no Migrator (src/store/fresh-schema.ts).
    const fresh = isEmptyDatabase(sqlite) ? applyFreshSchema(sqlite, new Date()) : undefined;
    if (fresh !== undefined) return openedStore(db, file, sqlite, fresh);
    const executed = await executedMigrations(db, file);
    // A current file (every restart after the first) needs no Migrator, whose setup (lock table,
    // transaction, listing) is a noticeable part of a cold start (docs/fleet/cold-start.md).
    const current = Object.keys(migrations).every((name) => executed.has(name));
    const migrator = current
      ? undefined
      : new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const { error, results } = migrator
      ? await migrator.migrateToLatest()
      : { error: undefined, results: [] };
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      throw new StoreError(
        file,
        `migration ${failed ?? '(setup)'} failed, nothing was changed: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return openedStore(db, file, sqlite, results ?? []);
  } catch (error) {
    await db.destroy();
    if (sqlite.open) sqlite.close();
    if (error instanceof StoreError) throw error;
    throw new StoreError(file, (error as Error).message, { cause: error });
  }
}

function openedStore(
  db: Kysely<Database>,
  file: string,
  sqlite: SQLite.Database,
  applied: readonly MigrationResult[],
): StationDatabase {
  const close = async () => {
    // The writes of the last turn (src/store/write-batch.ts) are committed before the handle closes.
    await batchesSettled(db);
    await db.destroy();
    // Kysely destroys only a driver it initialized, i.e. one that ran a query; our native
    // statements (src/store/connection-gate.ts) may have been all a run did.
    if (sqlite.open) sqlite.close();
  };
  const store: StationDatabase = { db, file, applied, close };
  // The better-sqlite3 handle stays out of the public type (src/store/sqlite-handle.ts).
  registerSqliteHandle(store, sqlite);
  return store;
}

/**
 * The migrations the file records as executed. A database that records migrations we do not have
 * was written by a newer version: refused.
 */
async function executedMigrations(db: Kysely<Database>, file: string): Promise<Set<string>> {
  const table = await sql<{
    name: string;
  }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'`.execute(db);
  if (table.rows.length === 0) return new Set();
  const executed = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  const unknown = executed.rows.map((r) => r.name).filter((name) => !(name in migrations));
  if (unknown.length > 0) {
    throw new StoreError(
      file,
      `written by a newer version of ocpp-station (unknown migrations: ${unknown.join(', ')}); refusing to open it`,
    );
  }
  return new Set(executed.rows.map((r) => r.name));
}

/** Prepared statements kept per database; Kysely's SQL texts are few (insert chunks vary in size). */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * The better-sqlite3 handle as Kysely's SqliteDialect sees it, with each SQL text prepared once:
 * Kysely prepares every statement anew, which a fleet's boot storm pays thousands of times
 * (issue 9). Reusing a statement is safe because Kysely runs one query at a time on its single
 * connection (a streamed SELECT holds the connection until it is done), and SQLite re-prepares a
 * statement by itself after a schema change (migrations).
 */
function cachingStatements(sqlite: SQLite.Database): SqliteDialectConfig['database'] {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      statements.clear();
      sqlite.close();
    },
    prepare: (text: string) => {
      let statement = statements.get(text);
      if (statement === undefined) {
        statement = sqlite.prepare(text);
        if (statements.size >= STATEMENT_CACHE_SIZE) {
          // Oldest first: Map keeps insertion order.
          statements.delete(statements.keys().next().value as string);
        }
        statements.set(text, statement);
      }
      return statement;
    },
  };
}
