/**
 * The outgoing message queue: every CALL from the station to the CSMS passes here, one at a time.
 *
 * - Registration gate (B01.FR.08, B02.FR.02, B03.FR.02): before Accepted only BootNotification
 *   goes out; while Pending also messages the CSMS asked for (TriggerMessage, GetBaseReport,
 *   GetReport). Others wait (durable ones) or fail at once (the rest).
 * - Durable messages (transaction-related, security events: A04.FR.02) are written to the store
 *   before the first attempt, with their message id fixed, and are sent in order after reconnects
 *   and restarts. Transaction-related ones that the CSMS fails to process are retried
 *   MessageAttempts times, waiting attempts × MessageAttemptInterval (E13.FR.02–04).
 * - Other messages are not kept while offline unless QueueAllMessages is true.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { StationClock } from '../clock.js';
import { OcppRpcError } from '../rpc/errors.js';

export type QueueGate = 'closed' | 'bootOnly' | 'triggeredOnly' | 'open';

export interface QueueSettings {
  /** OCPPCommCtrlr.MessageAttempts[TransactionEvent] */
  transactionAttempts: number;
  /** OCPPCommCtrlr.MessageAttemptInterval[TransactionEvent] (s) */
  transactionAttemptIntervalS: number;
  /** OCPPCommCtrlr.QueueAllMessages */
  queueAllMessages: boolean;
}

export interface EnqueueOptions {
  /** Kept in the store until delivered. Transaction-related messages are always durable. */
  durable?: boolean;
  /** Transaction-related: E13 retries. */
  transaction?: boolean;
  /** Requested by the CSMS (TriggerMessage, GetBaseReport/GetReport): may pass while Pending. */
  triggered?: boolean;
  /** Idempotency key for durable messages: enqueueing it again returns the stored one. */
  dedupeKey?: string;
}

/** Sends one CALL and resolves with the (validated) response payload. */
export type CallSender = (action: string, payload: unknown, messageId: string) => Promise<unknown>;

/**
 * The message could not be delivered now and was not kept (offline, not allowed yet).
 *
 * @example
 * await queue.send('Heartbeat', {}).catch((e) => { if (e instanceof NotDeliveredError) retryLater(); });
 */
export class NotDeliveredError extends Error {
  override readonly name = 'NotDeliveredError';
  constructor(
    readonly action: string,
    reason: string,
  ) {
    super(`${action} not sent: ${reason}`);
  }
}

interface Entry {
  rowId: number | null;
  messageId: string;
  action: string;
  payload: unknown;
  options: EnqueueOptions;
  attempts: number;
  notBefore: number;
  resolve?: (value: unknown) => void;
  reject?: (error: unknown) => void;
}

export interface MessageQueueOptions {
  db: Kysely<Database>;
  stationId: string;
  clock: StationClock;
  settings: () => QueueSettings;
  /** Called with a durable message's response when nobody awaits it any more (e.g. after a restart). */
  onOrphanResponse?: (action: string, payload: unknown, response: unknown) => void;
  /** A durable message was given up (E13.FR.04) or answered with a CALLERROR. */
  onDiscarded?: (action: string, payload: unknown, error: unknown) => void;
  /** Host time (ms) and timers for retry scheduling; replaceable in tests. */
  hostNow?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * FIFO of outgoing CALLs with a registration gate and durable, retried entries.
 *
 * @example
 * const queue = new MessageQueue({ db, stationId: 'CS-1', clock, settings: () => settings });
 * await queue.load();
 * queue.attach((action, payload, id) => rpc.call(action, payload, { messageId: id }));
 * queue.setGate('open');
 * const res = await queue.send('Heartbeat', {});
 */
export class MessageQueue {
  private readonly entries: Entry[] = [];
  private sender: CallSender | null = null;
  private gate: QueueGate = 'bootOnly';
  private busy = false;
  private timer: unknown = null;
  private stopped = false;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly hostNow: () => number;

