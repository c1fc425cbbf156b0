/**
 * How the queue handles messages that fail: refused on our side, unanswered, answered with a
 * CALLERROR, and failures after the CSMS answered (store writes, callbacks).
 */
import { LocalSendError } from '../../src/queue/message-queue.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OcppRpcError, RpcInvalidMessageError, RpcTimeoutError } from '../../src/rpc/errors.js';
import { NORMAL_MAX_ATTEMPTS } from '../../src/queue/retry-policy.js';
import { tempDatabase } from '../helpers/temp-db.js';
import { deferred, insertRow, manualTime, openQueue, securityEvent } from './queue-fixtures.js';

const rowCount = async (store: Awaited<ReturnType<typeof tempDatabase>>) =>
  (await store.db.selectFrom('message_queue').selectAll().execute()).length;

test('a durable message failing its schema is refused by send(), naming action and field; nothing is stored', async () => {
  const store = await tempDatabase();
  const { queue } = openQueue(store.db);
  queue.setGate('open');
  const sent: string[] = [];
  queue.attach(async (_action, payload) => {
    sent.push((payload as { type: string }).type);
    return {};
  });
  await assert.rejects(
    queue.send('SecurityEventNotification', securityEvent('X'.repeat(51)), { durable: true }),
    (e: unknown) => {
      assert.ok(e instanceof RpcInvalidMessageError);
      assert.equal(e.direction, 'outgoing-call');
      assert.equal(e.code, 'PropertyConstraintViolation');
      assert.match(
        e.message,
        /^SecurityEventNotification request not sent.*\/type: must NOT have more than 50/,
      );
      return true;
    },
  );
  assert.equal(await rowCount(store), 0, 'never stored');
  await queue.send('SecurityEventNotification', securityEvent('TamperDetectionActivated'), { durable: true });
  assert.deepEqual(sent, ['TamperDetectionActivated']);
  await queue.stop();
  await store.close();
});

for (const [name, refusal] of [
  [
    'RpcInvalidMessageError (outgoing-call)',
    () => new RpcInvalidMessageError('outgoing-call', 'X', 'm', 'NotSupported', 'no'),
  ],
  ['TypeError', () => new TypeError('not an OCPP 2.0.1 action')],
] as const) {
  test(`issue 6 §5: a durable message refused on our side (${name}) keeps its row, is reported as LocalSendError; the next goes`, async () => {
    const store = await tempDatabase();
    const time = manualTime();
    const { queue, discarded, errors } = openQueue(store.db, time);
    queue.setGate('open');
    const sent: string[] = [];
    queue.attach(async (_action, payload) => {
      const type = (payload as { type: string }).type;
      sent.push(type);
      if (type === 'Refused') throw refusal();
      return {};
    });
    const refused = queue.send('SecurityEventNotification', securityEvent('Refused'), { transaction: true });
    const next = queue.send('SecurityEventNotification', securityEvent('Next'), { durable: true });
    await assert.rejects(refused, (e: unknown) => e instanceof LocalSendError && e.cause instanceof Error && e.cause.name === refusal().name);
    assert.deepEqual(await next, {});
    assert.deepEqual(sent, ['Refused', 'Next'], 'no retry of the refused one in this run, even as a transaction message');
    assert.equal(discarded.length, 0, 'not given up: no drop rule of the spec applies');
    assert.ok(errors.some((e) => e instanceof LocalSendError), 'reported');
    assert.equal(await rowCount(store), 1, 'its row stays for the next start');
    await queue.stop();
    await store.close();
  });
}

test('a non-transaction durable message gets at most 5 unanswered attempts, 10 s × n apart; then the next goes', async () => {
  const store = await tempDatabase();
  const time = manualTime();
  const { queue, discarded } = openQueue(store.db, time);
  queue.setGate('open');
  const attemptsAt: number[] = [];
  const start = time.hostNow();
  queue.attach(async (action, payload, messageId) => {
    if ((payload as { type: string }).type === 'Next') return {};
    attemptsAt.push(time.hostNow() - start);
    throw new RpcTimeoutError(action, messageId, 30_000);
  });
  const stuck = queue.send('SecurityEventNotification', securityEvent('Stuck'), { durable: true });
  const next = queue.send('SecurityEventNotification', securityEvent('Next'), { durable: true });
  for (let n = 1; n < NORMAL_MAX_ATTEMPTS; n++) {
    await queue.idle();
    const rows = await store.db.selectFrom('message_queue').select(['attempts', 'next_attempt_at']).execute();
    assert.equal(rows[0]?.attempts, n, 'each attempt is recorded');
    assert.equal(
      rows[0]?.next_attempt_at,
      new Date(time.hostNow() + n * 10_000).toISOString(),
      'in host time',
    );
    time.advance(n * 10_000);
  }
  await assert.rejects(stuck, RpcTimeoutError);
  assert.deepEqual(attemptsAt, [0, 10_000, 30_000, 60_000, 100_000]);
  assert.deepEqual(await next, {});
  assert.deepEqual(
    discarded.map((d) => d.action),
    ['SecurityEventNotification'],
  );
  await queue.stop();
  await store.close();
});

