/**
 * Why a websocket connection attempt failed, classified so that the connection statechart can react
 * (e.g. A00.FR.310/413: an invalid CSMS certificate raises the InvalidCsmsCertificate security event;
 * A00.FR.316/419: a too old TLS version raises InvalidTLSVersion).
 */
export type TransportErrorKind =
  /** The CSMS answered the upgrade request with an HTTP status (e.g. 401 for a wrong password, 404 unknown identity). */
  | 'http-status'
  /** The CSMS did not agree to the `ocpp2.0.1` subprotocol (Part 4 §3.2). */
  | 'subprotocol'
  /** The CSMS's certificate did not verify against the configured CA or does not name the host. */
  | 'tls-server-certificate'
  /** No common TLS version of 1.2 or above (A00.FR.313). */
  | 'tls-version'
  /** Any other TLS failure, e.g. the CSMS refused our client certificate (security profile 3). */
  | 'tls'
  /** The opening handshake did not finish in time. */
  | 'timeout'
  /** The TCP connection failed or dropped (refused, reset, DNS, ...). */
  | 'network'
  /** `close()` was called while connecting. */
  | 'aborted';

/**
 * A failed connection attempt. `httpStatus` is set for `kind: 'http-status'`; `code` carries the
 * underlying Node.js/OpenSSL error code when there is one.
 *
 * @example
 * try { await transport.connect(); } catch (e) {
 *   if (e instanceof TransportError && e.kind === 'tls-server-certificate') raiseSecurityEvent('InvalidCsmsCertificate');
 * }
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  /**
   * Catalogue code (docs/errors.md), one per kind: `ERR_CONNECT_HTTP_STATUS`, ... `ERR_CONNECT_ABORTED`.
   * (`code` keeps the Node.js/OpenSSL code, as it always has.)
   */
  readonly errorCode: `ERR_CONNECT_${string}`;
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
    readonly details: { httpStatus?: number; code?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.errorCode = `ERR_CONNECT_${kind.toUpperCase().replaceAll('-', '_')}`;
  }

  get httpStatus(): number | undefined {
    return this.details.httpStatus;
  }

  get code(): string | undefined {
    return this.details.code;
  }
}

/**
 * A transport configuration that cannot work, naming the configuration variable at fault.
 *
 * @example
 * new TransportConfigError('SecurityCtrlr.Identity', 'must not contain ":"');
 */
export class TransportConfigError extends Error {
  override readonly name = 'TransportConfigError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_TRANSPORT_CONFIG';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
  }
}

const SERVER_CERTIFICATE_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const TLS_VERSION_CODES = new Set([
  'ERR_SSL_UNSUPPORTED_PROTOCOL',
  'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
]);

/** OpenSSL reasons (as in EPROTO messages) for "no TLS version in common". */
const TLS_VERSION_REASONS =
  /alert protocol version|unsupported protocol|wrong version number|no protocols available/i;

/**
 * Classifies a Node.js/ws error raised while connecting.
 *
 * @example
 * classifyConnectError(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' })).kind; // 'tls-server-certificate'
 */
export function classifyConnectError(error: Error & { code?: unknown }): TransportError {
  const code = typeof error.code === 'string' ? error.code : undefined;
  const details = { cause: error, ...(code === undefined ? {} : { code }) };
  if (code && SERVER_CERTIFICATE_CODES.has(code)) {
    return new TransportError(
      'tls-server-certificate',
      `CSMS certificate refused: ${error.message}`,
      details,
    );
  }
  // A TLS alert that arrives while our handshake bytes are being written surfaces as the socket
  // error EPROTO, with OpenSSL's reason only in the message ("write EPROTO ...:tlsv1 alert protocol
  // version:..."): a CSMS offering only TLS < 1.2 looks like this (A00.FR.316/419).
  const eproto = code === 'EPROTO';
  if ((code && TLS_VERSION_CODES.has(code)) || (eproto && TLS_VERSION_REASONS.test(error.message))) {
    return new TransportError(
      'tls-version',
      `no TLS version >= 1.2 in common with the CSMS: ${error.message}`,
      details,
    );
  }
  if (
    code?.startsWith('ERR_SSL_') ||
    code?.startsWith('ERR_TLS_') ||
    (eproto && /SSL routines/.test(error.message))
  ) {
    return new TransportError('tls', `TLS handshake failed: ${error.message}`, details);
  }
  if (/handshake has timed out/i.test(error.message)) {
    return new TransportError('timeout', `websocket opening handshake timed out`, details);
  }
  return new TransportError('network', `connection failed: ${error.message}`, details);
}
