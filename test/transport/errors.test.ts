import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyConnectError, type TransportErrorKind } from '../../src/transport/errors.js';

// [error code, message, kind]
const cases: Array<[string | undefined, string, TransportErrorKind]> = [
  ['CERT_HAS_EXPIRED', 'certificate has expired', 'tls-server-certificate'],
  ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', 'tls-server-certificate'],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', 'tls-server-certificate'],
  [
    'ERR_TLS_CERT_ALTNAME_INVALID',
    "Hostname/IP does not match certificate's altnames",
    'tls-server-certificate',
  ],
  ['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'tlsv1 alert protocol version', 'tls-version'],
  ['ERR_SSL_UNSUPPORTED_PROTOCOL', 'unsupported protocol', 'tls-version'],
  ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'tlsv13 alert certificate required', 'tls'],
  // Node reports an alert received while writing the handshake as the socket error EPROTO.
  [
    'EPROTO',
    'write EPROTO 804C0853C57F0000:error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 70',
    'tls-version',
  ],
  [
    'EPROTO',
    'write EPROTO 80FC:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 40',
    'tls',
  ],
  ['EPROTO', 'read EPROTO', 'network'],
  [undefined, 'Opening handshake has timed out', 'timeout'],
  ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1', 'network'],
  ['ECONNRESET', 'socket hang up', 'network'],
  ['ENOTFOUND', 'getaddrinfo ENOTFOUND csms.invalid', 'network'],
];

for (const [code, message, kind] of cases) {
  test(`${code ?? message} -> ${kind}`, () => {
    const error = classifyConnectError(Object.assign(new Error(message), code === undefined ? {} : { code }));
    assert.equal(error.kind, kind);
    assert.equal(error.code, code);
    assert.ok(error.cause instanceof Error);
  });
}
