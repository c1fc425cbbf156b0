import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStationDatabase, type StationDatabase } from '../../src/store/database.js';

/** A fresh station database file in its own temp directory. */
export async function tempDatabase(name = 'station.db'): Promise<StationDatabase & { path: string }> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'ocpp-test-')), name);
  const store = await openStationDatabase(file);
  return Object.assign(store, { path: file });
}
