/**
 * The library recipe of docs/inspector.md: `inspect: inspector.inspect` (a @statelyai/inspect
 * websocket inspector) in ChargePointOptions. Offline: a local websocket server stands in for the
 * Stately inspector and receives every actor of a boot and a transaction, by systemId, with states.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createWebSocketInspector } from '@statelyai/inspect';
import { WebSocketServer } from 'ws';
import { waitFor } from '../../src/testing/index.js';
import { startCharging, startTxHarness } from './transactions-helpers.js';

interface StatelyEvent {
  type: string;
  sessionId: string;
  name?: string;
  snapshot?: { value?: unknown };
}

test('inspect: inspector.inspect sends every actor of a boot and a transaction, named by systemId, with their states', async (t) => {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const received: StatelyEvent[] = [];
  const changes = new EventTarget();
  server.on('connection', (socket) =>
    socket.on('message', (data) => {
      received.push(JSON.parse(String(data)) as StatelyEvent);
      changes.dispatchEvent(new Event('change'));
    }),
  );
  const { port } = server.address() as { port: number };
  const inspector = createWebSocketInspector({ url: `ws://127.0.0.1:${port}`, maxDeferredEvents: 100_000 });
  t.after(() => {
    inspector.stop();
    server.close();
  });

  const h = await startTxHarness({ station: { inspect: inspector.inspect } });
  t.after(() => h.close());
  const transactionId = await startCharging(h);

  const names = () =>
    new Map(received.filter((e) => e.type === '@xstate.actor').map((e) => [e.sessionId, e.name]));
  const value = (name: string) => {
    const byId = names();
    return received.filter((e) => e.type === '@xstate.snapshot' && byId.get(e.sessionId) === name).at(-1)
      ?.snapshot?.value;
  };
  const expected = [
    'station',
    'connection',
    'boot',
    'evse:1',
    'evse:2',
    'connector:1:1',
    'connector:2:1',
    `transaction:${transactionId}`,
  ];
  await waitFor(
    changes,
    () => {
      const seen = [...names().values()];
      return expected.every((n) => seen.includes(n)) &&
        (value('connector:1:1') as { status?: string } | undefined)?.status === 'Occupied'
        ? true
        : undefined;
    },
    `the actors ${expected.join(', ')} and connector:1:1 Occupied`,
    20_000,
  );
  assert.deepEqual(value('connection'), { session: 'open' });
  assert.deepEqual(value('boot'), { accepted: 'idle' });
  assert.match(JSON.stringify(value(`transaction:${transactionId}`)), /Charging/);
});