  constructor(private readonly options: MessageQueueOptions) {
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
    this.hostNow = options.hostNow ?? Date.now;
  }

  /** Loads durable messages left in the store by an earlier run, ahead of anything new. */
  async load(): Promise<number> {
    const rows = await this.options.db
      .selectFrom('message_queue')
      .selectAll()
      .where('station_id', '=', this.options.stationId)
      .orderBy('id')
      .execute();
    const loaded: Entry[] = rows.map((row) => ({
      rowId: row.id,
      messageId: row.message_id,
      action: row.action,
      payload: JSON.parse(row.payload_json) as unknown,
      options: { durable: true, transaction: row.kind === 'transaction' },
      attempts: row.attempts,
      notBefore: Date.parse(row.next_attempt_at) || 0,
    }));
    this.entries.unshift(...loaded);
    return loaded.length;
  }

  /** Connects the queue to a live RPC session (null when the connection is down). */
  attach(sender: CallSender | null): void {
    this.sender = sender;
    if (sender === null) this.flushUndeliverable('connection lost');
    this.pump();
  }

  /** Follows the registration status: what may be sent now. */
  setGate(gate: QueueGate): void {
    this.gate = gate;
    if (gate === 'closed' || gate === 'bootOnly') this.flushUndeliverable('not accepted by the CSMS yet');
    this.pump();
  }

  /** Number of messages waiting, durable ones included. */
  get size(): number {
    return this.entries.length;
  }

  /**
   * Queues a CALL and resolves with the CSMS's response. Durable messages are in the store when
   * this returns control (before the first attempt); their promise may never settle if the process
   * stops first: the response then goes to `onOrphanResponse` in the next run.
   */
  async send(action: string, payload: unknown, options: EnqueueOptions = {}): Promise<unknown> {
    if (this.stopped) throw new NotDeliveredError(action, 'the station is stopping');
    const durable = options.durable === true || options.transaction === true || this.queueAll(action);
    const entry: Entry = {
      rowId: null,
      messageId: randomUUID(),
      action,
      payload,
      options: { ...options, durable },
      attempts: 0,
      notBefore: 0,
    };
    if (!durable && !this.deliverableNow(entry)) {
      throw new NotDeliveredError(
        action,
        this.sender === null ? 'offline' : `registration gate is ${this.gate}`,
      );
    }
    if (durable) {
      // Already queued under this dedupe key (a restored actor re-ran): the stored one will be sent.
      if ((await this.persist(entry)) === null) return undefined;
    }
    return new Promise((resolve, reject) => {
      entry.resolve = resolve;
      entry.reject = reject;
      this.entries.push(entry);
      this.pump();
    });
  }

