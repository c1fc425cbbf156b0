/**
 * The station journal: every write that must be atomic with an actor's state goes here, as one
 * SQLite transaction per batch, in order. A transaction actor's TransactionEventRequest row, the
 * actor snapshot that already counts its seqNo, the derived `transaction_record` and the meter
 * values recorded for the Ended message are written together, so a power loss leaves either all of
 * them or none (DESIGN.md: "Snapshots ... are written in the same SQLite transaction as the queue
 * rows they belong to").
 */
import type SQLite from 'better-sqlite3';
import type { StationDatabase } from './database.js';
import { sqliteHandle } from './sqlite-handle.js';
import { exclusive } from './connection-gate.js';
import { perHandle } from './native-statements.js';

/** A durable message row written by the journal (then handed to the queue with `adopt`). */
export interface JournalQueueRow {
  messageId: string;
  action: string;
  payloadJson: string;
  transaction: boolean;
  /** systemId of the actor that receives the answer. */
  owner: string;
  dedupeKey: string | null;
  /** Host time (ms) of the first attempt. */
  nextAttemptAt: number;
  /** Station time (RFC 3339), for the record. */
  createdAt: string;
}

/** One change of the derived `transaction_record` table. */
export type TransactionRecordChange =
  | {
      kind: 'upsert';
      transactionId: string;
      evseId: number;
      connectorId: number | null;
      nextSeqNo: number;
      contextJson: string;
      startedAt: string | null;
    }
  | { kind: 'delete'; transactionId: string };

/** One change of `transaction_meter_value`. */
export type MeterValueChange =
  | { kind: 'insert'; transactionId: string; meterValueJson: string }
  | { kind: 'deleteAll'; transactionId: string };

/** Operational status of one level (derived `availability` table). */
export interface AvailabilityChange {
  evseId: number;
  connectorId: number;
  operational: 'Operative' | 'Inoperative';
  scheduled: 'Operative' | 'Inoperative' | null;
}

/** One change of the derived `reservation` table (migration 0007). */
export type ReservationChange =
  | {
      kind: 'upsert';
      reservationId: number;
      evseId: number | null;
      connectorType: string | null;
      idTokenJson: string;
      groupIdTokenJson: string | null;
      expiryDateTime: string;
    }
  | { kind: 'delete'; reservationId: number };

/** What one journal write holds; every part optional. */
export interface JournalBatch {
  queueRows?: readonly JournalQueueRow[];
  /** Rows of answered or given-up owned messages. */
  deleteQueueRows?: readonly number[];
  /** Actor snapshots to store (`null` snapshot: delete the row). */
  snapshots?: ReadonlyArray<{ actorId: string; machineVersion: number; snapshotJson: string | null }>;
  transactions?: readonly TransactionRecordChange[];
  meterValues?: readonly MeterValueChange[];
  availability?: readonly AvailabilityChange[];
  reservations?: readonly ReservationChange[];
}

/**
 * Thrown by {@link StationJournal.write} after `stop()`: nothing was written.
 *
 * @example
 * await journal.write(batch).catch((e) => { if (e instanceof JournalStoppedError) return; throw e; });
 */
export class JournalStoppedError extends Error {
  override readonly name = 'JournalStoppedError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_JOURNAL_STOPPED';
  constructor() {
    super('the station journal is stopped: nothing was written');
  }
}

/** The statements of a journal write, prepared once per database handle. */
class Statements {
  readonly insertRow: SQLite.Statement;
  readonly deleteRow: SQLite.Statement;
  readonly insertMeterValue: SQLite.Statement;
  readonly deleteMeterValues: SQLite.Statement;
  readonly deleteTransaction: SQLite.Statement;
  readonly upsertTransaction: SQLite.Statement;
  readonly upsertAvailability: SQLite.Statement;
  readonly deleteSnapshot: SQLite.Statement;
  readonly upsertSnapshot: SQLite.Statement;
  readonly upsertReservation: SQLite.Statement;
  readonly deleteReservation: SQLite.Statement;
  /** Runs its argument inside BEGIN ... COMMIT (rolled back when it throws); made once, not per batch. */
  readonly inTransaction: (body: () => number[]) => number[];

