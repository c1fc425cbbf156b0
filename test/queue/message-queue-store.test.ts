/**
 * The queue and its store: retry times in host time, restored rows (clamped, unreadable ones
 * skipped), and stop() leaving the store consistent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStationClock } from '../../src/clock.js';
import { NotDeliveredError } from '../../src/queue/message-queue.js';
import { MAX_TIMER_DELAY_MS } from '../../src/queue/retry-policy.js';
import { StoredMessageError } from '../../src/queue/stored-message.js';
import { openStationDatabase } from '../../src/store/database.js';
import { tempDatabase } from '../helpers/temp-db.js';
import { deferred, insertRow, manualTime, openQueue, securityEvent, settings } from './queue-fixtures.js';

const DAY_MS = 86_400_000;

test('next_attempt_at is host time: a station clock a day ahead does not delay a restored message', async () => {
  const store = await tempDatabase();
  const time = manualTime(Date.parse('2026-01-01T00:00:00Z'));
  const ahead = createStationClock('2026-01-02T00:00:00Z', time.hostNow);
  const { queue: first } = openQueue(store.db, { ...time, clock: ahead });
  const pending = first.send('SecurityEventNotification', securityEvent('StartupOfTheDevice'), {
    durable: true,
  });
  await first.idle();
  await first.stop();
  await assert.rejects(pending, NotDeliveredError);
  const [row] = await store.db.selectFrom('message_queue').selectAll().execute();
  assert.equal(row?.next_attempt_at, '2026-01-01T00:00:00.000Z');
  assert.equal(row?.created_at, '2026-01-02T00:00:00.000Z', 'created_at is station time');

  const { queue: second } = openQueue(store.db, time);
  assert.equal(await second.load(), 1);
  second.setGate('open');
  const sent: string[] = [];
  second.attach(async (action) => {
    sent.push(action);
    return {};
  });
  await second.idle();
  assert.deepEqual(sent, ['SecurityEventNotification'], 'sent at once, no time advanced');
  await second.stop();
  await store.close();
});

test('a restored retry time far ahead is clamped to now + the retry delay of its attempts', async () => {
  const store = await tempDatabase();
  const time = manualTime();
  await insertRow(store.db, {
    attempts: 2,
    next_attempt_at: new Date(time.hostNow() + 30 * DAY_MS).toISOString(),
  });
  const { queue } = openQueue(store.db, time);
  assert.equal(await queue.load(), 1);
  queue.setGate('open');
  let calls = 0;
  queue.attach(async () => {
    calls += 1;
    return {};
  });
  await queue.idle();
  assert.equal(calls, 0, 'attempt 2 waits 2 × 10 s');
  assert.deepEqual(time.delays, [20_000]);
  time.advance(20_000);
  await queue.idle();
  assert.equal(calls, 1);
  await queue.stop();
  await store.close();
});

test('retry timers never exceed 2^31-1 ms (longer ones would fire at once)', async () => {
  const store = await tempDatabase();
  const time = manualTime();
  const years = { ...settings, transactionAttemptIntervalS: 100_000_000 };
  const { queue } = openQueue(store.db, { ...time, settings: () => years });
  queue.setGate('open');
  let calls = 0;
  queue.attach(async () => {
    calls += 1;
    throw new Error('no answer');
  });
  void queue
    .send('SecurityEventNotification', securityEvent('A'), { transaction: true })
    .catch(() => undefined);
  await queue.idle();
  assert.equal(calls, 1);
  time.advance(MAX_TIMER_DELAY_MS);
  await queue.idle();
  assert.equal(calls, 1, 'woken at the limit, the retry is still not due');
  assert.deepEqual(time.delays, [MAX_TIMER_DELAY_MS, MAX_TIMER_DELAY_MS]);
  await queue.stop();
  await store.close();
});

test('stop() waits for a durable message being stored: whole in the store, sent after the next start', async () => {
  const store = await tempDatabase();
  const { queue } = openQueue(store.db);
  const pending = queue.send('SecurityEventNotification', securityEvent('SettingSystemTime'), {
    durable: true,
  });
  await queue.stop();
  await assert.rejects(pending, /stored and sent after the next start/);
  await assert.rejects(
    queue.send('SecurityEventNotification', securityEvent('Late'), { durable: true }),
    /the station is stopping/,
  );
  await store.close();

  const reopened = await openStationDatabase(store.path);
  const rows = await reopened.db.selectFrom('message_queue').selectAll().execute();
  assert.deepEqual(
    rows.map((r) => JSON.parse(r.payload_json) as unknown),
    [securityEvent('SettingSystemTime')],
  );
  const { queue: next } = openQueue(reopened.db);
  assert.equal(await next.load(), 1);
  await next.stop();
  await reopened.close();
});

test('after stop() no store write starts: a late answer leaves the row for the next run', async () => {
  const store = await tempDatabase();
  const { queue, errors } = openQueue(store.db);
  queue.setGate('open');
  const answer = deferred();
  let calls = 0;
  queue.attach(() => {
    calls += 1;
    return answer.promise;
  });
  const pending = queue.send('SecurityEventNotification', securityEvent('A'), { durable: true });
  while (calls === 0) await new Promise((resolve) => setImmediate(resolve));
  await queue.stop();
  await assert.rejects(pending, NotDeliveredError);
  await store.close();
  answer.resolve({});
  await queue.idle();
  assert.deepEqual(errors, [], 'nothing touched the closed store');

  const reopened = await openStationDatabase(store.path);
  assert.equal((await reopened.db.selectFrom('message_queue').selectAll().execute()).length, 1);
  await reopened.close();
});

test('unreadable rows are skipped, named (table, row id, field) and kept; the others load in order', async () => {
  const store = await tempDatabase();
  const good = (type: string, extra = {}) =>
    insertRow(store.db, { payload_json: JSON.stringify(securityEvent(type)), ...extra });
  await good('A');
  const badJson = await insertRow(store.db, { payload_json: '{"type": "B", ' });
  await good('C', { next_attempt_at: 'not a time' });
  const unknownAction = await insertRow(store.db, { action: 'Teleport' });
  const badPayload = await insertRow(store.db, {
    payload_json: JSON.stringify(securityEvent('X'.repeat(51))),
  });
  const longId = await insertRow(store.db, { message_id: 'x'.repeat(37) });
  const badKind = await insertRow(store.db, { kind: 'urgent' as 'normal' });
  const badAttempts = await insertRow(store.db, { attempts: -1 });
  await good('I');
  await insertRow(store.db, { station_id: 'OTHER', payload_json: '{' });

  const { queue, errors } = openQueue(store.db);
  assert.equal(await queue.load(), 3);
  assert.ok(errors.every((e) => e instanceof StoredMessageError && e.table === 'message_queue'));
  assert.deepEqual(
    (errors as StoredMessageError[]).map((e) => [e.rowId, e.field]),
    [
      [badJson, 'payload_json'],
      [unknownAction, 'action'],
      [badPayload, 'payload_json'],
      [longId, 'message_id'],
      [badKind, 'kind'],
      [badAttempts, 'attempts'],
    ],
  );
  assert.match(
    (errors[0] as Error).message,
    new RegExp(
      `^message_queue row ${badJson}: payload_json is not valid JSON \\(.+\\); the row is skipped and kept`,
    ),
  );
  assert.match(
    (errors[2] as Error).message,
    /payload_json fails SecurityEventNotificationRequest: \/type: must NOT/,
  );
  queue.setGate('open');
  const sent: string[] = [];
  queue.attach(async (_action, payload) => {
    sent.push((payload as { type: string }).type);
    return {};
  });
  await queue.idle();
  assert.deepEqual(sent, ['A', 'C', 'I']);
  const left = await store.db
    .selectFrom('message_queue')
    .select('id')
    .where('station_id', '=', 'CS')
    .execute();
  assert.deepEqual(
    left.map((r) => r.id),
    [badJson, unknownAction, badPayload, longId, badKind, badAttempts],
    'kept for inspection',
  );
  await queue.stop();
  await store.close();
});
