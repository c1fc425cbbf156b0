/**
 * Small per-station facts kept across power loss, as JSON under a key (table `station_state`).
 */
import type { Kysely } from 'kysely';
import type { BootReasonEnumType } from '../generated/ocpp-types.js';
import type { Database } from './schema.js';

/**
 * Reads a stored value; undefined when absent.
 *
 * @example
 * const reason = await getStationState<string>(db, 'CS-1', 'pendingBootReason');
 */
export async function getStationState<T>(
  db: Kysely<Database>,
  stationId: string,
  key: string,
): Promise<T | undefined> {
  const row = await db
    .selectFrom('station_state')
    .select('value_json')
    .where('station_id', '=', stationId)
    .where('key', '=', key)
    .executeTakeFirst();
  return row === undefined ? undefined : (JSON.parse(row.value_json) as T);
}

/**
 * Stores (or replaces) a value.
 *
 * @example
 * await setStationState(db, 'CS-1', 'pendingBootReason', 'RemoteReset', clock.nowIso());
 */
export async function setStationState(
  db: Kysely<Database>,
  stationId: string,
  key: string,
  value: unknown,
  now: string,
): Promise<void> {
  await db
    .insertInto('station_state')
    .values({ station_id: stationId, key, value_json: JSON.stringify(value), updated_at: now })
    .onConflict((oc) =>
      oc.columns(['station_id', 'key']).doUpdateSet({ value_json: JSON.stringify(value), updated_at: now }),
    )
    .execute();
}

/**
 * Deletes a value.
 *
 * @example
 * await deleteStationState(db, 'CS-1', 'pendingBootReason');
 */
export async function deleteStationState(
  db: Kysely<Database>,
  stationId: string,
  key: string,
): Promise<void> {
  await db.deleteFrom('station_state').where('station_id', '=', stationId).where('key', '=', key).execute();
}

const PENDING_BOOT_REASON = 'pendingBootReason';

/**
 * Records why the next boot happens (B01.FR.09): a Reset stores RemoteReset before rebooting.
 *
 * @example
 * await setPendingBootReason(db, 'CS-1', 'RemoteReset', clock.nowIso());
 */
export function setPendingBootReason(
  db: Kysely<Database>,
  stationId: string,
  reason: BootReasonEnumType,
  now: string,
): Promise<void> {
  return setStationState(db, stationId, PENDING_BOOT_REASON, reason, now);
}

/**
 * Returns and forgets the recorded boot reason; without one the boot is a power-up (after a power
 * loss nothing was recorded).
 *
 * @example
 * const reason = await takePendingBootReason(db, 'CS-1'); // 'RemoteReset' once, then 'PowerUp'
 */
export async function takePendingBootReason(
  db: Kysely<Database>,
  stationId: string,
): Promise<BootReasonEnumType> {
  const reason = await getStationState<BootReasonEnumType>(db, stationId, PENDING_BOOT_REASON);
  if (reason !== undefined) await deleteStationState(db, stationId, PENDING_BOOT_REASON);
  return reason ?? 'PowerUp';
}
