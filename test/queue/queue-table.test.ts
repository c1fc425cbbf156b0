import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KyselyPlugin } from 'kysely';
import { QueueTable, type NewQueueRow } from '../../src/queue/queue-table.js';
import { tempDatabase } from '../helpers/temp-db.js';

const row = (messageId: string, dedupeKey: string | null = null): NewQueueRow => ({
  messageId,
  action: 'Heartbeat',
  payloadJson: '{}',
  transaction: false,
  dedupeKey,
  nextAttemptAt: Date.parse('2026-01-01T00:00:00Z'),
  createdAt: '2030-01-01T00:00:00.000Z',
});

test('insert returns the row id, or null when the dedupe key is taken; times are stored as given', async () => {
  const store = await tempDatabase();
  const table = new QueueTable(store.db, 'CS');
  const id = await table.insert(row('a', 'k'));
  assert.equal(typeof id, 'number');
  assert.equal(await table.insert(row('b', 'k')), null);
  await table.recordAttempt(id!, 2, Date.parse('2026-01-01T00:00:20Z'));
  const rows = await table.readAll();
  assert.deepEqual(
    rows.map((r) => [r.message_id, r.attempts, r.next_attempt_at, r.created_at, r.kind]),
    [['a', 2, '2026-01-01T00:00:20.000Z', '2030-01-01T00:00:00.000Z', 'normal']],
  );
  assert.deepEqual(await new QueueTable(store.db, 'OTHER').readAll(), [], 'per station');
  await table.stop();
  await store.close();
});

test('stop() waits for the insert in flight and starts no write afterwards', async () => {
  const store = await tempDatabase();
  const table = new QueueTable(store.db, 'CS');
  const inserting = table.insert(row('a'));
  assert.equal(table.pending.length, 1);
  await table.stop();
  assert.equal(table.pending.length, 0);
  const id = await inserting;
  await table.delete(id!);
  await table.recordAttempt(id!, 5, 0);
  const rows = await store.db.selectFrom('message_queue').selectAll().execute();
  assert.deepEqual(
    rows.map((r) => [r.id, r.attempts]),
    [[id, 0]],
  );
  await store.close();
});

test('issue 9: the prepared statements (own database) and Kysely (another Kysely instance) insert and delete alike', async () => {
  const store = await tempDatabase();
  const plain: KyselyPlugin = { transformQuery: (args) => args.node, transformResult: async (args) => args.result };
  for (const [station, db] of [['NATIVE', store.db], ['KYSELY', store.db.withPlugin(plain)]] as const) {
    const table = new QueueTable(db, station);
    const first = await table.insert(row('a', 'k'));
    assert.equal(typeof first, 'number');
    assert.equal(await table.insert(row('b', 'k')), null, `${station}: the dedupe key is taken`);
    const second = await table.insert(row('c'));
    await table.delete(first!);
    assert.deepEqual(
      (await table.readAll()).map((r) => [r.id, r.message_id, r.attempts, r.next_attempt_at, r.kind, r.owner]),
      [[second, 'c', 0, '2026-01-01T00:00:00.000Z', 'normal', null]],
      station,
    );
    await table.stop();
  }
  await store.close();
});

test('issue 9: inserts and deletes of several stations in one turn share a transaction, each with its own result', async () => {
  const store = await tempDatabase();
  const a = new QueueTable(store.db, 'A');
  const b = new QueueTable(store.db, 'B');
  // One turn: A's two messages (the second's dedupe key taken by the first), B's, and a row the
  // table refuses (NOT NULL message_id), which fails alone.
  const results = await Promise.allSettled([
    a.insert(row('a1', 'k')),
    b.insert(row('b1', 'k')),
    a.insert(row('a2', 'k')),
    a.insert({ ...row('bad'), messageId: null as unknown as string }),
    b.insert(row('b2')),
  ]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
  );
  const [a1, b1, a2, , b2] = results.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
  assert.equal(a2, null, "A's dedupe key is taken; B's own is not");
  assert.ok(typeof a1 === 'number' && typeof b1 === 'number' && typeof b2 === 'number');
  assert.ok(a1 < b1 && b1 < b2, 'ids in the order of the inserts');
  assert.deepEqual((await a.readAll()).map((r) => r.message_id), ['a1']);
  assert.deepEqual((await b.readAll()).map((r) => r.message_id), ['b1', 'b2']);
  // Each delete resolves once its row is gone.
  await Promise.all([a.delete(a1), b.delete(b1)]);
  assert.deepEqual((await b.readAll()).map((r) => r.message_id), ['b2']);
  assert.deepEqual(await a.readAll(), []);
  await Promise.all([a.stop(), b.stop()]);
  await store.close();
});
