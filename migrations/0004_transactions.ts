import type { Kysely } from 'kysely';

/**
 * Transactions (issue 6): who receives the answer to a durable message (`message_queue.owner`, the
 * systemId of the actor that sent it), the open transactions as a domain table derived from the
 * transaction actors (rebuilt into actors when a snapshot cannot be used), and the meter values a
 * transaction records for its Ended message (SampledDataTxEndedMeasurands / AlignedDataTxEndedMeasurands).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('message_queue').addColumn('owner', 'text').execute();

  await db.schema
    .createTable('transaction_record')
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'text', (c) => c.notNull())
    .addColumn('evse_id', 'integer', (c) => c.notNull())
    .addColumn('connector_id', 'integer')
    .addColumn('next_seq_no', 'integer', (c) => c.notNull())
    .addColumn('context_json', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('transaction_record_pk', ['station_id', 'transaction_id'])
    .execute();

  await db.schema
    .createTable('transaction_meter_value')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'text', (c) => c.notNull())
    .addColumn('meter_value_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('transaction_meter_value_tx')
    .on('transaction_meter_value')
    .columns(['station_id', 'transaction_id', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('transaction_meter_value').execute();
  await db.schema.dropTable('transaction_record').execute();
  await db.schema.alterTable('message_queue').dropColumn('owner').execute();
}
