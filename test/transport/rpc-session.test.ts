import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Transport } from '../../src/transport/transport.js';
import { openRpcSession } from '../../src/transport/rpc-session.js';
import { RpcConnectionClosedError } from '../../src/rpc/errors.js';
import { ocppValidator as schemaValidator } from '../../src/validation/index.js';
import { startWsServer } from '../helpers/ws-server.js';

const rpcOptions = {
  validator: schemaValidator,
  handler: () => ({ status: 'Accepted' }),
  supportedActions: ['Reset'] as const,
  messageTimeoutMs: () => 30_000,
};

test('a session needs an open transport', () => {
  const transport = new Transport({
    csmsUrl: 'ws://127.0.0.1:1/ocpp',
    identity: 'CS001',
    securityProfile: 1,
    basicAuthPassword: 'pw',
  });
  assert.throws(() => openRpcSession(transport, rpcOptions), /transport is idle, not open/);
});

test('frames flow through the session; our close of the transport ends it', async () => {
  const server = await startWsServer();
  try {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 1,
      basicAuthPassword: 'pw',
    });
    await transport.connect();
    const endpoint = openRpcSession(transport, rpcOptions);
    const connection = await server.waitForConnection();
    const reply = server.waitForMessage(connection);
    connection.socket.send('[2,"r1","Reset",{"type":"Immediate"}]');
    assert.equal(await reply, '[3,"r1",{"status":"Accepted"}]');
    const pending = endpoint.call('Heartbeat', {});
    await server.messageAt(connection, 1);
    await transport.close();
    await assert.rejects(pending, RpcConnectionClosedError);
    assert.equal(endpoint.closed, true);
  } finally {
    await server.close();
  }
});
