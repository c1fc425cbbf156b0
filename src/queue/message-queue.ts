/**
 * The outgoing message queue: every CALL from the station to the CSMS passes here, one at a time.
 * docs/message-queue.md gives the choices made where the specification leaves one.
 *
 * - Every CALL is checked (action, request schema) before it is accepted; an invalid one is refused
 *   by `send()` and never stored (outgoing-check.ts).
 * - Registration gate (B01.FR.08, B02.FR.02, B03.FR.02): before Accepted only BootNotification
 *   goes out; while Pending also messages the CSMS asked for (TriggerMessage, GetBaseReport,
 *   GetReport). Others wait (durable ones) or fail at once (the rest).
 * - Durable messages (transaction-related, security events: A04.FR.02, all under QueueAllMessages)
 *   are stored before the first attempt with their message id fixed, and sent strictly in order
 *   after reconnects and restarts. Retries (retry-policy.ts): transaction-related ones
 *   MessageAttempts times, attempts × MessageAttemptInterval apart (E13.FR.02-04); other durable
 *   ones at most 5 unanswered attempts, 10 s × attempts apart, so one message that cannot get
 *   through never blocks the later ones for good; one refused on our side is given up at once.
 * - Once the CSMS answered, a message is never sent again in this run; later failures (deleting
 *   its row, a callback) go to `onError`. A row that could not be deleted is sent again, same
 *   message id, in the next run (at least once).
 * - Retry times are host time; the station clock (moved by the CSMS or `--clock`) schedules
 *   nothing. Restored times are clamped to now + the row's retry delay, timers to 2^31-1 ms.
 * - `stop()` waits for the store operations in flight and starts none after (queue-table.ts).
 */
import { randomUUID } from 'node:crypto';
import { checkOutgoingCall } from './outgoing-check.js';
import { MAX_TIMER_DELAY_MS, retryDelayMs } from './retry-policy.js';
import { QueueTable } from './queue-table.js';
import {
  LocalSendError,
  NotDeliveredError,
  QueueBoundDropError,
  type CallSender,
  type EnqueueOptions,
  type OwnedMessage,
  type OwnedOutcome,
  type QueueGate,
  type QueueSettings,
} from './queue-types.js';
import { decodeStoredMessage, StoredMessageError } from './stored-message.js';
import { messagesToDrop } from './queue-bound.js';
import { LazySet } from '../lazy-collections.js';
import { nextEntry, ownedEntry, storedEntry, type QueueEntry as Entry } from './queue-entry.js';
import type { MessageQueueOptions } from './message-queue-options.js';
import { QueueOutcomes } from './queue-outcomes.js';

export { LocalSendError, NotDeliveredError, QueueBoundDropError };
export type { CallSender, EnqueueOptions, MessageQueueOptions, OwnedMessage, OwnedOutcome, QueueGate, QueueSettings };

/**
 * FIFO of outgoing CALLs with a registration gate and durable, retried entries.
 *
 * @example
 * const queue = new MessageQueue({ db, stationId: 'CS-1', clock, settings: () => settings, onError: log });
 * await queue.load();
 * queue.attach((action, payload, id) => rpc.call(action, payload, { messageId: id }));
 * queue.setGate('open');
 * const res = await queue.send('Heartbeat', {});
 * await queue.stop();
 */
export class MessageQueue {
  private readonly entries: Entry[] = [];
  private sender: CallSender | null = null;
  private gate: QueueGate = 'bootOnly';
  private busy = false;
  /** The entry being delivered now (never dropped by the bound). */
  private inFlight: Entry | null = null;
  private timer: unknown = null;
  private stopped = false;
  private readonly table: QueueTable;
  /** The delivery in flight (at most one): idle() waits for it too. */
  private readonly deliveries = new LazySet<Promise<unknown>>();
  /** When the armed retry timer (`timer`) is due, host time. */
  private timerDueAt = 0;
  /** The pump that pumpSoon scheduled, until it ran. */
  private pumpScheduled: Promise<void> | null = null;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly hostNow: () => number;
  /** allowedByGate, bound once: pump() hands it to nextEntry on every delivery. */
  private readonly gateAllows = (entry: Entry): boolean => this.allowedByGate(entry);
  /** Settles what was delivered: answered, retried or given up (queue-outcomes.ts). */
  private readonly outcomes: QueueOutcomes;

  constructor(private readonly options: MessageQueueOptions) {
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
    this.hostNow = options.hostNow ?? Date.now;
    this.table = new QueueTable(options.db, options.stationId);
    this.outcomes = new QueueOutcomes({
      table: this.table,
      options,
      hostNow: this.hostNow,
      drop: (entry) => this.drop(entry),
      live: () => this.sender !== null && !this.stopped,
    });
  }

