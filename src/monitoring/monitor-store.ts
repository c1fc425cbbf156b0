/**
 * The `variable_monitor` table (migrations/0012_monitoring.ts): every monitor of a station with its
 * evaluation state, so monitors survive a restart (N04 remark, N07.FR.13).
 */
import type { Kysely } from 'kysely';
import type { Database, VariableMonitorTable } from '../store/schema.js';
import { kyselyHandle } from '../store/sqlite-handle.js';
import { exclusive } from '../store/connection-gate.js';
import { startRows } from '../store/start-statements.js';
import type { Monitor, MonitorKind } from './monitor-types.js';
import { perHandle, upsertSql } from '../store/native-statements.js';
import { batchedWrite } from '../store/write-batch.js';

function toRow(stationId: string, m: Monitor, now: string): VariableMonitorTable {
  return {
    station_id: stationId,
    monitor_id: m.id,
    kind: m.kind,
    origin: m.origin,
    active: m.active ? 1 : 0,
    component_json: JSON.stringify(m.component),
    variable_json: JSON.stringify(m.variable),
    type: m.type,
    value: m.value,
    severity: m.severity,
    transaction: m.transaction ? 1 : 0,
    exceeded: m.exceeded ? 1 : 0,
    reference: m.reference,
    next_at: m.nextAt,
    updated_at: now,
  };
}

function fromRow(row: VariableMonitorTable): Monitor {
  return {
    id: row.monitor_id,
    kind: row.kind as MonitorKind,
    origin: row.origin as Monitor['origin'],
    active: row.active === 1,
    component: JSON.parse(row.component_json) as Monitor['component'],
    variable: JSON.parse(row.variable_json) as Monitor['variable'],
    type: row.type as Monitor['type'],
    value: row.value,
    severity: row.severity,
    transaction: row.transaction === 1,
    exceeded: row.exceeded === 1,
    reference: row.reference,
    nextAt: row.next_at,
  };
}

/**
 * A configured monitor in the state the configuration starts it in (reconcile-monitors.ts
 * `fromConfig`): nothing of it is the station's own. Its `active` is the one the active
 * MonitoringBase gives it, as at the next start (SetMonitoringBase writes the monitors it changes).
 */
function asConfigured(m: Monitor): boolean {
  return m.origin !== null && m.origin === m.kind && !m.exceeded && m.reference === null && m.nextAt === null;
}

/** Two rows of the same monitor hold the same values (every column). */
function sameRow(a: VariableMonitorTable, b: VariableMonitorTable): boolean {
  return MONITOR_COLUMNS.every((column) => a[column] === b[column]);
}

/**
 * Reads and writes one station's monitors.
 *
 * @example
 * const store = new MonitorStore(db, 'CS-1');
 * await store.write([monitor], [], new Date().toISOString());
 * (await store.load()).length; // 1
 */
