/**
 * Authorization data in SQLite (migration 0006): Authorization Cache entries (C10.FR.02: persistent
 * across reboots and power outages), the Local Authorization List and its version (D01.FR.10).
 * A SendLocalList is written in one transaction: all of it or nothing (D01 failure postcondition:
 * the list stays as it was).
 */
import type { Kysely } from 'kysely';
import type { CacheEntry } from '../authorization/auth-cache.js';
import type { LocalListEntry } from '../authorization/local-list.js';
import type { IdTokenInfoType, IdTokenType } from '../generated/ocpp-types.js';
import type { Database } from './schema.js';
import { startRows } from './start-statements.js';

/** A stored row that could not be read back (corrupt JSON). */
export interface UnreadableAuthorizationRow {
  table: 'auth_cache_entry' | 'local_list_entry';
  tokenKey: string;
  problem: string;
}

/** What {@link loadAuthorizationData} found. */
export interface StoredAuthorizationData {
  cache: CacheEntry[];
  /** 0 when the CSMS never sent a list (D02.FR.02). */
  localListVersion: number;
  localList: LocalListEntry[];
  unreadable: UnreadableAuthorizationRow[];
}

function parse<T>(json: string): T | string {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null ? (value as T) : 'not a JSON object';
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
}

/**
 * The station's cache, list and list version, with the rows that could not be read.
 *
 * @example
 * const { cache, localList, localListVersion } = await loadAuthorizationData(db, 'CS-1');
 */
export async function loadAuthorizationData(
  db: Kysely<Database>,
  stationId: string,
): Promise<StoredAuthorizationData> {
  const loaded: StoredAuthorizationData = { cache: [], localListVersion: 0, localList: [], unreadable: [] };
  const cacheRows = await startRows(db, 'authCache', [stationId], () =>
    db.selectFrom('auth_cache_entry').selectAll().where('station_id', '=', stationId).execute(),
  );
  for (const row of cacheRows) {
    const idToken = parse<IdTokenType>(row.id_token_json);
    const info = parse<IdTokenInfoType>(row.id_token_info_json);
    if (typeof idToken === 'string' || typeof info === 'string') {
      const problem =
        typeof idToken === 'string' ? `id_token_json ${idToken}` : `id_token_info_json ${String(info)}`;
      loaded.unreadable.push({ table: 'auth_cache_entry', tokenKey: row.token_key, problem });
      continue;
    }
    loaded.cache.push({
      key: row.token_key,
      idToken,
      info,
      insertedAt: row.inserted_at,
      updatedAt: row.updated_at,
      lastUsedAt: row.last_used_at,
      uses: row.uses,
    });
  }
  const listRows = await startRows(db, 'localList', [stationId], () =>
    db.selectFrom('local_list_entry').selectAll().where('station_id', '=', stationId).execute(),
  );
  for (const row of listRows) {
    const idToken = parse<IdTokenType>(row.id_token_json);
    const info = parse<IdTokenInfoType>(row.id_token_info_json);
    if (typeof idToken === 'string' || typeof info === 'string') {
      const problem =
        typeof idToken === 'string' ? `id_token_json ${idToken}` : `id_token_info_json ${String(info)}`;
      loaded.unreadable.push({ table: 'local_list_entry', tokenKey: row.token_key, problem });
      continue;
    }
    loaded.localList.push({ key: row.token_key, idToken, info });
  }
  const [version] = await startRows(db, 'localListVersion', [stationId], () =>
    db.selectFrom('local_list_version').select('version_number').where('station_id', '=', stationId).execute(),
  );
  loaded.localListVersion = version?.version_number ?? 0;
  return loaded;
}

/**
 * Stores cache entries and deletes others, in one transaction.
 *
 * @example
 * await writeCacheEntries(db, 'CS-1', [entry], ['ISO14443:old']);
 */
