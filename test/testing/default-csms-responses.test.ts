import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultCsmsResponse } from '../../src/testing/default-csms-responses.js';
import { CSMS_INITIATED_ACTIONS, STATION_INITIATED_ACTIONS } from '../../src/rpc/action-directions.js';
import { validateResponse } from '../../src/validation/index.js';

const settings = { heartbeatInterval: 300, bootStatus: 'Accepted' } as const;

for (const action of STATION_INITIATED_ACTIONS) {
  test(`the default ${action} answer passes the official response schema`, () => {
    const answer = defaultCsmsResponse(action, {}, settings);
    assert.notEqual(answer, undefined);
    assert.equal(validateResponse(action, answer), null, JSON.stringify(answer));
  });
}

test('actions only the CSMS sends have no default answer', () => {
  for (const action of CSMS_INITIATED_ACTIONS) {
    if (STATION_INITIATED_ACTIONS.has(action)) continue;
    assert.equal(defaultCsmsResponse(action, {}, settings), undefined, action);
  }
  assert.equal(defaultCsmsResponse('Frobnicate', {}, settings), undefined);
});

test('boot settings and idToken handling shape the answers', () => {
  const boot = defaultCsmsResponse(
    'BootNotification',
    {},
    { heartbeatInterval: 42, bootStatus: 'Pending' },
  ) as Record<string, unknown>;
  assert.equal(boot.interval, 42);
  assert.equal(boot.status, 'Pending');
  assert.deepEqual(
    defaultCsmsResponse('TransactionEvent', { idToken: { idToken: 'A', type: 'Local' } }, settings),
    {
      idTokenInfo: { status: 'Accepted' },
    },
  );
  assert.deepEqual(defaultCsmsResponse('TransactionEvent', { eventType: 'Updated' }, settings), {});
});
