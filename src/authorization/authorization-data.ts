/**
 * The station's Authorization Cache (C10, C11) and Local Authorization List (D01, D02): an
 * in-memory view loaded at start and written through to SQLite (src/store/authorization.ts). It is
 * the `LocalAuthorizationPort` that authorization consults (src/authorization/authorize-token.ts)
 * and what the ClearCache, SendLocalList and GetLocalListVersion handlers act on. Settings are read
 * from the device model at each use (AuthCacheCtrlr.*, LocalAuthListCtrlr.*), so a SetVariables
 * takes effect at once; the state variables (LocalAuthListCtrlr.Entries, AuthCacheCtrlr.Storage,
 * LocalAuthListCtrlr.Storage) are derived from this view, so they always report the truth.
 */
import type { DerivationList } from '../device-model/model-index.js';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { StationClock } from '../clock.js';
import type {
  ClearCacheResponse,
  IdTokenInfoType,
  IdTokenType,
  SendLocalListRequest,
  SendLocalListResponse,
} from '../generated/ocpp-types.js';
import { deriveList, type DeviceModelPort } from '../runtime/ports.js';
import {
  clearCacheEntries,
  loadAuthorizationData,
  touchCacheEntry,
  writeCacheEntries,
  writeLocalList,
} from '../store/authorization.js';
import type { Database } from '../store/schema.js';
import {
  cacheEntryBytes,
  cacheEntryExpired,
  cacheEntryUsed,
  cacheLookup,
  planCacheInsert,
  type CacheEntry,
} from './auth-cache.js';
import type { LocalAuthorizationPort, LocalKnowledge } from './authorize-token.js';
import { idTokenKey } from './id-token-key.js';
import {
  localListEntryBytes,
  localListLookup,
  localListVersion,
  planSendLocalList,
  type LocalListState,
} from './local-list.js';
import { LazyMap } from '../lazy-collections.js';
import { AUTH_DATA_VARIABLES, cacheSettingsOf, localListLimitsOf } from './auth-data-settings.js';

// The variables live next to this file; callers import them from here.
export { AUTH_DATA_VARIABLES } from './auth-data-settings.js';

export interface AuthorizationDataOptions {
  stationId: string;
  db: Kysely<Database>;
  deviceModel: DeviceModelPort;
  clock: StationClock;
  /** Failed background writes and unreadable rows are reported here. */
  reportError(error: unknown): void;
}

/**
 * @example
 * const data = new AuthorizationData({ stationId, db, deviceModel, clock, reportError });
 * await data.load();
 * data.learned({ idToken: 'A1', type: 'ISO14443' }, { status: 'Accepted' });
 * data.cacheEntry({ idToken: 'A1', type: 'ISO14443' }); // { status: 'Accepted' }
 */
