import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageQueue, NotDeliveredError, type QueueSettings } from '../../src/queue/message-queue.js';
import { createStationClock } from '../../src/clock.js';
import { OcppRpcError } from '../../src/rpc/errors.js';
import { openStationDatabase } from '../../src/store/database.js';
import { tempDatabase } from '../helpers/temp-db.js';

const settings: QueueSettings = {
  transactionAttempts: 3,
  transactionAttemptIntervalS: 60,
  queueAllMessages: false,
};

/** A queue on a manual clock: `advance(ms)` moves time and fires due timers. */
function manualTime() {
  let now = 1_000_000;
  const timers: Array<{ at: number; fn: () => void }> = [];
  return {
    hostNow: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const t = { at: now + ms, fn };
      timers.push(t);
      return t;
    },
    clearTimer: (h: unknown) => {
      const i = timers.indexOf(h as { at: number; fn: () => void });
      if (i >= 0) timers.splice(i, 1);
    },
    advance(ms: number) {
      now += ms;
      for (const t of timers.splice(0)) {
        if (t.at <= now) t.fn();
        else timers.push(t);
      }
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 5));

test('B01.FR.08: before Accepted only BootNotification goes out; others fail at once', async () => {
  const store = await tempDatabase();
  const sent: string[] = [];
  const queue = new MessageQueue({
    db: store.db,
    stationId: 'CS',
    clock: createStationClock(),
    settings: () => settings,
  });
  queue.attach(async (action) => {
    sent.push(action);
    return {};
  });
  await assert.rejects(queue.send('Heartbeat', {}), NotDeliveredError);
  await queue.send('BootNotification', { reason: 'PowerUp' });
  assert.deepEqual(sent, ['BootNotification']);
  queue.stop();
  await store.close();
});

test('B02.FR.02: while Pending, triggered messages pass and others do not', async () => {
  const store = await tempDatabase();
  const sent: string[] = [];
  const queue = new MessageQueue({
    db: store.db,
    stationId: 'CS',
    clock: createStationClock(),
    settings: () => settings,
  });
  queue.attach(async (action) => {
    sent.push(action);
    return {};
  });
  queue.setGate('triggeredOnly');
  await queue.send('Heartbeat', {}, { triggered: true });
  await assert.rejects(queue.send('StatusNotification', {}), NotDeliveredError);
  assert.deepEqual(sent, ['Heartbeat']);
  queue.stop();
  await store.close();
});

test('A04.FR.02: a durable message survives a restart and is sent once accepted', async () => {
  const store = await tempDatabase();
  const first = new MessageQueue({
    db: store.db,
    stationId: 'CS',
    clock: createStationClock(),
    settings: () => settings,
  });
  void first
    .send(
      'SecurityEventNotification',
      { type: 'StartupOfTheDevice', timestamp: '2026-01-01T00:00:00Z' },
      { durable: true },
    )
    .catch(() => undefined);
  await settle();
  first.stop();
  await store.close();

  const reopened = await openStationDatabase(store.path);
  const orphans: string[] = [];
  const second = new MessageQueue({
    db: reopened.db,
    stationId: 'CS',
    clock: createStationClock(),
    settings: () => settings,
    onOrphanResponse: (action) => orphans.push(action),
  });
  assert.equal(await second.load(), 1);
  const ids: string[] = [];
  second.attach(async (action, _payload, messageId) => {
    ids.push(`${action}:${messageId.length}`);
    return {};
  });
  await settle();
  assert.deepEqual(ids, [], 'held back until Accepted');
  second.setGate('open');
  await settle();
  assert.deepEqual(ids, ['SecurityEventNotification:36']);
  assert.deepEqual(orphans, ['SecurityEventNotification']);
  const left = await reopened.db.selectFrom('message_queue').selectAll().execute();
  assert.equal(left.length, 0);
  second.stop();
  await reopened.close();
});

