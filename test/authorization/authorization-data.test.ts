/**
 * AuthorizationData over the example device model and a real SQLite file, on a simulated clock:
 * write-through and reload (C10.FR.02, D01.FR.10), derived state variables (D01.FR.12, Storage),
 * settings read at each use, ClearCache (C11) and an atomic SendLocalList (D01 failure postcondition).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { AuthorizationData } from '../../src/authorization/authorization-data.js';
import { createStationClock } from '../../src/clock.js';
import { parseSetArgument } from '../../src/device-model/index.js';
import type { DeviceModel } from '../../src/device-model/device-model.js';
import type { IdTokenType } from '../../src/generated/ocpp-types.js';
import type { StationDatabase } from '../../src/store/database.js';
import { openExample } from '../device-model/helpers.js';

const A: IdTokenType = { idToken: 'AA01', type: 'ISO14443' };
const B: IdTokenType = { idToken: 'BB02', type: 'ISO14443' };
const START = Date.parse('2026-01-01T00:00:00Z');

interface Setup {
  data: AuthorizationData;
  model: DeviceModel;
  store: StationDatabase;
  errors: unknown[];
  /** Moves the simulated host clock on. */
  advance(seconds: number): void;
  /** A new AuthorizationData on the same store (a restart). */
  reopen(): Promise<AuthorizationData>;
}

async function setup(t: TestContext, set: string[] = []): Promise<Setup> {
  const { model, store } = await openExample({ overrides: set.map(parseSetArgument) });
  t.after(() => store.close());
  let hostMs = START;
  const clock = createStationClock(undefined, () => hostMs);
  const errors: unknown[] = [];
  const make = async () => {
    const data = new AuthorizationData({
      stationId: 'CS-1',
      db: store.db,
      deviceModel: model,
      clock,
      reportError: (e) => errors.push(e),
    });
    await data.load();
    return data;
  };
  return {
    data: await make(),
    model,
    store,
    errors,
    advance: (seconds) => (hostMs += seconds * 1000),
    reopen: make,
  };
}

const get = (model: DeviceModel, component: string, variable: string) => model.get({ component, variable });

test('C10.FR.02/D01.FR.10: the cache and the list are written through and read back', async (t) => {
  const s = await setup(t);
  s.data.learned(A, { status: 'Accepted', groupIdToken: { idToken: 'G1', type: 'Central' } });
  s.data.learned(B, { status: 'Blocked' });
  assert.deepEqual(
    await s.data.sendLocalList({
      versionNumber: 3,
      updateType: 'Full',
      localAuthorizationList: [{ idToken: B, idTokenInfo: { status: 'Accepted' } }],
    }),
    { status: 'Accepted' },
  );
  await s.data.flushed();
  const again = await s.reopen();
  assert.equal(again.cacheSize(), 2);
  assert.equal(again.localListSize(), 1);
  assert.equal(again.localListVersion(), 3);
  assert.deepEqual(again.cacheEntry(A), {
    status: 'Accepted',
    groupIdToken: { idToken: 'G1', type: 'Central' },
  });
  assert.deepEqual(again.localListEntry({ idToken: 'bb02', type: 'ISO14443' }), { status: 'Accepted' });
  assert.deepEqual(
    again.localEntry(B),
    { info: { status: 'Accepted' }, from: 'localList' },
    'C14.FR.01: the list first',
  );
  assert.deepEqual(s.errors, []);
});

