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

test('C02.FR.01: a start button (idToken "" of type NoAuthorization) authorizes without an AuthorizeRequest; the TransactionEvent carries it', async (t) => {
  const h = await startTxHarness({ set: ['TxCtrlr.TxStartPoint=Authorized'] });
  t.after(() => h.close());
  const button: IdTokenType = { idToken: '', type: 'NoAuthorization' };
  assert.equal((await h.station.onAuthorizationPresented(button, 1)).action, 'started');
  await settle(h);
  assert.equal(h.csms.calls.filter((c) => c.action === 'Authorize').length, 0);
  assert.deepEqual(txEvents(h)[0]?.idToken, button);
});

test('C01.FR.19/21: idTokenInfo.evseId limits where the token charges (presented and remote start); an empty list allows every EVSE', async (t) => {
  const h = await startTxHarness({ set: ['TxCtrlr.TxStartPoint=Authorized', 'AuthCtrlr.AuthorizeRemoteStart=true'] });
  t.after(() => h.close());
  h.csms.onCall('Authorize', (call) => {
    const { idToken } = call.payload as AuthorizeRequest;
    return { idTokenInfo: { status: 'Accepted', evseId: idToken.idToken === 'ANYWHERE' ? [] : [2] } };
  });
  const onlyTwo: IdTokenType = { idToken: 'ONLY-EVSE-2', type: 'ISO14443' };
  const refused = await h.station.onAuthorizationPresented(onlyTwo, 1);
  assert.equal(refused.action, 'ignored');
  assert.match(refused.reason ?? '', /idTokenInfo.evseId/);
  const remote = (await h.csms.call(h.identity, 'RequestStartTransaction', { idToken: onlyTwo, remoteStartId: 5, evseId: 1 })) as { status: string };
  assert.equal(remote.status, 'Accepted', 'F01: the answer precedes the authorization');
  await h.csms.waitForCall('Authorize', (c) => (c.payload as AuthorizeRequest).idToken.idToken === 'ONLY-EVSE-2');
  await settle(h);
  assert.equal(txEvents(h).length, 0, 'C01.FR.21: nothing starts on EVSE 1');
  const anywhere = await h.station.onAuthorizationPresented({ idToken: 'ANYWHERE', type: 'ISO14443' }, 1);
  assert.equal(anywhere.action, 'started', 'C01.FR.19: an empty list allows every EVSE');
  const two = await h.station.onAuthorizationPresented(onlyTwo);
  assert.deepEqual([two.action, two.evseId], ['started', 2]);
});
