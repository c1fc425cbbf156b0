/**
 * OCPP-J 2.0.1 CALLERROR codes (OCPP 2.0.1 Part 4, §4.3 "CallError", table "Valid Error Codes").
 * docs/errors.md lists when this station sends each of them.
 */
export const RPC_ERROR_CODES = [
  'FormatViolation',
  'GenericError',
  'InternalError',
  'MessageTypeNotSupported',
  'NotImplemented',
  'NotSupported',
  'OccurrenceConstraintViolation',
  'PropertyConstraintViolation',
  'ProtocolError',
  'RpcFrameworkError',
  'SecurityError',
  'TypeConstraintViolation',
] as const;

export type RpcErrorCode = (typeof RPC_ERROR_CODES)[number];

/** Details object of a CALLERROR: any JSON object ({} when there is nothing to add). */
export type RpcErrorDetails = Record<string, unknown>;

/**
 * An error that becomes a CALLERROR frame `[4, messageId, code, description, details]` when thrown
 * by a handler of an incoming CALL, and the rejection reason of an outgoing CALL answered by one.
 *
 * @example
 * throw new OcppRpcError('NotSupported', 'ReserveNow is not supported by this station');
 */
export class OcppRpcError extends Error {
  override readonly name = 'OcppRpcError';
  constructor(
    readonly code: RpcErrorCode,
    readonly description: string,
    readonly details: RpcErrorDetails = {},
  ) {
    super(`${code}: ${description}`);
  }
}

/**
 * Reads an error code from a CSMS's CALLERROR tolerantly: the OCPP 1.6 misspellings
 * `FormationViolation` and `OccurenceConstraintViolation` still circulate in CSMS implementations.
 * Unknown codes become `GenericError` so that one odd peer never breaks correlation.
 *
 * @example
 * normalizeRpcErrorCode('OccurenceConstraintViolation'); // 'OccurrenceConstraintViolation'
 */
export function normalizeRpcErrorCode(code: unknown): RpcErrorCode {
  if (code === 'FormationViolation') return 'FormatViolation';
  if (code === 'OccurenceConstraintViolation') return 'OccurrenceConstraintViolation';
  return (RPC_ERROR_CODES as readonly unknown[]).includes(code) ? (code as RpcErrorCode) : 'GenericError';
}

/**
 * An outgoing CALL got no CALLRESULT/CALLERROR within OCPPCommCtrlr.MessageTimeout (Part 4 §4.1.1:
 * the CALL "has timed out"). The slot for the next CALL is free again when this is thrown.
 *
 * @example
 * try { await endpoint.call('Heartbeat', {}); } catch (e) { if (e instanceof RpcTimeoutError) retryLater(); }
 */
export class RpcTimeoutError extends Error {
  override readonly name = 'RpcTimeoutError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_RPC_TIMEOUT';
  constructor(
    readonly action: string,
    readonly messageId: string,
    readonly timeoutMs: number,
  ) {
    super(`${action} (message id ${messageId}) got no response within ${timeoutMs} ms`);
  }
}

/**
 * The connection session ended (or sending failed) before an outgoing CALL was answered.
 * `sent` tells whether the CALL frame left this station: when true the CSMS may have processed it,
 * so a retry must reuse `messageId` (Part 4 §4.1.4, errata 2024-09) and be idempotent.
 *
 * @example
 * endpoint.call('StatusNotification', req).catch((e) => { if (e instanceof RpcConnectionClosedError) queue(req); });
 */
export class RpcConnectionClosedError extends Error {
  override readonly name = 'RpcConnectionClosedError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_RPC_CONNECTION_CLOSED';
  constructor(
    readonly action: string,
    readonly messageId: string,
    readonly sent: boolean,
    options?: { cause?: unknown },
  ) {
    super(
      `${action} (message id ${messageId}) ${sent ? 'was sent but not answered' : 'was not sent'}: connection closed`,
      options,
    );
  }
}

/**
 * A message failed OCPP-J or schema checks on this station's side of an outgoing CALL:
 * `direction: 'outgoing-call'` - our own request was invalid and was NOT sent;
 * `direction: 'incoming-result'` - the CSMS's CALLRESULT was malformed or failed the response schema.
 * `code` is the OCPP-J code the failure corresponds to (no CALLERROR is ever sent for a CALLRESULT).
 *
 * @example
 * catch (e) { if (e instanceof RpcInvalidMessageError) log(e.code, e.details); }
 */
export class RpcInvalidMessageError extends Error {
  override readonly name = 'RpcInvalidMessageError';
  constructor(
    readonly direction: 'outgoing-call' | 'incoming-result',
    readonly action: string,
    readonly messageId: string,
    readonly code: RpcErrorCode,
    readonly description: string,
    readonly details: RpcErrorDetails = {},
  ) {
    super(
      direction === 'outgoing-call'
        ? `${action} request not sent, it is invalid: ${code}: ${description}`
        : `${action} response (message id ${messageId}) is invalid: ${code}: ${description}`,
    );
  }
}
