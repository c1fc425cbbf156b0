/**
 * Statements prepared on a database's own better-sqlite3 handle, once per handle (issue 9): a
 * fleet's stations on one file share them, and they go when the handle does (a WeakMap).
 */
import type SQLite from 'better-sqlite3';

/**
 * `make` run once per handle: what it returns (prepared statements, a transaction function) is
 * shared by every later call with the same handle.
 *
 * @example
 * const statements = perHandle((sqlite) => ({ remove: sqlite.prepare('DELETE FROM t WHERE id = ?') }));
 * statements(sqlite).remove.run(1);
 */
export function perHandle<T>(make: (sqlite: SQLite.Database) => T): (sqlite: SQLite.Database) => T {
  const byHandle = new WeakMap<SQLite.Database, T>();
  return (sqlite) => {
    let made = byHandle.get(sqlite);
    if (made === undefined) {
      made = make(sqlite);
      byHandle.set(sqlite, made);
    }
    return made;
  };
}

/**
 * The SQL of an upsert: `columns` inserted in their order (one `?` each), and on a conflict of
 * `keyColumns` every other column set from the row that was to be inserted.
 *
 * @example
 * upsertSql('variable_monitor', ['station_id', 'monitor_id', 'value'], ['station_id', 'monitor_id']);
 * // INSERT INTO "variable_monitor" ("station_id", "monitor_id", "value") VALUES (?, ?, ?)
 * //   ON CONFLICT ("station_id", "monitor_id") DO UPDATE SET "value" = excluded."value"
 */
export function upsertSql(table: string, columns: readonly string[], keyColumns: readonly string[]): string {
  const quoted = (c: string) => `"${c}"`;
  const keys = new Set(keyColumns);
  return (
    `INSERT INTO ${quoted(table)} (${columns.map(quoted).join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ` +
    `ON CONFLICT (${keyColumns.map(quoted).join(', ')}) DO UPDATE SET ` +
    columns
      .filter((c) => !keys.has(c))
      .map((c) => `${quoted(c)} = excluded.${quoted(c)}`)
      .join(', ')
  );
}