  /**
   * Loads durable messages left in the store by an earlier run, ahead of anything new. Returns how
   * many were loaded; unreadable rows are reported to `onError` and stay in the table.
   */
  async load(): Promise<number> {
    const rows = await this.table.readAll();
    const now = this.hostNow();
    const settings = this.options.settings();
    const loaded: Entry[] = [];
    for (const row of rows) {
      const stored = decodeStoredMessage(row);
      if (stored instanceof StoredMessageError) {
        this.outcomes.report(stored);
        continue;
      }
      // A stored time far ahead (host clock set back since) must not hold the message back longer
      // than the retry delay it was given.
      const latest = now + retryDelayMs(stored.transaction, stored.attempts, settings);
      loaded.push(storedEntry(stored, Math.min(stored.nextAttemptAt, latest)));
    }
    this.entries.unshift(...loaded);
    this.pump();
    return loaded.length;
  }

  /**
   * Takes over durable messages that their owner has already written to the store (rows of this
   * station, with their owner): they are delivered in order after everything queued before, and
   * their outcome goes to `onOwnedSettled`. Used by transactions, whose TransactionEventRequest rows
   * are written in the same SQLite transaction as the transaction actor's snapshot.
   *
   * @example
   * const [rowId] = await journal.write({ queueRows: [row], snapshots: [snapshot] });
   * queue.adopt([{ rowId, messageId, action: 'TransactionEvent', payload, transaction: true, owner: 'transaction:abc' }]);
   */
  adopt(messages: readonly OwnedMessage[]): void {
    if (this.stopped) return;
    for (const message of messages) this.entries.push(ownedEntry(message));
    this.enforceBound();
    this.pump();
  }

  /**
   * Durable messages waiting in this run (transaction-related only when `transaction` is true),
   * oldest first: E14 GetTransactionStatus reads it.
   *
   * @example
   * queue.pendingDurable(true).some((m) => (m.payload as TransactionEventRequest).transactionInfo.transactionId === id);
   */
  pendingDurable(transaction = false): Array<{ action: string; payload: unknown; owner: string | null }> {
    return this.entries
      .filter((e) => e.options.durable && (!transaction || e.options.transaction === true))
      .map((e) => ({ action: e.action, payload: e.payload, owner: e.owner }));
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
    if (gate === 'bootOnly') this.flushUndeliverable('not accepted by the CSMS yet');
    // The boot chart's action opens the gate: what waited goes out after xstate reports the
    // transition that opened it (see enqueue).
    this.pumpSoon();
  }

  /** Number of messages waiting, durable ones included. */
  get size(): number {
    return this.entries.length;
  }

  /**
   * Queues a CALL and resolves with the CSMS's response. Rejects at once, storing nothing, with an
   * RpcInvalidMessageError (direction 'outgoing-call') when the action or payload would be refused
   * (its description names the field). Durable messages are in the store when this returns control
   * (before the first attempt); their promise may never settle if the process stops first: the
   * response then goes to `onOrphanResponse` in the next run.
   */
  send(action: string, payload: unknown, options: EnqueueOptions = {}): Promise<unknown> {
    let entry: Entry;
    let json: string;
    try {
      if (this.stopped) throw new NotDeliveredError(action, 'the station is stopping');
      const messageId = randomUUID();
      const snapshot = checkOutgoingCall(action, payload, messageId);
      const durable = options.durable === true || options.transaction === true || this.queueAll(action);
      json = snapshot.json;
      entry = {
        rowId: null,
        messageId,
        action,
        payload: snapshot.value,
        payloadJson: snapshot.json,
        options: { ...options, durable },
        attempts: 0,
        notBefore: 0,
        owner: null,
      };
      if (!durable && !this.deliverableNow(entry)) {
        throw new NotDeliveredError(
          action,
          this.sender === null ? 'offline' : `registration gate is ${this.gate}`,
        );
      }
    } catch (error) {
      return Promise.reject(error);
    }
    // In-memory messages (Heartbeat, ...) go without a store round trip: one promise (issue 9).
    if (entry.options.durable) return this.sendDurable(entry, json);
    return this.enqueue(entry);
  }

  /** Stores a durable entry before its first attempt, then queues it. */
  private async sendDurable(entry: Entry, json: string): Promise<unknown> {
    const { messageId, action, options } = entry;
    // Already queued under this dedupe key (a restored actor re-ran): the stored one will be sent.
    entry.rowId = await this.table.insert({
      messageId,
      action,
      payloadJson: json,
      transaction: options.transaction === true,
      dedupeKey: options.dedupeKey ?? null,
      nextAttemptAt: this.hostNow(),
      createdAt: this.options.clock.nowIso(),
    });
    if (entry.rowId === null) return undefined;
    if (this.stopped) {
      throw new NotDeliveredError(action, 'the station stopped; it is stored and sent after the next start');
    }
    return this.enqueue(entry);
  }

