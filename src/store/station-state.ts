/**
 * Small per-station facts kept across power loss, as JSON under a key (table `station_state`).
 */
import type { Kysely } from 'kysely';
import type { BootReasonEnumType } from '../generated/ocpp-types.js';
import type { Database } from './schema.js';
import { startRows } from './start-statements.js';

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
  // Read at every start (the pending boot reason): a statement prepared once (issue 9).
  const [row] = await startRows(db, 'stationStateValue', [stationId, key], () =>
    db
      .selectFrom('station_state')
      .select('value_json')
      .where('station_id', '=', stationId)
      .where('key', '=', key)
      .execute(),
  );
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
 * The recorded boot reason, without forgetting it; PowerUp when none was recorded (after a power
 * loss nothing was). It is forgotten with {@link clearPendingBootReason} once a BootNotification
 * was answered Accepted, so a crash before that reports it again.
 *
 * @example
 * const reason = await readPendingBootReason(db, 'CS-1'); // 'RemoteReset' until cleared, then 'PowerUp'
 */
export async function readPendingBootReason(
  db: Kysely<Database>,
  stationId: string,
): Promise<BootReasonEnumType> {
  return (await getStationState<BootReasonEnumType>(db, stationId, PENDING_BOOT_REASON)) ?? 'PowerUp';
}

/**
 * Forgets the recorded boot reason if it is still `reason` (a reason recorded since, e.g. by a
 * Reset of this run, stays for the next start).
 *
 * @example
 * await clearPendingBootReason(db, 'CS-1', 'RemoteReset');
 */
export async function clearPendingBootReason(
  db: Kysely<Database>,
  stationId: string,
  reason: BootReasonEnumType,
): Promise<void> {
  await db
    .deleteFrom('station_state')
    .where('station_id', '=', stationId)
    .where('key', '=', PENDING_BOOT_REASON)
    .where('value_json', '=', JSON.stringify(reason))
    .execute();
}
