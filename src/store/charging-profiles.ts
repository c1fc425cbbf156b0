/**
 * Installed charging profiles in the `charging_profile` table (K01.FR.27: they survive reboots).
 * Writes happen before the station answers, so an Accepted profile is never lost and a failed
 * write leaves the previous set intact (each change is one transaction).
 */
import type { Kysely } from 'kysely';
import type { ChargingProfileType } from '../generated/ocpp-types.js';
import type { InstalledChargingProfile } from '../smart-charging/index.js';
import type { Database } from './schema.js';
import { startRows } from './start-statements.js';

/** A stored row that could not be turned back into a profile (corrupt JSON, mismatching id). */
export interface UnreadableChargingProfile {
  profileId: number;
  problem: string;
}

/** What {@link loadChargingProfiles} found. */
export interface LoadedChargingProfiles {
  /** In installation order. */
  profiles: InstalledChargingProfile[];
  unreadable: UnreadableChargingProfile[];
}

function parseProfile(json: string, profileId: number): ChargingProfileType | string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return `profile_json is not JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || (value as { id?: unknown }).id !== profileId) {
    return `profile_json is not the charging profile ${profileId}`;
  }
  return value as ChargingProfileType;
}

/**
 * The station's installed profiles in installation order, and the rows that could not be read.
 *
 * @example
 * const { profiles, unreadable } = await loadChargingProfiles(db, 'CS-1');
 */
export async function loadChargingProfiles(
  db: Kysely<Database>,
  stationId: string,
): Promise<LoadedChargingProfiles> {
  const rows = await startRows(db, 'chargingProfiles', [stationId], () =>
    db.selectFrom('charging_profile').selectAll().where('station_id', '=', stationId).orderBy('seq').execute(),
  );
  const loaded: LoadedChargingProfiles = { profiles: [], unreadable: [] };
  for (const row of rows) {
    const profile = parseProfile(row.profile_json, row.profile_id);
    if (typeof profile === 'string') {
      loaded.unreadable.push({ profileId: row.profile_id, problem: profile });
      continue;
    }
    loaded.profiles.push({
      evseId: row.evse_id,
      profile,
      chargingLimitSource: row.charging_limit_source,
      installedAt: row.installed_at,
    });
  }
  return loaded;
}

/**
 * Stores an accepted profile in one transaction: the profiles it replaces (and any row with its id)
 * are deleted and it is added last.
 *
 * @example
 * await saveChargingProfile(db, 'CS-1', { evseId: 1, profile, installedAt: now }, result.replaces);
 */
export async function saveChargingProfile(
  db: Kysely<Database>,
  stationId: string,
  entry: InstalledChargingProfile,
  replaces: readonly number[],
): Promise<void> {
  const { profile } = entry;
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('charging_profile')
      .where('station_id', '=', stationId)
      .where('profile_id', 'in', [...new Set([...replaces, profile.id])])
      .execute();
    await trx
      .insertInto('charging_profile')
      .values({
        station_id: stationId,
        profile_id: profile.id,
        evse_id: entry.evseId,
        purpose: profile.chargingProfilePurpose,
        stack_level: profile.stackLevel,
        transaction_id: profile.transactionId ?? null,
        charging_limit_source: entry.chargingLimitSource ?? 'CSO',
        profile_json: JSON.stringify(profile),
        installed_at: entry.installedAt ?? new Date().toISOString(),
      })
      .execute();
  });
}

/**
 * Deletes profiles by id (ClearChargingProfile, ended transactions, released external limits).
 *
 * @example
 * await deleteChargingProfiles(db, 'CS-1', [3, 4]);
 */
export async function deleteChargingProfiles(
  db: Kysely<Database>,
  stationId: string,
  profileIds: readonly number[],
): Promise<void> {
  if (profileIds.length === 0) return;
  await db
    .deleteFrom('charging_profile')
    .where('station_id', '=', stationId)
    .where('profile_id', 'in', [...profileIds])
    .execute();
}
