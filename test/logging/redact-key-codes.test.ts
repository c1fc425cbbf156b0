import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REDACTED, redactKeyCodes, redactKeyCodesInText } from '../../src/logging/redact-key-codes.js';

const keyCode = (secret: string) => ({ idToken: secret, type: 'KeyCode' });

test('C04.FR.04: a KeyCode idToken is redacted wherever it sits in a frame', () => {
  const frame = [
    2,
    'm1',
    'TransactionEvent',
    {
      idToken: keyCode('1234'),
      transactionInfo: { transactionId: 't' },
      nested: [{ groupIdToken: keyCode('9999') }],
    },
  ];
  const redacted = redactKeyCodes(frame);
  assert.ok(!JSON.stringify(redacted).includes('1234'));
  assert.ok(!JSON.stringify(redacted).includes('9999'));
  assert.deepEqual((redacted[3] as { idToken: unknown }).idToken, { idToken: REDACTED, type: 'KeyCode' });
  assert.equal(
    (frame[3] as { idToken: { idToken: string } }).idToken.idToken,
    '1234',
    'the input is not changed',
  );
});

test('C04.FR.04: other token types and frames without a KeyCode are returned as they are', () => {
  const frame = [2, 'm1', 'Authorize', { idToken: { idToken: 'CARD1', type: 'ISO14443' } }];
  assert.equal(redactKeyCodes(frame), frame, 'the same object, not a copy');
  const text = JSON.stringify(frame);
  assert.equal(redactKeyCodesInText(text), text);
});

test('C04.FR.04: text frames are redacted; bad JSON with a key code is redacted by pattern', () => {
  const text = '[2,"m1","Authorize",{"idToken":{"idToken":"1234","type":"KeyCode"}}]';
  const out = redactKeyCodesInText(text);
  assert.ok(!out.includes('1234'));
  assert.deepEqual(JSON.parse(out), [
    2,
    'm1',
    'Authorize',
    { idToken: { idToken: REDACTED, type: 'KeyCode' } },
  ]);
  const bad = '[2,"m1","Authorize",{"idToken":{"idToken":"1234","type":"KeyCode"}';
  assert.ok(!redactKeyCodesInText(bad).includes('1234'));
});
