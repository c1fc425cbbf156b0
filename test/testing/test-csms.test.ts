/**
 * The test CSMS (ocpp-rpc, strict mode) against this station's Transport + RpcEndpoint over real sockets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRPCError } from 'ocpp-rpc';
import { startTestCsms, type TestCsms } from '../../src/testing/test-csms.js';
import { nextEvent } from '../../src/testing/wait-for.js';
import { Transport, type TransportCloseEvent, type TransportOptions } from '../../src/transport/transport.js';
import { TransportError } from '../../src/transport/errors.js';
import { openRpcSession } from '../../src/transport/rpc-session.js';
import { OcppRpcError } from '../../src/rpc/errors.js';
import type { RpcEndpoint } from '../../src/rpc/endpoint.js';
import { ocppValidator as schemaValidator } from '../../src/validation/index.js';
import { testPki } from '../helpers/pki.js';

const password = 'Test-CSMS-password-1';
const boot = { reason: 'PowerUp', chargingStation: { model: 'SimModel', vendorName: 'SimVendor' } } as const;

async function station(
  csms: TestCsms,
  overrides: Partial<TransportOptions> = {},
): Promise<{ transport: Transport; endpoint: RpcEndpoint; handled: string[] }> {
  const transport = new Transport({
    csmsUrl: csms.url,
    identity: 'CS001',
    securityProfile: 1,
    basicAuthPassword: password,
    ...overrides,
  });
  await transport.connect();
  const handled: string[] = [];
  const endpoint = openRpcSession(transport, {
    validator: schemaValidator,
    handler: (action) => {
      handled.push(action);
      return { status: 'Accepted' };
    },
    supportedActions: ['Reset', 'ClearCache'],
    messageTimeoutMs: () => 10_000,
  });
  return { transport, endpoint, handled };
}

async function withCsms(csms: TestCsms, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } finally {
    await csms.close();
  }
}

test('boot exchange: the station boots, the CSMS logs the call and answers with its defaults', async () => {
  const csms = await startTestCsms({ passwords: { CS001: password }, boot: { heartbeatInterval: 120 } });
  await withCsms(csms, async () => {
    const { transport, endpoint } = await station(csms);
    const response = await endpoint.call('BootNotification', boot);
    assert.equal(response.status, 'Accepted');
    assert.equal(response.interval, 120);
    assert.ok(!Number.isNaN(Date.parse(response.currentTime)));
    const call = await csms.waitForCall('BootNotification');
    assert.deepEqual(call.payload, boot);
    assert.equal(call.identity, 'CS001');
    const heartbeat = await endpoint.call('Heartbeat', {});
    assert.ok(heartbeat.currentTime);
    assert.ok(await csms.waitForClient('CS001'));
    assert.deepEqual(
      csms.frames.map((f) => [f.direction, (JSON.parse(f.text) as unknown[])[0]]),
      [
        ['in', 2],
        ['out', 3],
        ['in', 2],
        ['out', 3],
      ],
    );
    assert.deepEqual(csms.validationFailures, []);
    await transport.close();
  });
});

test('CSMS -> station CALLs reach the station handler; CALLERRORs come back as rejections', async () => {
  const csms = await startTestCsms();
  await withCsms(csms, async () => {
    const { transport, handled } = await station(csms);
    assert.deepEqual(await csms.call('CS001', 'Reset', { type: 'Immediate' }), { status: 'Accepted' });
    assert.deepEqual(handled, ['Reset']);
    // Not in the station's supported set: NotSupported.
    await assert.rejects(
      csms.call('CS001', 'GetLocalListVersion', {}),
      (e: unknown) => (e as { rpcErrorCode?: string }).rpcErrorCode === 'NotSupported',
    );
    await assert.rejects(
      csms.call('NOPE', 'Reset', { type: 'Immediate' }),
      /no station "NOPE" is connected \(connected: CS001\)/,
    );
    await transport.close();
  });
});

test('strict mode: an invalid CALL from the station is refused by the CSMS, never reaching a handler', async () => {
  const csms = await startTestCsms();
  await withCsms(csms, async () => {
    const transport = new Transport({
      csmsUrl: csms.url,
      identity: 'CS001',
      securityProfile: 1,
      basicAuthPassword: password,
    });
    const reply = nextEvent<string>((l) => transport.on('message', l), 'CALLERROR from the CSMS');
    await transport.connect();
    // Raw frame: our RpcEndpoint would refuse to send it.
    transport.send('[2,"bad-1","BootNotification",{"reason":"PowerUp"}]');
    const [type, id, code] = JSON.parse(await reply) as [number, string, string];
    assert.deepEqual([type, id], [4, 'bad-1']);
    assert.match(code, /Occurr?enceConstraintViolation/);
    const failure = await csms.waitForValidationFailure();
    assert.deepEqual([failure.action, failure.isCall, failure.outbound], ['BootNotification', true, false]);
    assert.deepEqual(csms.calls, []);
    await transport.close();
  });
});

test('strict mode: an invalid CALLRESULT from the station rejects the CSMS call', async () => {
  const csms = await startTestCsms();
  await withCsms(csms, async () => {
    const transport = new Transport({
      csmsUrl: csms.url,
      identity: 'CS001',
      securityProfile: 1,
      basicAuthPassword: password,
    });
    transport.on('message', (text) => {
      const [, id] = JSON.parse(text) as [number, string];
      transport.send(JSON.stringify([3, id, { status: 'Whatever' }]));
    });
    await transport.connect();
    await csms.waitForClient('CS001');
    await assert.rejects(csms.call('CS001', 'Reset', { type: 'Immediate' }));
    const failure = await csms.waitForValidationFailure();
    assert.deepEqual([failure.action, failure.isCall, failure.outbound], ['Reset', false, false]);
    await transport.close();
  });
});

test('onCall replaces a default answer; a thrown RPC error reaches the station as OcppRpcError', async () => {
  const csms = await startTestCsms();
  await withCsms(csms, async () => {
    csms.onCall('BootNotification', () => ({
      currentTime: '2024-05-01T10:00:00Z',
      interval: 10,
      status: 'Pending',
    }));
    csms.onCall('Authorize', () => {
      throw createRPCError('SecurityError', 'tokens are not accepted here');
    });
    const { transport, endpoint } = await station(csms);
    assert.deepEqual(await endpoint.call('BootNotification', boot), {
      currentTime: '2024-05-01T10:00:00Z',
      interval: 10,
      status: 'Pending',
    });
    await assert.rejects(
      endpoint.call('Authorize', { idToken: { idToken: 'AB12', type: 'ISO14443' } }),
      (e: unknown) => {
        assert.ok(e instanceof OcppRpcError);
        assert.equal(e.code, 'SecurityError');
        assert.equal(e.description, 'tokens are not accepted here');
        return true;
      },
    );
    await transport.close();
  });
});

test('waitForCall walks the log in order and fails clearly on timeout', async () => {
  const csms = await startTestCsms();
  await withCsms(csms, async () => {
    const { transport, endpoint } = await station(csms);
    await endpoint.call('StatusNotification', {
      timestamp: '2024-05-01T10:00:00Z',
      connectorStatus: 'Available',
      evseId: 1,
      connectorId: 1,
    });
    await endpoint.call('StatusNotification', {
      timestamp: '2024-05-01T10:00:00Z',
      connectorStatus: 'Available',
      evseId: 2,
      connectorId: 1,
    });
    const first = await csms.waitForCall('StatusNotification');
    const second = await csms.waitForCall('StatusNotification');
    assert.deepEqual(
      [(first.payload as { evseId: number }).evseId, (second.payload as { evseId: number }).evseId],
      [1, 2],
    );
    await assert.rejects(
      csms.waitForCall('StatusNotification', undefined, 20),
      /timed out after 20 ms waiting for a StatusNotification call at the test CSMS \(received so far: StatusNotification, StatusNotification\)/,
    );
    await transport.close();
  });
});

test('security profile 1: a wrong password is refused with HTTP 401', async () => {
  const csms = await startTestCsms({ passwords: { CS001: password } });
  await withCsms(csms, async () => {
    const transport = new Transport({
      csmsUrl: csms.url,
      identity: 'CS001',
      securityProfile: 1,
      basicAuthPassword: 'not-the-password-xx',
    });
    await assert.rejects(
      transport.connect(),
      (e: unknown) => e instanceof TransportError && e.kind === 'http-status' && e.httpStatus === 401,
    );
    assert.equal(csms.clients.size, 0);
  });
});

test('a CSMS speaking only ocpp1.6 is refused by the station', async () => {
  const csms = await startTestCsms({ protocols: ['ocpp1.6'] });
  await withCsms(csms, async () => {
    const transport = new Transport({
      csmsUrl: csms.url,
      identity: 'CS001',
      securityProfile: 1,
      basicAuthPassword: password,
    });
    await assert.rejects(
      transport.connect(),
      (e: unknown) => e instanceof TransportError && e.kind === 'subprotocol',
    );
  });
});

test('security profile 2 over TLS with Basic auth', async () => {
  const pki = testPki();
  const csms = await startTestCsms({ tls: pki.server, passwords: { CS001: password } });
  await withCsms(csms, async () => {
    assert.match(csms.url, /^wss:\/\/127\.0\.0\.1:\d+$/);
    const { transport, endpoint } = await station(csms, { securityProfile: 2, caCertificates: pki.ca.cert });
    assert.equal((await endpoint.call('BootNotification', boot)).status, 'Accepted');
    await transport.close();
  });
});

test('security profile 3: client certificate required; a station without one is refused', async () => {
  const pki = testPki();
  const csms = await startTestCsms({
    tls: { ...pki.server, ca: pki.ca.cert, requireClientCertificate: true },
  });
  await withCsms(csms, async () => {
    const { transport, endpoint } = await station(csms, {
      securityProfile: 3,
      caCertificates: pki.ca.cert,
      clientCertificate: pki.client,
    });
    assert.equal((await endpoint.call('BootNotification', boot)).status, 'Accepted');
    await transport.close();
    const without = new Transport({
      csmsUrl: csms.url,
      identity: 'CS002',
      securityProfile: 2,
      basicAuthPassword: password,
      caCertificates: pki.ca.cert,
    });
    await assert.rejects(without.connect(), TransportError);
  });
});

test('disconnect() closes the station connection from the CSMS side', async () => {
  const csms = await startTestCsms();
  await withCsms(csms, async () => {
    const { transport, endpoint } = await station(csms);
    await csms.waitForClient('CS001');
    const closed = nextEvent<TransportCloseEvent>((l) => transport.on('close', l), 'station transport close');
    await csms.disconnect('CS001', 4001, 'maintenance');
    assert.deepEqual(await closed, {
      code: 4001,
      reason: 'maintenance',
      initiatedByUs: false,
      pingTimeout: false,
    });
    assert.equal(endpoint.closed, true);
  });
});
