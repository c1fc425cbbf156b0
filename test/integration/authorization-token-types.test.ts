/**
 * C04 (PIN code, IdTokenType KeyCode) and C06 (local id type): presented like an RFID card, sent to
 * the CSMS in an AuthorizeRequest with their type (C06.FR.02), and the answer decides (C06.FR.01:
 * energy only after authorization).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuthorizeRequest, IdTokenType } from '../../src/generated/ocpp-types.js';
import { settle, startTxHarness, txEvents } from './transactions-helpers.js';

for (const [useCase, token] of [
  ['C04 (PIN code)', { idToken: '4711', type: 'KeyCode' }],
  ['C06.FR.02', { idToken: 'LOCAL-CARD-9', type: 'Local' }],
] as Array<[string, IdTokenType]>) {
  test(`${useCase}: a ${token.type} token is authorized with an AuthorizeRequest carrying its type; Accepted starts, Blocked does not`, async (t) => {
    const h = await startTxHarness({ set: ['TxCtrlr.TxStartPoint=Authorized'] });
    t.after(() => h.close());
    let answer: 'Accepted' | 'Blocked' = 'Blocked';
    h.csms.onCall('Authorize', () => ({ idTokenInfo: { status: answer } }));
    const refused = await h.station.onAuthorizationPresented(token, 1);
    assert.equal(refused.action, 'rejected');
    assert.equal(refused.status, 'Blocked');
    await settle(h);
    assert.equal(txEvents(h).length, 0, 'C06.FR.01: nothing starts before an authorization');
    answer = 'Accepted';
    assert.equal((await h.station.onAuthorizationPresented(token, 1)).action, 'started');
    await settle(h);
    const authorizes = h.csms.calls.filter((c) => c.action === 'Authorize').map((c) => (c.payload as AuthorizeRequest).idToken);
    assert.deepEqual(authorizes, [token, token]);
    assert.deepEqual(txEvents(h)[0]?.idToken, token);
  });
}
