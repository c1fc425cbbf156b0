import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { Transport, type TransportCloseEvent, type TransportOptions } from '../../src/transport/transport.js';
import { TransportConfigError, TransportError } from '../../src/transport/errors.js';
import { startWsServer } from '../helpers/ws-server.js';
import { nextEvent } from '../../src/testing/wait-for.js';
import { expectConnectError, password, requireBasicAuth, withServer } from '../helpers/transport-fixtures.js';

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
      pingIntervalSeconds: 0.1,
    });
    let closes = 0;
    transport.on('close', () => void closes++);
    await transport.connect();
    const connection = await server.waitForConnection();
    // Three pings answered in a row: at least two checks "pong arrived before the next ping". The interval
    // leaves 100 ms for each pong so that a loaded machine does not fake a timeout.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for 3 pings')), 5_000);
      const check = (): void => {
        if (connection.pings >= 3) {
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