  /** Stops sending; in-memory messages fail, durable ones stay in the store. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    for (const entry of this.entries.splice(0)) {
      entry.reject?.(new NotDeliveredError(entry.action, 'the station stopped'));
    }
  }

  private queueAll(action: string): boolean {
    return (
      action !== 'BootNotification' && action !== 'Heartbeat' && this.options.settings().queueAllMessages
    );
  }

  private allowedByGate(entry: Entry): boolean {
    if (entry.action === 'BootNotification') return this.gate !== 'closed';
    if (this.gate === 'open') return true;
    return this.gate === 'triggeredOnly' && entry.options.triggered === true;
  }

  private deliverableNow(entry: Entry): boolean {
    return this.sender !== null && this.allowedByGate(entry);
  }

  /** Non-durable messages that cannot go now fail at once; the caller decides what that means. */
  private flushUndeliverable(reason: string): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i]!;
      if (entry.options.durable || this.deliverableNow(entry)) continue;
      this.entries.splice(i, 1);
      entry.reject?.(new NotDeliveredError(entry.action, reason));
    }
  }

  /** Writes a durable entry; returns the entry, or null when the dedupe key was already stored. */
  private async persist(entry: Entry): Promise<Entry | null> {
    const now = this.options.clock.nowIso();
    const result = await this.options.db
      .insertInto('message_queue')
      .values({
        station_id: this.options.stationId,
        message_id: entry.messageId,
        action: entry.action,
        payload_json: JSON.stringify(entry.payload),
        kind: entry.options.transaction ? 'transaction' : 'normal',
        dedupe_key: entry.options.dedupeKey ?? null,
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (result.numInsertedOrUpdatedRows === 0n) return null;
    entry.rowId = Number(result.insertId);
    return entry;
  }

  /** Picks the next entry that may go now: durable ones strictly in order among themselves. */
  private next(): Entry | 'wait' | null {
    const now = this.hostNow();
    let durableBlocked = false;
    let earliest = Infinity;
    for (const entry of this.entries) {
      if (!this.allowedByGate(entry)) continue;
      if (entry.options.durable) {
        if (durableBlocked) continue;
        if (entry.notBefore > now) {
          // E13.FR.03: a transaction message waiting for its retry holds back the later ones.
          durableBlocked = true;
          earliest = Math.min(earliest, entry.notBefore);
          continue;
        }
      }
      return entry;
    }
    return earliest < Infinity ? 'wait' : null;
  }

  private pump(): void {
    if (this.busy || this.stopped || this.sender === null) return;
    const entry = this.next();
    if (entry === null) return;
    if (entry === 'wait') {
      this.scheduleWake();
      return;
    }
    this.busy = true;
    void this.deliver(entry, this.sender).finally(() => {
      this.busy = false;
      this.pump();
    });
  }

  private scheduleWake(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    const due = Math.min(...this.entries.map((e) => (e.notBefore > this.hostNow() ? e.notBefore : Infinity)));
    if (!Number.isFinite(due)) return;
    this.timer = this.setTimer(
      () => {
        this.timer = null;
        this.pump();
      },
      Math.max(0, due - this.hostNow()),
    );
  }

  private async deliver(entry: Entry, sender: CallSender): Promise<void> {
    entry.attempts += 1;
    try {
      const response = await sender(entry.action, entry.payload, entry.messageId);
      await this.remove(entry);
      if (entry.resolve) entry.resolve(response);
      else this.options.onOrphanResponse?.(entry.action, entry.payload, response);
    } catch (error) {
      await this.failed(entry, error);
    }
  }

  private async failed(entry: Entry, error: unknown): Promise<void> {
    const processedWithError = error instanceof OcppRpcError;
    if (!entry.options.durable) {
      this.drop(entry);
      entry.reject?.(error);
      return;
    }
    if (!processedWithError && this.sender === null) {
      // Lost with the connection: not an attempt the CSMS saw; send again after reconnecting.
      entry.attempts -= 1;
      return;
    }
    const maxAttempts = entry.options.transaction
      ? Math.max(1, this.options.settings().transactionAttempts)
      : Infinity;
    if (entry.options.transaction ? entry.attempts >= maxAttempts : processedWithError) {
      // E13.FR.04 (transaction) / a CSMS that answered with a CALLERROR has received it (others).
      await this.remove(entry);
      this.options.onDiscarded?.(entry.action, entry.payload, error);
      entry.reject?.(error);
      return;
    }
    // E13.FR.03: wait attempts × MessageAttemptInterval before the next transmission.
    const intervalS = entry.options.transaction ? this.options.settings().transactionAttemptIntervalS : 10;
    entry.notBefore = this.hostNow() + entry.attempts * intervalS * 1000;
    if (entry.rowId !== null) {
      await this.options.db
        .updateTable('message_queue')
        .set({ attempts: entry.attempts, next_attempt_at: new Date(entry.notBefore).toISOString() })
        .where('id', '=', entry.rowId)
        .execute();
    }
  }

  private drop(entry: Entry): void {
    const i = this.entries.indexOf(entry);
    if (i >= 0) this.entries.splice(i, 1);
  }

  private async remove(entry: Entry): Promise<void> {
    this.drop(entry);
    if (entry.rowId !== null) {
      await this.options.db.deleteFrom('message_queue').where('id', '=', entry.rowId).execute();
    }
  }
}
