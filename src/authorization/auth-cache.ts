/**
 * The Authorization Cache (C10) as pure decisions over its entries: what a lookup says (validity,
 * C10.FR.08/10/13), what is stored of a CSMS answer (C10.FR.09, C05.FR.02) and which entries make
 * room for a new one (C10.FR.07, AuthCacheCtrlr.Policy). `AuthorizationData` keeps the entries and
 * writes them to SQLite (src/authorization/authorization-data.ts).
 */
import { DateTime } from 'luxon';
import type { IdTokenInfoType, IdTokenType } from '../generated/ocpp-types.js';
import { entryBytes, idTokenKey } from './id-token-key.js';

/** One cached token. Times are RFC 3339 UTC (JSON only). */
export interface CacheEntry {
  /** {@link idTokenKey} of `idToken`. */
  key: string;
  idToken: IdTokenType;
  /** What the CSMS said, as cached ({@link cachedInfo}). */
  info: IdTokenInfoType;
  /** First stored: FIFO evicts the earliest. */
  insertedAt: string;
  /** Last stored or updated from a CSMS answer. */
  updatedAt: string;
  /** Last stored, updated or used for a decision: LifeTime counts from here; LRU evicts the earliest. */
  lastUsedAt: string;
  /** Times stored or used: LFU evicts the fewest. */
  uses: number;
}

/**
 * AuthCacheCtrlr.Policy. CUSTOM (the station's own mechanism) is LRU here; an unknown value too.
 */
export type CachePolicy = 'LRU' | 'LFU' | 'FIFO';

export interface CacheSettings {
  /** AuthCacheCtrlr.LifeTime in seconds; undefined: entries without cacheExpiryDateTime do not expire. */
  lifeTimeS: number | undefined;
  /** AuthCacheCtrlr.Storage maxLimit in bytes ({@link entryBytes}); undefined: no limit. */
  maxBytes: number | undefined;
  policy: CachePolicy;
}

/**
 * The policy named by an AuthCacheCtrlr.Policy value: LRU, LFU and FIFO as named; CUSTOM, absent or
 * unknown values are LRU.
 *
 * @example
 * cachePolicy('FIFO'); // 'FIFO'
 * cachePolicy('CUSTOM'); // 'LRU'
 */
export function cachePolicy(value: string | undefined): CachePolicy {
  return value === 'LFU' || value === 'FIFO' ? value : 'LRU';
}

/**
 * What the cache keeps of a CSMS answer: everything but personalMessage (C10.FR.09: no tariff
 * information, which Tariff & Cost (I01) sends as the personalMessage; it is a message for that
 * moment) and customData (vendor data of that message).
 *
 * @example
 * cachedInfo({ status: 'Accepted', personalMessage: { format: 'ASCII', content: '0.25/kWh' } }); // { status: 'Accepted' }
 */
export function cachedInfo(info: IdTokenInfoType): IdTokenInfoType {
  const { personalMessage: _message, customData: _custom, ...kept } = info;
  return kept;
}

/**
 * Whether a CSMS answer on this token may be cached at all: never for Central tokens (C05.FR.02),
 * nor for NoAuthorization (nothing is ever looked up for it: it needs no authorization).
 *
 * @example
 * cacheable({ idToken: 'X', type: 'Central' }); // false
 */
export function cacheable(idToken: IdTokenType): boolean {
  return idToken.type !== 'Central' && idToken.type !== 'NoAuthorization';
}

/**
 * Has the entry's validity ended at `now`? With cacheExpiryDateTime: when now is past it
 * (C10.FR.13). Without: when more than LifeTime seconds passed since it was last stored, updated or
 * used (C10.FR.08 "since it is last used", C10.FR.10 (errata 2.21) "since idTokenInfo was last
 * updated": the later of the two counts).
 *
 * @example
 * cacheEntryExpired(entry, DateTime.fromISO('2030-01-01T00:00:00Z'), settings); // true for a day-old entry with LifeTime 3600
 */
export function cacheEntryExpired(
  entry: CacheEntry,
  now: DateTime,
  settings: Pick<CacheSettings, 'lifeTimeS'>,
): boolean {
  const expiry = entry.info.cacheExpiryDateTime;
  if (expiry !== undefined) {
    const at = DateTime.fromISO(expiry, { setZone: true });
    // An unreadable date cannot vouch for the entry: it counts as passed.
    return !at.isValid || now.toMillis() > at.toMillis();
  }
  if (settings.lifeTimeS === undefined) return false;
  const since = DateTime.fromISO(entry.lastUsedAt).toMillis();
  return now.toMillis() - since > settings.lifeTimeS * 1000;
}

/**
 * What a lookup of the entry says at `now`: its info, with status Expired once its validity ended
 * (C10.FR.10/13: "removed from the cache or changed to Expired"; this cache changes it, so that an
 * expired token is checked with the CSMS when online (C10.FR.03) and not allowed offline).
 *
 * @example
 * cacheLookup(entry, now, settings).status; // 'Accepted', or 'Expired' after LifeTime
 */
export function cacheLookup(
  entry: CacheEntry,
  now: DateTime,
  settings: Pick<CacheSettings, 'lifeTimeS'>,
): IdTokenInfoType {
  return cacheEntryExpired(entry, now, settings) ? { ...entry.info, status: 'Expired' } : entry.info;
}

