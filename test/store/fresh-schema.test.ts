/**
 * A new database is created from src/generated/fresh-schema.ts instead of kysely's Migrator
 * (src/store/fresh-schema.ts, cold start of issue 9): it must be the very schema the migrations
 * build, and a Migrator run afterwards (a newer version of the package) must find every migration
 * applied.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrations } from '../../migrations/index.js';
import { openStationDatabase } from '../../src/store/database.js';
import { applyFreshSchema, isEmptyDatabase } from '../../src/store/fresh-schema.js';

type MasterRow = { type: string; name: string; tbl_name: string; sql: string | null };

/** Every schema object SQLite knows of, autoindexes included, in creation order. */
function schemaOf(sqlite: SQLite.Database): MasterRow[] {
  return sqlite
    .prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid')
    .all() as MasterRow[];
}

/** Columns of every table, with types, defaults, nullability and key positions. */
function columnsOf(sqlite: SQLite.Database): Record<string, unknown[]> {
  const tables = schemaOf(sqlite).filter((o) => o.type === 'table');
  return Object.fromEntries(
    tables.map((t) => [t.name, sqlite.pragma(`table_info("${t.name}")`) as unknown[]]),
  );
}

async function migrated(): Promise<{ sqlite: SQLite.Database; db: Kysely<unknown> }> {
  const sqlite = new SQLite(':memory:');
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  }).migrateToLatest();
  assert.equal(error, undefined);
  return { sqlite, db };
}

test('the fresh schema is the schema every migration builds, objects, order, columns and rows of kysely', async () => {
  const { sqlite: reference, db } = await migrated();
  const fresh = new SQLite(':memory:');
  assert.ok(isEmptyDatabase(fresh));
  applyFreshSchema(fresh, new Date('2026-12-04T12:00:00.000Z'));
  assert.ok(!isEmptyDatabase(fresh));
  assert.deepEqual(schemaOf(fresh), schemaOf(reference));
  assert.deepEqual(columnsOf(fresh), columnsOf(reference));
  const names = (s: SQLite.Database) => s.prepare('SELECT name FROM kysely_migration ORDER BY name').all();
  assert.deepEqual(names(fresh), names(reference));
  const lock = (s: SQLite.Database) => s.prepare('SELECT * FROM kysely_migration_lock').all();
  assert.deepEqual(lock(fresh), lock(reference));
  fresh.close();
  await db.destroy();
});

test('a Migrator run on a fresh database finds every migration applied and changes nothing', async () => {
  const sqlite = new SQLite(':memory:');
  applyFreshSchema(sqlite, new Date());
  const before = schemaOf(sqlite);
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  assert.equal(error, undefined);
  assert.deepEqual(results, []);
  assert.ok((await migrator.getMigrations()).every((m) => m.executedAt !== undefined));
  assert.deepEqual(schemaOf(sqlite), before);
  // Applied again (another opener got there first): nothing happens, the caller migrates instead.
  assert.equal(applyFreshSchema(sqlite, new Date()), undefined);
  assert.deepEqual(schemaOf(sqlite), before);
  await db.destroy();
});

test('a new file reports every migration applied, at one timestamp, and reopens with none', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-fresh-'));
  try {
    const file = path.join(dir, 'new.db');
    const store = await openStationDatabase(file);
    assert.deepEqual(
      store.applied.map((r) => [r.migrationName, r.direction, r.status]),
      Object.keys(migrations).map((name) => [name, 'Up', 'Success']),
    );
    await store.close();
    const raw = new SQLite(file);
    const stamps = raw.prepare('SELECT DISTINCT timestamp FROM kysely_migration').all() as {
      timestamp: string;
    }[];
    assert.equal(stamps.length, 1);
    assert.ok(!Number.isNaN(Date.parse(stamps[0]!.timestamp)));
    raw.close();
    const again = await openStationDatabase(file);
    assert.equal(again.applied.length, 0);
    await again.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a database with only the first migrations still goes through the Migrator to the same schema', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-fresh-'));
  try {
    const file = path.join(dir, 'old.db');
    const names = Object.keys(migrations);
    const firstTwo = Object.fromEntries(names.slice(0, 2).map((name) => [name, migrations[name]!]));
    const old = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
    assert.equal(
      (await new Migrator({ db: old, provider: { getMigrations: async () => firstTwo } }).migrateToLatest())
        .error,
      undefined,
    );
    await old.destroy();
    const store = await openStationDatabase(file);
    assert.deepEqual(
      store.applied.map((r) => r.migrationName),
      names.slice(2),
    );
    await store.close();
    const { sqlite: reference, db } = await migrated();
    const upgraded = new SQLite(file);
    assert.deepEqual(columnsOf(upgraded), columnsOf(reference));
    upgraded.close();
    await db.destroy();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
