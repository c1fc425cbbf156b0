import type { Kysely } from 'kysely';

/**
 * Installed charging profiles (K01.FR.27: they survive reboots), CSMS ones and external limits alike.
 * `seq` keeps the installation order (a replaced profile goes last, like a new one).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('charging_profile')
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('profile_id', 'integer', (c) => c.notNull())
    .addColumn('evse_id', 'integer', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('stack_level', 'integer', (c) => c.notNull())
    .addColumn('transaction_id', 'text')
    .addColumn('charging_limit_source', 'text', (c) => c.notNull())
    .addColumn('profile_json', 'text', (c) => c.notNull())
    .addColumn('installed_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('charging_profile_station_profile', ['station_id', 'profile_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('charging_profile').execute();
}
