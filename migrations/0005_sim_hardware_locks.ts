import type { Kysely } from 'kysely';

/**
 * The simulated hardware learns the cable lock, a lock that will fail (CLI `lock-fail`) and the
 * parking bay sensor (issue 6 §6), so that a power loss restores them too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('sim_hardware')
    .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('sim_hardware')
    .addColumn('lock_fail', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('sim_hardware')
    .addColumn('parked', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['parked', 'lock_fail', 'locked']) {
    await db.schema.alterTable('sim_hardware').dropColumn(column).execute();
  }
}
