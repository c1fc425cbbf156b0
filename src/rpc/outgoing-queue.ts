/**
 * Our CALLs toward the CSMS: one in flight, the others waiting in FIFO order (OCPP 2.0.1 Part 4
 * §4.1.1 "SHALL NOT send a CALL message ... unless all the CALL messages it sent before have been
 * responded to or have timed out"), with the MessageTimeout timer of the one in flight.
 */
import type { OcppAction } from '../generated/ocpp-types.js';
import { RpcConnectionClosedError, RpcTimeoutError } from './errors.js';

/**
 * One outgoing CALL, settled exactly once (later settle attempts are ignored).
 *
 * @example
 * const call = new OutgoingCall('Heartbeat', id, text, resolve, reject, signal, (c) => queue.abort(c));
 * call.succeed({ currentTime }); // resolves; a later call.fail(...) does nothing
 */
export class OutgoingCall {
  private done = false;
  private readonly onAbort: (() => void) | undefined;

  constructor(
    readonly action: OcppAction,
    readonly messageId: string,
    /** The serialized CALL frame, fixed when the call was made. */
    readonly text: string,
    private readonly resolve: (payload: unknown) => void,
    private readonly reject: (error: unknown) => void,
    readonly signal: AbortSignal | undefined,
    onAbort: (call: OutgoingCall) => void,
  ) {
    if (signal) {
      this.onAbort = () => onAbort(this);
      signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  get settled(): boolean {
    return this.done;
  }

  succeed(payload: unknown): void {
    if (this.finish()) this.resolve(payload);
  }

  fail(error: unknown): void {
    if (this.finish()) this.reject(error);
  }

  private finish(): boolean {
    if (this.done) return false;
    this.done = true;
    if (this.onAbort) this.signal?.removeEventListener('abort', this.onAbort);
    return true;
  }
}

export interface OutgoingQueueOptions {
  /** Sends a frame; throws when it cannot. */
  send: (text: string) => void;
  /** OCPPCommCtrlr.MessageTimeout in milliseconds, read when each CALL is sent. */
  messageTimeoutMs: () => number;
  /** Called after a CALL frame was handed to `send`. */
  onSent: (text: string) => void;
}

/**
 * The FIFO of our CALLs and the single in-flight slot.
 *
 * @example
 * const queue = new OutgoingQueue({ send, messageTimeoutMs: () => 30_000, onSent: log });
 * const answer = new Promise((resolve, reject) =>
 *   queue.enqueue(new OutgoingCall('Heartbeat', id, text, resolve, reject, undefined, (c) => queue.abort(c))));
 * // on a CALLRESULT for `id`: queue.take(id)?.succeed(payload); queue.pump();
 */
export class OutgoingQueue {
  private readonly waiting: OutgoingCall[] = [];
  private inFlight:
    { call: OutgoingCall; timer: ReturnType<typeof setTimeout>; timeoutMs: number } | undefined;
  private closed = false;

  constructor(private readonly options: OutgoingQueueOptions) {}

  /** Calls not yet answered: the one in flight (if any) plus those waiting behind it. */
  get size(): number {
    return this.waiting.length + (this.inFlight ? 1 : 0);
  }

  /** Whether a pending call (in flight or waiting) uses this message id. */
  has(messageId: string): boolean {
    return this.inFlight?.call.messageId === messageId || this.waiting.some((c) => c.messageId === messageId);
  }

  enqueue(call: OutgoingCall): void {
    if (this.closed) {
      call.fail(new RpcConnectionClosedError(call.action, call.messageId, false));
      return;
    }
    this.waiting.push(call);
    this.pump();
  }

  /** Takes the in-flight call if `messageId` is its id, stopping its timer; call {@link pump} after settling it. */
  take(messageId: string): OutgoingCall | undefined {
    const inFlight = this.inFlight;
    if (inFlight?.call.messageId !== messageId) return undefined;
    clearTimeout(inFlight.timer);
    this.inFlight = undefined;
    return inFlight.call;
  }

  /**
   * Abandons a call: a waiting one is dropped unsent; the one in flight rejects at once but keeps the
   * slot until its answer or timeout (Part 4 §4.1.1).
   */
  abort(call: OutgoingCall): void {
    const index = this.waiting.indexOf(call);
    if (index >= 0) this.waiting.splice(index, 1);
    call.fail(call.signal?.reason);
  }

  /** Sends the next waiting call if the slot is free. */
  pump(): void {
    while (!this.inFlight && !this.closed) {
      const call = this.waiting.shift();
      if (!call) return;
      if (call.settled) continue;
      const timeoutMs = this.options.messageTimeoutMs();
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
        call.fail(
          new RangeError(
            `OCPPCommCtrlr.MessageTimeout must be a positive number of milliseconds, got ${timeoutMs}`,
          ),
        );
        continue;
      }
      // Armed before send: a synchronous answer from `send` must find the call in flight.
      const timer = setTimeout(() => this.onTimeout(call), timeoutMs);
      this.inFlight = { call, timer, timeoutMs };
      try {
        this.options.send(call.text);
      } catch (cause) {
        clearTimeout(timer);
        if (this.inFlight?.call === call) this.inFlight = undefined;
        call.fail(new RpcConnectionClosedError(call.action, call.messageId, false, { cause }));
        continue;
      }
      this.options.onSent(call.text);
    }
  }

  /** Rejects the call in flight (as sent) and all waiting calls (as not sent); later calls fail at once. */
  close(): void {
    this.closed = true;
    const inFlight = this.inFlight;
    this.inFlight = undefined;
    if (inFlight) {
      clearTimeout(inFlight.timer);
      inFlight.call.fail(new RpcConnectionClosedError(inFlight.call.action, inFlight.call.messageId, true));
    }
    for (const call of this.waiting.splice(0)) {
      call.fail(new RpcConnectionClosedError(call.action, call.messageId, false));
    }
  }

  private onTimeout(call: OutgoingCall): void {
    const inFlight = this.inFlight;
    if (inFlight?.call !== call) return;
    this.inFlight = undefined;
    // Part 4 §4.1.1: a timed-out CALL frees the way for the next one.
    call.fail(new RpcTimeoutError(call.action, call.messageId, inFlight.timeoutMs));
    this.pump();
  }
}
