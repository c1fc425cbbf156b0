/**
 * The certificate side's small persisted facts (`station_state`: pending CertificateSigned waits,
 * the OCSP cache, the fallback CSMS root, the A02 Plug & Charge suspension), read with one query at
 * the first read instead of one query per key at every start (issue 9: five queries per station
 * boot). The keys are this station's and are written only through this port, so the copy in memory
 * stays the store's: a write goes to the store first, then to the copy.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { startRows } from '../store/start-statements.js';
import { deleteStationState, setStationState } from '../store/station-state.js';
import type { KeyValuePort } from './certificate-manager.js';

/**
 * @example
 * const state = new StationStateCache(store.db, 'CS-1', () => clock.nowIso());
 * await state.get<string>('csmsRootFallback'); // loads every key of CS-1 once
 * await state.set('ocspCache', {});
 */
export class StationStateCache implements KeyValuePort {
  /** Stored JSON by key, once loaded. */
  private loaded: Promise<Map<string, string>> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly stationId: string,
    private readonly now: () => string,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const json = (await this.rows()).get(key);
    // Parsed at every read: a caller changing what it got never changes the copy.
    return json === undefined ? undefined : (JSON.parse(json) as T);
  }

  async set(key: string, value: unknown): Promise<void> {
    const rows = await this.rows();
    const json = JSON.stringify(value);
    if (rows.get(key) === json) return;
    await setStationState(this.db, this.stationId, key, value, this.now());
    rows.set(key, json);
  }

  async delete(key: string): Promise<void> {
    const rows = await this.rows();
    await deleteStationState(this.db, this.stationId, key);
    rows.delete(key);
  }

  private rows(): Promise<Map<string, string>> {
    if (this.loaded === null) {
      const loading = startRows(this.db, 'stationStateAll', [this.stationId], () =>
        this.db
          .selectFrom('station_state')
          .select(['key', 'value_json'])
          .where('station_id', '=', this.stationId)
          .execute(),
      ).then((rows) => new Map(rows.map((r) => [r.key, r.value_json])));
      this.loaded = loading;
      // A failed read is not kept: the next read tries again.
      loading.catch(() => {
        if (this.loaded === loading) this.loaded = null;
      });
    }
    return this.loaded;
  }
}
