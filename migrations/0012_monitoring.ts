import type { Kysely } from 'kysely';

/**
 * Monitoring (N02–N08): every monitor the station holds, custom ones (SetVariableMonitoring) and
 * the hard-wired and preconfigured ones of the configuration with their state, so that monitors,
 * their ids and their evaluation survive a restart (N04 remark, N07.FR.13/14): a threshold that
 * was exceeded (`exceeded`), the value a Delta compares with (`reference`), the next instant of a
 * periodic monitor (`next_at`, a persisted deadline).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('variable_monitor')
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('monitor_id', 'integer', (c) => c.notNull())
    // HardWiredMonitor | PreconfiguredMonitor | CustomMonitor: what it is now (N04.FR.15).
    .addColumn('kind', 'text', (c) => c.notNull())
    // HardWiredMonitor | PreconfiguredMonitor for monitors of the configuration, null for custom ones.
    .addColumn('origin', 'text')
    // 0: a preconfigured monitor switched off (SetMonitoringBase HardWiredOnly, ClearVariableMonitoring).
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('component_json', 'text', (c) => c.notNull())
    .addColumn('variable_json', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'real', (c) => c.notNull())
    .addColumn('severity', 'integer', (c) => c.notNull())
    .addColumn('transaction', 'integer', (c) => c.notNull())
    .addColumn('exceeded', 'integer', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('next_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('variable_monitor_pk', ['station_id', 'monitor_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('variable_monitor').execute();
}
