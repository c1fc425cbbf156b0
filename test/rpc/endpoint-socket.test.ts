/**
 * RpcEndpoint over a real websocket (Transport on 127.0.0.1): every CALLERROR code the station sends,
 * every code it reads from the CSMS, timeout and connection loss.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Transport } from '../../src/transport/transport.js';
import { openRpcSession } from '../../src/transport/rpc-session.js';
import type { RpcEndpoint, RpcEndpointOptions } from '../../src/rpc/endpoint.js';
import {
  OcppRpcError,
  RPC_ERROR_CODES,
  RpcConnectionClosedError,
  RpcInvalidMessageError,
  RpcTimeoutError,
  type RpcErrorCode,
} from '../../src/rpc/errors.js';
import { ocppValidator as schemaValidator } from '../../src/validation/index.js';
import { startWsServer, type ServerConnection } from '../helpers/ws-server.js';

async function session(overrides: Partial<Omit<RpcEndpointOptions, 'send'>> = {}): Promise<{
  endpoint: RpcEndpoint;
  connection: ServerConnection;
  next: (frame: string) => Promise<unknown[]>;
  received: (index: number) => Promise<unknown[]>;
  done: () => Promise<void>;
}> {
  const server = await startWsServer();
  const transport = new Transport({
    csmsUrl: server.url,
    identity: 'CS001',
    securityProfile: 1,
    basicAuthPassword: 'pw-pw-pw-pw-pw-pw-1',
  });
  await transport.connect();
  const endpoint = openRpcSession(transport, {
    validator: schemaValidator,
    handler: (action) => {
      if (action === 'GetLog') throw new OcppRpcError('SecurityError', 'log upload not allowed');
      if (action === 'UnlockConnector') throw new Error('hardware fault');
      if (action === 'TriggerMessage') return { status: 'Nope' };
      return { status: 'Accepted' };
    },
    supportedActions: ['Reset', 'GetLog', 'UnlockConnector', 'TriggerMessage'],
    messageTimeoutMs: () => 30_000,
    ...overrides,
  });
  const connection = await server.waitForConnection();
  return {
    endpoint,
    connection,
    /** Sends a frame from the CSMS and returns the station's next frame, parsed. */
    next: async (frame) => {
      const reply = server.waitForMessage(connection);
      connection.socket.send(frame);
      return JSON.parse(await reply) as unknown[];
    },
    /** The station's frame number `index` on this connection, parsed. */
    received: async (index) => JSON.parse(await server.messageAt(connection, index)) as unknown[],
    done: async () => {
      await transport.close();
      await server.close();
    },
  };
}

// Frames from the CSMS and the CALLERROR code the station answers with.
const stationCodes: Array<[string, RpcErrorCode, string]> = [
  ['{broken', 'RpcFrameworkError', '-1'],
  ['[9,"m1",{}]', 'MessageTypeNotSupported', 'm1'],
  ['[2,"m1","Reset",{},{}]', 'ProtocolError', 'm1'],
  ['[2,"m1","SelfDestruct",{}]', 'NotImplemented', 'm1'],
  ['[2,"m1","Heartbeat",{}]', 'NotSupported', 'm1'],
  ['[2,"m1","Reset",{"type":"Immediate","extra":1}]', 'FormatViolation', 'm1'],
  ['[2,"m1","Reset",{}]', 'OccurrenceConstraintViolation', 'm1'],
  ['[2,"m1","Reset",{"type":"Soon"}]', 'PropertyConstraintViolation', 'm1'],
  ['[2,"m1","Reset",{"type":"Immediate","evseId":"one"}]', 'TypeConstraintViolation', 'm1'],
  [
    '[2,"m1","GetLog",{"logType":"DiagnosticsLog","requestId":1,"log":{"remoteLocation":"ftp://x"}}]',
    'SecurityError',
    'm1',
  ],
  ['[2,"m1","UnlockConnector",{"evseId":1,"connectorId":1}]', 'InternalError', 'm1'],
  ['[2,"m1","TriggerMessage",{"requestedMessage":"Heartbeat"}]', 'InternalError', 'm1'],
];

for (const [frame, code, messageId] of stationCodes) {
  test(`over a socket: ${frame} -> CALLERROR ${code}`, async () => {
    const s = await session();
    try {
      const reply = await s.next(frame);
      assert.deepEqual(reply.slice(0, 3), [4, messageId, code]);
      assert.equal(reply.length, 5);
    } finally {
      await s.done();
    }
  });
}

test('over a socket: a valid CALL gets its CALLRESULT', async () => {
  const s = await session();
  try {
    assert.deepEqual(await s.next('[2,"m1","Reset",{"type":"Immediate"}]'), [
      3,
      'm1',
      { status: 'Accepted' },
    ]);
  } finally {
    await s.done();
  }
});

for (const code of RPC_ERROR_CODES) {
  test(`over a socket: a CALLERROR ${code} from the CSMS rejects the call with that code`, async () => {
    const s = await session();
    try {
      const call = s.endpoint.call('Heartbeat', {});
      const [, id] = await s.received(0);
      s.connection.socket.send(JSON.stringify([4, id, code, `csms says ${code}`, { hint: 1 }]));
      await assert.rejects(call, (e: unknown) => {
        assert.ok(e instanceof OcppRpcError);
        assert.equal(e.code, code);
        assert.equal(e.description, `csms says ${code}`);
        assert.deepEqual(e.details, { hint: 1 });
        return true;
      });
    } finally {
      await s.done();
    }
  });
}

test('over a socket: an invalid CALLRESULT rejects the call and nothing is sent back', async () => {
  const s = await session();
  try {
    const call = s.endpoint.call('Heartbeat', {});
    const [, id] = await s.received(0);
    s.connection.socket.send(JSON.stringify([3, id, { currentTime: 42 }]));
    await assert.rejects(
      call,
      (e: unknown) => e instanceof RpcInvalidMessageError && e.code === 'TypeConstraintViolation',
    );
    // The next frame the CSMS sees is our next CALL, not an error about the CALLRESULT.
    const next = s.endpoint.call('Heartbeat', {});
    const [type, nextId] = await s.received(1);
    assert.equal(type, 2);
    s.connection.socket.send(JSON.stringify([3, nextId, { currentTime: '2024-05-01T10:00:00Z' }]));
    await next;
  } finally {
    await s.done();
  }
});

test('over a socket: no answer within MessageTimeout rejects with RpcTimeoutError', async () => {
  const s = await session({ messageTimeoutMs: () => 30 });
  try {
    await assert.rejects(s.endpoint.call('Heartbeat', {}), RpcTimeoutError);
  } finally {
    await s.done();
  }
});

test('over a socket: the connection dropping rejects the call in flight as sent', async () => {
  const s = await session();
  try {
    const call = s.endpoint.call('Heartbeat', {});
    await s.received(0);
    s.connection.socket.terminate();
    await assert.rejects(call, (e: unknown) => e instanceof RpcConnectionClosedError && e.sent);
    assert.equal(s.endpoint.closed, true);
  } finally {
    await s.done();
  }
});
