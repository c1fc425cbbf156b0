/**
 * Native work and Kysely's one connection (src/store/connection-gate.ts): work runs at once when
 * nothing of Kysely's is in progress, never inside a Kysely transaction in progress, and in the
 * order it was asked for behind the connection's holder; a failing work rejects and frees it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Kysely, SqliteDialect, sql } from 'kysely';
import SQLite from 'better-sqlite3';
import { openStationDatabase } from '../../src/store/database.js';
import { kyselyHandle } from '../../src/store/sqlite-handle.js';
import { exclusive } from '../../src/store/connection-gate.js';
import type { Database } from '../../src/store/schema.js';

test('with the connection free, the work runs before exclusive returns', async () => {
  const store = await openStationDatabase(':memory:');
  try {
    const sqlite = kyselyHandle(store.db)!;
    sqlite.exec('CREATE TABLE t (v TEXT)');
    const done = exclusive(store.db, () => sqlite.prepare("INSERT INTO t VALUES ('a')").run().changes);
    // Stored, and readable by anyone, already: no turn of the event loop in between.
    assert.equal((sqlite.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 1);
    assert.equal(await done, 1);
    // Kysely still gets its connection afterwards.
    const rows = await sql<{ v: string }>`SELECT v FROM t`.execute(store.db);
    assert.deepEqual(rows.rows, [{ v: 'a' }]);
  } finally {
    await store.close();
  }
});

test('work asked for during a Kysely transaction runs after its commit, in the order asked', async () => {
  const store = await openStationDatabase(':memory:');
  try {
    const sqlite = kyselyHandle(store.db)!;
    sqlite.exec('CREATE TABLE t (v TEXT)');
    const order: string[] = [];
    let inTransaction!: () => void;
    const started = new Promise<void>((resolve) => (inTransaction = resolve));
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const transaction = store.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO t VALUES ('trx')`.execute(trx);
      inTransaction();
      await finished;
      order.push('commit');
    });
    await started;
    const first = exclusive(store.db, () => {
      // Not nested in the open transaction: better-sqlite3 would say so.
      assert.equal(sqlite.inTransaction, false);
      order.push('first');
    });
    const second = exclusive(store.db, () => void order.push('second'));
    assert.deepEqual(order, []);
    finish();
    await Promise.all([transaction, first, second]);
    assert.deepEqual(order, ['commit', 'first', 'second']);
  } finally {
    await store.close();
  }
});

test('a work that throws rejects, and the connection is free again', async () => {
  const store = await openStationDatabase(':memory:');
  try {
    await assert.rejects(
      exclusive(store.db, () => {
        throw new Error('constraint failed');
      }),
      /constraint failed/,
    );
    let ran = false;
    const after = exclusive(store.db, () => (ran = true));
    assert.equal(ran, true);
    await after;
    const rows = await sql<{ one: number }>`SELECT 1 AS one`.execute(store.db);
    assert.deepEqual(rows.rows, [{ one: 1 }]);
  } finally {
    await store.close();
  }
});

test("a host's own Kysely instance (no gate) runs the work through Kysely's connection", async () => {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
  try {
    assert.equal(await exclusive(db, () => 42), 42);
  } finally {
    await db.destroy();
  }
});

test('close() closes the file also when only native work ran (Kysely destroys only a driver it used)', async () => {
  const store = await openStationDatabase(':memory:');
  const sqlite = kyselyHandle(store.db)!;
  await exclusive(store.db, () => sqlite.prepare('SELECT 1').get());
  await store.close();
  assert.equal(sqlite.open, false);
  await assert.rejects(exclusive(store.db, () => sqlite.prepare('SELECT 1').get()), /not open/);
});
