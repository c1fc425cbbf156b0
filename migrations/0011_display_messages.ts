import type { Kysely } from 'kysely';

/**
 * Display messages (O01.FR.10 / O02.FR.10: the station stores them in persistent storage so they
 * survive a power cycle or reboot), keyed by station and the CSMS's message id (O06: a message with
 * the same id replaces the stored one). `message_info_json` is the MessageInfoType as the CSMS set it.
 *
 * `sim_customer_data` is the simulator's customer data (CLI `customer add`, N09/N10): text the
 * simulated station holds under a customerIdentifier. It lives here because it came with the same
 * feature; the library itself never reads it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('display_message')
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'integer', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'text')
    .addColumn('message_info_json', 'text', (c) => c.notNull())
    .addColumn('stored_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('display_message_pk', ['station_id', 'message_id'])
    .execute();

  await db.schema
    .createTable('sim_customer_data')
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('customer_identifier', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sim_customer_data_pk', ['station_id', 'customer_identifier'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sim_customer_data').execute();
  await db.schema.dropTable('display_message').execute();
}
