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

/** A station's `device_model` and `variable_monitor` rows as stored, in key order. */
export interface StoredValues {
  deviceModel: Array<Record<string, unknown>>;
  monitors: Array<Record<string, unknown>>;
}

/**
 * The station's `device_model` and `variable_monitor` rows, `updated_at` included, so that two reads
 * around a restart are equal only when the restart rewrote none of them.
 *
 * @example
 * assert.deepEqual(storedValues(h.dbPath, h.identity), before);
 */
export function storedValues(file: string, stationId: string): StoredValues {
  const sqlite = new Database(file, { readonly: true });
  try {
    return {
      deviceModel: sqlite
        .prepare(
          'SELECT * FROM device_model WHERE station_id = ? ORDER BY component, evse_id, connector_id, variable, variable_instance, attribute_type',
        )
        .all(stationId) as Array<Record<string, unknown>>,
      monitors: sqlite
        .prepare('SELECT * FROM variable_monitor WHERE station_id = ? ORDER BY monitor_id')
        .all(stationId) as Array<Record<string, unknown>>,
    };
  } finally {
    sqlite.close();
  }
}
