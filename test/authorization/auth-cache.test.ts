/**
 * The Authorization Cache rules (C10) over tables of cases: validity (C10.FR.08/10/13), what is
 * stored (C10.FR.09, C05.FR.02, errata 2.21) and eviction (C10.FR.07, AuthCacheCtrlr.Policy).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import {
  cacheEntryBytes,
  cacheEntryExpired,
  cacheLookup,
  cachePolicy,
  cachedInfo,
  evictionOrder,
  planCacheInsert,
  type CacheEntry,
  type CacheSettings,
} from '../../src/authorization/auth-cache.js';
import { entryBytes, idTokenKey } from '../../src/authorization/id-token-key.js';
import type {
  AuthorizationStatusEnumType,
  IdTokenInfoType,
  IdTokenType,
} from '../../src/generated/ocpp-types.js';

const T0 = '2026-01-01T00:00:00.000Z';
const at = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });
const plus = (seconds: number) => at(T0).plus({ seconds });
const token = (id: string, type: IdTokenType['type'] = 'ISO14443'): IdTokenType => ({ idToken: id, type });

function entry(id: string, status: AuthorizationStatusEnumType, over: Partial<CacheEntry> = {}): CacheEntry {
  const idToken = token(id);
  return {
    key: idTokenKey(idToken),
    idToken,
    info: { status },
    insertedAt: T0,
    updatedAt: T0,
    lastUsedAt: T0,
    uses: 1,
    ...over,
  };
}

const settings = (over: Partial<CacheSettings> = {}): CacheSettings => ({
  lifeTimeS: 3600,
  maxBytes: undefined,
  policy: 'LRU',
  ...over,
});

const state = (...entries: CacheEntry[]) => ({
  entries: new Map(entries.map((e) => [e.key, e])),
  bytes: entries.reduce((sum, e) => sum + cacheEntryBytes(e), 0),
});

test('idTokenKey: the idToken is case insensitive, the type is not (Part 2 §C.1.1)', () => {
  assert.equal(idTokenKey(token('AbC')), idTokenKey(token('abc')));
  assert.notEqual(idTokenKey(token('abc', 'ISO14443')), idTokenKey(token('abc', 'ISO15693')));
  assert.equal(entryBytes(token('A', 'Local'), { status: 'Accepted' }), 78);
});

test('C10.FR.08/10/13: validity of an entry', () => {
  const cases: Array<{
    name: string;
    entry: CacheEntry;
    now: DateTime;
    lifeTimeS?: number;
    expired: boolean;
  }> = [
    { name: 'within LifeTime', entry: entry('A', 'Accepted'), now: plus(3600), expired: false },
    { name: 'past LifeTime since last use', entry: entry('A', 'Accepted'), now: plus(3601), expired: true },
    {
      name: 'LifeTime counts from the last use',
      entry: entry('A', 'Accepted', { lastUsedAt: plus(3000).toISO()! }),
      now: plus(6000),
      expired: false,
    },
    {
      name: 'no LifeTime: never by time',
      entry: entry('A', 'Accepted'),
      now: plus(1e9),
      lifeTimeS: -1,
      expired: false,
    },
    {
      name: 'cacheExpiryDateTime wins over LifeTime (future)',
      entry: entry('A', 'Accepted', {
        info: { status: 'Accepted', cacheExpiryDateTime: plus(10_000).toISO()! },
      }),
      now: plus(9_000),
      expired: false,
    },
    {
      name: 'cacheExpiryDateTime passed',
      entry: entry('A', 'Accepted', { info: { status: 'Accepted', cacheExpiryDateTime: plus(10).toISO()! } }),
      now: plus(11),
      expired: true,
    },
    {
      name: 'cacheExpiryDateTime with an offset',
      entry: entry('A', 'Accepted', {
        info: { status: 'Accepted', cacheExpiryDateTime: '2026-01-01T01:00:00+01:00' },
      }),
      now: plus(1),
      expired: true,
    },
  ];
  for (const c of cases) {
    const lifeTimeS = c.lifeTimeS === -1 ? undefined : (c.lifeTimeS ?? 3600);
    assert.equal(cacheEntryExpired(c.entry, c.now, { lifeTimeS }), c.expired, c.name);
    const status = cacheLookup(c.entry, c.now, { lifeTimeS }).status;
    assert.equal(status, c.expired ? 'Expired' : c.entry.info.status, `${c.name}: C10.FR.10 status`);
  }
});

test('C10.FR.09/C05.FR.02: what is stored of an answer', () => {
  const info: IdTokenInfoType = {
    status: 'Accepted',
    groupIdToken: token('G'),
    evseId: [1],
    language1: 'en',
    personalMessage: { format: 'ASCII', content: 'EUR 0.25/kWh' },
    customData: { vendorId: 'x' },
  };
  assert.deepEqual(cachedInfo(info), {
    status: 'Accepted',
    groupIdToken: token('G'),
    evseId: [1],
    language1: 'en',
  });
  const cases: Array<{ type: IdTokenType['type']; stored: boolean }> = [
    { type: 'ISO14443', stored: true },
    { type: 'eMAID', stored: true },
    { type: 'Central', stored: false },
    { type: 'NoAuthorization', stored: false },
  ];
  for (const c of cases) {
    const plan = planCacheInsert(state(), token('X', c.type), { status: 'Accepted' }, at(T0), settings());
    assert.equal(plan.store !== undefined, c.stored, c.type);
  }
});

test('C10.FR.10 (errata 2.21): a cacheExpiryDateTime in the past is not stored and removes the old entry', () => {
  const old = entry('A', 'Accepted');
  const plan = planCacheInsert(
    state(old),
    token('a'),
    { status: 'Accepted', cacheExpiryDateTime: plus(-1).toISO()! },
    at(T0),
    settings(),
  );
  assert.equal(plan.store, undefined);
  assert.deepEqual(plan.remove, [old.key]);
});

test('C10.FR.04: an update keeps the insertion time, counts a use and resets the last use', () => {
  const old = entry('A', 'Accepted', { uses: 4 });
  const plan = planCacheInsert(state(old), token('A'), { status: 'Blocked' }, plus(60), settings());
  assert.deepEqual(plan.store, {
    ...old,
    info: { status: 'Blocked' },
    updatedAt: plus(60).toISO(),
    lastUsedAt: plus(60).toISO(),
    uses: 5,
  });
  assert.deepEqual(plan.remove, []);
});

test('C10.FR.07: eviction order — not Accepted (or expired) first, then by policy', () => {
  const now = plus(100);
  const entries = state(
    entry('old-accepted', 'Accepted', {
      lastUsedAt: plus(1).toISO()!,
      insertedAt: plus(50).toISO()!,
      uses: 9,
    }),
    entry('new-accepted', 'Accepted', {
      lastUsedAt: plus(90).toISO()!,
      insertedAt: plus(1).toISO()!,
      uses: 1,
    }),
    entry('blocked', 'Blocked', { lastUsedAt: plus(95).toISO()! }),
    entry('expired', 'Accepted', { info: { status: 'Accepted', cacheExpiryDateTime: plus(10).toISO()! } }),
  ).entries;
  const order = (policy: CacheSettings['policy']) =>
    evictionOrder(entries, now, settings({ policy })).map((e) => e.idToken.idToken);
  assert.deepEqual(order('LRU'), ['expired', 'blocked', 'old-accepted', 'new-accepted']);
  // FIFO: both invalid ones were stored at T0 (ties go by key, for a stable order).
  assert.deepEqual(order('FIFO'), ['blocked', 'expired', 'new-accepted', 'old-accepted']);
  assert.deepEqual(order('LFU'), ['expired', 'blocked', 'new-accepted', 'old-accepted']);
  assert.equal(cachePolicy('CUSTOM'), 'LRU');
  assert.equal(cachePolicy(undefined), 'LRU');
  assert.equal(cachePolicy('LFU'), 'LFU');
});

test('C10.FR.07: a full cache accepts a new entry by evicting just enough', () => {
  const a = entry('A', 'Accepted', { lastUsedAt: plus(1).toISO()! });
  const b = entry('B', 'Accepted', { lastUsedAt: plus(2).toISO()! });
  const c = entry('C', 'Invalid', { lastUsedAt: plus(3).toISO()! });
  const size = cacheEntryBytes(a);
  const cases: Array<{ name: string; maxBytes: number; remove: string[]; stored: boolean }> = [
    { name: 'room left', maxBytes: size * 4, remove: [], stored: true },
    { name: 'one must go: the Invalid one', maxBytes: size * 3, remove: [c.key], stored: true },
    {
      name: 'two must go: Invalid, then least recently used',
      maxBytes: size * 2,
      remove: [c.key, a.key],
      stored: true,
    },
    { name: 'only the new one fits', maxBytes: size, remove: [c.key, a.key, b.key], stored: true },
    { name: 'larger than the whole cache: not stored', maxBytes: size - 1, remove: [], stored: false },
  ];
  for (const x of cases) {
    const plan = planCacheInsert(
      state(a, b, c),
      token('D'),
      { status: 'Accepted' },
      plus(10),
      settings({ maxBytes: x.maxBytes }),
    );
    assert.deepEqual(plan.remove, x.remove, x.name);
    assert.equal(plan.store !== undefined, x.stored, x.name);
  }
});

test('C10.FR.07: updating an entry of a full cache does not evict the entry itself', () => {
  const a = entry('A', 'Invalid', { lastUsedAt: plus(1).toISO()! });
  const b = entry('B', 'Accepted', { lastUsedAt: plus(2).toISO()! });
  const plan = planCacheInsert(
    state(a, b),
    token('A'),
    { status: 'Accepted', language1: 'nl' },
    plus(5),
    settings({
      maxBytes: cacheEntryBytes(a) + cacheEntryBytes(b) + 5,
    }),
  );
  assert.ok(plan.store);
  assert.deepEqual(plan.remove, [b.key], 'the grown entry pushes out the other one');
});