test('a CALLERROR to a non-transaction durable message discards it at once (the CSMS received it)', async () => {
  const store = await tempDatabase();
  const { queue, discarded } = openQueue(store.db);
  queue.setGate('open');
  let calls = 0;
  queue.attach(async () => {
    calls += 1;
    throw new OcppRpcError('FormatViolation', 'not for me');
  });
  await assert.rejects(
    queue.send('SecurityEventNotification', securityEvent('A'), { durable: true }),
    OcppRpcError,
  );
  assert.equal(calls, 1);
  assert.equal(discarded.length, 1);
  assert.equal(await rowCount(store), 0);
  await queue.stop();
  await store.close();
});

test('an answered message is never sent again: a throwing onOrphanResponse is reported, the row deleted', async () => {
  const store = await tempDatabase();
  const time = manualTime();
  await insertRow(store.db);
  const { queue, errors } = openQueue(store.db, {
    ...time,
    onOrphanResponse: () => {
      throw new Error('host callback failed');
    },
  });
  assert.equal(await queue.load(), 1);
  queue.setGate('open');
  let calls = 0;
  queue.attach(async () => {
    calls += 1;
    return {};
  });
  await queue.idle();
  time.advance(3_600_000);
  await queue.idle();
  assert.equal(calls, 1);
  assert.equal(queue.size, 0);
  assert.equal(await rowCount(store), 0);
  assert.deepEqual(
    errors.map((e) => (e as Error).message),
    ['host callback failed'],
  );
  await queue.stop();
  await store.close();
});

test('a store failure after the CSMS answered is reported; the caller still gets the response, no resend', async () => {
  const store = await tempDatabase();
  const time = manualTime();
  const { queue, errors } = openQueue(store.db, time);
  queue.setGate('open');
  const answer = deferred();
  let calls = 0;
  queue.attach(() => {
    calls += 1;
    return answer.promise;
  });
  const pending = queue.send('SecurityEventNotification', securityEvent('A'), { durable: true });
  while (calls === 0) await new Promise((resolve) => setImmediate(resolve));
  await store.close();
  answer.resolve({ ok: 1 });
  assert.deepEqual(await pending, { ok: 1 });
  await queue.idle();
  time.advance(3_600_000);
  await queue.idle();
  assert.equal(calls, 1);
  assert.equal(errors.length, 1);
  assert.match(
    (errors[0] as Error).message,
    /^message_queue row 1: could not delete SecurityEventNotification \(it was answered; the next start sends it again \(same message id\)\)/,
  );
  await queue.stop();
});

test('a store failure while recording a failed attempt is reported, not thrown; the retry still happens', async () => {
  const store = await tempDatabase();
  const time = manualTime();
  const { queue, errors } = openQueue(store.db, time);
  queue.setGate('open');
  const first = deferred();
  let calls = 0;
  queue.attach(async () => {
    calls += 1;
    if (calls === 1) return first.promise;
    return {};
  });
  const pending = queue.send('SecurityEventNotification', securityEvent('A'), { durable: true });
  while (calls === 0) await new Promise((resolve) => setImmediate(resolve));
  await store.close();
  first.reject(new Error('no answer'));
  await queue.idle();
  assert.equal(errors.length, 1);
  assert.match(
    (errors[0] as Error).message,
    /^message_queue row 1: could not record attempt 1 of SecurityEventNotification/,
  );
  time.advance(10_000);
  await queue.idle();
  assert.equal(calls, 2);
  assert.deepEqual(await pending, {});
  assert.equal(errors.length, 2, 'the delete after the answer fails too, and is reported');
  await queue.stop();
});
