import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MessageInfoType } from '../../src/generated/ocpp-types.js';
import {
  checkSetDisplayMessage,
  displayOrder,
  matchesRequest,
  nextBoundaryMs,
  shownNow,
  splitNotifyDisplayMessages,
  type DisplaySettings,
} from '../../src/display/display-rules.js';
import { memberList } from '../../src/display/display-settings.js';

const SETTINGS: DisplaySettings = {
  available: true,
  enabled: true,
  formats: ['UTF8', 'ASCII'],
  priorities: ['AlwaysFront', 'InFront', 'NormalCycle'],
  states: ['Charging', 'Idle'],
  maxMessages: 2,
};

const m = (id: number, extra: Partial<MessageInfoType> = {}): MessageInfoType => ({
  id,
  priority: 'NormalCycle',
  message: { format: 'UTF8', content: `m${id}` },
  ...extra,
});

const check = (message: MessageInfoType, stored: MessageInfoType[] = [], settings = SETTINGS) =>
  checkSetDisplayMessage(message, {
    settings,
    transactionKnown: (id) => id === 'tx-1',
    displayKnown: (display) => display.name === 'Display',
    stored,
  }).status;

test('O01.FR.01–03, O02.FR.01, O01.FR.11: the statuses of SetDisplayMessage, in order', () => {
  assert.equal(check(m(1)), 'Accepted');
  assert.equal(check(m(1), [], { ...SETTINGS, available: false }), 'Rejected');
  assert.equal(check(m(1), [], { ...SETTINGS, enabled: false }), 'Rejected');
  assert.equal(check(m(1), [], { ...SETTINGS, priorities: ['NormalCycle'] }), 'Accepted');
  assert.equal(check(m(1, { priority: 'InFront' }), [], { ...SETTINGS, priorities: ['NormalCycle'] }), 'NotSupportedPriority');
  assert.equal(check(m(1, { message: { format: 'HTML', content: 'x' } })), 'NotSupportedMessageFormat');
  assert.equal(check(m(1, { state: 'Faulted' })), 'NotSupportedState');
  assert.equal(check(m(1, { state: 'Faulted' }), [], { ...SETTINGS, states: undefined }), 'Accepted');
  assert.equal(check(m(1, { transactionId: 'tx-2' })), 'UnknownTransaction');
  assert.equal(check(m(1, { transactionId: 'tx-1' })), 'Accepted');
  assert.equal(check(m(1, { display: { name: 'Display' } })), 'Accepted');
  assert.equal(check(m(1, { display: { name: 'SecondScreen' } })), 'Rejected', 'O01.FR.22');
  assert.equal(check(m(3), [m(1), m(2)]), 'Rejected');
  assert.equal(check(m(2), [m(1), m(2)]), 'Accepted', 'O06: a replacement adds nothing');
  assert.equal(
    check(m(3, { priority: 'AlwaysFront' }), [m(1, { priority: 'AlwaysFront' }), m(2)]),
    'Accepted',
    'O01.FR.16: a second AlwaysFront replaces the first',
  );
});

test('O04: criteria are ANDed; none matches all', () => {
  assert.ok(matchesRequest(m(1), { requestId: 1 }));
  assert.ok(matchesRequest(m(1, { state: 'Idle' }), { requestId: 1, id: [1, 2], state: 'Idle' }));
  assert.ok(!matchesRequest(m(1, { state: 'Idle' }), { requestId: 1, id: [1], priority: 'InFront' }));
  assert.ok(!matchesRequest(m(3), { requestId: 1, id: [1, 2] }));
});

test('O01.FR.06/07/12–15: time window, state and display order; the next boundary', () => {
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const later = m(1, { startDateTime: '2026-01-01T01:00:00Z', endDateTime: '2026-01-01T02:00:00Z' });
  assert.equal(shownNow(later, t0), false);
  assert.equal(shownNow(later, t0 + 3_600_000), true);
  assert.equal(shownNow(later, t0 + 7_200_000), false);
  assert.equal(shownNow(m(2, { state: 'Charging' }), t0, new Set(['Idle'])), false);
  assert.equal(shownNow(m(2, { state: 'Charging' }), t0, new Set(['Charging'])), true);
  assert.equal(nextBoundaryMs([later, m(3)], t0), t0 + 3_600_000);
  assert.equal(nextBoundaryMs([later], t0 + 3_600_000), t0 + 7_200_000);
  assert.equal(nextBoundaryMs([m(3)], t0), undefined);
  const ordered = displayOrder([m(1), m(2, { priority: 'InFront' }), m(3), m(4, { priority: 'AlwaysFront' }), m(5, { priority: 'InFront' })]);
  assert.deepEqual(ordered.map((x) => x.id), [4, 2, 5, 1, 3]);
});

test('O03.FR.03–05: NotifyDisplayMessages parts at ItemsPerMessage and BytesPerMessage', () => {
  const messages = [m(1), m(2), m(3)];
  assert.deepEqual(splitNotifyDisplayMessages(messages, 4), [{ requestId: 4, messageInfo: messages }]);
  assert.deepEqual(
    splitNotifyDisplayMessages(messages, 4, { itemsPerMessage: 2 }).map((p) => [p.tbc, p.messageInfo?.length]),
    [[true, 2], [undefined, 1]],
  );
  const frame = (n: number) =>
    Buffer.byteLength(JSON.stringify([2, 'x'.repeat(36), 'NotifyDisplayMessages', { requestId: 4, tbc: false, messageInfo: messages.slice(0, n) }]));
  const parts = splitNotifyDisplayMessages(messages, 4, { bytesPerMessage: frame(2) });
  assert.deepEqual(parts.map((p) => p.messageInfo?.map((x) => x.id)), [[1, 2], [3]]);
  for (const part of parts) {
    assert.ok(Buffer.byteLength(JSON.stringify([2, 'x'.repeat(36), 'NotifyDisplayMessages', part])) <= frame(2));
  }
  assert.deepEqual(memberList(' UTF8, ASCII ,,'), ['UTF8', 'ASCII']);
});