test('D01.FR.12, Appendix 2.4.4/2.5.6: Entries and Storage report the current state', async (t) => {
  const s = await setup(t);
  assert.equal(get(s.model, 'LocalAuthListCtrlr', 'Entries'), '0');
  assert.equal(get(s.model, 'AuthCacheCtrlr', 'Storage'), '0');
  s.data.learned(A, { status: 'Accepted' });
  await s.data.sendLocalList({
    versionNumber: 1,
    updateType: 'Full',
    localAuthorizationList: [
      { idToken: A, idTokenInfo: { status: 'Accepted' } },
      { idToken: B, idTokenInfo: { status: 'Invalid' } },
    ],
  });
  const bytes = s.data.storageBytes();
  assert.equal(get(s.model, 'LocalAuthListCtrlr', 'Entries'), '2');
  assert.equal(get(s.model, 'LocalAuthListCtrlr', 'Storage'), String(bytes.localList));
  assert.equal(get(s.model, 'AuthCacheCtrlr', 'Storage'), String(bytes.cache));
  assert.ok(bytes.cache > 0 && bytes.localList > bytes.cache);
  const reported = s.model.getVariables({
    getVariableData: [{ component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Entries' } }],
  });
  assert.equal(reported.getVariableResult[0].attributeValue, '2', 'GetVariables sees it too');
});

test('C10.FR.08/10: an entry unused for LifeTime is Expired; a use restarts the count', async (t) => {
  const s = await setup(t, ['AuthCacheCtrlr.LifeTime=60']);
  s.data.learned(A, { status: 'Accepted' });
  s.advance(50);
  assert.equal(s.data.cacheEntry(A)?.status, 'Accepted');
  s.advance(50);
  assert.equal(s.data.cacheEntry(A)?.status, 'Accepted', 'used 50 s ago');
  s.advance(61);
  assert.equal(s.data.cacheEntry(A)?.status, 'Expired');
  s.advance(1);
  assert.equal(s.data.cacheEntry(A)?.status, 'Expired', 'a lookup of an expired entry is not a use');
  s.data.learned(A, { status: 'Accepted' });
  assert.equal(s.data.cacheEntry(A)?.status, 'Accepted', 'C10.FR.04: a new answer makes it valid again');
  await s.data.flushed();
  s.advance(30);
  assert.equal((await s.reopen()).cacheEntry(A)?.status, 'Accepted', 'the last use survives a restart');
});

test('C10.FR.11, D01.FR.13: disabled stores are not consulted, not taught, and keep their data', async (t) => {
  const s = await setup(t);
  s.data.learned(A, { status: 'Accepted' });
  await s.data.sendLocalList({
    versionNumber: 2,
    updateType: 'Full',
    localAuthorizationList: [{ idToken: B, idTokenInfo: { status: 'Accepted' } }],
  });
  await s.model.set({ component: 'AuthCacheCtrlr', variable: 'Enabled' }, 'false', 'csms');
  await s.model.set({ component: 'LocalAuthListCtrlr', variable: 'Enabled' }, 'false', 'csms');
  assert.equal(s.data.cacheEntry(A), undefined);
  assert.equal(s.data.localListEntry(B), undefined);
  s.data.learned(B, { status: 'Accepted' });
  assert.equal(s.data.cacheSize(), 1, 'nothing learned while disabled');
  assert.equal(s.data.localListVersion(), 0, 'D02.FR.03');
  assert.deepEqual(await s.data.clearCache(), {
    status: 'Rejected',
    statusInfo: { reasonCode: 'NotEnabled', additionalInfo: 'AuthCacheCtrlr.Enabled is false' },
  });
  assert.equal(
    (await s.data.sendLocalList({ versionNumber: 3, updateType: 'Full' })).status,
    'Failed',
    'no update of a disabled list',
  );
  await s.model.set({ component: 'AuthCacheCtrlr', variable: 'Enabled' }, 'true', 'csms');
  await s.model.set({ component: 'LocalAuthListCtrlr', variable: 'Enabled' }, 'true', 'csms');
  assert.equal(s.data.cacheEntry(A)?.status, 'Accepted');
  assert.equal(s.data.localListVersion(), 2);
});

test('C11.FR.03: ClearCache empties memory and store', async (t) => {
  const s = await setup(t);
  s.data.learned(A, { status: 'Accepted' });
  s.data.learned(B, { status: 'Invalid' });
  assert.deepEqual(await s.data.clearCache(), { status: 'Accepted' });
  assert.equal(s.data.cacheSize(), 0);
  assert.equal(get(s.model, 'AuthCacheCtrlr', 'Storage'), '0');
  assert.equal((await s.reopen()).cacheSize(), 0);
});

test('C11.FR.05: ClearCache that cannot reach the store is Rejected and keeps the entries', async (t) => {
  const s = await setup(t);
  s.data.learned(A, { status: 'Accepted' });
  await s.data.flushed();
  await sql`CREATE TRIGGER no_delete BEFORE DELETE ON auth_cache_entry BEGIN SELECT RAISE(ABORT, 'read-only'); END`.execute(
    s.store.db,
  );
  const response = await s.data.clearCache();
  assert.equal(response.status, 'Rejected');
  assert.equal(response.statusInfo?.reasonCode, 'InternalError');
  assert.equal(s.data.cacheEntry(A)?.status, 'Accepted');
  assert.equal(s.errors.length, 1);
});

test('D01: a SendLocalList the store cannot take is Failed and changes nothing (one transaction)', async (t) => {
  const s = await setup(t);
  await s.data.sendLocalList({
    versionNumber: 1,
    updateType: 'Full',
    localAuthorizationList: [{ idToken: A, idTokenInfo: { status: 'Accepted' } }],
  });
  // The entries are written before the version: a failing version write must roll them back.
  await sql`CREATE TRIGGER no_version BEFORE UPDATE ON local_list_version BEGIN SELECT RAISE(ABORT, 'full disk'); END`.execute(
    s.store.db,
  );
  const response = await s.data.sendLocalList({
    versionNumber: 2,
    updateType: 'Full',
    localAuthorizationList: [{ idToken: B, idTokenInfo: { status: 'Accepted' } }],
  });
  assert.equal(response.status, 'Failed');
  assert.equal(response.statusInfo?.reasonCode, 'InternalError');
  assert.equal(s.data.localListVersion(), 1);
  assert.ok(s.data.localListEntry(A));
  assert.equal(s.data.localListEntry(B), undefined);
  const again = await s.reopen();
  assert.equal(again.localListVersion(), 1);
  assert.ok(again.localListEntry(A), 'the stored list is the old one');
  assert.equal(again.localListEntry(B), undefined);
});

test('D01: concurrent SendLocalLists are applied one after the other', async (t) => {
  const s = await setup(t);
  const answers = await Promise.all([
    s.data.sendLocalList({ versionNumber: 1, updateType: 'Full' }),
    s.data.sendLocalList({
      versionNumber: 2,
      updateType: 'Differential',
      localAuthorizationList: [{ idToken: A, idTokenInfo: { status: 'Accepted' } }],
    }),
    s.data.sendLocalList({
      versionNumber: 2,
      updateType: 'Differential',
      localAuthorizationList: [{ idToken: B, idTokenInfo: { status: 'Accepted' } }],
    }),
  ]);
  assert.deepEqual(
    answers.map((a) => a.status),
    ['Accepted', 'Accepted', 'VersionMismatch'],
  );
  assert.equal(s.data.localListSize(), 1);
});

test('C10.FR.07: the cache evicts by AuthCacheCtrlr.Policy once Storage maxLimit is reached', async (t) => {
  const s = await setup(t);
  const one = (id: string): IdTokenType => ({ idToken: id, type: 'ISO14443' });
  // Entries of equal size: room for three.
  s.data.learned(one('T1'), { status: 'Accepted' });
  const size = s.data.storageBytes().cache;
  const limit = size * 3;
  // The example config's maxLimit is larger; a model with a small one stands in through the port.
  (
    s.model as unknown as { maxLimit: (ref: { component: string; variable: string }) => number | undefined }
  ).maxLimit = (ref) =>
    ref.component === 'AuthCacheCtrlr' && ref.variable === 'Storage' ? limit : undefined;
  s.advance(1);
  s.data.learned(one('T2'), { status: 'Accepted' });
  s.advance(1);
  s.data.learned(one('T3'), { status: 'Accepted' });
  s.advance(1);
  assert.equal(s.data.cacheEntry(one('T1'))?.status, 'Accepted', 'T1 is now the most recently used');
  s.advance(1);
  s.data.learned(one('T4'), { status: 'Accepted' });
  assert.equal(s.data.cacheSize(), 3);
  assert.equal(s.data.localEntry(one('T2')), undefined, 'LRU: T2 went');
  await s.model.set({ component: 'AuthCacheCtrlr', variable: 'Policy' }, 'FIFO', 'csms');
  s.advance(1);
  s.data.learned(one('T5'), { status: 'Accepted' });
  assert.equal(s.data.localEntry(one('T1')), undefined, 'FIFO: T1, stored first, went');
  await s.data.flushed();
  const stored = await s.reopen();
  assert.deepEqual(
    ['T1', 'T2', 'T3', 'T4', 'T5'].filter((id) => stored.localEntry(one(id)) !== undefined),
    ['T3', 'T4', 'T5'],
    'the store holds what memory holds',
  );
});
