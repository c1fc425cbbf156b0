/**
 * One OCPP-J RPC session (OCPP 2.0.1 Part 4 §4): correlates our CALLs with their answers, allows one
 * CALL in flight at a time, and answers the CSMS's CALLs through a validated handler. It knows nothing
 * about websockets: it is given `send(text)` and fed `receive(text)`.
 */
import { Buffer } from 'node:buffer';
import type { OcppAction, OcppRequestMap, OcppResponseMap } from '../generated/ocpp-types.js';
import { CSMS_INITIATED_ACTIONS, STATION_INITIATED_ACTIONS } from './action-directions.js';
import {
  OcppRpcError,
  RpcConnectionClosedError,
  RpcInvalidMessageError,
  type RpcErrorCode,
  type RpcErrorDetails,
} from './errors.js';
import {
  MessageTypeId,
  isValidMessageId,
  newMessageId,
  parseFrame,
  serializeCall,
  serializeCallError,
  serializeCheckedCall,
  serializeCallResult,
  type CallErrorFrame,
  type CallFrame,
  type CallResultFrame,
  type FrameError,
} from './frames.js';
import { actionSet } from './action-sets.js';
import { OutgoingCall, OutgoingQueue } from './outgoing-queue.js';
import type { ValidationFailure } from './validator.js';
import { LazySet } from '../lazy-collections.js';
import type { CallOptions, FrameDirection, RpcEndpointOptions, RpcIssue } from './endpoint-types.js';

// The endpoint's types live next to this file; callers import them from here.
export type {
  CallOptions,
  FrameDirection,
  IncomingCallHandler,
  IncomingCallInfo,
  RpcEndpointOptions,
  RpcIssue,
} from './endpoint-types.js';

/** The error refusing one of our own CALLs before it is sent. */
function refused(
  action: OcppAction,
  messageId: string,
  code: RpcErrorCode,
  description: string,
  details: RpcErrorDetails = {},
): RpcInvalidMessageError {
  return new RpcInvalidMessageError('outgoing-call', action, messageId, code, description, details);
}

/**
 * The RPC side of one connection session. Create one per websocket connection and `close()` it
 * when the connection ends.
 *
 * @example
 * const endpoint = new RpcEndpoint({
 *   send: (text) => transport.send(text),
 *   validator: { isOcppAction, validateRequest, validateResponse },
 *   handler: async (action, payload) => dispatch(action, payload),
 *   supportedActions: ['Reset', 'GetVariables', 'SetVariables'],
 *   messageTimeoutMs: () => 30_000,
 * });
 * transport.on('message', (text) => void endpoint.receive(text));
 * const boot = await endpoint.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
 */
export class RpcEndpoint {
  private readonly options: RpcEndpointOptions;
  private readonly supported: ReadonlySet<OcppAction>;
  private readonly outgoing: ReadonlySet<OcppAction>;
  private readonly queue: OutgoingQueue;
  private readonly incomingInProgress = new LazySet<string>();
  private isClosed = false;

  constructor(options: RpcEndpointOptions) {
    this.options = options;
    // Shared per list of actions, not one copy per connection (issue 9).
    this.supported = actionSet(options.supportedActions);
    this.outgoing = actionSet(options.outgoingActions ?? STATION_INITIATED_ACTIONS);
    this.queue = new OutgoingQueue({
      send: (text) => this.options.send(text),
      messageTimeoutMs: () => this.options.messageTimeoutMs(),
      onSent: (text) => this.emitFrame(text, 'out'),
    });
  }

  /** True after {@link close}. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Our CALLs not yet answered: the one in flight (if any) plus those waiting behind it. */
  get pendingCalls(): number {
    return this.queue.size;
  }

