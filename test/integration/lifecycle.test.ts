import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KyselyPlugin, QueryId } from 'kysely';
import { openStationDatabase } from '../../src/store/database.js';
import { registered } from './csms-helpers.js';
import { startHarness } from './station-harness.js';

test('stop() during start() waits for the start and leaves nothing running', async (t) => {
  const h = await startHarness({ noStart: true });
  t.after(() => h.close());
  const starting = h.station.start();
  await h.station.stop();
  await starting;
  assert.equal(h.station.isConnected, false);
  assert.throws(() => h.station.station, /not started/);
  // It can be started again afterwards, on the same database.
  await h.station.start();
  await h.csms.waitForCall('BootNotification');
});

test('start() twice is refused while the first is running', async (t) => {
  const h = await startHarness({ noStart: true });
  t.after(() => h.close());
  const first = h.station.start();
  await assert.rejects(h.station.start(), /already started/);
  await first;
});

test('a store write that fails while stop() runs reaches onError; the closing itself reports nothing', async (t) => {
  // The station's database, whose message_queue inserts fail once armed: each one is held until the
  // station is closing its websocket (inside stop()), then fails.
  let armed = false;
  let closing!: () => void;
  const stopping = new Promise<void>((resolve) => (closing = resolve));
  const failing = new Set<string>();
  const diskFailure: KyselyPlugin = {
    transformQuery: ({
      node,
      queryId,
    }: {
      node: Parameters<KyselyPlugin['transformQuery']>[0]['node'];
      queryId: QueryId;
    }) => {
      if (armed && node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === 'message_queue')
        failing.add(queryId.queryId);
      return node;
    },
    transformResult: async ({ result, queryId }) => {
      if (!failing.has(queryId.queryId)) return result;
      await stopping;
      throw new Error('SQLITE_IOERR: disk I/O error');
    },
  };
  const h = await startHarness({ noStart: true });
  const store = await openStationDatabase(h.dbPath);
  t.after(async () => {
    await h.close();
    await store.close();
  });
  await h.restart({
    database: { ...store, db: store.db.withPlugin(diskFailure) },
    callbacks: { connectionStateChangedCallback: (connected) => connected || closing() },
  });
  await registered(h);
  armed = true;
  const event = h.station.onSecurityEvent('TamperDetectionActivated', 'cover opened');
  await h.station.stop();
  await event;
  const reported = h.errors.map((e) => (e instanceof Error ? e.message : String(e)));
  assert.deepEqual(reported, ['SQLITE_IOERR: disk I/O error']);
});

test('stop() while connecting reports nothing: the aborted connect and the unsent messages are its own doing', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  // start() has resolved; the websocket is still opening and the boot's security event is being stored.
  await h.station.stop();
  assert.deepEqual(h.errors, []);
});
