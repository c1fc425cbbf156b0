/**
 * C09 (group ids) and C16 (master pass) through the real station against the strict test CSMS:
 * TC_C_39/40-style group stops, TC_C_45 (a master pass starts nothing), TC_C_47/48 (with a UI: all,
 * or a chosen transaction), TC_C_49 (without a UI: every transaction stops, stoppedReason MasterPass).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  AuthorizeRequest,
  IdTokenInfoType,
  IdTokenType,
  TransactionEventRequest,
} from '../../src/generated/ocpp-types.js';
import type { MasterPassChoice } from '../../src/authorization/token-presentation.js';
import type { Harness } from './station-harness.js';
import { settle, startCharging, startTxHarness, TOKEN, OTHER_TOKEN, txEvents, txHost, goOffline } from './transactions-helpers.js';
import { fullList, listed, sendLocalList } from './authorization-helpers.js';

const GROUP: IdTokenType = { idToken: 'FAMILY-1', type: 'Central' };
const MASTER_GROUP = 'POLICE';
const MASTER: IdTokenType = { idToken: 'MASTER-1', type: 'ISO14443' };
const STRANGER: IdTokenType = { idToken: 'STRANGER', type: 'ISO14443' };

/**
 * The CSMS's verdicts: TOKEN and OTHER_TOKEN share GROUP, MASTER is of the master-pass group, STRANGER
 * is Invalid of GROUP. The CSMS says the same in TransactionEventResponses (C10.FR.05: their
 * idTokenInfo replaces the cached one, so an answer without the group would forget it).
 */
function answerTokens(h: Harness): void {
  const verdict = (idToken: IdTokenType): IdTokenInfoType => {
    if (idToken.idToken === MASTER.idToken)
      return { status: 'Accepted', groupIdToken: { idToken: MASTER_GROUP, type: 'Central' } };
    if (idToken.idToken === STRANGER.idToken) return { status: 'Invalid', groupIdToken: GROUP };
    return { status: 'Accepted', groupIdToken: GROUP };
  };
  h.csms.onCall('Authorize', (call) => ({ idTokenInfo: verdict((call.payload as AuthorizeRequest).idToken) }));
  h.csms.onCall('TransactionEvent', (call) => {
    const { idToken } = call.payload as TransactionEventRequest;
    return idToken ? { idTokenInfo: verdict(idToken) } : {};
  });
}

const authorizes = (h: Harness, token: IdTokenType) =>
  h.csms.calls.filter(
    (c) => c.identity === h.identity && c.action === 'Authorize' && (c.payload as AuthorizeRequest).idToken.idToken === token.idToken,
  ).length;

const ended = (h: Harness, transactionId: string): TransactionEventRequest | undefined =>
  txEvents(h, transactionId).find((e) => e.eventType === 'Ended');

test('C09.FR.03/05: a different Accepted token of the same group (from Authorize) ends the session; StopAuthorized with that token', async (t) => {
  const h = await startTxHarness({ set: [`AuthCtrlr.MasterPassGroupId=${MASTER_GROUP}`, 'AuthCtrlr.LocalPreAuthorize=false'] });
  t.after(() => h.close());
  answerTokens(h);
  const transactionId = await startCharging(h, 1, TOKEN);
  const result = await h.station.onAuthorizationPresented(OTHER_TOKEN);
  assert.equal(result.action, 'stopped');
  assert.equal(result.transactionId, transactionId);
  await settle(h);
  const stop = txEvents(h, transactionId).find((e) => e.triggerReason === 'StopAuthorized');
  assert.ok(stop, 'StopAuthorized was sent');
  assert.deepEqual(stop.idToken, OTHER_TOKEN);
  assert.equal(authorizes(h, OTHER_TOKEN), 1, 'C09.FR.05: the unknown group member was checked with Authorize');
});

test('C09.FR.11: a token of the same group that is not Accepted does not stop the session', async (t) => {
  const h = await startTxHarness({ set: ['AuthCtrlr.LocalPreAuthorize=false'] });
  t.after(() => h.close());
  answerTokens(h);
  await startCharging(h, 1, TOKEN);
  const result = await h.station.onAuthorizationPresented(STRANGER);
  assert.equal(result.action, 'rejected');
  assert.equal(result.status, 'Invalid');
  await settle(h);
  assert.equal(h.station.hasActiveTransaction(1), true);
  assert.equal(txEvents(h).filter((e) => e.triggerReason === 'StopAuthorized').length, 0);
});

test('C09.FR.07 (b): a group member the authorization cache holds as Accepted stops the session without an AuthorizeRequest', async (t) => {
  const h = await startTxHarness({ set: ['AuthCtrlr.LocalPreAuthorize=false'] });
  t.after(() => h.close());
  answerTokens(h);
  // OTHER_TOKEN is learned into the cache from an Authorize on a session of its own on EVSE 2.
  await startCharging(h, 2, OTHER_TOKEN);
  assert.equal(authorizes(h, OTHER_TOKEN), 1);
  await h.station.onAuthorizationPresented(OTHER_TOKEN, 2); // ends its own session (E07)
  const transactionId = await startCharging(h, 1, TOKEN);
  const result = await h.station.onAuthorizationPresented(OTHER_TOKEN, 1);
  assert.equal(result.action, 'stopped');
  assert.equal(result.transactionId, transactionId);
  assert.equal(authorizes(h, OTHER_TOKEN), 1, 'no second AuthorizeRequest');
});