  /**
   * Sends a CALL once every earlier CALL has been answered or timed out (Part 4 §4.1.1) and resolves
   * with the CSMS's response payload, checked against the response schema. Rejects with
   * {@link OcppRpcError} (CALLERROR from the CSMS), RpcTimeoutError, {@link RpcConnectionClosedError},
   * or {@link RpcInvalidMessageError} (our request invalid, so not sent; or the CSMS's answer invalid).
   *
   * @example
   * const { currentTime } = await endpoint.call('Heartbeat', {});
   */
  call<A extends OcppAction>(
    action: A,
    payload: OcppRequestMap[A],
    options: CallOptions = {},
  ): Promise<OcppResponseMap[A]> {
    return new Promise<OcppResponseMap[A]>((resolve, reject) => {
      const messageId = options.messageId ?? newMessageId();
      if (this.isClosed) return reject(new RpcConnectionClosedError(action, messageId, false));
      if (!isValidMessageId(messageId)) {
        return reject(
          new RangeError(`messageId must be a string of 1-36 characters, got ${JSON.stringify(messageId)}`),
        );
      }
      if (this.queue.has(messageId)) {
        return reject(new RangeError(`messageId ${messageId} is already used by a pending call`));
      }
      if (!this.options.validator.isOcppAction(action))
        return reject(
          refused(action, messageId, 'NotImplemented', `${String(action)} is not an OCPP 2.0.1 action`),
        );
      if (!this.outgoing.has(action))
        return reject(
          refused(action, messageId, 'NotSupported', `${action} is not sent by this Charging Station`),
        );
      // DESIGN.md: every outgoing message is validated before it is sent (here, or by the caller
      // that hands its checked text as payloadJson).
      const checked = options.payloadJson;
      const failure = checked === undefined ? this.options.validator.validateRequest(action, payload) : null;
      if (failure)
        return reject(refused(action, messageId, failure.code, failure.description, failure.details));
      let text: string;
      try {
        text =
          checked === undefined
            ? serializeCall(messageId, action, payload)
            : serializeCheckedCall(messageId, action, checked);
      } catch (e) {
        const description = `payload cannot be serialized as JSON: ${(e as Error).message}`;
        return reject(refused(action, messageId, 'FormatViolation', description));
      }
      if (options.signal?.aborted) return reject(options.signal.reason);
      const queue = this.queue;
      queue.enqueue(
        new OutgoingCall(
          action,
          messageId,
          text,
          resolve as (payload: unknown) => void,
          reject,
          options.signal,
          (call) => queue.abort(call),
        ),
      );
    });
  }

  /**
   * Feeds one received text frame. Never throws or rejects; resolves when the frame has been fully
   * handled (for a CALL: once its answer has been sent).
   *
   * @example
   * ws.on('message', (data) => void endpoint.receive(data.toString('utf8')));
   */
  async receive(text: string): Promise<void> {
    this.emitFrame(text, 'in');
    if (this.isClosed) return;
    const parsed = parseFrame(text);
    if (!parsed.ok) return this.onInvalidFrame(text, parsed.error);
    const { frame } = parsed;
    if (frame.type === MessageTypeId.Call) await this.handleCall(frame, text);
    else this.settleCall(frame, text);
  }

