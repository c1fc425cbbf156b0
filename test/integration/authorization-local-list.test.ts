/**
 * The Local Authorization List over the websocket against the strict test CSMS (D01, D02, C13,
 * C14; Part 6 TC_D_01–08/10, TC_C_21–25, TC_C_58): SendLocalList version rules and limits,
 * GetLocalListVersion, what a listed status does online and offline, persistence across a restart
 * (with the cache, TC_C_32_CS).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuthorizationStatusEnumType, GetVariablesResponse } from '../../src/generated/ocpp-types.js';
import { callFrameBytes } from './csms-helpers.js';
import {
  authorizeCalls,
  componentsWithLimits,
  differentialList,
  fullList,
  listed,
  listVersion,
  overrides,
  presentPlugged,
  sendLocalList,
  token,
} from './authorization-helpers.js';
import { assertClean, QUIET, startTxHarness, txHost, goOffline } from './transactions-helpers.js';
import { registered } from './csms-helpers.js';

const STATUSES: AuthorizationStatusEnumType[] = ['Accepted', 'Invalid', 'Blocked', 'Expired', 'Unknown'];

test('D02.FR.02 (TC_D_08_CS), D01.FR.15 (TC_D_01_CS): version 0 until a list is sent, then the version of the Full list', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  assert.equal(await listVersion(h), 0);
  assert.deepEqual(await sendLocalList(h, fullList(4, listed('L-1', 'Accepted'))), { status: 'Accepted' });
  assert.equal(await listVersion(h), 4);
  assert.equal(h.station.localListVersion(), 4);
  const entries = (await h.csms.call(h.identity, 'GetVariables', {
    getVariableData: [{ component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Entries' } }],
  })) as GetVariablesResponse;
  assert.equal(entries.getVariableResult[0].attributeValue, '1', 'D01.FR.12: LocalAuthListCtrlr.Entries');
  assertClean(h);
});

test('D01.FR.16/17/04/05/19 (TC_D_02–06_CS): Differential add and remove, Full empty, Differential empty, VersionMismatch', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  const size = () => h.station.authorizationData.localListSize();
  const steps: Array<{
    name: string;
    send: Parameters<typeof sendLocalList>[1];
    status: string;
    version: number;
    size: number;
  }> = [
    { name: 'Full', send: fullList(2, listed('D-1', 'Accepted')), status: 'Accepted', version: 2, size: 1 },
    {
      name: 'D01.FR.16 Differential adds',
      send: differentialList(3, listed('D-2', 'Accepted'), listed('D-3', 'Blocked')),
      status: 'Accepted',
      version: 3,
      size: 3,
    },
    {
      name: 'D01.FR.16 Differential updates',
      send: differentialList(4, listed('D-3', 'Accepted')),
      status: 'Accepted',
      version: 4,
      size: 3,
    },
    {
      name: 'D01.FR.17 Differential removes',
      send: differentialList(5, listed('D-1')),
      status: 'Accepted',
      version: 5,
      size: 2,
    },
    {
      name: 'D01.FR.19 same version',
      send: differentialList(5, listed('D-9', 'Accepted')),
      status: 'VersionMismatch',
      version: 5,
      size: 2,
    },
    {
      name: 'D01.FR.19 lower version',
      send: differentialList(4, listed('D-2')),
      status: 'VersionMismatch',
      version: 5,
      size: 2,
    },
    {
      name: 'D01.FR.05 Differential without elements',
      send: differentialList(6),
      status: 'Accepted',
      version: 6,
      size: 2,
    },
    { name: 'D01.FR.04 Full without elements', send: fullList(6), status: 'Accepted', version: 6, size: 0 },
    {
      name: 'D01.FR.18 Full with version 0',
      send: fullList(0, listed('D-1', 'Accepted')),
      status: 'Failed',
      version: 6,
      size: 0,
    },
  ];
  for (const step of steps) {
    const response = await sendLocalList(h, step.send);
    assert.equal(response.status, step.status, step.name);
    assert.equal(await listVersion(h), step.version, `${step.name}: version`);
    assert.equal(size(), step.size, `${step.name}: entries`);
  }
  assertClean(h);
});

test('D01.FR.11: more elements than ItemsPerMessageSendLocalList or a frame over BytesPerMessageSendLocalList is Failed, the list unchanged', async (t) => {
  const big = fullList(2, listed('B-1', 'Accepted'), listed('B-2', 'Accepted'), listed('B-3', 'Accepted'));
  const h = await startTxHarness({
    set: [
      'LocalAuthListCtrlr.ItemsPerMessage=2',
      `LocalAuthListCtrlr.BytesPerMessage=${callFrameBytes('SendLocalList', fullList(3, listed('B-1', 'Accepted'), listed('B-2', 'Accepted')))}`,
    ],
  });
  t.after(() => h.close());
  await sendLocalList(h, fullList(1, listed('KEEP', 'Accepted')));
  const tooMany = await sendLocalList(h, big);
  assert.equal(tooMany.status, 'Failed');
  assert.equal(tooMany.statusInfo?.reasonCode, 'TooManyElements');
  const exactly = await sendLocalList(h, fullList(3, listed('B-1', 'Accepted'), listed('B-2', 'Accepted')));
  assert.equal(exactly.status, 'Accepted', 'exactly at both limits');
  const tooLong = await sendLocalList(h, fullList(4, listed('B-1', 'Accepted'), listed('B-22', 'Accepted')));
  assert.equal(tooLong.status, 'Failed');
  assert.equal(tooLong.statusInfo?.reasonCode, 'TooLargeElement');
  assert.equal(await listVersion(h), 3);
  assert.equal(h.station.authorizationData.localListSize(), 2);
  assertClean(h);
});

test('D01.FR.12: a list that would hold more than LocalAuthListCtrlr.Entries maxLimit is Failed, the list unchanged', async (t) => {
  const components = await componentsWithLimits([
    { component: 'LocalAuthListCtrlr', variable: 'Entries', maxLimit: 2 },
  ]);
  const h = await startTxHarness({
    station: { deviceModel: { components, overrides: overrides(QUIET) } },
    set: QUIET,
  });
  t.after(() => h.close());
  assert.equal(
    (await sendLocalList(h, fullList(1, listed('E-1', 'Accepted'), listed('E-2', 'Accepted')))).status,
    'Accepted',
  );
  const response = await sendLocalList(h, differentialList(2, listed('E-3', 'Accepted')));
  assert.deepEqual([response.status, response.statusInfo?.reasonCode], ['Failed', 'TooManyElements']);
  assert.equal(await listVersion(h), 1);
  assert.equal(
    (await sendLocalList(h, differentialList(2, listed('E-3', 'Accepted'), listed('E-1')))).status,
    'Accepted',
    'room made in the same update',
  );
  assertClean(h);
});

test('D02.FR.03 (TC_D_10_CS), D01 prerequisite: with LocalAuthListCtrlr.Enabled false the version is 0, SendLocalList Failed and the list is not used', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  await sendLocalList(h, fullList(3, listed('DIS-1', 'Blocked')));
  await h.csms.call(h.identity, 'SetVariables', {
    setVariableData: [
      { component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Enabled' }, attributeValue: 'false' },
    ],
  });
  assert.equal(await listVersion(h), 0);
  const response = await sendLocalList(h, fullList(4));
  assert.deepEqual([response.status, response.statusInfo?.reasonCode], ['Failed', 'NotEnabled']);
  const result = await presentPlugged(h, token('DIS-1'));
  assert.equal(result.action, 'started', 'the Blocked entry is not consulted; the CSMS accepts');
  assert.equal(authorizeCalls(h), 1);
  assertClean(h);
});

test('C14.FR.02/03 (TC_C_27–31): online, a listed Accepted token starts without AuthorizeRequest; any other status is checked with the CSMS', async (t) => {
  const h = await startTxHarness({ set: ['AuthCacheCtrlr.Enabled=false'] });
  t.after(() => h.close());
  await sendLocalList(h, fullList(1, ...STATUSES.map((s) => listed(`ON-${s}`, s))));
  for (const status of STATUSES) {
    const tag = token(`ON-${status}`);
    const result = await presentPlugged(h, tag);
    assert.equal(result.action, 'started', `${status}: started (the CSMS accepts when asked)`);
    assert.equal(authorizeCalls(h, tag), status === 'Accepted' ? 0 : 1, `${status}: AuthorizeRequest`);
  }
  assertClean(h);
});

test('C14.FR.03 with LocalAuthListCtrlr.DisablePostAuthorize (TC_C_58_CS): a listed status other than Accepted stands, nothing is asked', async (t) => {
  const h = await startTxHarness({ set: ['LocalAuthListCtrlr.DisablePostAuthorize=true'] });
  t.after(() => h.close());
  await sendLocalList(h, fullList(1, ...STATUSES.map((s) => listed(`PA-${s}`, s))));
  for (const status of STATUSES.filter((s) => s !== 'Accepted')) {
    const result = await presentPlugged(h, token(`PA-${status}`));
    assert.deepEqual([result.action, result.status], ['rejected', status], status);
  }
  assert.equal(authorizeCalls(h), 0);
  assertClean(h);
});

test('C13 offline (TC_C_21–24_CS): every listed status decides without the CSMS; Accepted starts a transaction', async (t) => {
  const host = txHost();
  const h = await startTxHarness({ station: { callbacks: host.callbacks } });
  t.after(() => h.close());
  await sendLocalList(h, fullList(1, ...STATUSES.map((s) => listed(`OFF-${s}`, s))));
  await goOffline(h, host);
  for (const status of STATUSES) {
    const result = await presentPlugged(h, token(`OFF-${status}`));
    assert.deepEqual(
      [result.action, result.status],
      [status === 'Accepted' ? 'started' : 'rejected', status],
      status,
    );
  }
  assert.equal(authorizeCalls(h), 0);
  assertClean(h);
});

test('C14.FR.01 (TC_C_25_CS): the list wins over the cache', async (t) => {
  const host = txHost();
  const h = await startTxHarness({ station: { callbacks: host.callbacks } });
  t.after(() => h.close());
  const tag = token('BOTH');
  await presentPlugged(h, tag);
  assert.equal(h.station.authorizationData.localEntry(tag)?.from, 'cache');
  await sendLocalList(h, fullList(1, listed('BOTH', 'Blocked')));
  await goOffline(h, host);
  const result = await presentPlugged(h, tag);
  assert.deepEqual([result.action, result.status], ['rejected', 'Blocked']);
  assertClean(h);
});

test('C14.FR.04/05: with SupportsExpiryDateTime, a listed Accepted token past its cacheExpiryDateTime is as if not listed', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  const past = new Date(Date.now() - 60_000).toISOString();
  const future = new Date(Date.now() + 3_600_000).toISOString();
  await sendLocalList(
    h,
    fullList(
      1,
      listed('EXP-PAST', 'Accepted', { cacheExpiryDateTime: past }),
      listed('EXP-FUTURE', 'Accepted', { cacheExpiryDateTime: future }),
    ),
  );
  await presentPlugged(h, token('EXP-FUTURE'));
  assert.equal(authorizeCalls(h), 0, 'C14.FR.04: not expired, not asked');
  await presentPlugged(h, token('EXP-PAST'));
  assert.equal(authorizeCalls(h, token('EXP-PAST')), 1, 'C14.FR.05: expired, the CSMS is asked');
  assertClean(h);
});

test('C13.FR.05/06: offline with SupportsExpiryDateTime and OfflineTxForUnknownIdEnabled, a listed token past its cacheExpiryDateTime is not authorized (it is no unknown id); an unknown one is', async (t) => {
  const host = txHost();
  const h = await startTxHarness({
    set: ['AuthCtrlr.OfflineTxForUnknownIdEnabled=true'],
    station: { callbacks: host.callbacks },
  });
  t.after(() => h.close());
  const past = new Date(Date.now() - 60_000).toISOString();
  await sendLocalList(h, fullList(1, listed('LAPSED', 'Accepted', { cacheExpiryDateTime: past })));
  await goOffline(h, host);
  const lapsed = await presentPlugged(h, token('LAPSED'));
  assert.deepEqual([lapsed.action, lapsed.status], ['rejected', 'Expired']);
  const unknown = await presentPlugged(h, token('NEVER-SEEN'));
  assert.deepEqual([unknown.action, unknown.status], ['started', 'Accepted']);
  assert.equal(authorizeCalls(h), 0);
});

test('D01.FR.10 (TC_D_07_CS), C10.FR.02 (TC_C_32_CS): the list, its version and the cache survive a restart', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  await sendLocalList(h, fullList(7, listed('KEPT-LIST', 'Accepted')));
  await presentPlugged(h, token('KEPT-CACHE'));
  assert.equal(authorizeCalls(h), 1);
  await h.restart();
  await registered(h);
  assert.equal(await listVersion(h), 7);
  assert.equal(h.station.authCacheSize(), 1);
  assert.equal((await presentPlugged(h, token('KEPT-LIST'))).action, 'started');
  assert.equal((await presentPlugged(h, token('KEPT-CACHE'))).action, 'started');
  assert.equal(authorizeCalls(h), 1, 'both known after the restart: nothing asked');
  assertClean(h);
});
