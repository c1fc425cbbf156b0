/**
 * Operational status set by ChangeAvailability, persisted across reboots (B01.FR.07, G01.FR.02,
 * G03/G04). Rows exist only for levels that were changed; absent = Operative.
 */
import type { Kysely, Selectable } from 'kysely';
import type { OperationalStatusEnumType } from '../generated/ocpp-types.js';
import type { AvailabilityTable, Database } from './schema.js';
import { startRows } from './start-statements.js';

export interface AvailabilitySetting {
  evseId: number;
  connectorId: number;
  operational: OperationalStatusEnumType;
  scheduled: OperationalStatusEnumType | null;
}

/**
 * Every stored setting of a station (station level is evse 0 / connector 0).
 *
 * @example
 * const settings = await loadAvailability(db, 'CS-1');
 */
export async function loadAvailability(
  db: Kysely<Database>,
  stationId: string,
): Promise<AvailabilitySetting[]> {
  const rows = await startRows(db, 'availability', [stationId], () =>
    db.selectFrom('availability').selectAll().where('station_id', '=', stationId).execute(),
  );
  return availabilitySettings(rows);
}

/**
 * The settings of stored `availability` rows.
 *
 * @example
 * const settings = availabilitySettings(rows);
 */
export function availabilitySettings(rows: ReadonlyArray<Selectable<AvailabilityTable>>): AvailabilitySetting[] {
  return rows.map((r) => ({
    evseId: r.evse_id,
    connectorId: r.connector_id,
    operational: r.operational_status,
    scheduled: r.scheduled_status,
  }));
}

/**
 * Stores the status of one level, or a status scheduled for when its transaction ends.
 *
 * @example
 * await saveAvailability(db, 'CS-1', { evseId: 1, connectorId: 0, operational: 'Inoperative', scheduled: null }, now);
 */
export async function saveAvailability(
  db: Kysely<Database>,
  stationId: string,
  setting: AvailabilitySetting,
  now: string,
): Promise<void> {
  await db
    .insertInto('availability')
    .values({
      station_id: stationId,
      evse_id: setting.evseId,
      connector_id: setting.connectorId,
      operational_status: setting.operational,
      scheduled_status: setting.scheduled,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['station_id', 'evse_id', 'connector_id']).doUpdateSet({
        operational_status: setting.operational,
        scheduled_status: setting.scheduled,
        updated_at: now,
      }),
    )
    .execute();
}

/**
 * Operative unless a row says otherwise.
 *
 * @example
 * operativeAt(await loadAvailability(db, 'CS-1'), 1, 0); // EVSE 1 as a whole
 */
export function operativeAt(
  settings: readonly AvailabilitySetting[],
  evseId: number,
  connectorId: number,
): boolean {
  return (
    settings.find((s) => s.evseId === evseId && s.connectorId === connectorId)?.operational !== 'Inoperative'
  );
}