  /**
   * Ends the session: rejects the call in flight and all queued calls with {@link RpcConnectionClosedError},
   * stops the timeout timer, and drops answers to CSMS CALLs still being handled. Idempotent.
   *
   * @example
   * transport.on('close', () => endpoint.close());
   */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.queue.close();
  }

  /** An answer to our CALL: settles it synchronously (no promise per answer) and frees the slot. */
  private settleCall(frame: CallResultFrame | CallErrorFrame, text: string): void {
    const call = this.queue.take(frame.messageId);
    if (!call) {
      this.report({ kind: 'unknown-response', messageId: frame.messageId, text });
      return;
    }
    if (frame.type === MessageTypeId.CallError) {
      call.fail(new OcppRpcError(frame.errorCode, frame.description, frame.details));
    } else {
      this.settleWithResult(call, frame.payload);
    }
    this.queue.pump();
  }

  private settleWithResult(call: OutgoingCall, payload: unknown): void {
    let failure: ValidationFailure | null;
    try {
      failure = this.options.validator.validateResponse(call.action, payload);
    } catch (error) {
      this.report({ kind: 'internal-error', messageId: call.messageId, error });
      call.fail(error);
      return;
    }
    if (failure) this.rejectInvalidResult(call, failure.code, failure.description, failure.details);
    else call.succeed(payload);
  }

  private rejectInvalidResult(
    call: OutgoingCall,
    code: RpcErrorCode,
    description: string,
    details: RpcErrorDetails = {},
  ): void {
    const error = new RpcInvalidMessageError(
      'incoming-result',
      call.action,
      call.messageId,
      code,
      description,
      details,
    );
    this.report({ kind: 'invalid-call-result', action: call.action, messageId: call.messageId, error });
    call.fail(error);
  }

  private onInvalidFrame(text: string, error: FrameError): void {
    // A malformed answer to our pending CALL rejects that call instead of leaving it to time out.
    const call = error.reply ? undefined : this.queue.take(error.messageId);
    if (call) {
      this.rejectInvalidResult(call, error.code, error.description);
      this.queue.pump();
      return;
    }
    if (error.reply)
      this.transmit(serializeCallError(error.messageId, error.code, error.description), error.messageId);
    this.report({
      kind: 'invalid-frame',
      text,
      messageId: error.messageId,
      code: error.code,
      description: error.description,
      replied: error.reply,
    });
  }

  private async handleCall(frame: CallFrame, received: string): Promise<void> {
    const { messageId, action } = frame;
    if (this.incomingInProgress.has(messageId)) {
      // Part 4 §4.2.3: "an existing call with the same unique identifier is being handled already".
      const description = `A call with message id ${messageId} is already being handled`;
      this.report({
        kind: 'rejected-call',
        action,
        messageId,
        code: 'RpcFrameworkError',
        description,
        details: {},
      });
      this.transmit(serializeCallError(messageId, 'RpcFrameworkError', description), messageId);
      return;
    }
    this.incomingInProgress.add(messageId);
    let text: string;
    try {
      text = await this.answer(frame, received);
    } catch (error) {
      // Only a faulty validator can get here; the CSMS still gets an answer.
      this.report({ kind: 'internal-error', messageId, error });
      text = serializeCallError(messageId, 'InternalError', `${action} could not be processed`);
    } finally {
      this.incomingInProgress.delete(messageId);
    }
    this.transmit(text, messageId);
  }

  /** The CALLRESULT or CALLERROR text answering one CALL from the CSMS. */
  private async answer(frame: CallFrame, received: string): Promise<string> {
    const { messageId, action, payload } = frame;
    const { validator } = this.options;
    const refuse = (code: RpcErrorCode, description: string, details: RpcErrorDetails = {}): string => {
      this.report({ kind: 'rejected-call', action, messageId, code, description, details });
      return serializeCallError(messageId, code, description, details);
    };
    const closed = this.options.gate?.(action);
    if (closed) return refuse(closed.code, closed.description, closed.details);
    if (!validator.isOcppAction(action))
      return refuse('NotImplemented', `${action} is not a known OCPP 2.0.1 action`);
    // A known action in the wrong direction (e.g. BootNotification from the CSMS) is "recognized but not supported".
    if (!CSMS_INITIATED_ACTIONS.has(action) || !this.supported.has(action)) {
      return refuse('NotSupported', `${action}Request is not supported by this Charging Station`);
    }
    const invalid = validator.validateRequest(action, payload);
    if (invalid) return refuse(invalid.code, invalid.description, invalid.details);

    const internalError = serializeCallError(messageId, 'InternalError', `${action} could not be processed`);
    let response: unknown;
    try {
      response = await this.options.handler(action, payload, messageId, {
        frameBytes: Buffer.byteLength(received, 'utf8'),
      });
    } catch (error) {
      if (error instanceof OcppRpcError)
        return serializeCallError(messageId, error.code, error.description, error.details);
      // Internal details stay in the station's log (onError), not in the CSMS's.
      this.report({ kind: 'handler-error', action, messageId, error });
      return internalError;
    }
    const failure = validator.validateResponse(action, response);
    if (failure) {
      this.report({ kind: 'invalid-handler-response', action, messageId, failure });
      return internalError;
    }
    try {
      return serializeCallResult(messageId, response);
    } catch (error) {
      this.report({ kind: 'handler-error', action, messageId, error });
      return internalError;
    }
  }

  /** Sends an answer (CALLRESULT/CALLERROR): not subject to the one-CALL-in-flight rule. */
  private transmit(text: string, messageId: string): void {
    if (this.isClosed) {
      this.report({ kind: 'send-failed', messageId, error: new Error('the RPC session is closed') });
      return;
    }
    try {
      this.options.send(text);
    } catch (error) {
      this.report({ kind: 'send-failed', messageId, error });
      return;
    }
    this.emitFrame(text, 'out');
  }

  private emitFrame(text: string, direction: FrameDirection): void {
    try {
      this.options.onFrame?.(text, direction);
    } catch (error) {
      this.report({ kind: 'frame-hook-error', error });
    }
  }

  private report(issue: RpcIssue): void {
    try {
      this.options.onError?.(issue);
    } catch {
      // A failing error hook has nowhere left to report to; the RPC session must go on.
    }
  }
}
