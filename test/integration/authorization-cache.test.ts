/**
 * The Authorization Cache over the websocket against the strict test CSMS (C10, C11, C12; Part 6
 * TC_C_08–12, TC_C_33/34, TC_C_37/38, TC_C_46): filled from Authorize and TransactionEvent answers,
 * what a cached status does online and offline, LifeTime on the station clock, eviction by
 * Storage maxLimit, ClearCache.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuthorizationStatusEnumType, GetVariablesResponse } from '../../src/generated/ocpp-types.js';
import {
  answerAuthorize,
  authorizeCalls,
  clearCache,
  componentsWithLimits,
  overrides,
  presentPlugged,
  token,
} from './authorization-helpers.js';
import { assertClean, QUIET, settle, startTxHarness, txHost, goOffline } from './transactions-helpers.js';

const NOT_ACCEPTED: AuthorizationStatusEnumType[] = ['Invalid', 'Blocked', 'Expired', 'Unknown', 'NoCredit'];

test('C10.FR.04, C12.FR.02/04 (TC_C_33_CS, TC_C_08_CS): an Authorize answer fills the cache; a cached Accepted token starts without AuthorizeRequest (LocalPreAuthorize)', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  const tag = token('CACHE-1');
  assert.equal((await presentPlugged(h, tag)).action, 'started');
  assert.equal(authorizeCalls(h, tag), 1, 'unknown: the CSMS is asked');
  assert.equal(h.station.authCacheSize(), 1);
  assert.equal((await presentPlugged(h, tag)).action, 'started');
  assert.equal(authorizeCalls(h, tag), 1, 'cached Accepted: not asked again');
  assertClean(h);
});

test('C10.FR.03, C12.FR.05/06 (TC_C_09–12_CS): online, a cached status other than Accepted is checked with the CSMS and its answer updates the cache', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  const verdicts = new Map<string, AuthorizationStatusEnumType>();
  answerAuthorize(h, (idToken) => verdicts.get(idToken.idToken) ?? 'Accepted');
  for (const status of NOT_ACCEPTED) {
    const tag = token(`CACHED-${status}`);
    verdicts.set(tag.idToken, status);
    const first = await presentPlugged(h, tag);
    assert.deepEqual(
      [first.action, first.status],
      ['rejected', status],
      `${status}: the CSMS's answer decides`,
    );
    assert.equal(
      h.station.authorizationData.localEntry(tag)?.info.status,
      status,
      `${status} is cached (C10.FR.01)`,
    );
    // TC_C_12: now the CSMS accepts it.
    verdicts.set(tag.idToken, 'Accepted');
    const second = await presentPlugged(h, tag);
    assert.equal(authorizeCalls(h, tag), 2, `${status}: asked again (C10.FR.03)`);
    assert.equal(second.action, 'started', `${status} -> Accepted: it starts`);
    assert.equal(
      h.station.authorizationData.localEntry(tag)?.info.status,
      'Accepted',
      `${status}: updated (C12.FR.06)`,
    );
  }
  assertClean(h);
});

test('C10 with AuthCacheCtrlr.DisablePostAuthorize (TC_C_57_CS): a cached status other than Accepted stands, nothing is asked', async (t) => {
  const h = await startTxHarness({ set: ['AuthCacheCtrlr.DisablePostAuthorize=true'] });
  t.after(() => h.close());
  answerAuthorize(h, () => 'Blocked');
  const tag = token('POST-AUTH');
  assert.equal((await presentPlugged(h, tag)).status, 'Blocked');
  const again = await presentPlugged(h, tag);
  assert.deepEqual([again.action, again.status], ['rejected', 'Blocked']);
  assert.equal(authorizeCalls(h, tag), 1);
  assertClean(h);
});

test('C12 offline (LocalAuthorizeOffline): every cached status decides without the CSMS; Accepted starts a transaction', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: ['AuthCtrlr.OfflineTxForUnknownIdEnabled=false'],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  const statuses: AuthorizationStatusEnumType[] = ['Accepted', ...NOT_ACCEPTED];
  answerAuthorize(h, (idToken) => idToken.idToken.slice('OFF-'.length) as AuthorizationStatusEnumType);
  for (const status of statuses) await presentPlugged(h, token(`OFF-${status}`));
  assert.equal(h.station.authCacheSize(), statuses.length);
  const asked = authorizeCalls(h);
  await goOffline(h, host);
  for (const status of statuses) {
    const result = await presentPlugged(h, token(`OFF-${status}`));
    assert.deepEqual(
      [result.action, result.status],
      [status === 'Accepted' ? 'started' : 'rejected', status],
      `cached ${status}, offline`,
    );
  }
  const unknown = await presentPlugged(h, token('OFF-NEVER-SEEN'));
  assert.deepEqual(
    [unknown.action, unknown.status],
    ['rejected', 'Unknown'],
    'not cached, OfflineTxForUnknownIdEnabled false (C15.FR.08 does not apply)',
  );
  h.station.connectWebsocket();
  await h.csms.waitForCall('TransactionEvent', (c) => (c.payload as { offline?: boolean }).offline === true);
  await settle(h);
  assert.equal(authorizeCalls(h), asked, 'no AuthorizeRequest was queued for later');
  assertClean(h);
});

test('C10.FR.05 (TC_C_34_CS): the idTokenInfo of a TransactionEventResponse updates the cache', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  const tag = token('FROM-TX');
  h.csms.onCall('TransactionEvent', (call) => {
    const request = call.payload as { idToken?: unknown };
    return request.idToken ? { idTokenInfo: { status: 'Accepted', groupIdToken: token('GROUP-7') } } : {};
  });
  // The host authorized the token itself: no AuthorizeRequest, only the Started event carries it.
  h.station.onSessionStarted(1, 1);
  h.station.onAuthorized(1, 1, tag);
  await h.csms.waitForCall(
    'TransactionEvent',
    (c) => (c.payload as { idToken?: unknown }).idToken !== undefined,
  );
  await settle(h);
  assert.equal(authorizeCalls(h), 0);
  assert.deepEqual(h.station.authorizationData.localEntry(tag), {
    info: { status: 'Accepted', groupIdToken: token('GROUP-7') },
    from: 'cache',
  });
  assertClean(h);
});

test('C05.FR.02: the answer on a Central token is not cached', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  const central = { idToken: 'CENTRAL-1', type: 'Central' as const };
  assert.equal((await h.station.authorize(central)).idTokenInfo.status, 'Accepted');
  assert.equal(authorizeCalls(h), 1);
  assert.equal(h.station.authCacheSize(), 0);
  assertClean(h);
});

test('C10.FR.08/10 (TC_C_46_CS): an entry not used for AuthCacheCtrlr.LifeTime is Expired: checked again online, refused offline', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: ['AuthCacheCtrlr.LifeTime=3600'],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  const tag = token('LIFETIME');
  const kept = token('LIFETIME-OFFLINE');
  await presentPlugged(h, tag);
  await presentPlugged(h, kept);
  assert.equal(authorizeCalls(h), 2);
  const jump = (seconds: number) =>
    h.station.clock.setTime(new Date(h.station.clock.nowMs() + seconds * 1000).toISOString());
  jump(3000);
  assert.equal((await presentPlugged(h, tag)).action, 'started');
  assert.equal(authorizeCalls(h, tag), 1, 'within LifeTime: the cached Accepted is used');
  jump(3000);
  // 6000 s since `kept` was last used, 3000 s since `tag` was.
  assert.equal(h.station.authorizationData.localEntry(kept)?.info.status, 'Expired');
  assert.equal(h.station.authorizationData.localEntry(tag)?.info.status, 'Accepted');
  assert.equal((await presentPlugged(h, kept)).action, 'started');
  assert.equal(authorizeCalls(h, kept), 2, 'C10.FR.03: an Expired entry is checked with the CSMS');
  jump(3601);
  await goOffline(h, host);
  const offline = await presentPlugged(h, tag);
  assert.deepEqual(
    [offline.action, offline.status],
    ['rejected', 'Expired'],
    'offline, the Expired entry decides',
  );
  assertClean(h);
});

test('C10.FR.07: a full cache (AuthCacheCtrlr.Storage maxLimit) makes room: not Accepted first, then least recently used', async (t) => {
  const sizeOfOne = 87; // {"idToken":{"idToken":"EVICT-1","type":"ISO14443"},"idTokenInfo":{"status":"Accepted"}}
  const components = await componentsWithLimits([
    { component: 'AuthCacheCtrlr', variable: 'Storage', maxLimit: sizeOfOne * 3 },
  ]);
  const h = await startTxHarness({
    station: { deviceModel: { components, overrides: overrides(QUIET) } },
    set: QUIET,
  });
  t.after(() => h.close());
  answerAuthorize(h, (idToken) => (idToken.idToken === 'EVICT-B' ? 'Blocked' : 'Accepted'));
  for (const id of ['EVICT-1', 'EVICT-B', 'EVICT-2']) await presentPlugged(h, token(id));
  assert.equal(h.station.authCacheSize(), 3);
  assert.equal(
    h.station.authorizationData.storageBytes().cache,
    sizeOfOne * 3 - 1,
    'Blocked is one byte shorter',
  );
  await presentPlugged(h, token('EVICT-1')); // a use: EVICT-2 is now the least recently used
  await presentPlugged(h, token('EVICT-3'));
  const cached = (id: string) => h.station.authorizationData.localEntry(token(id)) !== undefined;
  assert.deepEqual(
    ['EVICT-1', 'EVICT-B', 'EVICT-2', 'EVICT-3'].map(cached),
    [true, false, true, true],
    'the Blocked one went first',
  );
  await presentPlugged(h, token('EVICT-4'));
  assert.deepEqual(
    ['EVICT-1', 'EVICT-2', 'EVICT-3', 'EVICT-4'].map(cached),
    [true, false, true, true],
    'then the least recently used',
  );
  const storage = (await h.csms.call(h.identity, 'GetVariables', {
    getVariableData: [{ component: { name: 'AuthCacheCtrlr' }, variable: { name: 'Storage' } }],
  })) as GetVariablesResponse;
  assert.equal(
    storage.getVariableResult[0].attributeValue,
    String(sizeOfOne * 3),
    'AuthCacheCtrlr.Storage reports the bytes used',
  );
  assertClean(h);
});

test('C11.FR.01–03 (TC_C_37_CS): ClearCache is Accepted and the next presentation asks the CSMS again', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  const tag = token('CLEARED');
  await presentPlugged(h, tag);
  assert.equal(h.station.authCacheSize(), 1);
  assert.deepEqual(await clearCache(h), { status: 'Accepted' });
  assert.equal(h.station.authCacheSize(), 0);
  await presentPlugged(h, tag);
  assert.equal(authorizeCalls(h, tag), 2);
  assertClean(h);
});

test('C11.FR.04 (TC_C_38_CS): ClearCache with AuthCacheCtrlr.Enabled false is Rejected, the cache is kept', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  await presentPlugged(h, token('KEPT'));
  await h.csms.call(h.identity, 'SetVariables', {
    setVariableData: [
      { component: { name: 'AuthCacheCtrlr' }, variable: { name: 'Enabled' }, attributeValue: 'false' },
    ],
  });
  const response = await clearCache(h);
  assert.equal(response.status, 'Rejected');
  assert.equal(response.statusInfo?.reasonCode, 'NotEnabled');
  assert.equal(h.station.authCacheSize(), 1);
  assertClean(h);
});
