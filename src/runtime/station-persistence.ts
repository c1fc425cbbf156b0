/**
 * Persistence of the EVSE actors (with their connectors and sessions) and of what their transitions
 * produce, in step with them (DESIGN.md, "Rules that keep it working"):
 *
 * - A transition that sends a TransactionEventRequest only records it here (`enqueueMessage`,
 *   synchronously, inside the transition). After the transition, one write stores every such
 *   message with the EVSE snapshots that already count them, the derived `transaction_record` and
 *   `availability` rows and the recorded meter values, in ONE SQLite transaction (the journal).
 *   Only then are the messages handed to the queue: nothing reaches the CSMS that a power loss
 *   could take back, and a restored actor never sends a seqNo twice or skips one.
 * - An answered message's row is deleted in the same write as the snapshot of its owner after it
 *   acted on the answer.
 * - A write that fails (disk full, read-only file) is reported as a {@link PersistenceError} and
 *   retried, in order, with everything produced meanwhile; nothing of it is sent before it is stored.
 */
import { randomUUID } from 'node:crypto';
import type { JournalBatch, JournalQueueRow, MeterValueChange } from '../store/journal.js';
import { checkOutgoingCall } from '../queue/outgoing-check.js';
import { ReservationWrites } from '../reservations/reservation-persistence.js';
import { FIRMWARE_ACTOR_ID, FirmwareWrites } from '../firmware/firmware-persistence.js';
import { LOG_UPLOAD_ACTOR_ID, LogUploadWrites } from '../logging/log-upload-persistence.js';
import { levelChange } from './availability-rows.js';
import { PersistenceError } from './persistence-error.js';
import { captureEvse, copyWritten, isFreshEvse, snapshotDigest, storedDigest, type EvseChanges, type Written } from './evse-writes.js';
import { initialEvseDigest } from './initial-evse-digest.js';
import type { StationPersistenceOptions } from './station-persistence-options.js';
import { LazyMap, LazySet } from '../lazy-collections.js';

export { availabilitySeed } from './availability-rows.js';
export { PersistenceError } from './persistence-error.js';
export type { StationPersistenceOptions } from './station-persistence-options.js';

