import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { Transport, type TransportCloseEvent, type TransportOptions } from '../../src/transport/transport.js';
import { TransportConfigError, TransportError, type TransportErrorKind } from '../../src/transport/errors.js';
import { peerCommonName, startWsServer, type TestWsServer } from '../helpers/ws-server.js';
import { testPki } from '../helpers/pki.js';
import { nextEvent } from '../../src/testing/wait-for.js';

const password = 'S3cr3t-Passw0rd-16+';

function basicAuthOf(identity: string, pass: string): string {
  return `Basic ${Buffer.from(`${identity}:${pass}`, 'utf8').toString('base64')}`;
}

/** Accepts only `identity:password` in the Authorization header (A00.FR.207). */
function requireBasicAuth(identity: string, pass: string) {
  return (request: IncomingMessage): number | undefined =>
    request.headers.authorization === basicAuthOf(identity, pass) ? undefined : 401;
}

async function expectConnectError(transport: Transport, kind: TransportErrorKind): Promise<TransportError> {
  let caught: unknown;
  await transport.connect().catch((e: unknown) => (caught = e));
  assert.ok(caught instanceof TransportError, `expected TransportError, got ${String(caught)}`);
  assert.equal(caught.kind, kind, caught.message);
  assert.equal(transport.state, 'closed');
  return caught;
}

async function withServer(server: TestWsServer, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } finally {
    await server.close();
  }
}

test('security profile 1: the right password is accepted; frames flow both ways; close is reported', async () => {
  const identity = 'RDAM 123';
  const server = await startWsServer({ verify: requireBasicAuth(identity, password) });
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity,
      securityProfile: 1,
      basicAuthPassword: password,
    });
    const received: string[] = [];
    transport.on('message', (text) => received.push(text));
    const opened = nextEvent<void>((l) => transport.on('open', l), 'open');
    await transport.connect();
    await opened;
    assert.equal(transport.state, 'open');
    const connection = await server.waitForConnection();
    // Part 4 §3.1.1 example 2: the identity is percent-encoded and appended with one "/".
    assert.equal(connection.request.url, '/ocpp/RDAM%20123');
    assert.equal(connection.socket.protocol, 'ocpp2.0.1');
    assert.equal(connection.request.headers['sec-websocket-protocol'], 'ocpp2.0.1');

    transport.send('[2,"1","Heartbeat",{}]');
    assert.equal(await server.waitForMessage(connection), '[2,"1","Heartbeat",{}]');
    const message = nextEvent<string>((l) => transport.on('message', l), 'message');
    connection.socket.send('[3,"1",{"currentTime":"2024-05-01T10:00:00Z"}]');
    assert.equal(await message, '[3,"1",{"currentTime":"2024-05-01T10:00:00Z"}]');

    const closed = nextEvent<TransportCloseEvent>((l) => transport.on('close', l), 'close');
    await transport.close(1000, 'bye');
    assert.deepEqual(await closed, { code: 1000, reason: 'bye', initiatedByUs: true, pingTimeout: false });
    assert.deepEqual(await connection.closed, { code: 1000, reason: 'bye' });
    assert.deepEqual(received, ['[3,"1",{"currentTime":"2024-05-01T10:00:00Z"}]']);
    assert.throws(() => transport.send('x'), /cannot send: transport is closed/);
  });
});

test('security profile 1: a wrong password is refused with the HTTP status', async () => {
  const server = await startWsServer({ verify: requireBasicAuth('CS001', password) });
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 1,
      basicAuthPassword: 'wrong-password-123456',
    });
    const error = await expectConnectError(transport, 'http-status');
    assert.equal(error.httpStatus, 401);
    assert.match(error.message, /HTTP 401/);
  });
});

test('a server that does not agree to ocpp2.0.1 is refused (Part 4 §3.2)', async () => {
  const server = await startWsServer({ protocol: () => false });
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 1,
      basicAuthPassword: password,
    });
    const error = await expectConnectError(transport, 'subprotocol');
    assert.match(error.message, /answered none/);
  });
});

test('a server that picks another subprotocol is refused', async () => {
  const server = await startWsServer({ protocol: () => 'ocpp1.6' });
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 1,
      basicAuthPassword: password,
    });
    const error = await expectConnectError(transport, 'subprotocol');
    assert.match(error.message, /"ocpp1\.6"/);
  });
});

test('security profile 2: the CSMS certificate verifies against the configured CA; Basic auth is sent', async () => {
  const pki = testPki();
  const server = await startWsServer({ tls: pki.server, verify: requireBasicAuth('CS001', password) });
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 2,
      basicAuthPassword: password,
      caCertificates: pki.ca.cert,
    });
    await transport.connect();
    const connection = await server.waitForConnection();
    assert.ok(server.url.startsWith('wss://'));
    assert.equal(connection.socket.protocol, 'ocpp2.0.1');
    await transport.close();
  });
});

