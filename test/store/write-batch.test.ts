/**
 * The group commit of device-model writes (src/store/write-batch.ts): the writes of one turn
 * of the event loop share one transaction; when it fails, each write is retried alone and only a
 * write that fails by itself is rejected. Driven with a fake database whose connection runs the
 * work at once and a `store` that records its calls, and on a real SQLite file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.js';
import { batchedWrite } from '../../src/store/write-batch.js';
import { openStationDatabase } from '../../src/store/database.js';
import { kyselyHandle } from '../../src/store/sqlite-handle.js';

function fakeDb(): Kysely<Database> {
  return { connection: () => ({ execute: (work: () => Promise<unknown>) => work() }) } as unknown as Kysely<Database>;
}

test('writes of one turn are stored in one call, each resolved after it', async () => {
  const db = fakeDb();
  const calls: string[][] = [];
  const store = (rows: readonly string[]) => void calls.push([...rows]);
  await Promise.all([batchedWrite(db, ['a'], store), batchedWrite(db, ['b', 'c'], store), batchedWrite(db, ['d'], store)]);
  assert.deepEqual(calls, [['a', 'b', 'c', 'd']]);
  // A later turn is a batch of its own.
  await batchedWrite(db, ['e'], store);
  assert.deepEqual(calls.at(-1), ['e']);
});

test('a failing write fails alone: the batch is rolled back and each write retried in its own call', async () => {
  const db = fakeDb();
  const stored: string[] = [];
  const store = (rows: readonly string[]) => {
    // A transaction: all of its rows or none.
    if (rows.includes('bad')) throw new Error('constraint failed');
    stored.push(...rows);
  };
  const results = await Promise.allSettled([
    batchedWrite(db, ['a'], store),
    batchedWrite(db, ['bad'], store),
    batchedWrite(db, ['c'], store),
  ]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  assert.deepEqual(stored, ['a', 'c']);
});

test('batches are per database', async () => {
  const one = fakeDb();
  const two = fakeDb();
  const calls: Array<[string, string[]]> = [];
  await Promise.all([
    batchedWrite(one, ['a'], (rows) => void calls.push(['one', [...rows]])),
    batchedWrite(two, ['b'], (rows) => void calls.push(['two', [...rows]])),
  ]);
  assert.deepEqual(calls, [
    ['one', ['a']],
    ['two', ['b']],
  ]);
});

test('on a real SQLite file: a write that violates a constraint leaves none of its rows, the others all of theirs, once each', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'write-batch-'));
  const store = await openStationDatabase(path.join(dir, 'station.db'));
  try {
    const sqlite = kyselyHandle(store.db);
    assert.ok(sqlite !== undefined);
    sqlite.exec('CREATE TABLE batch_check (v TEXT NOT NULL UNIQUE)');
    const insert = sqlite.prepare('INSERT INTO batch_check (v) VALUES (?)');
    const write = sqlite.transaction((rows: readonly string[]) => {
      for (const v of rows) insert.run(v);
    });
    const results = await Promise.allSettled([
      batchedWrite(store.db, ['a1', 'a2'], write),
      // Its first row goes in, its second violates UNIQUE: the whole write must be undone.
      batchedWrite(store.db, ['x', 'x'], write),
      batchedWrite(store.db, ['c'], write),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    const rows = sqlite.prepare('SELECT v FROM batch_check ORDER BY v').all() as Array<{ v: string }>;
    assert.deepEqual(
      rows.map((r) => r.v),
      ['a1', 'a2', 'c'],
    );
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
