/**
 * The `message_queue` table as the queue uses it: each operation applied whole or not at all (the
 * inserts and deletes of a turn share a transaction, src/store/write-batch.ts), every operation tracked so that `stop()` can wait for those in flight, and
 * none started after it (the owner may close the store once `stop()` resolves).
 *
 * `next_attempt_at` is written in host time: it schedules, and the station clock (which the CSMS or
 * `--clock` may move) must not.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, MessageQueueTable } from '../store/schema.js';
import { kyselyHandle } from '../store/sqlite-handle.js';
import { batchedWrite } from '../store/write-batch.js';
import { startRows } from '../store/start-statements.js';
import { InFlight } from '../in-flight.js';
import { perHandle } from '../store/native-statements.js';

/** What a new durable message row holds. */
export interface NewQueueRow {
  messageId: string;
  action: string;
  payloadJson: string;
  transaction: boolean;
  dedupeKey: string | null;
  /** Host time (ms) of the first attempt. */
  nextAttemptAt: number;
  /** Station time (RFC 3339), for the record. */
  createdAt: string;
}

/**
 * The station's rows of `message_queue`, with the operations in flight tracked.
 *
 * @example
 * const table = new QueueTable(db, 'CS-1');
 * const rowId = await table.insert({ messageId, action, payloadJson, transaction: false,
 *   dedupeKey: null, nextAttemptAt: Date.now(), createdAt: clock.nowIso() });
 * await table.stop(); // then the store may be closed
 */
export class QueueTable {
  private readonly inFlight = new InFlight();
  private stopped = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly stationId: string,
  ) {}

  /** The operations in flight (settled copies: they never reject). */
  get pending(): Array<Promise<unknown>> {
    return this.inFlight.pending;
  }

  /** The station's rows, oldest first. */
  readAll(): Promise<Array<Selectable<MessageQueueTable>>> {
    return this.inFlight.track(() =>
      startRows(this.db, 'messageQueue', [this.stationId], () =>
        this.db
          .selectFrom('message_queue')
          .selectAll()
          .where('station_id', '=', this.stationId)
          .orderBy('id')
          .execute(),
      ),
    );
  }

  /** Inserts a row: its id, or null when its dedupe key is already taken. */
  insert(row: NewQueueRow): Promise<number | null> {
    const native = nativeStatements(this.db);
    if (native !== undefined) {
      // A boot's durable messages (security events) and every transaction message: a statement
      // prepared once per database, not a Kysely insert compiled each time, and the inserts of the
      // stations that send in one turn in one transaction (issue 9, boot storm; write-batch.ts).
      // The row is stored before the message's first attempt all the same: the caller awaits it.
      const write: InsertWrite = {
        values: [
          this.stationId,
          row.messageId,
          row.action,
          row.payloadJson,
          row.transaction ? 'transaction' : 'normal',
          row.dedupeKey,
          new Date(row.nextAttemptAt).toISOString(),
          row.createdAt,
        ],
        id: null,
      };
      return this.inFlight.track(() =>
        batchedWrite(this.db, [write], native.insertAll).then(() => write.id),
      );
    }
    return this.inFlight.track(async () => {
      const result = await this.db
        .insertInto('message_queue')
        .values({
          station_id: this.stationId,
          message_id: row.messageId,
          action: row.action,
          payload_json: row.payloadJson,
          kind: row.transaction ? 'transaction' : 'normal',
          dedupe_key: row.dedupeKey,
          attempts: 0,
          next_attempt_at: new Date(row.nextAttemptAt).toISOString(),
          created_at: row.createdAt,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return result.numInsertedOrUpdatedRows === 0n ? null : Number(result.insertId);
    });
  }

  /** Records a failed attempt and the host time (ms) of the next; nothing after stop(). */
  async recordAttempt(rowId: number, attempts: number, nextAttemptAt: number): Promise<void> {
    if (this.stopped) return;
    await this.inFlight.track(() =>
      this.db
        .updateTable('message_queue')
        .set({ attempts, next_attempt_at: new Date(nextAttemptAt).toISOString() })
        .where('id', '=', rowId)
        .execute(),
    );
  }

  /** Deletes a row; nothing after stop() (the row stays for the next run). */
  async delete(rowId: number): Promise<void> {
    if (this.stopped) return;
    const native = nativeStatements(this.db);
    if (native !== undefined) {
      // An answered message's row: deleted with the other stations' of the same turn (issue 9).
      // Until then it is still there, as it would be after a power loss right after the answer:
      // the next start sends it again (same message id), which a late delete always allowed.
      await this.inFlight.track(() => batchedWrite(this.db, [rowId], native.deleteAll));
      return;
    }
    await this.inFlight.track(() => this.db.deleteFrom('message_queue').where('id', '=', rowId).execute());
  }

  /** Starts no further write and resolves once the operations in flight have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.inFlight.settled();
  }
}

/** One insert of a batch: its parameters, and the row id it got (null: its dedupe key was taken). */
interface InsertWrite {
  values: unknown[];
  id: number | null;
}

interface NativeStatements {
  /** Inserts in order in one transaction, setting each write's id (rolled back, and thrown, on a failure). */
  insertAll: (writes: readonly InsertWrite[]) => void;
  /** Deletes rows by id in one transaction. */
  deleteAll: (rowIds: readonly number[]) => void;
}

const preparedStatements = perHandle((sqlite): NativeStatements => {
  // As the Kysely insert: a taken dedupe key inserts nothing (0 changes).
  const insert = sqlite.prepare(
    'INSERT INTO message_queue (station_id, message_id, action, payload_json, kind, dedupe_key, attempts, ' +
      'next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT DO NOTHING',
  );
  const remove = sqlite.prepare('DELETE FROM message_queue WHERE id = ?');
  return {
    insertAll: sqlite.transaction((writes: readonly InsertWrite[]) => {
      for (const write of writes) {
        const result = insert.run(write.values);
        write.id = result.changes === 0 ? null : Number(result.lastInsertRowid);
      }
    }),
    deleteAll: sqlite.transaction((rowIds: readonly number[]) => {
      for (const rowId of rowIds) remove.run(rowId);
    }),
  };
});

/** The queue's insert and delete prepared on the database's own handle, or undefined (Kysely). */
function nativeStatements(db: Kysely<Database>): NativeStatements | undefined {
  const sqlite = kyselyHandle(db);
  return sqlite === undefined ? undefined : preparedStatements(sqlite);
}