const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Events after which an EVSE or connector snapshot differs at most in the connectors' report state
 * (evse-snapshot-key.ts), so it is not even serialized (a fresh boot has several per connector):
 * the EVSE only forwards them, `link` and `status.resync` to its connectors (which change only
 * `canSend`, `reported` and their report region) and `connector.facts` to the station
 * (machines/evse.ts; test/runtime/evse-snapshot-key.test.ts checks that the EVSE's state stays).
 */
export const REPORT_ONLY_EVENTS: ReadonlySet<string> = new Set(['link', 'status.resync', 'connector.facts']);

/**
 * @example
 * const persistence = new StationPersistence({ journal, adopt: (m) => queue.adopt(m), evseIds: [1, 2], evse: (id) => system.get(`evse:${id}`), ... });
 * persistence.enqueueMessage(1, 'TransactionEvent', payload, 'transaction:abc', 'tx:abc:0');
 * await persistence.flushed();
 */
export class StationPersistence {
  private rows: Array<{ row: JournalQueueRow; payload: unknown }> = [];
  /** EVSEs whose actors (or their children) changed since they were last written. */
  private readonly dirtyEvses = new LazySet<number>();
  /** The station's own availability may have changed. */
  private stationDirty = false;
  /** The root's `stationOperative` at its last snapshot event (undefined before the first). */
  private rootOperative: unknown = undefined;
  private deletes: number[] = [];
  private meterValues: MeterValueChange[] = [];
  private readonly written: Written = {
    snapshots: new Map(),
    transactions: new LazyMap(),
    availability: new LazyMap(),
  };
  private scheduled = false;
  private running: Promise<void> | null = null;
  private failures = 0;
  /** Messages of the write in progress (not handed to the queue yet). */
  private rowsInWrite: Array<{ row: JournalQueueRow; payload: unknown }> = [];
  private retryTimer: unknown = null;
  private stopped = false;
  private readonly waiters: Array<() => void> = [];
  /** Rejections of {@link stored} calls waiting now (each also has its resolve in `waiters`). */
  private readonly storedWaiters: Array<(error: unknown) => void> = [];
  /** Reservation actors' snapshots and the `reservation` table (src/reservations/reservation-persistence.ts). */
  readonly reservationWrites: ReservationWrites;
  /** The firmware actor's snapshot (src/firmware/firmware-persistence.ts). */
  readonly firmwareWrites: FirmwareWrites;
  /** The log upload actor's snapshot (src/logging/log-upload-persistence.ts). */
  readonly logUploadWrites: LogUploadWrites;

  constructor(private readonly options: StationPersistenceOptions) {
    this.reservationWrites = new ReservationWrites(options.reservationMachineVersion ?? 0);
    this.firmwareWrites = new FirmwareWrites(options.firmwareMachineVersion ?? 0);
    this.logUploadWrites = new LogUploadWrites(options.logUploadMachineVersion ?? 0);
  }

  /** What the store held at start (so that the first write does not rewrite it). */
  seed(seed: {
    snapshots: ReadonlyMap<number, string>;
    transactions: ReadonlyMap<string, { evseId: number; json: string }>;
    availability: ReadonlyMap<string, string>;
  }): void {
    for (const [k, v] of seed.snapshots) this.written.snapshots.set(k, storedDigest(v));
    for (const [k, v] of seed.transactions) this.written.transactions.set(k, v);
    for (const [k, v] of seed.availability) this.written.availability.set(k, v);
  }

  /**
   * Records a durable message produced by a transition (called inside the transition). Throws the
   * RpcInvalidMessageError of a payload that would be refused (a bug: the caller reports it).
   */
  enqueueMessage(action: string, payload: unknown, owner: string, dedupeKey: string | null): void {
    const messageId = randomUUID();
    const checked = checkOutgoingCall(action, payload, messageId);
    this.rows.push({
      row: {
        messageId,
        action,
        payloadJson: checked.json,
        transaction: true,
        owner,
        dedupeKey,
        nextAttemptAt: Date.now(),
        createdAt: this.options.nowIso(),
      },
      payload: checked.value,
    });
    this.markDirty();
  }

  /** Is a recorded message not yet handed to the queue (waiting to be stored, or being stored)? */
  messagesPending(): boolean {
    return this.rows.length > 0 || this.rowsInWrite.length > 0;
  }

  /** Does a message of this transaction wait here to be stored (E14: it counts as queued)? */
  holds(transactionId: string): boolean {
    const owner = `transaction:${transactionId}`;
    return [...this.rows, ...this.rowsInWrite].some((r) => r.row.owner === owner);
  }

  /** The row of an answered (or given up) owned message is deleted with its owner's next snapshot. */
  deleteRow(rowId: number): void {
    this.deletes.push(rowId);
    this.markDirty();
  }

  /** A meter value recorded for a transaction's Ended message, or all of them dropped. */
  meterValue(change: MeterValueChange): void {
    this.meterValues.push(change);
    this.markDirty();
  }

  /**
   * An actor's snapshot changed (the station's inspection stream): its EVSE (or the station itself)
   * is written after the current run of transitions. Changes of other actors are not persisted.
   * `eventType`: the event the actor took. `xstate.init` is the actor's creation: an actor created
   * from its input with nothing stored to resume has nothing to restore yet. After an event that
   * changes only report state (REPORT_ONLY_EVENTS, a StatusNotification answer) nothing is written.
   */
  actorChanged(systemId: string | undefined, snapshot: unknown, isRoot: boolean, eventType?: string): void {
    const initial = eventType === 'xstate.init';
    let evseId: number | undefined;
    if (systemId?.startsWith('reservation:')) {
      this.reservationWrites.mark(systemId);
      this.markDirty();
      return;
    }
    if (systemId === FIRMWARE_ACTOR_ID) {
      this.firmwareWrites.mark(initial);
      if (this.firmwareWrites.pending) this.markDirty();
      return;
    }
    if (systemId === LOG_UPLOAD_ACTOR_ID) {
      this.logUploadWrites.mark(initial);
      if (this.logUploadWrites.pending) this.markDirty();
      return;
    }
    if (eventType !== undefined && REPORT_ONLY_EVENTS.has(eventType) && !isRoot) return;
    if (systemId?.startsWith('evse:')) evseId = Number(systemId.slice(5));
    else if (systemId?.startsWith('connector:')) {
      // The answer to a StatusNotification (or its failure) changes the report state alone
      // (machines/connector.ts `report`, src/runtime/call-effects.ts).
      if (eventType === 'statusNotification.done' || eventType === 'statusNotification.error') return;
      // A connector's creation is its EVSE's change: the EVSE spawned it at its own creation (whose
      // `xstate.init` is taken as written or marks the EVSE) or in a transition of its own (its
      // snapshot event marks it), and a connector's first snapshot is the one its EVSE held then.
      // Comparing again here made every fresh boot serialize both EVSEs for nothing (issue 9).
      if (initial) return;
      evseId = Number(systemId.split(':')[1]);
    } else if (systemId?.startsWith('transaction:')) {
      evseId = (snapshot as { context?: { evseId?: number } } | undefined)?.context?.evseId;
    } else if (isRoot) {
      // The root's only persisted fact is the station's availability, created from the stored rows.
      // Its other events (every boot's connection.up and registration.changed) leave it as it was
      // and are not written again (issue 9: two empty write passes per boot).
      const operative = (snapshot as { context?: { stationOperative?: unknown } } | undefined)?.context
        ?.stationOperative;
      const seen = this.rootOperative;
      this.rootOperative = operative;
      if (initial || (operative !== undefined && operative === seen)) return;
      this.stationDirty = true;
      this.markDirty();
      return;
    }
    if (evseId === undefined || !Number.isInteger(evseId)) return;
    if (initial && systemId === `evse:${evseId}` && isFreshEvse(this.written, evseId)) {
      // Nothing of this EVSE is stored (no snapshot row, no transaction record): a start without a
      // row creates it as it is now, so its creation is taken as written and only what changes it
      // afterwards is stored (issue 9: two snapshot rows per fresh boot that restored nothing).
      const actor = this.options.evse(evseId);
      // Its digest is the one of every fresh EVSE of the same context (initial-evse-digest.ts).
      if (actor) this.written.snapshots.set(evseId, initialEvseDigest(actor, snapshotDigest));
      return;
    }
    this.dirtyEvses.add(evseId);
    this.markDirty();
  }

  /** Something is to be written: write after the current run of transitions. */
  markDirty(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /** Resolves once everything recorded so far is stored (or, after stop, given up). */
  flushed(): Promise<void> {
    if (!this.scheduled && this.running === null && !this.hasPending()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Like {@link flushed}, but rejects with the PersistenceError when a write fails first. For an
   * answer to the CSMS that acknowledges a stored decision: while the disk fails, the CSMS gets a
   * CALLERROR (InternalError) at once instead of no answer (the write is retried in the
   * background, as always).
   *
   * @example
   * await persistence.stored(); // throws PersistenceError if the database refused the write
   */
  stored(): Promise<void> {
    if (!this.scheduled && this.running === null && !this.hasPending()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push(resolve);
      this.storedWaiters.push(reject);
    });
  }

  /** Writes what is pending, then stops; nothing is written afterwards. */
  async stop(): Promise<void> {
    if (this.retryTimer !== null) this.options.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.failures === 0) {
      await this.running;
      await this.flush();
    }
    this.stopped = true;
    await this.running;
    this.storedWaiters.length = 0;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  private isWriting(): boolean {
    return this.running !== null;
  }

  private hasPending(): boolean {
    return (
      this.rows.length > 0 ||
      this.deletes.length > 0 ||
      this.meterValues.length > 0 ||
      this.dirtyEvses.size > 0 ||
      this.stationDirty ||
      this.reservationWrites.pending ||
      this.firmwareWrites.pending ||
      this.logUploadWrites.pending
    );
  }

  private async flush(): Promise<void> {
    if (this.running) {
      // One write at a time; the next one picks up everything recorded meanwhile.
      await this.running;
      if (this.isWriting()) return;
    }
    if (this.stopped) return;
    const run = this.write().finally(() => {
      this.running = null;
      if (!this.hasPending() || this.stopped) {
        this.storedWaiters.length = 0;
        for (const resolve of this.waiters.splice(0)) resolve();
      } else if (this.failures === 0) this.markDirty();
    });
    this.running = run;
    await run;
  }

  /** Captures the actors and the pending items at one instant and writes them as one batch. */
  private async write(): Promise<void> {
    const rows = this.rows.splice(0);
    const deletes = this.deletes.splice(0);
    const meterValues = this.meterValues.splice(0);
    const dirty = [...this.dirtyEvses].sort((a, b) => a - b);
    const stationDirty = this.stationDirty;
    this.dirtyEvses.clear();
    this.stationDirty = false;
    const changes: EvseChanges = { snapshots: [], transactions: [], availability: [] };
    const { snapshots, transactions, availability } = changes;
    const nextWritten = copyWritten(this.written);
    for (const evseId of dirty) {
      const actor = this.options.evse(evseId);
      if (!actor || !this.options.evseIds.includes(evseId)) continue;
      captureEvse(actor, evseId, this.options.machineVersion, this.written, nextWritten, changes);
    }
    if (stationDirty) {
      const station = this.options.stationOperative();
      if (station !== undefined)
        availability.push(...levelChange(nextWritten.availability, 0, 0, station, null));
    }
    const reservationPart = this.reservationWrites.take((id) => this.options.reservation?.(id));
    snapshots.push(...reservationPart.snapshots);
    const firmwarePart = this.firmwareWrites.take(this.options.firmware?.());
    snapshots.push(...firmwarePart.snapshots);
    const logUploadPart = this.logUploadWrites.take(this.options.logUpload?.());
    snapshots.push(...logUploadPart.snapshots);
    const batch: JournalBatch = {
      queueRows: rows.map((r) => r.row),
      deleteQueueRows: deletes,
      snapshots,
      transactions,
      meterValues,
      availability,
      reservations: reservationPart.reservations,
    };
    const empty =
      rows.length === 0 &&
      deletes.length === 0 &&
      snapshots.length === 0 &&
      transactions.length === 0 &&
      meterValues.length === 0 &&
      availability.length === 0 &&
      reservationPart.reservations.length === 0;
    if (empty) return;
    let ids: number[];
    this.rowsInWrite = rows;
    try {
      ids = await this.options.journal.write(batch);
    } catch (error) {
      this.rowsInWrite = [];
      // Put everything back ahead of what came meanwhile, and try again later (in order).
      this.rows.unshift(...rows);
      this.deletes.unshift(...deletes);
      this.meterValues.unshift(...meterValues);
      for (const evseId of dirty) this.dirtyEvses.add(evseId);
      if (stationDirty) this.stationDirty = true;
      reservationPart.restore();
      firmwarePart.restore();
      logUploadPart.restore();
      this.failures += 1;
      const failure = new PersistenceError(this.failures, error);
      this.options.reportError(failure);
      for (const reject of this.storedWaiters.splice(0)) reject(failure);
      this.scheduleRetry();
      return;
    }
    this.failures = 0;
    this.rowsInWrite = [];
    reservationPart.commit();
    firmwarePart.commit();
    logUploadPart.commit();
    this.written.snapshots = nextWritten.snapshots;
    this.written.transactions = nextWritten.transactions;
    this.written.availability = nextWritten.availability;
    if (rows.length > 0) {
      this.options.adopt(
        rows.map((r, i) => ({
          rowId: ids[i] as number,
          messageId: r.row.messageId,
          action: r.row.action,
          payload: r.payload,
          transaction: r.row.transaction,
          owner: r.row.owner,
        })),
      );
    }
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer !== null) return;
    const delay = Math.min(MAX_RETRY_DELAY_MS, 250 * 2 ** Math.min(this.failures, 10));
    this.retryTimer = this.options.timers.setTimeout(() => {
      this.retryTimer = null;
      void this.flush();
    }, delay);
  }
}