  private enqueue(entry: Entry): Promise<unknown> {
    return new Promise((resolve, reject) => {
      entry.resolve = resolve;
      entry.reject = reject;
      this.entries.push(entry);
      if (entry.options.durable) this.enforceBound();
      this.pumpSoon();
    });
  }

  /**
   * Pumps on the next microtask, not inside the caller: a statechart action that sends a message or
   * opens the gate runs before xstate reports its transition, and a frame on the wire before the
   * transition that caused it would be credited to the previous frame by every reader of the event
   * stream (the visualizer's "what this message caused", docs/visualizer.md).
   */
  private pumpSoon(): void {
    if (this.pumpScheduled !== null) return;
    this.pumpScheduled = Promise.resolve().then(() => {
      this.pumpScheduled = null;
      this.pump();
    });
  }

  /**
   * Resolves once nothing is in flight: no delivery, no store read or write. Scheduled retries do not
   * count (they wait for their timer).
   */
  async idle(): Promise<void> {
    for (;;) {
      // A pump scheduled for the next microtask (pumpSoon) may still start a delivery.
      if (this.pumpScheduled !== null) await this.pumpScheduled;
      const pending = [...this.deliveries, ...this.table.pending];
      if (pending.length === 0) return;
      await Promise.allSettled(pending);
    }
  }

  /**
   * Stops sending: in-memory messages fail, durable ones stay in the store. Resolves once the store
   * writes in flight have finished (none starts afterwards), so the store may then be closed. A
   * message answered after stop() keeps its row and is sent again, same message id, next run.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    for (const entry of this.entries.splice(0)) {
      entry.reject?.(new NotDeliveredError(entry.action, 'the station stopped'));
    }
    await this.table.stop();
  }

  private queueAll(action: string): boolean {
    return (
      action !== 'BootNotification' && action !== 'Heartbeat' && this.options.settings().queueAllMessages
    );
  }

  private allowedByGate(entry: Entry): boolean {
    if (entry.action === 'BootNotification' || this.gate === 'open') return true;
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

  private pump(): void {
    if (this.busy || this.stopped || this.sender === null) return;
    const next = nextEntry(this.entries, this.hostNow(), this.gateAllows);
    if (next === null) return;
    if ('dueAt' in next) {
      this.scheduleWake(next.dueAt);
      return;
    }
    this.busy = true;
    // One promise per delivery besides the call's own (issue 9): deliver() reports its own errors.
    const delivery: Promise<void> = this.deliver(next, this.sender).then(() => {
      this.deliveries.delete(delivery);
      this.busy = false;
      this.pump();
    });
    this.deliveries.add(delivery);
  }

  private scheduleWake(dueAt: number): void {
    // Pumped again before it fired (a deferred pump, pumpSoon): the armed timer already wakes it.
    if (this.timer !== null && this.timerDueAt === dueAt) return;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timerDueAt = dueAt;
    // A delay past 2^31-1 ms would fire at once: wake at the limit and look again.
    const delay = Math.min(MAX_TIMER_DELAY_MS, Math.max(0, dueAt - this.hostNow()));
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.pump();
    }, delay);
  }

  /** Sends one entry and settles it; never rejects (what fails is reported). */
  private async deliver(entry: Entry, sender: CallSender): Promise<void> {
    try {
      entry.attempts += 1;
      let response: unknown;
      this.inFlight = entry;
      try {
        response = await sender(entry.action, entry.payload, entry.messageId, entry.payloadJson);
      } catch (error) {
        this.inFlight = null;
        await this.outcomes.failed(entry, error);
        return;
      }
      this.inFlight = null;
      if (entry.rowId === null && entry.resolve !== undefined) {
        // An in-memory message with a caller (a Heartbeat, ...): no row, no owner; answered at once.
        this.drop(entry);
        entry.resolve(response);
        return;
      }
      await this.outcomes.answered(entry, response);
    } catch (error) {
      this.outcomes.report(error);
    }
  }

  /**
   * InternalCtrlr.MessageQueueSizeThreshold (J02.FR.12/13, queue-bound.ts): past it, every other
   * meter-data TransactionEvent waiting is given up, first one first. Each goes the way of a
   * discarded message (its owner deletes its row; `onDiscarded` hears of it).
   */
  private enforceBound(): void {
    const threshold = this.options.settings().sizeThreshold;
    const drop = messagesToDrop(
      this.entries.map((e) => ({
        action: e.action,
        payload: e.payload,
        durable: e.options.durable === true,
        inFlight: e === this.inFlight,
      })),
      threshold,
    );
    if (drop.length === 0) return;
    const dropped = drop.map((i) => this.entries[i]!);
    const reason = new QueueBoundDropError(threshold ?? 0, dropped.length);
    for (const entry of dropped) void this.outcomes.discard(entry, reason);
  }

  private drop(entry: Entry): void {
    const i = this.entries.indexOf(entry);
    if (i >= 0) this.entries.splice(i, 1);
  }
}
