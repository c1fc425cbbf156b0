import type { Kysely } from 'kysely';

/**
 * Reservations (H01–H04): the active reservations as a domain table derived from the
 * `reservation:<id>` actors (their snapshots live in `actor_snapshot`); a station whose reservation
 * snapshot cannot be used (machine version changed) rebuilds the reservation from its row, and its
 * expiry still holds (H04.FR.01).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reservation')
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('reservation_id', 'integer', (c) => c.notNull())
    .addColumn('evse_id', 'integer')
    .addColumn('connector_type', 'text')
    .addColumn('id_token_json', 'text', (c) => c.notNull())
    .addColumn('group_id_token_json', 'text')
    .addColumn('expiry_date_time', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('reservation_pk', ['station_id', 'reservation_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('reservation').execute();
}
