import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConnectionSecurityEvents,
  securityEventForConnectFailure,
} from '../../src/runtime/connection-security-events.js';
import { TransportConfigError, TransportError } from '../../src/transport/errors.js';

const failure = (kind: TransportError['kind'], httpStatus?: number) =>
  new TransportError(kind, `${kind} failure`, httpStatus === undefined ? {} : { httpStatus });

// [error, event type or null, critical]
const cases: Array<[string, unknown, string | null, boolean?]> = [
  [
    'untrusted CSMS certificate (A00.FR.310/413)',
    failure('tls-server-certificate'),
    'InvalidCsmsCertificate',
    true,
  ],
  ['TLS below 1.2 (A00.FR.316/419)', failure('tls-version'), 'InvalidTLSVersion', true],
  [
    'HTTP 401: credentials refused (appendix 1)',
    failure('http-status', 401),
    'FailedToAuthenticationAtCsms',
    false,
  ],
  ['HTTP 404: unknown identity', failure('http-status', 404), null],
  ['client certificate refused by the CSMS', failure('tls'), null],
  ['network', failure('network'), null],
  ['timeout', failure('timeout'), null],
  ['a configuration error', new TransportConfigError('SecurityCtrlr.Identity', 'is empty'), null],
  ['not an error at all', 'boom', null],
];

for (const [name, error, type, critical] of cases) {
  test(`${name} -> ${type ?? 'no security event'}`, () => {
    const event = securityEventForConnectFailure(error);
    if (type === null) return assert.equal(event, null);
    assert.equal(event?.type, type);
    assert.equal(event?.critical, critical);
    assert.equal(event?.techInfo, (error as Error).message);
  });
}

test('A00.FR.316 note: a critical event is raised once per series of failed attempts; a connection ends the series', () => {
  const events = new ConnectionSecurityEvents();
  const certificate = failure('tls-server-certificate');
  assert.equal(events.onConnectFailed(certificate)?.type, 'InvalidCsmsCertificate');
  assert.equal(events.onConnectFailed(certificate), null);
  // Another kind of failure in the same series is raised once too.
  assert.equal(events.onConnectFailed(failure('tls-version'))?.type, 'InvalidTLSVersion');
  assert.equal(events.onConnectFailed(failure('tls-version')), null);
  events.onConnected();
  assert.equal(events.onConnectFailed(certificate)?.type, 'InvalidCsmsCertificate');
});

test('non-critical events are logged on every failed attempt', () => {
  const events = new ConnectionSecurityEvents();
  const refused = failure('http-status', 401);
  assert.equal(events.onConnectFailed(refused)?.type, 'FailedToAuthenticationAtCsms');
  assert.equal(events.onConnectFailed(refused)?.type, 'FailedToAuthenticationAtCsms');
  assert.equal(events.onConnectFailed(failure('network')), null);
});
