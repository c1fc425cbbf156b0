import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotDeliveredError } from '../../src/queue/message-queue.js';
import { OcppRpcError, RpcInvalidMessageError } from '../../src/rpc/errors.js';
import { openStationDatabase } from '../../src/store/database.js';
import { tempDatabase } from '../helpers/temp-db.js';
import { deferred, manualTime, openQueue, securityEvent, settings } from './queue-fixtures.js';

test('B01.FR.08: before Accepted only BootNotification goes out; others fail at once', async () => {
  const store = await tempDatabase();
  const sent: string[] = [];
  const { queue } = openQueue(store.db);
  queue.attach(async (action) => {
    sent.push(action);
    return {};
  });
  await assert.rejects(queue.send('Heartbeat', {}), NotDeliveredError);
  await queue.send('BootNotification', {
    reason: 'PowerUp',
    chargingStation: { model: 'M', vendorName: 'V' },
  });
  assert.deepEqual(sent, ['BootNotification']);
  await queue.stop();
  await store.close();
});

test('B02.FR.02: while Pending, triggered messages pass and others do not', async () => {
  const store = await tempDatabase();
  const sent: string[] = [];
  const { queue } = openQueue(store.db);
  queue.attach(async (action) => {
    sent.push(action);
    return {};
  });
  queue.setGate('triggeredOnly');
  await queue.send('Heartbeat', {}, { triggered: true });
  await assert.rejects(
    queue.send('StatusNotification', {
      timestamp: '2026-01-01T00:00:00Z',
      connectorStatus: 'Available',
      evseId: 1,
      connectorId: 1,
    }),
    NotDeliveredError,
  );
  assert.deepEqual(sent, ['Heartbeat']);
  await queue.stop();
  await store.close();
});

test('A04.FR.02: a durable message survives a restart and is sent once accepted', async () => {
  const store = await tempDatabase();
  const { queue: first } = openQueue(store.db);
  const pending = first.send('SecurityEventNotification', securityEvent('StartupOfTheDevice'), {
    durable: true,
  });
  await first.idle();
  await first.stop();
  await assert.rejects(pending, NotDeliveredError);
  await store.close();

  const reopened = await openStationDatabase(store.path);
  const orphans: string[] = [];
  const { queue: second } = openQueue(reopened.db, { onOrphanResponse: (action) => orphans.push(action) });
  assert.equal(await second.load(), 1);
  const ids: string[] = [];
  second.attach(async (action, _payload, messageId) => {
    ids.push(`${action}:${messageId.length}`);
    return {};
  });
  await second.idle();
  assert.deepEqual(ids, [], 'held back until Accepted');
  second.setGate('open');
  await second.idle();
  assert.deepEqual(ids, ['SecurityEventNotification:36']);
  assert.deepEqual(orphans, ['SecurityEventNotification']);
  const left = await reopened.db.selectFrom('message_queue').selectAll().execute();
  assert.equal(left.length, 0);
  await second.stop();
  await reopened.close();
});

test('E13.FR.02-04: a failing transaction message is retried after n × interval, then discarded', async () => {
  const store = await tempDatabase();
  const time = manualTime();
  const { queue, discarded } = openQueue(store.db, time);
  queue.setGate('open');
  let calls = 0;
  queue.attach(async (_action, payload) => {
    calls += 1;
    if ((payload as { seqNo: number }).seqNo === 0) throw new OcppRpcError('InternalError', 'CSMS failed');
    return {};
  });
  const tx = (seqNo: number) => ({
    eventType: 'Updated',
    timestamp: '2026-01-01T00:00:00Z',
    triggerReason: 'MeterValuePeriodic',
    seqNo,
    transactionInfo: { transactionId: 'tx1' },
  });
  const result = queue.send('TransactionEvent', tx(0), { transaction: true }).then(
    () => 'resolved',
    (e: unknown) => e,
  );
  const later = queue.send('TransactionEvent', tx(1), { transaction: true });
  await queue.idle();
  assert.equal(calls, 1);
  time.advance(59_999);
  await queue.idle();
  assert.equal(calls, 1, 'not before 1 × 60 s');
  time.advance(1);
  await queue.idle();
  assert.equal(calls, 2);
  time.advance(119_999);
  await queue.idle();
  assert.equal(calls, 2, 'not before 2 × 60 s');
  time.advance(1);
  await queue.idle();
  assert.ok((await result) instanceof OcppRpcError);
  assert.deepEqual(
    discarded.map((d) => d.action),
    ['TransactionEvent'],
  );
  // Third attempt was the last; E13.FR.04: continue with the next message at once.
  assert.equal(calls, 4);
  assert.deepEqual(await later, {});
  await queue.stop();
  await store.close();
});

test('a durable message lost with the connection is not counted as an attempt and goes again', async () => {
  const store = await tempDatabase();
  const { queue } = openQueue(store.db);
  queue.setGate('open');
  const ids: string[] = [];
  queue.attach(async (_a, _p, messageId) => {
    ids.push(messageId);
    queue.attach(null);
    throw new Error('connection closed');
  });
  const pending = queue.send('SecurityEventNotification', securityEvent('ResetOrReboot'), { durable: true });
  await queue.idle();
  queue.attach(async (_a, _p, messageId) => {
    ids.push(messageId);
    return { ok: true };
  });
  assert.deepEqual(await pending, { ok: true });
  assert.equal(ids.length, 2);
  assert.equal(ids[0], ids[1], 'the same message id: the CSMS can recognise the retry');
  await queue.stop();
  await store.close();
});

