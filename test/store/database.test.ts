import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { migrations } from '../../migrations/index.js';
import { openStationDatabase, StoreError } from '../../src/store/database.js';

async function tempFile(name: string): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), 'ocpp-store-')), name);
}

test('a new file is created in WAL mode with every migration applied once', async () => {
  const file = await tempFile('a.db');
  const first = await openStationDatabase(file);
  assert.deepEqual(
    first.applied.map((r) => [r.migrationName, r.status]),
    Object.keys(migrations).map((name) => [name, 'Success']),
  );
  await first.close();
  const again = await openStationDatabase(file);
  assert.equal(again.applied.length, 0);
  await again.close();
  const raw = new SQLite(file);
  assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
  raw.close();
});

test('a file that is not SQLite is refused with an error naming it', async () => {
  const file = await tempFile('garbage.db');
  await writeFile(
    file,
    'this is not a database, just text that is long enough to fill a header page'.repeat(100),
  );
  await assert.rejects(openStationDatabase(file), (e: unknown) => {
    assert.ok(e instanceof StoreError);
    assert.equal(e.file, file);
    assert.match(e.message, /garbage\.db: cannot open as a SQLite database/);
    return true;
  });
});

test('a database from a newer version is refused and left untouched', async () => {
  const file = await tempFile('newer.db');
  (await openStationDatabase(file)).close();
  const raw = new SQLite(file);
  raw
    .prepare("INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_future', '2030-01-01T00:00:00Z')")
    .run();
  raw.close();
  await assert.rejects(openStationDatabase(file), /newer\.db: written by a newer version .*9999_future/);
  const check = new SQLite(file);
  assert.equal(
    (check.prepare('SELECT count(*) n FROM kysely_migration').get() as { n: number }).n,
    Object.keys(migrations).length + 1,
  );
  check.close();
});

test('two stations share one file, rows keyed by station id', async () => {
  const file = await tempFile('fleet.db');
  const store = await openStationDatabase(file);
  const now = new Date().toISOString();
  for (const station_id of ['CS-1', 'CS-2']) {
    await store.db
      .insertInto('station_state')
      .values({ station_id, key: 'bootReason', value_json: JSON.stringify(station_id), updated_at: now })
      .execute();
  }
  const rows = await store.db
    .selectFrom('station_state')
    .select(['station_id', 'value_json'])
    .orderBy('station_id')
    .execute();
  assert.deepEqual(rows, [
    { station_id: 'CS-1', value_json: '"CS-1"' },
    { station_id: 'CS-2', value_json: '"CS-2"' },
  ]);
  await store.close();
});
