/**
 * Customer data the simulated station holds (CLI `customer add`; table `sim_customer_data`,
 * migration 0011): text under a customerIdentifier that CustomerInformation (N09) reports and clears
 * (N10) through the get/clearCustomerInformationCallback the simulator registers.
 */
import type { Kysely } from 'kysely';
import type { ChargePointCallbacks } from '../callbacks.js';
import type { Database } from '../store/schema.js';

/**
 * @example
 * const customers = await SimCustomerData.load(store.db, 'CS-1');
 * await customers.add('customer-42', 'card holder Jane Doe', now);
 * customers.get('customer-42'); // 'card holder Jane Doe'
 */
export class SimCustomerData {
  private constructor(
    private readonly db: Kysely<Database>,
    private readonly stationId: string,
    private readonly texts: Map<string, string>,
  ) {}

  static async load(db: Kysely<Database>, stationId: string): Promise<SimCustomerData> {
    const rows = await db
      .selectFrom('sim_customer_data')
      .select(['customer_identifier', 'text'])
      .where('station_id', '=', stationId)
      .orderBy('added_at')
      .execute();
    return new SimCustomerData(db, stationId, new Map(rows.map((r) => [r.customer_identifier, r.text])));
  }

  /** Stores (or replaces) the text held under `customerIdentifier`. */
  async add(customerIdentifier: string, text: string, nowIso: string): Promise<void> {
    await this.db
      .insertInto('sim_customer_data')
      .values({ station_id: this.stationId, customer_identifier: customerIdentifier, text, added_at: nowIso })
      .onConflict((oc) => oc.columns(['station_id', 'customer_identifier']).doUpdateSet({ text, added_at: nowIso }))
      .execute();
    this.texts.set(customerIdentifier, text);
  }

  get(customerIdentifier: string): string | undefined {
    return this.texts.get(customerIdentifier);
  }

  get size(): number {
    return this.texts.size;
  }

  /** Removes what is held under `customerIdentifier`; true when there was something. */
  async clear(customerIdentifier: string): Promise<boolean> {
    if (!this.texts.has(customerIdentifier)) return false;
    await this.db
      .deleteFrom('sim_customer_data')
      .where('station_id', '=', this.stationId)
      .where('customer_identifier', '=', customerIdentifier)
      .execute();
    this.texts.delete(customerIdentifier);
    return true;
  }

  /** The N09/N10 host callbacks answered from this data (a customerIdentifier reference; others hold nothing here). */
  callbacks(): Pick<ChargePointCallbacks, 'getCustomerInformationCallback' | 'clearCustomerInformationCallback'> {
    return {
      getCustomerInformationCallback: (_certificate, _idToken, customerIdentifier) =>
        customerIdentifier === undefined ? '' : (this.get(customerIdentifier) ?? ''),
      clearCustomerInformationCallback: async (_certificate, _idToken, customerIdentifier) => {
        if (customerIdentifier !== undefined) await this.clear(customerIdentifier);
      },
    };
  }
}