test('QueueAllMessages keeps ordinary messages while offline', async () => {
  const store = await tempDatabase();
  const { queue } = openQueue(store.db, { settings: () => ({ ...settings, queueAllMessages: true }) });
  queue.setGate('open');
  const sent: string[] = [];
  const pending = queue.send('StatusNotification', {
    timestamp: '2026-01-01T00:00:00Z',
    connectorStatus: 'Available',
    evseId: 1,
    connectorId: 1,
  });
  await queue.idle();
  assert.equal(queue.size, 1);
  queue.attach(async (action) => {
    sent.push(action);
    return {};
  });
  await pending;
  assert.deepEqual(sent, ['StatusNotification']);
  await queue.stop();
  await store.close();
});

test('a dedupe key stores a durable message once', async () => {
  const store = await tempDatabase();
  const { queue } = openQueue(store.db);
  const payload = securityEvent('StartupOfTheDevice');
  const first = queue.send('SecurityEventNotification', payload, { durable: true, dedupeKey: 'boot:1' });
  await queue.idle();
  assert.equal(
    await queue.send('SecurityEventNotification', payload, { durable: true, dedupeKey: 'boot:1' }),
    undefined,
  );
  const rows = await store.db.selectFrom('message_queue').selectAll().execute();
  assert.equal(rows.length, 1);
  await queue.stop();
  await assert.rejects(first, NotDeliveredError);
  await store.close();
});

test('send() queues a copy: changing the caller’s object later does not change the message', async () => {
  const store = await tempDatabase();
  const { queue } = openQueue(store.db);
  queue.setGate('open');
  const sent: unknown[] = [];
  queue.attach(async (_action, payload) => {
    sent.push(payload);
    return {};
  });
  const payload = securityEvent('FirmwareUpdated');
  const pending = queue.send('SecurityEventNotification', payload, { durable: true });
  payload.type = 'X'.repeat(60);
  await pending;
  assert.deepEqual(sent, [securityEvent('FirmwareUpdated')]);
  await queue.stop();
  await store.close();
});

test('idle() waits for the delivery in flight, not for a scheduled retry', async () => {
  const store = await tempDatabase();
  const time = manualTime();
  const { queue } = openQueue(store.db, time);
  queue.setGate('open');
  const answer = deferred();
  let calls = 0;
  queue.attach(async () => {
    calls += 1;
    if (calls === 1) throw new Error('no answer within MessageTimeout');
    return answer.promise;
  });
  const pending = queue.send('SecurityEventNotification', securityEvent('MemoryExhaustion'), {
    durable: true,
  });
  await queue.idle();
  assert.equal(calls, 1);
  assert.equal(time.pendingTimers, 1, 'the retry waits for its timer; idle() did not');
  time.advance(10_000);
  let idle = false;
  const waiting = queue.idle().then(() => (idle = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(calls, 2);
  assert.equal(idle, false, 'the second attempt is in flight');
  answer.resolve({});
  await waiting;
  assert.deepEqual(await pending, {});
  await queue.stop();
  await store.close();
});

test('the sender gets the checked payload as JSON text, so it is not validated and stringified again', async () => {
  const store = await tempDatabase();
  const { queue } = openQueue(store.db);
  queue.setGate('open');
  const seen: Array<[unknown, string | undefined]> = [];
  queue.attach(async (_action, payload, _messageId, payloadJson) => {
    seen.push([payload, payloadJson]);
    return { currentTime: '2026-01-01T00:00:00Z' };
  });
  const event = securityEvent('SettingSystemTime');
  await queue.send('Heartbeat', {});
  await queue.send('SecurityEventNotification', event, { durable: true });
  assert.deepEqual(seen, [
    [{}, '{}'],
    [event, JSON.stringify(event)],
  ]);
  await queue.stop();
  await store.close();
});

test('send() of an unknown or CSMS-only action is refused, naming it', async () => {
  const store = await tempDatabase();
  const { queue } = openQueue(store.db);
  queue.setGate('open');
  queue.attach(async () => ({}));
  await assert.rejects(queue.send('Nonsense', {}), (e: unknown) => {
    assert.ok(e instanceof RpcInvalidMessageError);
    assert.equal(e.code, 'NotImplemented');
    assert.match(e.message, /"Nonsense" is not an OCPP 2.0.1 action/);
    return true;
  });
  await assert.rejects(queue.send('Reset', { type: 'Immediate' }, { durable: true }), (e: unknown) => {
    assert.ok(e instanceof RpcInvalidMessageError);
    assert.equal(e.code, 'NotSupported');
    return true;
  });
  await assert.rejects(queue.send('Heartbeat', { n: 10n }), (e: unknown) => {
    assert.ok(e instanceof RpcInvalidMessageError);
    assert.equal(e.code, 'FormatViolation');
    assert.match(e.message, /payload is not JSON/);
    return true;
  });
  assert.equal((await store.db.selectFrom('message_queue').selectAll().execute()).length, 0);
  await queue.stop();
  await store.close();
});
