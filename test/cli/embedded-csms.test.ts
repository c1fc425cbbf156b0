import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RPCClient } from 'ocpp-rpc';
import { startEmbeddedCsms } from '../../src/cli/embedded-csms.js';

async function connect(url: string, identity: string) {
  const client = new RPCClient({ endpoint: url, identity, protocols: ['ocpp2.0.1'], strictMode: true, reconnect: false } as never);
  await client.connect();
  return client;
}

test('the embedded CSMS accepts a station on 127.0.0.1 and answers what a station sends', async (t) => {
  const csms = await startEmbeddedCsms({ heartbeatIntervalS: 120, now: () => '2026-03-29T00:30:00.000Z' });
  t.after(() => csms.close());
  assert.match(csms.url, /^ws:\/\/127\.0\.0\.1:\d+\/ocpp$/);
  const client = await connect(csms.url, 'CS-1');
  t.after(() => client.close({ force: true }));
  assert.equal(csms.connected, 1);

  const boot = await client.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'm', vendorName: 'v' } });
  assert.deepEqual(boot, { status: 'Accepted', currentTime: '2026-03-29T00:30:00.000Z', interval: 120 });
  assert.deepEqual(await client.call('Heartbeat', {}), { currentTime: '2026-03-29T00:30:00.000Z' });
  assert.deepEqual(
    await client.call('StatusNotification', { timestamp: '2026-03-29T00:30:00.000Z', connectorStatus: 'Occupied', evseId: 1, connectorId: 1 }),
    {},
  );
  assert.deepEqual(await client.call('SecurityEventNotification', { type: 'StartupOfTheDevice', timestamp: '2026-03-29T00:30:00.000Z' }), {});
  assert.deepEqual(await client.call('Authorize', { idToken: { idToken: 'AB12', type: 'ISO14443' } }), { idTokenInfo: { status: 'Accepted' } });
  assert.deepEqual(await client.call('DataTransfer', { vendorId: 'x' }), { status: 'UnknownVendorId' });
});

test('strict mode: a malformed request from the station gets a CALLERROR, not an answer', async (t) => {
  const csms = await startEmbeddedCsms();
  t.after(() => csms.close());
  // A client without strict mode, so the bad payload reaches the server.
  const loose = new RPCClient({ endpoint: csms.url, identity: 'CS-3', protocols: ['ocpp2.0.1'], reconnect: false } as never);
  await loose.connect();
  t.after(() => loose.close({ force: true }));
  await assert.rejects(loose.call('BootNotification', { reason: 'Bored' }), (e: unknown) => {
    const rpc = e as { rpcErrorCode?: string };
    // ocpp-rpc names the code of a missing property in the OCPP 1.6 spelling (OccurenceConstraintViolation).
    assert.match(rpc.rpcErrorCode ?? '', /^(Format|Occurr?ence|Property|Type)(Constraint)?Violation$/);
    return true;
  });
});

test('closing the embedded CSMS disconnects its stations', async () => {
  const csms = await startEmbeddedCsms();
  const client = await connect(csms.url, 'CS-4');
  const closed = new Promise((resolve) => client.once('close', resolve));
  await csms.close();
  await closed;
  assert.equal(csms.connected, 0);
});
