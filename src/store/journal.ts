/**
 * The station journal: every write that must be atomic with an actor's state goes here, as one
 * SQLite transaction per batch, in order. A transaction actor's TransactionEventRequest row, the
 * actor snapshot that already counts its seqNo, the derived `transaction_record` and the meter
 * values recorded for the Ended message are written together, so a power loss leaves either all of
 * them or none (DESIGN.md: "Snapshots ... are written in the same SQLite transaction as the queue
 * rows they belong to").
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

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
}

/**
 * Thrown by {@link StationJournal.write} after `stop()`: nothing was written.
 *
 * @example
 * await journal.write(batch).catch((e) => { if (e instanceof JournalStoppedError) return; throw e; });
 */
export class JournalStoppedError extends Error {
  override readonly name = 'JournalStoppedError';
  constructor() {
    super('the station journal is stopped: nothing was written');
  }
}

/**
 * Serialized, atomic batches of station state.
 *
 * @example
 * const journal = new StationJournal(store.db, 'CS-1', () => clock.nowIso());
 * const [rowId] = await journal.write({ queueRows: [row], snapshots: [{ actorId: 'evse:1', machineVersion, snapshotJson }] });
 * await journal.stop();
 */
export class StationJournal {
  private tail: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly stationId: string,
    private readonly now: () => string,
  ) {}

  /**
   * Writes the batch in one SQLite transaction after every earlier batch; resolves with the ids of
   * the inserted queue rows, in order. A failure rolls the whole batch back and rejects.
   */
  write(batch: JournalBatch): Promise<number[]> {
    if (this.stopped) return Promise.reject(new JournalStoppedError());
    const run = this.tail.then(() => this.apply(batch));
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

  private async apply(batch: JournalBatch): Promise<number[]> {
    const { stationId } = this;
    const now = this.now();
    return this.db.transaction().execute(async (trx) => {
      const ids: number[] = [];
      for (const row of batch.queueRows ?? []) {
        const result = await trx
          .insertInto('message_queue')
          .values({
            station_id: stationId,
            message_id: row.messageId,
            action: row.action,
            payload_json: row.payloadJson,
            kind: row.transaction ? 'transaction' : 'normal',
            dedupe_key: row.dedupeKey,
            owner: row.owner,
            attempts: 0,
            next_attempt_at: new Date(row.nextAttemptAt).toISOString(),
            created_at: row.createdAt,
          })
          .executeTakeFirstOrThrow();
        ids.push(Number(result.insertId));
      }
      const deletes = batch.deleteQueueRows ?? [];
      if (deletes.length > 0) {
        await trx
          .deleteFrom('message_queue')
          .where('station_id', '=', stationId)
          .where('id', 'in', [...deletes])
          .execute();
      }
      for (const change of batch.meterValues ?? []) {
        if (change.kind === 'insert') {
          await trx
            .insertInto('transaction_meter_value')
            .values({
              station_id: stationId,
              transaction_id: change.transactionId,
              meter_value_json: change.meterValueJson,
            })
            .execute();
        } else {
          await trx
            .deleteFrom('transaction_meter_value')
            .where('station_id', '=', stationId)
            .where('transaction_id', '=', change.transactionId)
            .execute();
        }
      }
      for (const change of batch.transactions ?? []) {
        if (change.kind === 'delete') {
          await trx
            .deleteFrom('transaction_record')
            .where('station_id', '=', stationId)
            .where('transaction_id', '=', change.transactionId)
            .execute();
          continue;
        }
        const values = {
          evse_id: change.evseId,
          connector_id: change.connectorId,
          next_seq_no: change.nextSeqNo,
          context_json: change.contextJson,
          started_at: change.startedAt,
          updated_at: now,
        };
        await trx
          .insertInto('transaction_record')
          .values({ station_id: stationId, transaction_id: change.transactionId, ...values })
          .onConflict((oc) => oc.columns(['station_id', 'transaction_id']).doUpdateSet(values))
          .execute();
      }
      for (const change of batch.availability ?? []) {
        const values = {
          operational_status: change.operational,
          scheduled_status: change.scheduled,
          updated_at: now,
        };
        await trx
          .insertInto('availability')
          .values({
            station_id: stationId,
            evse_id: change.evseId,
            connector_id: change.connectorId,
            ...values,
          })
          .onConflict((oc) => oc.columns(['station_id', 'evse_id', 'connector_id']).doUpdateSet(values))
          .execute();
      }
      for (const snapshot of batch.snapshots ?? []) {
        if (snapshot.snapshotJson === null) {
          await trx
            .deleteFrom('actor_snapshot')
            .where('station_id', '=', stationId)
            .where('actor_id', '=', snapshot.actorId)
            .execute();
          continue;
        }
        const values = {
          machine_version: snapshot.machineVersion,
          snapshot_json: snapshot.snapshotJson,
          updated_at: now,
        };
        await trx
          .insertInto('actor_snapshot')
          .values({ station_id: stationId, actor_id: snapshot.actorId, ...values })
          .onConflict((oc) => oc.columns(['station_id', 'actor_id']).doUpdateSet(values))
          .execute();
      }
      return ids;
    });
  }
}
