/**
 * Group commit of a table's writes on one database (issue 9, boot storm): the writes that a
 * fleet's stations make in one turn of the event loop (a new station's device-model rows at open,
 * its monitors, the queue rows of durable messages and their deletes once answered) are stored in
 * one SQLite transaction per table and kind instead of one each; the
 * transaction's begin and commit were most of such a write's cost. A write waits for the end of
 * the turn (`setImmediate`), so only writes whose result nothing reads meanwhile are batched: the
 * device model's runtime writes are, since their values are in memory before they are stored
 * (src/device-model/device-model.ts); each write's promise resolves once its rows are committed.
 *
 * Each write still resolves only once its rows are committed, and fails alone: when the shared transaction
 * fails (it is rolled back whole), every write of the batch is retried in a transaction of its own,
 * so only the writes that fail by themselves are rejected, as when each had its own transaction.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { exclusive } from './connection-gate.js';

/** One write waiting for the batch of its database. */
interface Pending<R> {
  rows: readonly R[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The writes waiting per database (its Kysely instance: one per database handle) and `store`. */
const waiting = new WeakMap<Kysely<Database>, Map<unknown, Array<Pending<unknown>>>>();
/** The batches of a database not yet committed (or failed), for {@link batchesSettled}. */
const unsettled = new WeakMap<Kysely<Database>, Set<Promise<void>>>();

/**
 * Resolves once every batch of `db` queued so far is committed or failed: a store closes its
 * handle only after the writes of its last turn (a value the CSMS sent just before a stop).
 *
 * @example
 * await batchesSettled(store.db); await store.close();
 */
export async function batchesSettled(db: Kysely<Database>): Promise<void> {
  const batches = unsettled.get(db);
  if (batches !== undefined) await Promise.allSettled([...batches]);
}

/**
 * Stores `rows` with the next batch of `db`: `store` runs in one transaction of the database's own
 * handle (it throws, and stores nothing, on a failure), called for the rows of every write of the
 * batch together, or, when that fails, for each write's rows alone. It runs while no Kysely query
 * or transaction is in progress (src/store/connection-gate.ts). Writes are batched per `db`
 * and `store` (one function per table and database handle, e.g. its prepared statements).
 *
 * @example
 * await batchedWrite(store.db, rows, (all) => statements.sync([], all));
 */
export function batchedWrite<R>(
  db: Kysely<Database>,
  rows: readonly R[],
  store: (rows: readonly R[]) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let byStore = waiting.get(db);
    if (byStore === undefined) {
      byStore = new Map();
      waiting.set(db, byStore);
    }
    const batches = byStore;
    let batch = batches.get(store) as Array<Pending<R>> | undefined;
    if (batch === undefined) {
      const taken: Array<Pending<R>> = [];
      batch = taken;
      batches.set(store, taken as Array<Pending<unknown>>);
      // After the current turn's I/O callbacks: the writes of every message handled meanwhile.
      let settled = unsettled.get(db);
      if (settled === undefined) {
        settled = new Set();
        unsettled.set(db, settled);
      }
      const open = settled;
      const done = new Promise<void>((settle) => {
        setImmediate(() => {
          batches.delete(store);
          exclusive(db, () => commit(taken, store))
            .catch((error: unknown) => {
              for (const write of taken) write.reject(error);
            })
            .finally(() => {
              open.delete(done);
              settle();
            });
        });
      });
      open.add(done);
    }
    batch.push({ rows, resolve, reject });
  });
}

/** The batch in one transaction; on a failure, each write in its own. */
function commit<R>(batch: ReadonlyArray<Pending<R>>, store: (rows: readonly R[]) => void): void {
  if (batch.length > 1) {
    try {
      store(batch.flatMap((write) => write.rows));
      for (const write of batch) write.resolve();
      return;
    } catch {
      // Rolled back: retried write by write below, so that only a failing write fails.
    }
  }
  for (const write of batch) {
    try {
      store(write.rows);
      write.resolve();
    } catch (error) {
      write.reject(error);
    }
  }
}
