import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Selectable } from 'kysely';
import { decodeStoredMessage, StoredMessageError } from '../../src/queue/stored-message.js';
import type { MessageQueueTable } from '../../src/store/schema.js';

const row: Selectable<MessageQueueTable> = {
  id: 7,
  station_id: 'CS',
  message_id: 'abc',
  action: 'Heartbeat',
  payload_json: '{}',
  kind: 'transaction',
  dedupe_key: null,
  owner: null,
  attempts: 2,
  next_attempt_at: '2026-01-01T00:00:10.000Z',
  created_at: '2026-01-01T00:00:00.000Z',
};

test('decodeStoredMessage: a readable row', () => {
  assert.deepEqual(decodeStoredMessage(row), {
    rowId: 7,
    messageId: 'abc',
    action: 'Heartbeat',
    payload: {},
    transaction: true,
    attempts: 2,
    nextAttemptAt: Date.parse('2026-01-01T00:00:10.000Z'),
    owner: null,
  });
});

test('decodeStoredMessage: an unreadable next_attempt_at means due now', () => {
  const decoded = decodeStoredMessage({ ...row, next_attempt_at: 'soon' });
  assert.ok(!(decoded instanceof StoredMessageError));
  assert.equal(decoded.nextAttemptAt, 0);
});

test('decodeStoredMessage names the table, row and column of what is wrong', () => {
  const cases: Array<[Partial<Selectable<MessageQueueTable>>, string, RegExp]> = [
    [{ payload_json: '{' }, 'payload_json', /is not valid JSON/],
    [{ payload_json: '{"x":1}' }, 'payload_json', /fails HeartbeatRequest: \/x: property is not defined/],
    [{ action: 'Teleport' }, 'action', /"Teleport" is not an OCPP 2.0.1 action/],
    [{ action: 'Reset' }, 'action', /Reset is not sent by a Charging Station/],
    [{ message_id: '' }, 'message_id', /1-36 characters/],
    [{ kind: 'urgent' as 'normal' }, 'kind', /must be 'transaction' or 'normal', is "urgent"/],
    [{ attempts: 1.5 }, 'attempts', /non-negative integer, is 1.5/],
  ];
  for (const [change, field, reason] of cases) {
    const decoded = decodeStoredMessage({ ...row, ...change });
    assert.ok(decoded instanceof StoredMessageError, field);
    assert.deepEqual([decoded.table, decoded.rowId, decoded.field], ['message_queue', 7, field]);
    assert.match(decoded.message, new RegExp(`^message_queue row 7: ${field} `));
    assert.match(decoded.message, reason);
  }
});