export class AuthorizationData implements LocalAuthorizationPort {
  private readonly cache = new LazyMap<string, CacheEntry>();
  private cacheBytesUsed = 0;
  /**
   * The state variables derived from this view, one list for every station (the device model
   * keeps this object as their context, not a closure each: issue 9).
   */
  private static readonly DERIVED: DerivationList<AuthorizationData> = [
    [AUTH_DATA_VARIABLES.listEntries, (data) => String(data.list.entries.size)],
    [AUTH_DATA_VARIABLES.listStorage, (data) => String(data.list.bytes)],
    [AUTH_DATA_VARIABLES.cacheStorage, (data) => String(data.cacheBytesUsed)],
  ];
  private list: LocalListState = { version: 0, entries: new LazyMap(), bytes: 0 };
  /** Cache writes, in order (a ClearCache waits for the ones before it). */
  private writes: Promise<void> = Promise.resolve();
  /** SendLocalList requests, one at a time (each is planned on the list the previous one left). */
  private listUpdates: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AuthorizationDataOptions) {}

  /** The station time, for the validity of entries (UTC). */
  private now(): DateTime {
    return DateTime.fromMillis(this.options.clock.nowMs(), { zone: 'utc' });
  }

  /**
   * Reads the stored cache and list (C10.FR.02, D01.FR.10) and derives the device model's state
   * variables from them. Unreadable rows are reported and left out.
   *
   * @example
   * await data.load(); // before the station connects
   */
  async load(): Promise<void> {
    const { db, stationId, deviceModel: dm } = this.options;
    const stored = await loadAuthorizationData(db, stationId);
    for (const row of stored.unreadable) {
      this.options.reportError(
        new Error(`${row.table} ${row.tokenKey} of ${stationId} is unreadable: ${row.problem}`),
      );
    }
    this.cache.clear();
    this.cacheBytesUsed = 0;
    for (const entry of stored.cache) {
      this.cache.set(entry.key, entry);
      this.cacheBytesUsed += cacheEntryBytes(entry);
    }
    // An empty list (the common case) allocates nothing until entries arrive.
    const entries: LocalListState['entries'] =
      stored.localList.length === 0 ? new LazyMap() : new Map(stored.localList.map((e) => [e.key, e]));
    const bytes = stored.localList.reduce((sum, e) => sum + localListEntryBytes(e), 0);
    this.list = { version: stored.localListVersion, entries, bytes };
    // D01.FR.12 and Part 2 Appendix 2.4.4/2.5.2/2.5.6: "currently" used, so derived, never stored.
    deriveList(dm, AuthorizationData.DERIVED, this);
  }

  /** AuthCacheCtrlr.Enabled (C10.FR.11); absent: no cache. */
  get cacheEnabled(): boolean {
    return this.options.deviceModel.getBoolean(AUTH_DATA_VARIABLES.cacheEnabled) === true;
  }

  /** LocalAuthListCtrlr.Enabled (D01.FR.13): "if this variable exists and reports true". */
  get localListEnabled(): boolean {
    return this.options.deviceModel.getBoolean(AUTH_DATA_VARIABLES.listEnabled) === true;
  }

  /**
   * {@inheritDoc LocalAuthorizationPort.localListEntry}
   *
   * @example
   * data.localListEntry({ idToken: 'A1', type: 'ISO14443' })?.status; // 'Blocked'
   */
  localListEntry(idToken: IdTokenType): IdTokenInfoType | undefined {
    if (!this.localListEnabled) return undefined;
    const supportsExpiry =
      this.options.deviceModel.getBoolean(AUTH_DATA_VARIABLES.listSupportsExpiryDateTime) === true;
    return localListLookup(this.list, idToken, this.now(), supportsExpiry);
  }

  /**
   * {@inheritDoc LocalAuthorizationPort.localListLapsed}
   *
   * @example
   * data.localListLapsed({ idToken: 'A1', type: 'ISO14443' }); // true once its cacheExpiryDateTime passed
   */
  localListLapsed(idToken: IdTokenType): boolean {
    return (
      this.localListEnabled &&
      this.list.entries.has(idTokenKey(idToken)) &&
      this.localListEntry(idToken) === undefined
    );
  }

  /**
   * {@inheritDoc LocalAuthorizationPort.cacheEntry}
   *
   * @example
   * data.cacheEntry({ idToken: 'A1', type: 'ISO14443' })?.status; // 'Expired' after LifeTime unused
   */
  cacheEntry(idToken: IdTokenType): IdTokenInfoType | undefined {
    if (!this.cacheEnabled) return undefined;
    const entry = this.cache.get(idTokenKey(idToken));
    if (!entry) return undefined;
    const now = this.now();
    const settings = cacheSettingsOf(this.options.deviceModel);
    const info = cacheLookup(entry, now, settings);
    if (cacheEntryExpired(entry, now, settings)) return info;
    // A use: LifeTime counts from now (C10.FR.08), and LRU/LFU see it.
    const used = cacheEntryUsed(entry, this.options.clock.nowIso());
    this.cache.set(entry.key, used);
    this.write(() =>
      touchCacheEntry(this.options.db, this.options.stationId, used.key, used.lastUsedAt, used.uses),
    );
    return info;
  }

  /**
   * {@inheritDoc LocalAuthorizationPort.learned}
   *
   * @example
   * data.learned({ idToken: 'A1', type: 'ISO14443' }, response.idTokenInfo);
   */
  learned(idToken: IdTokenType, info: IdTokenInfoType): void {
    if (!this.cacheEnabled) return;
    const plan = planCacheInsert(
      { entries: this.cache, bytes: this.cacheBytesUsed },
      idToken,
      info,
      this.now(),
      cacheSettingsOf(this.options.deviceModel),
    );
    for (const key of plan.remove) this.forget(key);
    if (plan.store) {
      this.forget(plan.store.key);
      this.cache.set(plan.store.key, plan.store);
      this.cacheBytesUsed += cacheEntryBytes(plan.store);
    }
    const { db, stationId } = this.options;
    const upsert = plan.store ? [plan.store] : [];
    this.write(() => writeCacheEntries(db, stationId, upsert, plan.remove));
  }

  /**
   * What the station knows of a token, local list first (C14.FR.01), without counting as a use of a
   * cache entry; undefined when neither (enabled) store has it. For looking up a groupIdToken.
   *
   * @example
   * data.localEntry({ idToken: 'A1', type: 'ISO14443' })?.info.groupIdToken;
   */
  localEntry(idToken: IdTokenType): LocalKnowledge | undefined {
    const listed = this.localListEntry(idToken);
    if (listed) return { info: listed, from: 'localList' };
    if (!this.cacheEnabled) return undefined;
    const entry = this.cache.get(idTokenKey(idToken));
    return entry
      ? { info: cacheLookup(entry, this.now(), cacheSettingsOf(this.options.deviceModel)), from: 'cache' }
      : undefined;
  }

  /**
   * N09: the Authorization Cache entry of a token as stored (enabled or not, expired or not, no use
   * counted): customer data the station holds.
   *
   * @example
   * data.cacheRecord({ idToken: 'A1', type: 'ISO14443' })?.insertedAt;
   */
  cacheRecord(idToken: IdTokenType): Readonly<CacheEntry> | undefined {
    return this.cache.get(idTokenKey(idToken));
  }

  /**
   * N10.FR.03/06: removes a token's Authorization Cache entry (the Local Authorization List is the
   * CSMS's to change, N10.FR.02); true when there was one. Resolves once the store has it.
   *
   * @example
   * await data.forgetCacheEntry({ idToken: 'A1', type: 'ISO14443' }); // true
   */
  async forgetCacheEntry(idToken: IdTokenType): Promise<boolean> {
    const key = idTokenKey(idToken);
    if (!this.cache.has(key)) return false;
    this.forget(key);
    const { db, stationId } = this.options;
    await this.write(() => writeCacheEntries(db, stationId, [], [key]), true);
    return true;
  }

  /**
   * C11 ClearCache: Rejected (NotEnabled) when AuthCacheCtrlr.Enabled is false (C11.FR.04); else
   * every entry is deleted from the store and memory: Accepted (C11.FR.03), or Rejected
   * (InternalError) when the store failed (C11.FR.05; the entries are kept).
   *
   * @example
   * (await data.clearCache()).status; // 'Accepted'
   */
  async clearCache(): Promise<ClearCacheResponse> {
    if (!this.cacheEnabled) {
      return {
        status: 'Rejected',
        statusInfo: { reasonCode: 'NotEnabled', additionalInfo: 'AuthCacheCtrlr.Enabled is false' },
      };
    }
    const before = new Map(this.cache);
    this.cache.clear();
    this.cacheBytesUsed = 0;
    const { db, stationId } = this.options;
    try {
      await this.write(() => clearCacheEntries(db, stationId), true);
      return { status: 'Accepted' };
    } catch (error) {
      this.options.reportError(error);
      // The store still has them: so does memory (entries learned meanwhile win).
      for (const [key, entry] of before) {
        if (!this.cache.has(key)) {
          this.cache.set(key, entry);
          this.cacheBytesUsed += cacheEntryBytes(entry);
        }
      }
      return {
        status: 'Rejected',
        statusInfo: { reasonCode: 'InternalError', additionalInfo: 'the cache could not be cleared' },
      };
    }
  }

  /**
   * D01 SendLocalList: planned by `planSendLocalList` (src/authorization/local-list.ts) and, when
   * Accepted, written in one SQLite transaction before memory changes and the answer is sent. Failed
   * (NotEnabled) while LocalAuthListCtrlr.Enabled is not true (D01 prerequisite), Failed
   * (InternalError) when the store failed; the list stays as it was on every refusal.
   * `messageBytes`: the CALL frame's length, for BytesPerMessageSendLocalList.
   *
   * @example
   * await data.sendLocalList({ versionNumber: 1, updateType: 'Full', localAuthorizationList: [{ idToken, idTokenInfo: { status: 'Accepted' } }] });
   */
  sendLocalList(request: SendLocalListRequest, messageBytes?: number): Promise<SendLocalListResponse> {
    const run = this.listUpdates.then(() => this.applyLocalList(request, messageBytes));
    this.listUpdates = run.catch(() => undefined);
    return run;
  }

  /**
   * D02 GetLocalListVersion: the list's version, 0 when the list is disabled or the CSMS never sent
   * one (D02.FR.01–03).
   *
   * @example
   * data.localListVersion(); // 0 on a new station
   */
  localListVersion(): number {
    return localListVersion(this.list, this.localListEnabled);
  }

  /**
   * Entries in the Authorization Cache (whatever their status).
   *
   * @example
   * data.cacheSize(); // 3
   */
  cacheSize(): number {
    return this.cache.size;
  }

  /**
   * IdTokens in the Local Authorization List (LocalAuthListCtrlr.Entries), stored whether or not it is enabled.
   *
   * @example
   * data.localListSize(); // 2
   */
  localListSize(): number {
    return this.list.entries.size;
  }

  /**
   * Bytes the cache and the list use (AuthCacheCtrlr.Storage, LocalAuthListCtrlr.Storage; the
   * measure is in src/authorization/id-token-key.ts).
   *
   * @example
   * data.storageBytes(); // { cache: 180, localList: 122 }
   */
  storageBytes(): { cache: number; localList: number } {
    return { cache: this.cacheBytesUsed, localList: this.list.bytes };
  }

  /**
   * Resolves when every cache write so far reached the store (failed ones were reported).
   *
   * @example
   * await data.flushed();
   */
  async flushed(): Promise<void> {
    await this.writes;
    await this.listUpdates;
  }

  private async applyLocalList(
    request: SendLocalListRequest,
    messageBytes?: number,
  ): Promise<SendLocalListResponse> {
    if (!this.localListEnabled) {
      return {
        status: 'Failed',
        statusInfo: { reasonCode: 'NotEnabled', additionalInfo: 'LocalAuthListCtrlr.Enabled is not true' },
      };
    }
    const update = planSendLocalList(this.list, request, localListLimitsOf(this.options.deviceModel), messageBytes);
    if (update.status !== 'Accepted') return update.response;
    try {
      await writeLocalList(this.options.db, this.options.stationId, {
        replace: update.replace,
        version: update.version,
        upsert: update.upsert,
        remove: update.remove,
        updatedAt: this.options.clock.nowIso(),
      });
    } catch (error) {
      this.options.reportError(error);
      return {
        status: 'Failed',
        statusInfo: { reasonCode: 'InternalError', additionalInfo: 'the list could not be stored' },
      };
    }
    this.list = update.after;
    return { status: 'Accepted' };
  }

  private forget(key: string): void {
    const old = this.cache.get(key);
    if (!old) return;
    this.cache.delete(key);
    this.cacheBytesUsed -= cacheEntryBytes(old);
  }

  /** Queues a store write; a failure is reported (and rethrown to `awaited` callers). */
  private write(work: () => Promise<void>, awaited = false): Promise<void> {
    const run = this.writes.then(work);
    this.writes = run.catch((error: unknown) => {
      if (!awaited) this.options.reportError(error);
    });
    return awaited ? run : this.writes;
  }
}
