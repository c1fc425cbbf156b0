/** src/store/native-statements.ts: made once per handle; the upsert SQL inserts, then updates. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { perHandle, upsertSql } from '../../src/store/native-statements.js';

test('perHandle: make runs once per handle, a second handle gets its own', () => {
  let made = 0;
  const of = perHandle((sqlite) => ({ n: ++made, sqlite }));
  const a = new Database(':memory:');
  const b = new Database(':memory:');
  try {
    assert.equal(of(a), of(a));
    assert.equal(of(a).sqlite, a);
    assert.notEqual(of(b), of(a));
    assert.equal(made, 2);
  } finally {
    a.close();
    b.close();
  }
});

test('upsertSql: inserts a row, then on a key conflict updates every non-key column', () => {
  const sqlite = new Database(':memory:');
  try {
    sqlite.exec('CREATE TABLE t (s TEXT, id INTEGER, a TEXT, b TEXT, PRIMARY KEY (s, id))');
    const sql = upsertSql('t', ['s', 'id', 'a', 'b'], ['s', 'id']);
    assert.equal(
      sql,
      'INSERT INTO "t" ("s", "id", "a", "b") VALUES (?, ?, ?, ?) ON CONFLICT ("s", "id") DO UPDATE SET "a" = excluded."a", "b" = excluded."b"',
    );
    const upsert = sqlite.prepare(sql);
    upsert.run('x', 1, 'a1', 'b1');
    upsert.run('x', 1, 'a2', 'b2');
    upsert.run('y', 1, 'a3', null);
    assert.deepEqual(sqlite.prepare('SELECT * FROM t ORDER BY s').all(), [
      { s: 'x', id: 1, a: 'a2', b: 'b2' },
      { s: 'y', id: 1, a: 'a3', b: null },
    ]);
  } finally {
    sqlite.close();
  }
});
