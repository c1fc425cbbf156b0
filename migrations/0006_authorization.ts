import type { Kysely } from 'kysely';

/**
 * Authorization data (C10, D01): the Authorization Cache (C10.FR.02: it survives reboots and power
 * outages), the Local Authorization List (D01.FR.10) and the list's version number (D01.FR.01).
 * Every row is keyed by station first; `token_key` is the case-insensitive identity of an idToken
 * (src/authorization/id-token-key.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('auth_cache_entry')
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('token_key', 'text', (c) => c.notNull())
    .addColumn('id_token_json', 'text', (c) => c.notNull())
    .addColumn('id_token_info_json', 'text', (c) => c.notNull())
    .addColumn('inserted_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text', (c) => c.notNull())
    .addColumn('uses', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('auth_cache_entry_pk', ['station_id', 'token_key'])
    .execute();

  await db.schema
    .createTable('local_list_entry')
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('token_key', 'text', (c) => c.notNull())
    .addColumn('id_token_json', 'text', (c) => c.notNull())
    .addColumn('id_token_info_json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('local_list_entry_pk', ['station_id', 'token_key'])
    .execute();

  await db.schema
    .createTable('local_list_version')
    .addColumn('station_id', 'text', (c) => c.primaryKey())
    .addColumn('version_number', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('local_list_version').execute();
  await db.schema.dropTable('local_list_entry').execute();
  await db.schema.dropTable('auth_cache_entry').execute();
}
