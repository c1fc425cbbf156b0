/**
 * Reading back what a station left in its store, before its actors are created (DESIGN.md start
 * order: load queue, restore actors, start, `resumed`). Each EVSE resumes from its snapshot when the
 * snapshot was taken from the same machines (version) and the same EVSE structure; otherwise it is
 * rebuilt from the domain tables: availability from `availability`, an open session from
 * `transaction_record`. A row that cannot be read is reported with its table and key and ignored,
 * never a crash.
 */
import type { Kysely, Selectable } from 'kysely';
import type { TransactionContext } from '../../machines/transaction-rules.js';
import type { MeterValueType } from '../generated/ocpp-types.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import { availabilitySettings, loadAvailability, type AvailabilitySetting } from '../store/availability.js';
import type {
  ActorSnapshotTable,
  AvailabilityTable,
  Database,
  TransactionMeterValueTable,
  TransactionRecordTable,
} from '../store/schema.js';
import { startReads } from '../store/start-statements.js';
import { migrateEvseSnapshot } from './evse-snapshot-migration.js';

/**
 * A stored row of a station could not be used; names the table and the key.
 *
 * @example
 * onError: (e) => { if (e instanceof RestoreError) console.warn(e.table, e.key, e.message); }
 */
export class RestoreError extends Error {
  override readonly name = 'RestoreError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_RESTORE_ROW';
  constructor(
    readonly table: string,
    readonly key: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${table} ${key}: ${reason}; rebuilt from the domain tables instead`, options);
  }
}

export interface RestoredEvse {
  /** A persisted snapshot to resume from. */
  restore?: unknown;
  /** Sessions rebuilt from `transaction_record` (when there is no usable snapshot). */
  sessions?: TransactionContext[];
  /** The EVSE's transaction has started and not ended. */
  transactionActive: boolean;
}

export interface RestoredState {
  evses: Map<number, RestoredEvse>;
  availability: AvailabilitySetting[];
  /** Meter values recorded by open transactions, for their Ended messages. */
  meterValues: Map<string, MeterValueType[]>;
  /**
   * Every `actor_snapshot` row of the station (read once: the firmware, log upload and reservation
   * loaders take theirs from here instead of one query each, issue 9).
   */
  actorSnapshots: ActorSnapshotTable[];
  /** What the store holds now, so the first write does not rewrite it. */
  seed: {
    snapshots: Map<number, string>;
    transactions: Map<string, { evseId: number; json: string }>;
  };
}

interface StoredEvse {
  status?: string;
  context?: { evseId?: number; connectorIds?: number[]; transactionActive?: boolean; session?: unknown };
  children?: Record<string, unknown>;
}

/**
 * @example
 * const state = await loadRestoredState(store.db, 'CS-1', evses, machineVersion, reportError);
 * state.evses.get(1)?.restore; // the snapshot EVSE 1 resumes from, if any
 */
export async function loadRestoredState(
  db: Kysely<Database>,
  stationId: string,
  evses: readonly EvseStructure[],
  machineVersion: number,
  reportError: (error: unknown) => void,
): Promise<RestoredState> {
  // One hold of the connection, four statements prepared once per database (issue 9).
  const [snapshotRows, transactionRows, meterRows, availability] = await startReads(
    db,
    (rows) =>
      [
        rows<ActorSnapshotTable>('actorSnapshots', stationId),
        rows<TransactionRecordTable>('transactionRecords', stationId),
        rows<Selectable<TransactionMeterValueTable>>('meterValues', stationId),
        availabilitySettings(rows<Selectable<AvailabilityTable>>('availability', stationId)),
      ] as const,
    () =>
      Promise.all([
        db.selectFrom('actor_snapshot').selectAll().where('station_id', '=', stationId).execute(),
        db.selectFrom('transaction_record').selectAll().where('station_id', '=', stationId).execute(),
        db
          .selectFrom('transaction_meter_value')
          .selectAll()
          .where('station_id', '=', stationId)
          .orderBy('id')
          .execute(),
        loadAvailability(db, stationId),
      ]),
  );
  const state: RestoredState = {
    evses: new Map(),
    availability,
    actorSnapshots: snapshotRows,
    meterValues: new Map(),
    seed: { snapshots: new Map(), transactions: new Map() },
  };
  for (const evse of evses) {
    const key = `evse:${evse.id}`;
    const row = snapshotRows.find((r) => r.actor_id === key);
    let restored: RestoredEvse | undefined;
    if (row) {
      const usable = usableSnapshot(row.snapshot_json, row.machine_version, machineVersion, evse);
      if (typeof usable === 'string') {
        reportError(new RestoreError('actor_snapshot', key, usable));
      } else {
        restored = {
          restore: usable,
          transactionActive: (usable as StoredEvse).context?.transactionActive === true,
        };
        state.seed.snapshots.set(evse.id, row.snapshot_json);
      }
    }
    if (!restored) {
      const sessions: TransactionContext[] = [];
      for (const tx of transactionRows.filter((r) => r.evse_id === evse.id)) {
        try {
          const context = JSON.parse(tx.context_json) as TransactionContext;
          if (context.transactionId !== tx.transaction_id || context.evseId !== evse.id) {
            throw new Error('the context belongs to another transaction or EVSE');
          }
          sessions.push(context);
        } catch (error) {
          reportError(
            new RestoreError('transaction_record', tx.transaction_id, `unreadable context (${(error as Error).message})`, {
              cause: error,
            }),
          );
        }
      }
      restored = { sessions, transactionActive: sessions.some((s) => s.started && !s.ended) };
    }
    state.evses.set(evse.id, restored);
  }
  for (const tx of transactionRows) {
    state.seed.transactions.set(tx.transaction_id, { evseId: tx.evse_id, json: tx.context_json });
  }
  for (const row of meterRows) {
    try {
      const value = JSON.parse(row.meter_value_json) as MeterValueType;
      const list = state.meterValues.get(row.transaction_id) ?? [];
      list.push(value);
      state.meterValues.set(row.transaction_id, list);
    } catch (error) {
      reportError(new RestoreError('transaction_meter_value', String(row.id), 'unreadable meter value', { cause: error }));
    }
  }
  return state;
}

/** The parsed snapshot, or why it cannot be used. */
function usableSnapshot(
  json: string,
  storedVersion: number,
  machineVersion: number,
  evse: EvseStructure,
): unknown {
  if (storedVersion !== machineVersion) {
    return `taken from machine version ${storedVersion}, this is ${machineVersion}`;
  }
  let parsed: StoredEvse;
  try {
    parsed = JSON.parse(json) as StoredEvse;
  } catch (error) {
    return `unreadable snapshot (${(error as Error).message})`;
  }
  if (parsed.status !== 'active' || parsed.context?.evseId !== evse.id) return 'not a running EVSE of this station';
  const connectors = evse.connectors.map((c) => c.id).join(',');
  if ((parsed.context.connectorIds ?? []).join(',') !== connectors) {
    return `taken with connectors [${(parsed.context.connectorIds ?? []).join(',')}], the EVSE now has [${connectors}]`;
  }
  // Written before the session's child id was fixed (issue 9): renamed, same machine version.
  return migrateEvseSnapshot(parsed);
}