test('security profile 2: a CSMS certificate from an untrusted CA is refused', async () => {
  const pki = testPki();
  const server = await startWsServer({ tls: pki.server });
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 2,
      basicAuthPassword: password,
      caCertificates: pki.otherCa.cert,
    });
    const error = await expectConnectError(transport, 'tls-server-certificate');
    assert.ok(error.code, 'the OpenSSL code is kept');
    assert.equal(server.connections.length, 0);
  });
});

test('security profile 2: a CSMS certificate for another host name is refused', async () => {
  const pki = testPki();
  const server = await startWsServer({ tls: pki.ca.issueServerCertificate({ hosts: ['csms.example.com'] }) });
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 2,
      basicAuthPassword: password,
      caCertificates: pki.ca.cert,
    });
    const error = await expectConnectError(transport, 'tls-server-certificate');
    assert.equal(error.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
  });
});

test('security profile 2: an expired CSMS certificate is refused', async () => {
  const pki = testPki();
  const server = await startWsServer({ tls: pki.ca.issueServerCertificate({ validDays: -1 }) });
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 2,
      basicAuthPassword: password,
      caCertificates: pki.ca.cert,
    });
    const error = await expectConnectError(transport, 'tls-server-certificate');
    assert.equal(error.code, 'CERT_HAS_EXPIRED');
  });
});

test('security profile 3: the client certificate is accepted and no Basic auth is sent', async () => {
  const pki = testPki();
  const server = await startWsServer({ tls: { ...pki.server, ca: pki.ca.cert, requestCert: true } });
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 3,
      caCertificates: pki.ca.cert,
      clientCertificate: pki.client,
    });
    await transport.connect();
    const connection = await server.waitForConnection();
    assert.equal(peerCommonName(connection.request), 'CS001');
    assert.equal(connection.request.headers.authorization, undefined);
    await transport.close();
  });
});

test('security profile 3 server: a station without a client certificate is refused', async () => {
  const pki = testPki();
  const server = await startWsServer({ tls: { ...pki.server, ca: pki.ca.cert, requestCert: true } });
  await withServer(server, async () => {
    // Profile 2 options: TLS and Basic auth, but no client certificate.
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 2,
      basicAuthPassword: password,
      caCertificates: pki.ca.cert,
    });
    let caught: unknown;
    await transport.connect().catch((e: unknown) => (caught = e));
    assert.ok(caught instanceof TransportError);
    assert.ok(['tls', 'network'].includes(caught.kind), `${caught.kind}: ${caught.message}`);
    assert.equal(server.connections.length, 0);
  });
});

test('security profile 3 server: a client certificate from an untrusted CA is refused', async () => {
  const pki = testPki();
  const server = await startWsServer({ tls: { ...pki.server, ca: pki.ca.cert, requestCert: true } });
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 3,
      caCertificates: pki.ca.cert,
      clientCertificate: pki.otherCa.issueClientCertificate({ commonName: 'CS001' }),
    });
    let caught: unknown;
    await transport.connect().catch((e: unknown) => (caught = e));
    assert.ok(caught instanceof TransportError);
    assert.ok(['tls', 'network'].includes(caught.kind), `${caught.kind}: ${caught.message}`);
    assert.equal(server.connections.length, 0);
  });
});

test('no pong before the next ping is due: the transport terminates and reports a ping timeout', async () => {
  const server = await startWsServer({ autoPong: false });
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 1,
      basicAuthPassword: password,
      pingIntervalSeconds: 0.02,
    });
    const closed = nextEvent<TransportCloseEvent>(
      (l) => transport.on('close', l),
      'close after ping timeout',
    );
    await transport.connect();
    const event = await closed;
    assert.deepEqual(event, { code: 1006, reason: '', initiatedByUs: true, pingTimeout: true });
    assert.equal(transport.state, 'closed');
    assert.ok(server.connections[0]!.pings >= 1);
  });
});

test('answered pings keep the connection open', async () => {
  const server = await startWsServer({ autoPong: true });
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 1,
      basicAuthPassword: password,
      pingIntervalSeconds: 0.01,
    });
    let closes = 0;
    transport.on('close', () => void closes++);
    await transport.connect();
    const connection = await server.waitForConnection();
    // Five pings answered in a row means at least four checks "pong arrived before the next ping".
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for 5 pings')), 5_000);
      const check = (): void => {
        if (connection.pings >= 5) {
          clearTimeout(timer);
          connection.socket.off('ping', check);
          resolve();
        }
      };
      connection.socket.on('ping', check);
    });
    assert.equal(transport.state, 'open');
    assert.equal(closes, 0);
    transport.setPingInterval(0);
    await transport.close();
  });
});

