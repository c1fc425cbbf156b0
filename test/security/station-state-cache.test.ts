/**
 * StationStateCache (src/security/station-state-cache.ts) on a real SQLite file: one query loads
 * every key of the station; writes reach the file before the copy; an unchanged value is not
 * written again; another station's keys are not seen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StationStateCache } from '../../src/security/station-state-cache.js';
import { openStationDatabase } from '../../src/store/database.js';
import { setStationState } from '../../src/store/station-state.js';

test('StationStateCache: loads the station keys once, writes through, skips unchanged values, keeps stations apart', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'state-cache-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'station.db');
  const store = await openStationDatabase(file);
  t.after(() => store.close());
  await setStationState(store.db, 'CS-1', 'csmsRootFallback', 'abc', '2026-01-01T00:00:00Z');
  await setStationState(store.db, 'CS-2', 'csmsRootFallback', 'other', '2026-01-01T00:00:00Z');
  let now = '2026-01-02T00:00:00Z';
  const state = new StationStateCache(store.db, 'CS-1', () => now);
  assert.equal(await state.get<string>('csmsRootFallback'), 'abc');
  assert.equal(await state.get('ocspCache'), undefined);

  const rows = () => {
    const sqlite = new Database(file, { readonly: true });
    try {
      return sqlite.prepare('SELECT key, value_json, updated_at FROM station_state WHERE station_id = ? ORDER BY key').all('CS-1');
    } finally {
      sqlite.close();
    }
  };
  await state.set('ocspCache', { a: 1 });
  const got = await state.get<Record<string, number>>('ocspCache');
  assert.deepEqual(got, { a: 1 });
  (got as Record<string, number>)['a'] = 2; // a caller's change is not the store's
  assert.deepEqual(await state.get('ocspCache'), { a: 1 });
  now = '2026-01-03T00:00:00Z';
  await state.set('ocspCache', { a: 1 }); // unchanged: not written again
  assert.deepEqual(rows(), [
    { key: 'csmsRootFallback', value_json: '"abc"', updated_at: '2026-01-01T00:00:00Z' },
    { key: 'ocspCache', value_json: '{"a":1}', updated_at: '2026-01-02T00:00:00Z' },
  ]);
  await state.delete('csmsRootFallback');
  assert.equal(await state.get('csmsRootFallback'), undefined);
  // A new start reads what the file holds.
  const again = new StationStateCache(store.db, 'CS-1', () => now);
  assert.equal(await again.get('csmsRootFallback'), undefined);
  assert.deepEqual(await again.get('ocspCache'), { a: 1 });
  assert.equal(await new StationStateCache(store.db, 'CS-2', () => now).get('csmsRootFallback'), 'other');
});
