/**
 * The vocabulary of an RPC session (endpoint.ts): frame directions, the incoming CALL handler, the
 * issues it reports, and the options of the endpoint and of one call.
 */
import type { OcppAction } from '../generated/ocpp-types.js';
import type { OcppRpcError, RpcErrorCode, RpcErrorDetails, RpcInvalidMessageError } from './errors.js';
import type { RpcValidator, ValidationFailure } from './validator.js';

/** Direction of a frame as seen by this station (libocpp's `ocpp_messages_callback(message, direction)`). */
export type FrameDirection = 'in' | 'out';

/** Facts about the received CALL frame, for handlers that enforce size limits. */
export interface IncomingCallInfo {
  /** UTF-8 length of the whole received frame (B06.FR.17/B08.FR.18: BytesPerMessage counts the message). */
  frameBytes: number;
}

/**
 * Answers one CALL from the CSMS. `payload` has already passed the request schema of `action`.
 * Return the response payload (it is checked against the response schema before it is sent), or
 * throw an {@link OcppRpcError} to answer with that CALLERROR. Any other throw answers InternalError.
 */
export type IncomingCallHandler = (
  action: OcppAction,
  payload: unknown,
  messageId: string,
  info: IncomingCallInfo,
) => unknown;

/** Something that went wrong without crashing anything; reported through `onError`. */
export type RpcIssue =
  /** A text that is not a usable OCPP-J frame (libocpp raises the InvalidMessages security event). */
  | {
      kind: 'invalid-frame';
      text: string;
      messageId: string;
      code: RpcErrorCode;
      description: string;
      replied: boolean;
    }
  /** A CALL from the CSMS answered with a CALLERROR before reaching the handler. */
  | {
      kind: 'rejected-call';
      action: string;
      messageId: string;
      code: RpcErrorCode;
      description: string;
      details: RpcErrorDetails;
    }
  /** A CALLRESULT/CALLERROR whose id matches no pending CALL of ours (e.g. it came after the timeout): ignored. */
  | { kind: 'unknown-response'; messageId: string; text: string }
  /** The handler threw something other than OcppRpcError: InternalError was sent. */
  | { kind: 'handler-error'; action: OcppAction; messageId: string; error: unknown }
  /** The handler returned a payload that fails the response schema (a bug of ours): InternalError was sent. */
  | { kind: 'invalid-handler-response'; action: OcppAction; messageId: string; failure: ValidationFailure }
  /** The CSMS's answer to our CALL was malformed or failed the response schema: the call was rejected. */
  | { kind: 'invalid-call-result'; action: OcppAction; messageId: string; error: RpcInvalidMessageError }
  /** Sending an answer to a CSMS CALL failed (or the session had closed): the answer is lost. */
  | { kind: 'send-failed'; messageId: string; error: unknown }
  /** A dependency (the validator) threw; an incoming CALL got InternalError, an outgoing call was rejected. */
  | { kind: 'internal-error'; messageId: string; error: unknown }
  /** The `onFrame` hook threw; the frame was processed anyway. */
  | { kind: 'frame-hook-error'; error: unknown };

/** What an RpcEndpoint is built with: how to send, validate and answer, and whom to tell. */
export interface RpcEndpointOptions {
  /** Sends one text frame. Throws if it cannot (e.g. the socket is not open). */
  send: (text: string) => void;
  validator: RpcValidator;
  /** Handles the CSMS's CALLs (see {@link IncomingCallHandler}). */
  handler: IncomingCallHandler;
  /** CSMS-initiated actions this station implements; other known actions are answered NotSupported. */
  supportedActions: Iterable<OcppAction>;
  /** OCPPCommCtrlr.MessageTimeout in milliseconds, read when each CALL is sent. */
  messageTimeoutMs: () => number;
  /** Actions `call()` may send; defaults to {@link STATION_INITIATED_ACTIONS}. */
  outgoingActions?: Iterable<OcppAction>;
  /** Every frame in and out, before it is interpreted / after it was handed to `send`. */
  onFrame?: (text: string, direction: FrameDirection) => void;
  onError?: (issue: RpcIssue) => void;
  /**
   * Checked first for every CALL from the CSMS, before the action or payload is looked at: an error
   * returned here is the answer (B03.FR.08: SecurityError to everything while Rejected).
   */
  gate?: (action: string) => OcppRpcError | null;
}

/** Options of one `call()`. */
export interface CallOptions {
  /** Reuse an id fixed earlier (retries of a stored message, Part 4 §4.1.4 errata 2024-09); default: a new UUID. */
  messageId?: string;
  /**
   * Abandons the call: a queued call is dropped; a call already sent rejects at once but keeps the
   * in-flight slot until its answer or timeout, because Part 4 §4.1.1 forbids a next CALL before then.
   */
  signal?: AbortSignal;
  /**
   * `payload` as JSON text that the caller already checked against the request schema (the message
   * queue checks every CALL before it accepts it, src/queue/outgoing-check.ts): the CALL is sent
   * with this text and not validated or stringified again (issue 9: a heartbeat paid both twice).
   */
  payloadJson?: string;
}