export class MonitorStore {
  /** The rows {@link load} read, by id, until {@link writeChanged} compares with them (start only). */
  private loaded: Map<number, VariableMonitorTable> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly stationId: string,
  ) {}

  /** Every stored monitor, by id. */
  async load(): Promise<Monitor[]> {
    const rows = await startRows(this.db, 'monitors', [this.stationId], () =>
      this.db
        .selectFrom('variable_monitor')
        .selectAll()
        .where('station_id', '=', this.stationId)
        .orderBy('monitor_id')
        .execute(),
    );
    this.loaded = new Map(rows.map((row) => [row.monitor_id, row]));
    return rows.map(fromRow);
  }

  /**
   * The start's write: stores only the monitors whose row would differ from what {@link load} read
   * (a restart with nothing changed writes no row, issue 9), and a monitor without a row only when
   * its state is not the one the configuration gives it anyway (a configured monitor, not exceeded,
   * no reference, no deadline: the next start's reconcileMonitors creates it as it is now, so a new
   * station stores none of those). Deletes `remove` as {@link write} does.
   *
   * @example
   * const stored = await store.load();
   * await store.writeChanged(reconciled, removed, new Date().toISOString());
   */
  async writeChanged(save: readonly Monitor[], remove: readonly number[], now: string): Promise<void> {
    const loaded = this.loaded;
    // Without the rows load() read, every monitor would count as new and a stale row would stay.
    if (loaded === undefined) throw new Error('MonitorStore.writeChanged needs the rows of load() first');
    this.loaded = undefined;
    const changed = save.filter((m) => {
      const before = loaded.get(m.id);
      return before === undefined
        ? !asConfigured(m)
        : !sameRow(before, toRow(this.stationId, m, before.updated_at));
    });
    // The start's write shares a transaction with the other stations starting in the same turn
    // (src/store/write-batch.ts): the station watches its monitors only after it.
    await this.write(changed, remove, now, true);
  }

  /**
   * Stores `save` (insert or replace) and deletes the ids in `remove`, in one transaction (with
   * `batched`, one shared with other stations' writes of the same turn).
   */
  async write(
    save: readonly Monitor[],
    remove: readonly number[],
    now: string,
    batched = false,
  ): Promise<void> {
    if (save.length === 0 && remove.length === 0) return;
    const sqlite = kyselyHandle(this.db);
    if (sqlite !== undefined) {
      // A new station's start writes its monitors (N07.FR.18/19 references): statements prepared
      // once per database instead of a Kysely transaction compiled per station (issue 9). Kysely's
      // connection is held meanwhile, so no Kysely transaction is open around it.
      const rows = save.map((m) => toRow(this.stationId, m, now));
      const write = nativeWrite(sqlite);
      const writes = [{ stationId: this.stationId, rows, remove }];
      await (batched
        ? batchedWrite(this.db, writes, write)
        : exclusive(this.db, () => write(writes)));
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      if (remove.length > 0) {
        await trx
          .deleteFrom('variable_monitor')
          .where('station_id', '=', this.stationId)
          .where('monitor_id', 'in', [...remove])
          .execute();
      }
      for (const m of save) {
        const row = toRow(this.stationId, m, now);
        await trx
          .insertInto('variable_monitor')
          .values(row)
          .onConflict((oc) => oc.columns(['station_id', 'monitor_id']).doUpdateSet(row))
          .execute();
      }
    });
  }
}

/**
 * Every column of a monitor row, once: a Record over the table's keys, so a column added to
 * VariableMonitorTable (and toRow) fails to compile here until the prepared upsert writes it too.
 */
const MONITOR_COLUMN_SET: Record<keyof VariableMonitorTable, true> = {
  station_id: true,
  monitor_id: true,
  kind: true,
  origin: true,
  active: true,
  component_json: true,
  variable_json: true,
  type: true,
  value: true,
  severity: true,
  transaction: true,
  exceeded: true,
  reference: true,
  next_at: true,
  updated_at: true,
};

/** The columns of a monitor row, in the order of the prepared upsert's parameters. */
const MONITOR_COLUMNS = Object.keys(MONITOR_COLUMN_SET) as ReadonlyArray<keyof VariableMonitorTable>;

/** One write of a station's monitors: ids to delete, then rows to insert or replace. */
interface MonitorWrite {
  stationId: string;
  rows: readonly VariableMonitorTable[];
  remove: readonly number[];
}

/** The monitors' deletes and upserts of writes, in order, in one better-sqlite3 transaction, prepared once per handle. */
const nativeWrite = perHandle((sqlite): ((writes: readonly MonitorWrite[]) => void) => {
  const upsert = sqlite.prepare(upsertSql('variable_monitor', MONITOR_COLUMNS, ['station_id', 'monitor_id']));
  const remove = sqlite.prepare('DELETE FROM variable_monitor WHERE station_id = ? AND monitor_id = ?');
  return sqlite.transaction((writes: readonly MonitorWrite[]) => {
    for (const { stationId, rows, remove: ids } of writes) {
      for (const id of ids) remove.run(stationId, id);
      for (const row of rows) upsert.run(MONITOR_COLUMNS.map((c) => row[c]));
    }
  });
});
