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