export async function writeCacheEntries(
  db: Kysely<Database>,
  stationId: string,
  upsert: readonly CacheEntry[],
  remove: readonly string[],
): Promise<void> {
  if (upsert.length === 0 && remove.length === 0) return;
  await db.transaction().execute(async (trx) => {
    if (remove.length > 0) {
      await trx
        .deleteFrom('auth_cache_entry')
        .where('station_id', '=', stationId)
        .where('token_key', 'in', [...remove])
        .execute();
    }
    for (const entry of upsert) {
      const row = {
        station_id: stationId,
        token_key: entry.key,
        id_token_json: JSON.stringify(entry.idToken),
        id_token_info_json: JSON.stringify(entry.info),
        inserted_at: entry.insertedAt,
        updated_at: entry.updatedAt,
        last_used_at: entry.lastUsedAt,
        uses: entry.uses,
      };
      await trx
        .insertInto('auth_cache_entry')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['station_id', 'token_key']).doUpdateSet({
            id_token_json: row.id_token_json,
            id_token_info_json: row.id_token_info_json,
            inserted_at: row.inserted_at,
            updated_at: row.updated_at,
            last_used_at: row.last_used_at,
            uses: row.uses,
          }),
        )
        .execute();
    }
  });
}

/**
 * Records a use of a cache entry (LifeTime and LRU/LFU); nothing happens when it is gone.
 *
 * @example
 * await touchCacheEntry(db, 'CS-1', 'ISO14443:abc', '2026-01-01T00:00:00.000Z', 3);
 */
export async function touchCacheEntry(
  db: Kysely<Database>,
  stationId: string,
  tokenKey: string,
  lastUsedAt: string,
  uses: number,
): Promise<void> {
  await db
    .updateTable('auth_cache_entry')
    .set({ last_used_at: lastUsedAt, uses })
    .where('station_id', '=', stationId)
    .where('token_key', '=', tokenKey)
    .execute();
}

/**
 * C11: deletes every cache entry of the station.
 *
 * @example
 * await clearCacheEntries(db, 'CS-1');
 */
export async function clearCacheEntries(db: Kysely<Database>, stationId: string): Promise<void> {
  await db.deleteFrom('auth_cache_entry').where('station_id', '=', stationId).execute();
}

/** An accepted SendLocalList, as rows to write. */
export interface LocalListWrite {
  /** Full update: every entry is deleted first. */
  replace: boolean;
  version: number;
  upsert: readonly LocalListEntry[];
  remove: readonly string[];
  updatedAt: string;
}

/**
 * D01: applies an accepted SendLocalList in one transaction (entries and version together).
 *
 * @example
 * await writeLocalList(db, 'CS-1', { replace: true, version: 2, upsert: entries, remove: [], updatedAt: now });
 */
export async function writeLocalList(
  db: Kysely<Database>,
  stationId: string,
  write: LocalListWrite,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (write.replace) {
      await trx.deleteFrom('local_list_entry').where('station_id', '=', stationId).execute();
    } else if (write.remove.length > 0) {
      await trx
        .deleteFrom('local_list_entry')
        .where('station_id', '=', stationId)
        .where('token_key', 'in', [...write.remove])
        .execute();
    }
    for (const entry of write.upsert) {
      const row = {
        station_id: stationId,
        token_key: entry.key,
        id_token_json: JSON.stringify(entry.idToken),
        id_token_info_json: JSON.stringify(entry.info),
      };
      await trx
        .insertInto('local_list_entry')
        .values(row)
        .onConflict((oc) =>
          oc
            .columns(['station_id', 'token_key'])
            .doUpdateSet({ id_token_json: row.id_token_json, id_token_info_json: row.id_token_info_json }),
        )
        .execute();
    }
    await trx
      .insertInto('local_list_version')
      .values({ station_id: stationId, version_number: write.version, updated_at: write.updatedAt })
      .onConflict((oc) =>
        oc.column('station_id').doUpdateSet({ version_number: write.version, updated_at: write.updatedAt }),
      )
      .execute();
  });
}
