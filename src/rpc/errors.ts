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
