/**
 * The one catalogue of error codes (docs/errors.md, "Error codes", lists each with its meaning,
 * source and what to do; a test keeps the two equal). Every error class of the library carries one
 * of these as `code`; `describeError` turns anything reported through `onError` into the code,
 * severity, message and context of an `error` event.
 */
import type { RPC_ERROR_CODES } from '../rpc/errors.js';

/** How bad it is: `info` (expected, nothing to do), `warning` (handled, worth a look), `error` (something failed and was not done), `fatal` (the station cannot run). */
export type ErrorSeverity = 'info' | 'warning' | 'error' | 'fatal';

/** Severity of every catalogue code. The OCPP-J codes (Part 4 §4.3) are catalogue codes too. */
export const ERROR_CATALOGUE = {
  ERR_DEVICE_MODEL_CONFIG: 'fatal',
  ERR_DEVICE_MODEL_VALUE_DROPPED: 'warning',
  ERR_VARIABLE_PATH: 'error',
  ERR_SETTING_VALUE: 'warning',
  ERR_NETWORK_PROFILE: 'error',
  ERR_STORE: 'fatal',
  ERR_PERSISTENCE: 'error',
  ERR_RESTORE_ROW: 'warning',
  ERR_JOURNAL_STOPPED: 'info',
  ERR_STORED_MESSAGE: 'error',
  ERR_LOCAL_SEND: 'error',
  ERR_NOT_DELIVERED: 'info',
  ERR_MESSAGE_DISCARDED: 'warning',
  ERR_QUEUE_BOUND_DROP: 'warning',
  ERR_CALLBACK: 'error',
  ERR_SMART_CHARGING_INPUT: 'error',
  ERR_RPC_TIMEOUT: 'warning',
  ERR_RPC_CONNECTION_CLOSED: 'info',
  ERR_RPC_INVALID_FRAME: 'warning',
  ERR_RPC_REJECTED_CALL: 'info',
  ERR_RPC_UNKNOWN_RESPONSE: 'warning',
  ERR_RPC_HANDLER: 'error',
  ERR_RPC_INVALID_HANDLER_RESPONSE: 'error',
  ERR_RPC_INVALID_CALL_RESULT: 'warning',
  ERR_RPC_SEND_FAILED: 'warning',
  ERR_RPC_INTERNAL: 'error',
  ERR_RPC_FRAME_HOOK: 'error',
  ERR_CONNECT_HTTP_STATUS: 'warning',
  ERR_CONNECT_SUBPROTOCOL: 'error',
  ERR_CONNECT_TLS_SERVER_CERTIFICATE: 'error',
  ERR_CONNECT_TLS_VERSION: 'error',
  ERR_CONNECT_TLS: 'warning',
  ERR_CONNECT_TIMEOUT: 'warning',
  ERR_CONNECT_NETWORK: 'warning',
  ERR_CONNECT_ABORTED: 'info',
  ERR_TRANSPORT_CONFIG: 'error',
  ERR_LISTENER: 'warning',
  ERR_CERTIFICATE_FORMAT: 'warning',
  ERR_CERTIFICATE_INSTALL: 'fatal',
  ERR_TRANSFER: 'warning',
  ERR_RECORDING: 'error',
  ERR_INTERNAL: 'error',
  ERR_CLI_USAGE: 'fatal',
  ERR_CLI_COMMAND: 'info',
  ERR_SIM_HARDWARE: 'info',
  // OCPP-J CALLERROR codes (OcppRpcError, RpcInvalidMessageError): the CSMS's or our own.
  FormatViolation: 'warning',
  GenericError: 'warning',
  InternalError: 'error',
  MessageTypeNotSupported: 'warning',
  NotImplemented: 'warning',
  NotSupported: 'warning',
  OccurrenceConstraintViolation: 'warning',
  PropertyConstraintViolation: 'warning',
  ProtocolError: 'warning',
  RpcFrameworkError: 'warning',
  SecurityError: 'warning',
  TypeConstraintViolation: 'warning',
} as const satisfies Record<string, ErrorSeverity> & Record<(typeof RPC_ERROR_CODES)[number], ErrorSeverity>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** What an `error` event says about a reported error. */
export interface DescribedError {
  code: ErrorCode;
  severity: ErrorSeverity;
  message: string;
  context: Record<string, unknown>;
}

