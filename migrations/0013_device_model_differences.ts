import { sql, type Kysely } from 'kysely';

/**
 * device_model holds only what differs from the configuration (issue 9, docs/device-model.md):
 * a station's CSMS and host values and its start-up overrides that differ from the config value.
 * Databases written before held a full copy of the configuration per station. Every 'config' row
 * is dropped here, in one statement: such a row was recomputed from the configuration and the
 * overrides at every start anyway, so nothing read it; the station's next start writes back the
 * overrides that differ. CSMS and host rows are kept as they are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM device_model WHERE value_source = 'config'`.execute(db);
}

/**
 * Nothing to restore: code of before this migration inserts every missing row (a full copy) at the
 * station's next start.
 */
export async function down(): Promise<void> {
  // Intentionally empty: see the comment above.
}