test('a close by the CSMS is reported with its code and reason', async () => {
  const server = await startWsServer();
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 1,
      basicAuthPassword: password,
    });
    const closed = nextEvent<TransportCloseEvent>((l) => transport.on('close', l), 'close');
    await transport.connect();
    const connection = await server.waitForConnection();
    connection.socket.close(4000, 'going away for maintenance');
    assert.deepEqual(await closed, {
      code: 4000,
      reason: 'going away for maintenance',
      initiatedByUs: false,
      pingTimeout: false,
    });
    // The same transport connects again (reconnect policy lives in the connection statechart).
    await transport.connect();
    await server.waitForConnection(1);
    await transport.close();
  });
});

test('connecting to a closed port fails as a network error; connect twice is refused', async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const transport = new Transport({
    csmsUrl: `ws://127.0.0.1:${port}/ocpp`,
    identity: 'CS001',
    securityProfile: 1,
    basicAuthPassword: password,
  });
  const first = transport.connect();
  await assert.rejects(transport.connect(), /cannot connect: transport is connecting/);
  await assert.rejects(
    first,
    (e: unknown) => e instanceof TransportError && e.kind === 'network' && e.code === 'ECONNREFUSED',
  );
});

test('a server that never answers the upgrade: handshake timeout, and close() aborts an attempt', async () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as { port: number };
  try {
    const options: TransportOptions = {
      csmsUrl: `ws://127.0.0.1:${port}`,
      identity: 'CS001',
      securityProfile: 1,
      basicAuthPassword: password,
    };
    await expectConnectError(new Transport({ ...options, handshakeTimeoutMs: 50 }), 'timeout');
    const aborted = new Transport(options);
    const attempt = aborted.connect();
    await aborted.close();
    await assert.rejects(attempt, (e: unknown) => e instanceof TransportError && e.kind === 'aborted');
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

// Configurations that cannot work: [name, options, variable named in the error].
const badConfigs: Array<[string, Partial<TransportOptions>, string]> = [
  [
    'profile 1 over wss://',
    { csmsUrl: 'wss://csms.example.com/ocpp' },
    'NetworkConnectionProfile.ocppCsmsUrl',
  ],
  ['profile 2 over ws://', { securityProfile: 2 }, 'NetworkConnectionProfile.ocppCsmsUrl'],
  ['profile 1 without password', { basicAuthPassword: '' }, 'SecurityCtrlr.BasicAuthPassword'],
  [
    'profile 2 without password',
    {
      csmsUrl: 'wss://csms.example.com/ocpp',
      securityProfile: 2,
      basicAuthPassword: undefined as unknown as string,
    },
    'SecurityCtrlr.BasicAuthPassword',
  ],
  [
    'profile 3 without client certificate',
    { csmsUrl: 'wss://csms.example.com/ocpp', securityProfile: 3 },
    'ChargingStationCertificate',
  ],
  ['profile 0', { securityProfile: 0 as 1 }, 'NetworkConnectionProfile.securityProfile'],
  ['an http:// URL', { csmsUrl: 'http://csms.example.com/ocpp' }, 'NetworkConnectionProfile.ocppCsmsUrl'],
  ['an identity with ":"', { identity: 'CS:001' }, 'SecurityCtrlr.Identity'],
  ['a negative ping interval', { pingIntervalSeconds: -1 }, 'OCPPCommCtrlr.WebSocketPingInterval'],
];

for (const [name, override, variable] of badConfigs) {
  test(`configuration refused: ${name}`, () => {
    const options = {
      csmsUrl: 'ws://csms.example.com/ocpp',
      identity: 'CS001',
      securityProfile: 1,
      basicAuthPassword: password,
      ...override,
    } as TransportOptions;
    assert.throws(
      () => new Transport(options),
      (e: unknown) =>
        e instanceof TransportConfigError && e.variable === variable && e.message.startsWith(variable),
    );
  });
}

test('setPingInterval refuses negative values', () => {
  const transport = new Transport({
    csmsUrl: 'ws://csms.example.com/ocpp',
    identity: 'CS001',
    securityProfile: 1,
    basicAuthPassword: password,
  });
  assert.throws(
    () => transport.setPingInterval(-5),
    /OCPPCommCtrlr\.WebSocketPingInterval must be a number of seconds >= 0/,
  );
  assert.equal(transport.url.href, 'ws://csms.example.com/ocpp/CS001');
});