  constructor(sqlite: SQLite.Database) {
    this.inTransaction = sqlite.transaction((body: () => number[]) => body());
    this.insertRow = sqlite.prepare(
      `INSERT INTO message_queue (station_id, message_id, action, payload_json, kind, dedupe_key, owner, attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
    );
    this.deleteRow = sqlite.prepare('DELETE FROM message_queue WHERE station_id = ? AND id = ?');
    this.insertMeterValue = sqlite.prepare(
      'INSERT INTO transaction_meter_value (station_id, transaction_id, meter_value_json) VALUES (?, ?, ?)',
    );
    this.deleteMeterValues = sqlite.prepare(
      'DELETE FROM transaction_meter_value WHERE station_id = ? AND transaction_id = ?',
    );
    this.deleteTransaction = sqlite.prepare(
      'DELETE FROM transaction_record WHERE station_id = ? AND transaction_id = ?',
    );
    this.upsertTransaction = sqlite.prepare(
      `INSERT INTO transaction_record (station_id, transaction_id, evse_id, connector_id, next_seq_no, context_json, started_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (station_id, transaction_id) DO UPDATE SET evse_id = excluded.evse_id, connector_id = excluded.connector_id,
         next_seq_no = excluded.next_seq_no, context_json = excluded.context_json, started_at = excluded.started_at, updated_at = excluded.updated_at`,
    );
    this.upsertAvailability = sqlite.prepare(
      `INSERT INTO availability (station_id, evse_id, connector_id, operational_status, scheduled_status, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (station_id, evse_id, connector_id) DO UPDATE SET operational_status = excluded.operational_status,
         scheduled_status = excluded.scheduled_status, updated_at = excluded.updated_at`,
    );
    this.deleteSnapshot = sqlite.prepare('DELETE FROM actor_snapshot WHERE station_id = ? AND actor_id = ?');
    this.upsertSnapshot = sqlite.prepare(
      `INSERT INTO actor_snapshot (station_id, actor_id, machine_version, snapshot_json, updated_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (station_id, actor_id) DO UPDATE SET machine_version = excluded.machine_version,
         snapshot_json = excluded.snapshot_json, updated_at = excluded.updated_at`,
    );
    this.upsertReservation = sqlite.prepare(
      `INSERT INTO reservation (station_id, reservation_id, evse_id, connector_type, id_token_json, group_id_token_json, expiry_date_time, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (station_id, reservation_id) DO UPDATE SET evse_id = excluded.evse_id, connector_type = excluded.connector_type,
         id_token_json = excluded.id_token_json, group_id_token_json = excluded.group_id_token_json,
         expiry_date_time = excluded.expiry_date_time, updated_at = excluded.updated_at`,
    );
    this.deleteReservation = sqlite.prepare('DELETE FROM reservation WHERE station_id = ? AND reservation_id = ?');
  }
}

/** Statements per database handle: a fleet's stations on one file share them. */
const prepared = perHandle((sqlite) => new Statements(sqlite));

/**
 * Serialized, atomic batches of station state. A batch runs as one SQLite transaction with
 * statements prepared once, while the journal holds Kysely's connection (so no Kysely transaction
 * of another part of the station is open in between).
 *
 * @example
 * const journal = new StationJournal(store, 'CS-1', () => clock.nowIso());
 * const [rowId] = await journal.write({ queueRows: [row], snapshots: [{ actorId: 'evse:1', machineVersion, snapshotJson }] });
 * await journal.stop();
 */
export class StationJournal {
  private tail: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly store: StationDatabase,
    private readonly stationId: string,
    private readonly now: () => string,
  ) {}

  /**
   * Writes the batch in one SQLite transaction after every earlier batch; resolves with the ids of
   * the inserted queue rows, in order. A failure rolls the whole batch back and rejects.
   */
  write(batch: JournalBatch): Promise<number[]> {
    if (this.stopped) return Promise.reject(new JournalStoppedError());
    const run = this.tail.then(() => exclusive(this.store.db, () => this.apply(batch)));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every batch accepted so far is written (or failed). */
  async settled(): Promise<void> {
    for (;;) {
      const tail = this.tail;
      await tail;
      if (tail === this.tail) return;
    }
  }

  /** Refuses further batches and waits for those accepted. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.settled();
  }

  private statements(): Statements {
    return prepared(sqliteHandle(this.store));
  }

  private apply(batch: JournalBatch): number[] {
    const { stationId } = this;
    const now = this.now();
    const st = this.statements();
    return st.inTransaction(() => {
      const ids: number[] = [];
      for (const row of batch.queueRows ?? []) {
        const result = st.insertRow.run(
          stationId,
          row.messageId,
          row.action,
          row.payloadJson,
          row.transaction ? 'transaction' : 'normal',
          row.dedupeKey,
          row.owner,
          new Date(row.nextAttemptAt).toISOString(),
          row.createdAt,
        );
        ids.push(Number(result.lastInsertRowid));
      }
      for (const id of batch.deleteQueueRows ?? []) st.deleteRow.run(stationId, id);
      for (const change of batch.meterValues ?? []) {
        if (change.kind === 'insert') st.insertMeterValue.run(stationId, change.transactionId, change.meterValueJson);
        else st.deleteMeterValues.run(stationId, change.transactionId);
      }
      for (const change of batch.transactions ?? []) {
        if (change.kind === 'delete') {
          st.deleteTransaction.run(stationId, change.transactionId);
          continue;
        }
        st.upsertTransaction.run(
          stationId,
          change.transactionId,
          change.evseId,
          change.connectorId,
          change.nextSeqNo,
          change.contextJson,
          change.startedAt,
          now,
        );
      }
      for (const change of batch.availability ?? []) {
        st.upsertAvailability.run(stationId, change.evseId, change.connectorId, change.operational, change.scheduled, now);
      }
      for (const change of batch.reservations ?? []) {
        if (change.kind === 'delete') st.deleteReservation.run(stationId, change.reservationId);
        else
          st.upsertReservation.run(
            stationId,
            change.reservationId,
            change.evseId,
            change.connectorType,
            change.idTokenJson,
            change.groupIdTokenJson,
            change.expiryDateTime,
            now,
          );
      }
      for (const snapshot of batch.snapshots ?? []) {
        if (snapshot.snapshotJson === null) st.deleteSnapshot.run(stationId, snapshot.actorId);
        else st.upsertSnapshot.run(stationId, snapshot.actorId, snapshot.machineVersion, snapshot.snapshotJson, now);
      }
      return ids;
    });
  }
}
