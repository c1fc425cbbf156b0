/**
 * `--inspect [url]` (docs/inspector.md, docs/cli.md): the CLI sends every actor of its station to
 * the Stately inspector's websocket. Offline: a local websocket server stands in for the inspector
 * and must receive the inspection events of a boot and a transaction, with the actors by their
 * readable names (systemIds) and their states.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { waitFor } from '../../src/testing/index.js';
import { is, killAll, spawnCli, WAIT_MS, type CliProcess } from './helpers/cli-process.js';

const processes: CliProcess[] = [];
const servers: WebSocketServer[] = [];
after(async () => {
  await killAll(processes);
  for (const server of servers) {
    for (const client of server.clients) client.terminate();
    server.close();
  }
});

/** What @statelyai/inspect sends (src/createInspector.ts of that package): actors, events, snapshots. */
interface StatelyEvent {
  type: '@xstate.actor' | '@xstate.event' | '@xstate.snapshot';
  sessionId: string;
  name?: string;
  snapshot?: { value?: unknown; status?: string };
  event?: { type?: string };
}

/** A websocket server on 127.0.0.1 port 0 that records every inspection event it receives. */
async function inspectorReceiver() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(server);
  await once(server, 'listening');
  const received: StatelyEvent[] = [];
  const changes = new EventTarget();
  server.on('connection', (socket: WebSocket) => {
    socket.on('message', (data) => {
      received.push(JSON.parse(String(data)) as StatelyEvent);
      changes.dispatchEvent(new Event('change'));
    });
  });
  const { port } = server.address() as { port: number };
  /** The actor's name by session id. */
  const names = () =>
    new Map(received.filter((e) => e.type === '@xstate.actor').map((e) => [e.sessionId, e.name ?? '']));
  /** The last snapshot value of the actor named `name` (when a snapshot arrived). */
  const lastValue = (name: string): unknown => {
    const byId = names();
    const snapshots = received.filter((e) => e.type === '@xstate.snapshot' && byId.get(e.sessionId) === name);
    return snapshots.at(-1)?.snapshot?.value;
  };
  return {
    url: `ws://127.0.0.1:${port}`,
    received,
    names,
    lastValue,
    /** Waits until `probe` says yes; fails naming `what` and the actors seen. */
    until: <T>(probe: () => T | undefined, what: string) =>
      waitFor(changes, probe, what, WAIT_MS).catch((error: Error) => {
        throw new Error(`${error.message}; actors: ${[...names().values()].join(', ')}`);
      }),
  };
}

test('--inspect ws://127.0.0.1:PORT: the inspector gets every actor by name and their states through a boot and a transaction', async () => {
  const inspector = await inspectorReceiver();
  const db = path.join(await mkdtemp(path.join(tmpdir(), 'ocpp-inspect-')), 'station.db');
  const station = spawnCli(['--json', '--inspect', inspector.url, '--db', db, '--id', 'CLI-INSPECT']);
  processes.push(station);
  const announced = await station.waitFor('the inspect event', (e) => e.type === 'inspect');
  assert.deepEqual(
    { ...announced, time: undefined },
    { type: 'inspect', url: inspector.url, time: undefined },
  );
  await station.waitFor('registration Accepted', is.registration('Accepted'));

  // The boot: every actor of the tree, named by its systemId.
  await inspector.until(
    () =>
      ['station', 'connection', 'boot', 'evse:1', 'evse:2', 'connector:1:1', 'connector:2:1'].every((n) =>
        [...inspector.names().values()].includes(n),
      )
        ? true
        : undefined,
    'the actors of the station',
  );
  await inspector.until(
    () => (JSON.stringify(inspector.lastValue('boot')) === '{"accepted":"idle"}' ? true : undefined),
    'boot in state accepted.idle',
  );
  assert.deepEqual(inspector.lastValue('connection'), { session: 'open' });
  await inspector.until(
    () =>
      (inspector.lastValue('connector:1:1') as { status?: string } | undefined)?.status === 'Available'
        ? true
        : undefined,
    'connector:1:1 Available',
  );

  // A transaction: plug, token, energy.
  for (const line of ['plug 1', 'auth TOKEN-INSPECT', 'charge 1']) {
    station.send(line);
    const result = await station.waitFor(`result of ${line}`, is.command(line));
    assert.equal(result.type === 'command' && result.ok, true, line);
  }
  await station.waitFor('connector 1 Occupied', is.connector(1, 1, 'Occupied'));
  const transaction = await inspector.until(
    () => [...inspector.names().values()].find((n) => n.startsWith('transaction:')),
    'a transaction:<id> actor',
  );
  await inspector.until(
    () =>
      (inspector.lastValue('connector:1:1') as { status?: string } | undefined)?.status === 'Occupied'
        ? true
        : undefined,
    'connector:1:1 Occupied',
  );
  await inspector.until(
    () => (JSON.stringify(inspector.lastValue(transaction) ?? '').includes('Charging') ? true : undefined),
    `${transaction} Charging`,
  );
  // Events sent to the actors are inspected too (e.g. the hardware's plug reaching the EVSE).
  assert.ok(inspector.received.some((e) => e.type === '@xstate.event' && e.event?.type === 'hw.plugged'));

  station.send('quit');
  assert.deepEqual(await station.exited, { code: 0, signal: null });
});
