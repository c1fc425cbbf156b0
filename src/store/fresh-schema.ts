/**
 * A new station database created from its final schema (src/generated/fresh-schema.ts, generated
 * from migrations/ by `npm run generate`) in one transaction, instead of kysely's Migrator running
 * every migration: the Migrator's setup (lock table, transaction, listing) and the migrations'
 * schema building were ~80 ms of a cold start (issue 9, docs/fleet/cold-start.md). Databases
 * that already hold a schema still go through the Migrator (src/store/database.ts).
 */
import type SQLite from 'better-sqlite3';
import type { MigrationResult } from 'kysely';
import { FRESH_SCHEMA_MIGRATIONS, FRESH_SCHEMA_STATEMENTS } from '../generated/fresh-schema.js';

/** kysely's lock row (kysely/dist/esm/migration/migrator.js, MIGRATION_LOCK_ID), as its Migrator leaves it. */
const MIGRATION_LOCK_ID = 'migration_lock';

/**
 * True when the database holds no schema at all (a new file, or `:memory:`): the case
 * {@link applyFreshSchema} is for.
 *
 * @example
 * if (isEmptyDatabase(sqlite)) applyFreshSchema(sqlite, new Date());
 */
export function isEmptyDatabase(sqlite: SQLite.Database): boolean {
  return (sqlite.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number }).n === 0;
}

/**
 * Creates every table and index of the latest migration in an empty database and records each
 * migration as executed at `now` (as the Migrator would), all in one transaction. Returns the
 * migrations as the Migrator reports them, so that callers see the same `applied` list; or
 * undefined when the database was no longer empty once the transaction began (another process
 * opening the same new file first): the caller then migrates it as any existing file.
 *
 * @example
 * const applied = applyFreshSchema(new SQLite(':memory:'), new Date());
 */
export function applyFreshSchema(sqlite: SQLite.Database, now: Date): MigrationResult[] | undefined {
  const timestamp = now.toISOString();
  // IMMEDIATE: the write lock first, then the check, so two openers cannot both create the schema.
  const created = sqlite
    .transaction(() => {
      if (!isEmptyDatabase(sqlite)) return false;
      for (const statement of FRESH_SCHEMA_STATEMENTS) sqlite.exec(statement);
      const record = sqlite.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)');
      for (const name of FRESH_SCHEMA_MIGRATIONS) record.run(name, timestamp);
      sqlite
        .prepare('INSERT INTO kysely_migration_lock (id, is_locked) VALUES (?, 0)')
        .run(MIGRATION_LOCK_ID);
      return true;
    })
    .immediate();
  if (!created) return undefined;
  return FRESH_SCHEMA_MIGRATIONS.map((migrationName) => ({
    migrationName,
    direction: 'Up',
    status: 'Success',
  }));
}