test('C16.FR.03 / C12.FR.09 (TC_C_45): a master-pass token starts no transaction', async (t) => {
  const h = await startTxHarness({ set: [`AuthCtrlr.MasterPassGroupId=${MASTER_GROUP}`] });
  t.after(() => h.close());
  answerTokens(h);
  h.station.onSessionStarted(1, 1);
  const result = await h.station.onAuthorizationPresented(MASTER, 1);
  assert.equal(result.action, 'rejected');
  assert.equal(result.status, 'Accepted');
  await settle(h);
  assert.equal(authorizes(h, MASTER), 1);
  assert.equal(txEvents(h).filter((e) => e.idToken !== undefined).length, 0, 'no TransactionEvent carries the master pass');
  assert.equal(h.station.hasActiveTransaction(1), false);
});

test('C16.FR.02 (TC_C_49): without a UI a master-pass token stops every transaction, stoppedReason MasterPass', async (t) => {
  const h = await startTxHarness({ set: [`AuthCtrlr.MasterPassGroupId=${MASTER_GROUP}`] });
  t.after(() => h.close());
  answerTokens(h);
  const first = await startCharging(h, 1, TOKEN);
  const second = await startCharging(h, 2, OTHER_TOKEN);
  const result = await h.station.onAuthorizationPresented(MASTER);
  assert.equal(result.action, 'stopped');
  assert.deepEqual(result.evseIds, [1, 2]);
  await settle(h);
  for (const transactionId of [first, second]) {
    const stop = txEvents(h, transactionId).find((e) => e.triggerReason === 'StopAuthorized');
    assert.ok(stop, `StopAuthorized for ${transactionId}`);
    assert.deepEqual(stop.idToken, MASTER);
    // TxStopPoint of the example (EVConnected): the transaction ends at the unplug, with the reason.
    h.station.onSessionFinished(stop.evse?.id ?? (transactionId === first ? 1 : 2), 1);
  }
  await settle(h);
  for (const transactionId of [first, second]) {
    assert.equal(ended(h, transactionId)?.transactionInfo.stoppedReason, 'MasterPass');
  }
});

test('C16.FR.01 (TC_C_47/48): with a UI the choice is shown; the user stops one transaction, the other charges on; "all" stops the rest', async (t) => {
  const shown: MasterPassChoice[] = [];
  const h = await startTxHarness({
    set: [`AuthCtrlr.MasterPassGroupId=${MASTER_GROUP}`, 'TxCtrlr.TxStopPoint=Authorized'],
    station: { callbacks: { masterPassUiCallback: (choice) => shown.push(choice) } },
  });
  t.after(() => h.close());
  answerTokens(h);
  const first = await startCharging(h, 1, TOKEN);
  const second = await startCharging(h, 2, OTHER_TOKEN);
  assert.throws(() => h.station.onMasterPassSelected('all'), /no master-pass choice is open/);
  const result = await h.station.onAuthorizationPresented(MASTER);
  assert.equal(result.action, 'masterPass');
  assert.deepEqual(shown, [{ idToken: MASTER, evseIds: [1, 2] }]);
  await settle(h);
  assert.equal(h.station.hasActiveTransaction(), true, 'nothing stops before the user chooses');
  assert.throws(() => h.station.onMasterPassSelected([3]), /not in the master-pass choice/);
  const chosen = h.station.onMasterPassSelected([1]);
  assert.deepEqual(chosen, { evseIds: [1], transactionIds: [first] });
  await settle(h);
  const end = ended(h, first);
  assert.equal(end?.transactionInfo.stoppedReason, 'MasterPass');
  assert.equal(end?.triggerReason, 'StopAuthorized');
  assert.equal(h.station.hasActiveTransaction(2), true, 'TC_C_48: the other EVSE still charges');
  assert.throws(() => h.station.onMasterPassSelected('all'), /no master-pass choice is open/, 'the choice was answered');
  await h.station.onAuthorizationPresented(MASTER);
  assert.deepEqual(h.station.onMasterPassSelected('all'), { evseIds: [2], transactionIds: [second] });
  await settle(h);
  assert.equal(ended(h, second)?.transactionInfo.stoppedReason, 'MasterPass');
});

test('C16.FR.05: a master pass known from the local list stops every transaction without an AuthorizeRequest', async (t) => {
  const h = await startTxHarness({ set: [`AuthCtrlr.MasterPassGroupId=${MASTER_GROUP}`] });
  t.after(() => h.close());
  answerTokens(h);
  await sendLocalList(
    h,
    fullList(1, listed('LISTED-MASTER', 'Accepted', { groupIdToken: { idToken: MASTER_GROUP, type: 'Central' } })),
  );
  const transactionId = await startCharging(h, 1, TOKEN);
  const result = await h.station.onAuthorizationPresented({ idToken: 'LISTED-MASTER', type: 'ISO14443' });
  assert.deepEqual([result.action, result.evseIds], ['stopped', [1]]);
  assert.equal(authorizes(h, { idToken: 'LISTED-MASTER', type: 'ISO14443' }), 0);
  await settle(h);
  assert.ok(txEvents(h, transactionId).some((e) => e.triggerReason === 'StopAuthorized'));
});

test('C15.FR.01: a token accepted offline only by OfflineTxForUnknownIdEnabled is not added to the cache', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: ['AuthCtrlr.OfflineTxForUnknownIdEnabled=true'],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  await goOffline(h, host);
  h.station.onSessionStarted(1, 1);
  const result = await h.station.onAuthorizationPresented(STRANGER, 1);
  assert.deepEqual([result.action, result.status], ['started', 'Accepted']);
  assert.equal(h.station.authCacheSize(), 0);
  assert.equal(h.station.authorizationData.localEntry(STRANGER), undefined);
});