const RPC_ISSUE_CODES: Record<string, ErrorCode> = {
  'invalid-frame': 'ERR_RPC_INVALID_FRAME',
  'rejected-call': 'ERR_RPC_REJECTED_CALL',
  'unknown-response': 'ERR_RPC_UNKNOWN_RESPONSE',
  'handler-error': 'ERR_RPC_HANDLER',
  'invalid-handler-response': 'ERR_RPC_INVALID_HANDLER_RESPONSE',
  'invalid-call-result': 'ERR_RPC_INVALID_CALL_RESULT',
  'send-failed': 'ERR_RPC_SEND_FAILED',
  'internal-error': 'ERR_RPC_INTERNAL',
  'frame-hook-error': 'ERR_RPC_FRAME_HOOK',
};

/** Fields every Error has, left out of `context`. */
const NOT_CONTEXT = new Set(['name', 'message', 'stack', 'cause', 'code', 'errorCode']);

/**
 * Is `code` a code of the catalogue?
 *
 * @example
 * isErrorCode('ERR_STORE'); // true
 */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CATALOGUE, code);
}

/**
 * The catalogue code of an error of the library: its `code`, or for a TransportError (whose `code`
 * is the Node.js/OpenSSL code) its `errorCode`; undefined for anything else.
 *
 * @example
 * errorCodeOf(new StoreError('x.db', 'not a database')); // 'ERR_STORE'
 * errorCodeOf(new Error('boom')); // undefined
 */
export function errorCodeOf(error: unknown): ErrorCode | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { errorCode, code } = error as { errorCode?: unknown; code?: unknown };
  if (isErrorCode(errorCode)) return errorCode;
  return isErrorCode(code) ? code : undefined;
}

/**
 * The catalogue code, severity, message and context of anything reported through `onError`: an
 * error of the library (its `code`), an RPC issue (`{ kind }`, src/rpc/endpoint.ts), or anything else
 * (`ERR_INTERNAL`). `fatal` marks an error that stopped the station from starting.
 *
 * @example
 * describeError(new StoreError('x.db', 'not a database')); // { code: 'ERR_STORE', severity: 'fatal', message: 'x.db: not a database', context: { file: 'x.db' } }
 */
export function describeError(error: unknown, options: { fatal?: boolean } = {}): DescribedError {
  const described = classify(error);
  return options.fatal ? { ...described, severity: 'fatal' } : described;
}

function classify(error: unknown): DescribedError {
  if (error instanceof Error) {
    const raw = (error as { code?: unknown }).code;
    const code: ErrorCode = errorCodeOf(error) ?? 'ERR_INTERNAL';
    const context = contextOf(error);
    // A foreign error's own code (SQLITE_BUSY, ECONNRESET, ...) stays visible.
    if (raw !== undefined && raw !== code) context['code'] = raw;
    return { code, severity: ERROR_CATALOGUE[code], message: error.message, context };
  }
  const kind = (error as { kind?: unknown } | null)?.kind;
  if (typeof kind === 'string' && RPC_ISSUE_CODES[kind] !== undefined) {
    const code = RPC_ISSUE_CODES[kind];
    const issue = error as Record<string, unknown>;
    const inner = issue['error'] ?? issue['failure'];
    const detail =
      typeof issue['description'] === 'string'
        ? issue['description']
        : inner instanceof Error
          ? inner.message
          : typeof (inner as { description?: unknown } | undefined)?.description === 'string'
            ? (inner as { description: string }).description
            : undefined;
    const context: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(issue))
      if (key !== 'error' && key !== 'failure') context[key] = value;
    return {
      code,
      severity: ERROR_CATALOGUE[code],
      message: detail === undefined ? kind : `${kind}: ${detail}`,
      context,
    };
  }
  return { code: 'ERR_INTERNAL', severity: 'error', message: String(error), context: {} };
}

/** The error's own facts (the file, variable, action, ... it names), JSON-friendly. */
function contextOf(error: Error): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (NOT_CONTEXT.has(key) || typeof value === 'function') continue;
    context[key] = value instanceof Error ? value.message : value;
  }
  return context;
}
