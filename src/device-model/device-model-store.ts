/**
 * The device model's statements on the `device_model` table: one row per attribute, keyed by
 * station, component (name, instance, EVSE, connector), variable (name, instance) and attribute type.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database, DeviceModelTable } from '../store/schema.js';
import type { AttributeState, VariableState } from './model-index.js';

/** A value to store for one attribute. */
export interface AttributeWrite {
  variable: VariableState;
  attribute: AttributeState;
  value: string;
}

/** Rows per INSERT statement: 15 columns each, well under SQLite's bound-parameter limit. */
const INSERT_CHUNK = 500;

/**
 * Replaces all rows of a station with `rows`, atomically: on any failure the old rows stay.
 *
 * @example
 * await replaceStationRows(store.db, 'CS-1', reconcile(input).rows);
 */
export async function replaceStationRows(
  db: Kysely<Database>,
  stationId: string,
  rows: ReadonlyArray<Insertable<DeviceModelTable>>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('device_model').where('station_id', '=', stationId).execute();
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await trx
        .insertInto('device_model')
        .values(rows.slice(i, i + INSERT_CHUNK))
        .execute();
    }
  });
}

/**
 * Stores values of existing attributes in one transaction; throws (and stores nothing) when a row
 * is missing or the database fails.
 *
 * @example
 * await writeAttributes(store.db, 'CS-1', [{ variable, attribute, value: '300' }], 'csms', new Date().toISOString());
 */
export async function writeAttributes(
  db: Kysely<Database>,
  stationId: string,
  writes: readonly AttributeWrite[],
  source: 'host' | 'csms',
  updatedAt: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const { variable, attribute, value } of writes) {
      const { component } = variable;
      const result = await trx
        .updateTable('device_model')
        .set({ value, value_source: source, updated_at: updatedAt })
        .where('station_id', '=', stationId)
        .where('component', '=', component.name)
        .where('component_instance', '=', component.instance ?? '')
        .where('evse_id', '=', component.evseId ?? 0)
        .where('connector_id', '=', component.connectorId ?? 0)
        .where('variable', '=', variable.name)
        .where('variable_instance', '=', variable.instance ?? '')
        .where('attribute_type', '=', attribute.type)
        .executeTakeFirst();
      if (result.numUpdatedRows !== 1n) {
        throw new Error(
          `device_model row of ${component.name}.${variable.name}:${attribute.type} for station ${stationId} is missing`,
        );
      }
    }
  });
}
