/**
 * The stored display messages of a station (O01.FR.10: they survive a reboot; migration 0011).
 */
import type { Kysely } from 'kysely';
import type { MessageInfoType } from '../generated/ocpp-types.js';
import type { Database } from './schema.js';
import { startRows } from './start-statements.js';

/**
 * Reads and writes `display_message` rows of one station.
 *
 * @example
 * const store = new DisplayMessageStore(db, 'CS-1');
 * await store.put(message, '2026-01-01T00:00:00.000Z');
 * (await store.load()).map((m) => m.id);
 */
export class DisplayMessageStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly stationId: string,
  ) {}

  /** Every stored message, in the order they were set. */
  async load(): Promise<MessageInfoType[]> {
    const rows = await startRows(this.db, 'displayMessages', [this.stationId], () =>
      this.db
        .selectFrom('display_message')
        .select(['message_info_json'])
        .where('station_id', '=', this.stationId)
        .orderBy('stored_at')
        .orderBy('message_id')
        .execute(),
    );
    return rows.map((row) => JSON.parse(row.message_info_json) as MessageInfoType);
  }

  /** Stores `message`, replacing one with the same id (O06.FR.01) and removing `replaced` ids, in one transaction. */
  async put(message: MessageInfoType, storedAt: string, replaced: readonly number[] = []): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const ids = [message.id, ...replaced];
      await trx
        .deleteFrom('display_message')
        .where('station_id', '=', this.stationId)
        .where('message_id', 'in', ids)
        .execute();
      await trx
        .insertInto('display_message')
        .values({
          station_id: this.stationId,
          message_id: message.id,
          priority: message.priority,
          transaction_id: message.transactionId ?? null,
          message_info_json: JSON.stringify(message),
          stored_at: storedAt,
        })
        .execute();
    });
  }

  /** Removes messages by id. */
  async remove(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .deleteFrom('display_message')
      .where('station_id', '=', this.stationId)
      .where('message_id', 'in', [...ids])
      .execute();
  }
}