test('E13.FR.02-04: a failing transaction message is retried after n × interval, then discarded', async () => {
  const store = await tempDatabase();
  const time = manualTime();
  const attempts: number[] = [];
  const discarded: string[] = [];
  const queue = new MessageQueue({
    db: store.db,
    stationId: 'CS',
    clock: createStationClock(),
    settings: () => settings,
    onDiscarded: (action) => discarded.push(action),
    ...time,
  });
  queue.setGate('open');
  let calls = 0;
  queue.attach(async (action) => {
    calls += 1;
    attempts.push(time.hostNow());
    if (action === 'TransactionEvent') throw new OcppRpcError('InternalError', 'CSMS failed');
    return {};
  });
  const result = queue.send('TransactionEvent', { seqNo: 0 }, { transaction: true }).then(
    () => 'resolved',
    (e: unknown) => e,
  );
  const later = queue.send('TransactionEvent', { seqNo: 1 }, { transaction: true }).then(
    () => 'resolved',
    (e: unknown) => e,
  );
  await settle();
  assert.equal(calls, 1);
  time.advance(59_999);
  await settle();
  assert.equal(calls, 1, 'not before 1 × 60 s');
  time.advance(1);
  await settle();
  assert.equal(calls, 2);
  time.advance(119_999);
  await settle();
  assert.equal(calls, 2, 'not before 2 × 60 s');
  time.advance(1);
  await settle();
  assert.ok((await result) instanceof OcppRpcError);
  assert.deepEqual(discarded, ['TransactionEvent']);
  // Third attempt was the last; E13.FR.04: continue with the next message at once.
  assert.equal(calls, 4);
  queue.stop();
  assert.ok((await later) instanceof Error);
  await store.close();
});

test('a durable message lost with the connection is not counted as an attempt and goes again', async () => {
  const store = await tempDatabase();
  const queue = new MessageQueue({
    db: store.db,
    stationId: 'CS',
    clock: createStationClock(),
    settings: () => settings,
  });
  queue.setGate('open');
  const ids: string[] = [];
  queue.attach(async (_a, _p, messageId) => {
    ids.push(messageId);
    queue.attach(null);
    throw new Error('connection closed');
  });
  const pending = queue.send('TransactionEvent', { seqNo: 0 }, { transaction: true });
  await settle();
  queue.attach(async (_a, _p, messageId) => {
    ids.push(messageId);
    return { ok: true };
  });
  assert.deepEqual(await pending, { ok: true });
  assert.equal(ids.length, 2);
  assert.equal(ids[0], ids[1], 'the same message id: the CSMS can recognise the retry');
  queue.stop();
  await store.close();
});

test('QueueAllMessages keeps ordinary messages while offline', async () => {
  const store = await tempDatabase();
  const queue = new MessageQueue({
    db: store.db,
    stationId: 'CS',
    clock: createStationClock(),
    settings: () => ({ ...settings, queueAllMessages: true }),
  });
  queue.setGate('open');
  const sent: string[] = [];
  const pending = queue.send('StatusNotification', { connectorId: 1 });
  await settle();
  queue.attach(async (action) => {
    sent.push(action);
    return {};
  });
  await pending;
  assert.deepEqual(sent, ['StatusNotification']);
  queue.stop();
  await store.close();
});

test('a dedupe key stores a durable message once', async () => {
  const store = await tempDatabase();
  const queue = new MessageQueue({
    db: store.db,
    stationId: 'CS',
    clock: createStationClock(),
    settings: () => settings,
  });
  void queue
    .send('TransactionEvent', { seqNo: 0 }, { transaction: true, dedupeKey: 'tx1:0' })
    .catch(() => undefined);
  await settle();
  assert.equal(
    await queue.send('TransactionEvent', { seqNo: 0 }, { transaction: true, dedupeKey: 'tx1:0' }),
    undefined,
  );
  const rows = await store.db.selectFrom('message_queue').selectAll().execute();
  assert.equal(rows.length, 1);
  queue.stop();
  await store.close();
});