/**
 * The entry after a lookup that found it valid: used now, once more (LifeTime and LRU/LFU).
 *
 * @example
 * const after = cacheEntryUsed(entry, '2026-01-01T00:00:00.000Z');
 */
export function cacheEntryUsed(entry: CacheEntry, nowIso: string): CacheEntry {
  return { ...entry, lastUsedAt: nowIso, uses: entry.uses + 1 };
}

/** The cache's entries by key and the bytes they use together ({@link cacheEntryBytes}). */
export interface CacheState {
  entries: ReadonlyMap<string, CacheEntry>;
  bytes: number;
}

/** What storing a CSMS answer does to the cache. */
export interface CacheInsertPlan {
  /** The entry to store (undefined: nothing is stored). */
  store: CacheEntry | undefined;
  /** Keys of entries to delete (the token's own old entry when it is not stored, evicted entries). */
  remove: string[];
}

/**
 * What storing the CSMS's `info` on `idToken` at `now` does (C10.FR.01/04/05, C12.FR.06):
 * - not cacheable ({@link cacheable}): nothing;
 * - cacheExpiryDateTime already passed: not stored, and an old entry is removed (C10.FR.10 note,
 *   errata 2.21: "used e.g. for prepaid accounts that should not be kept");
 * - an entry larger than the whole cache (Storage maxLimit): not stored, an old entry removed;
 * - else stored (an existing entry is updated, keeping its insertion time and use count), and when
 *   the cache would exceed Storage maxLimit, entries are evicted (C10.FR.07): first those whose
 *   status is not Accepted (or whose validity ended), then valid ones, each group in policy order
 *   (LRU: least recently used; LFU: fewest uses, then least recently used; FIFO: earliest stored).
 *
 * @example
 * const plan = planCacheInsert({ entries, bytes }, { idToken: 'A', type: 'ISO14443' }, { status: 'Accepted' }, now, settings);
 * // plan.store: the new entry; plan.remove: evicted keys
 */
export function planCacheInsert(
  cache: CacheState,
  idToken: IdTokenType,
  info: IdTokenInfoType,
  now: DateTime,
  settings: CacheSettings,
): CacheInsertPlan {
  if (!cacheable(idToken)) return { store: undefined, remove: [] };
  const key = idTokenKey(idToken);
  const existing = cache.entries.get(key);
  const removeOld = existing ? [key] : [];
  const kept = cachedInfo(info);
  const nowIso = now.toUTC().toISO() ?? new Date(now.toMillis()).toISOString();
  const candidate: CacheEntry = {
    key,
    idToken,
    info: kept,
    insertedAt: existing?.insertedAt ?? nowIso,
    updatedAt: nowIso,
    lastUsedAt: nowIso,
    uses: (existing?.uses ?? 0) + 1,
  };
  if (kept.cacheExpiryDateTime !== undefined && cacheEntryExpired(candidate, now, settings)) {
    return { store: undefined, remove: removeOld };
  }
  if (settings.maxBytes === undefined) return { store: candidate, remove: [] };
  const size = cacheEntryBytes(candidate);
  if (size > settings.maxBytes) return { store: undefined, remove: removeOld };
  let used = cache.bytes - (existing ? cacheEntryBytes(existing) : 0) + size;
  const remove: string[] = [];
  if (used <= settings.maxBytes) return { store: candidate, remove };
  for (const victim of evictionOrder(cache.entries, now, settings)) {
    if (used <= settings.maxBytes) break;
    if (victim.key === key) continue;
    remove.push(victim.key);
    used -= cacheEntryBytes(victim);
  }
  return { store: candidate, remove };
}

/**
 * Bytes the entry uses ({@link entryBytes}).
 *
 * @example
 * cacheEntryBytes(entry); // 87 for an Accepted ISO14443 token 'EVICT-1'
 */
export function cacheEntryBytes(entry: CacheEntry): number {
  return entryBytes(entry.idToken, entry.info);
}

/**
 * Entries in the order they are evicted (C10.FR.07): not Accepted (or no longer valid) first, then
 * Accepted; within each group by policy.
 *
 * @example
 * evictionOrder(entries, now, { lifeTimeS: 86400, maxBytes: 4096, policy: 'LRU' })[0]; // the first to go
 */
export function evictionOrder(
  entries: ReadonlyMap<string, CacheEntry>,
  now: DateTime,
  settings: CacheSettings,
): CacheEntry[] {
  const byPolicy = POLICY_ORDER[settings.policy];
  const valid = (e: CacheEntry) => e.info.status === 'Accepted' && !cacheEntryExpired(e, now, settings);
  return [...entries.values()].sort((a, b) => Number(valid(a)) - Number(valid(b)) || byPolicy(a, b));
}

const earlier = (a: string, b: string) => DateTime.fromISO(a).toMillis() - DateTime.fromISO(b).toMillis();

const POLICY_ORDER: Record<CachePolicy, (a: CacheEntry, b: CacheEntry) => number> = {
  LRU: (a, b) => earlier(a.lastUsedAt, b.lastUsedAt) || a.key.localeCompare(b.key),
  LFU: (a, b) => a.uses - b.uses || earlier(a.lastUsedAt, b.lastUsedAt) || a.key.localeCompare(b.key),
  FIFO: (a, b) => earlier(a.insertedAt, b.insertedAt) || a.key.localeCompare(b.key),
};
