import { sql, type Kysely } from 'kysely';

/** Core tables of the station (issue 2): device model, message queue, snapshots, availability, state. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('device_model')
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('component', 'text', (c) => c.notNull())
    .addColumn('component_instance', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('evse_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('connector_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('variable', 'text', (c) => c.notNull())
    .addColumn('variable_instance', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('attribute_type', 'text', (c) => c.notNull())
    .addColumn('characteristics_json', 'text', (c) => c.notNull())
    .addColumn('mutability', 'text', (c) => c.notNull())
    .addColumn('persistent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('constant', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('value', 'text')
    .addColumn('value_source', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('device_model_pk', [
      'station_id',
      'component',
      'component_instance',
      'evse_id',
      'connector_id',
      'variable',
      'variable_instance',
      'attribute_type',
    ])
    .execute();

  await db.schema
    .createTable('message_queue')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('payload_json', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('message_queue_station')
    .on('message_queue')
    .columns(['station_id', 'id'])
    .execute();
  await sql`CREATE UNIQUE INDEX message_queue_dedupe ON message_queue (station_id, dedupe_key) WHERE dedupe_key IS NOT NULL`.execute(
    db,
  );

  await db.schema
    .createTable('actor_snapshot')
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('machine_version', 'integer', (c) => c.notNull())
    .addColumn('snapshot_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('actor_snapshot_pk', ['station_id', 'actor_id'])
    .execute();

  await db.schema
    .createTable('availability')
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('evse_id', 'integer', (c) => c.notNull())
    .addColumn('connector_id', 'integer', (c) => c.notNull())
    .addColumn('operational_status', 'text', (c) => c.notNull())
    .addColumn('scheduled_status', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('availability_pk', ['station_id', 'evse_id', 'connector_id'])
    .execute();

  await db.schema
    .createTable('station_state')
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('station_state_pk', ['station_id', 'key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['station_state', 'availability', 'actor_snapshot', 'message_queue', 'device_model']) {
    await db.schema.dropTable(table).execute();
  }
}
