import type { Kysely } from 'kysely';

/**
 * Simulated hardware of the CLI station (issue: simulated-station CLI): per connector, whether a
 * cable is plugged in, whether it is faulted, what the EV does, and the meter. It survives a power
 * loss (SIGKILL) the way real hardware would: a plugged cable is still plugged after the restart.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sim_hardware')
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('evse_id', 'integer', (c) => c.notNull())
    .addColumn('connector_id', 'integer', (c) => c.notNull())
    .addColumn('plugged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('faulted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ev_state', 'text', (c) => c.notNull().defaultTo('absent'))
    .addColumn('energy_wh', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('power_w', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sim_hardware_pk', ['station_id', 'evse_id', 'connector_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sim_hardware').execute();
}
