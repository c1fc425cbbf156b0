/**
 * What a station's journal holds, read from its SQLite file with a second, read-only connection (as
 * a power loss would leave it), for the tests of what a boot writes.
 */
import Database from 'better-sqlite3';

/**
 * The actor ids of the station's stored snapshots, sorted.
 *
 * @example
 * assert.deepEqual(storedActors(h.dbPath, h.identity), ['evse:2']);
 */
export function storedActors(file: string, stationId: string): string[] {
  const sqlite = new Database(file, { readonly: true });
  try {
    const rows = sqlite
      .prepare('SELECT actor_id FROM actor_snapshot WHERE station_id = ? ORDER BY actor_id')
      .all(stationId) as Array<{ actor_id: string }>;
    return rows.map((r) => r.actor_id);
  } finally {
    sqlite.close();
  }
}
