/**
 * Storage of the simulated hardware (table `sim_hardware`, migrations 0002 and 0005): one row per
 * connector and station, written on every change so that a power loss (SIGKILL) loses nothing but
 * the energy counted since the last write.
 */
import type { Kysely } from 'kysely';
import type { Database, SimEvState } from '../store/schema.js';

/** The stored state of one simulated connector. */
export interface StoredConnectorHardware {
  evseId: number;
  connectorId: number;
  /** A cable is in the connector (a socket's detachable cable, or a fixed cable's EV connected). */
  plugged: boolean;
  faulted: boolean;
  /** What the EV at the cable's end does; `absent`: no EV at the cable (pulled at the EV side). */
  ev: SimEvState;
  /** Meter energy register, integer Wh. */
  energyWh: number;
  /** Power the EV draws while it charges, integer W. */
  powerW: number;
  /** The retention lock holds the cable in the socket. */
  locked: boolean;
  /** The next locking attempt fails (until `clear`). */
  lockFail: boolean;
  /** The parking bay sensor of this connector's EVSE sees an EV. */
  parked: boolean;
}

const EV_STATES: ReadonlySet<string> = new Set<SimEvState>(['absent', 'connected', 'charging', 'suspended']);

/**
 * Reads every stored connector of a station. A row that cannot describe real hardware (unknown EV
 * state, negative meter) is refused with an error naming the row, not silently repaired.
 *
 * @example
 * const rows = await loadSimHardware(store.db, 'CS-1');
 */
export async function loadSimHardware(
  db: Kysely<Database>,
  stationId: string,
): Promise<StoredConnectorHardware[]> {
  const rows = await db
    .selectFrom('sim_hardware')
    .selectAll()
    .where('station_id', '=', stationId)
    .orderBy('evse_id')
    .orderBy('connector_id')
    .execute();
  return rows.map((row) => {
    const where = `sim_hardware row (station ${stationId}, EVSE ${row.evse_id}, connector ${row.connector_id})`;
    if (!EV_STATES.has(row.ev_state)) throw new Error(`${where}: unknown ev_state '${row.ev_state}'`);
    if (!Number.isSafeInteger(row.energy_wh) || row.energy_wh < 0)
      throw new Error(`${where}: energy_wh ${row.energy_wh} is not a non-negative integer`);
    if (!Number.isSafeInteger(row.power_w) || row.power_w < 0)
      throw new Error(`${where}: power_w ${row.power_w} is not a non-negative integer`);
    return {
      evseId: row.evse_id,
      connectorId: row.connector_id,
      plugged: row.plugged !== 0,
      faulted: row.faulted !== 0,
      ev: row.ev_state,
      energyWh: row.energy_wh,
      powerW: row.power_w,
      locked: row.locked !== 0,
      lockFail: row.lock_fail !== 0,
      parked: row.parked !== 0,
    };
  });
}

/**
 * Writes (inserts or replaces) one connector's state in a single statement.
 *
 * @example
 * await saveSimConnector(store.db, 'CS-1', { evseId: 1, connectorId: 1, plugged: true, faulted: false, ev: 'connected', energyWh: 0, powerW: 0, locked: false, lockFail: false, parked: false }, clock.nowIso());
 */
export async function saveSimConnector(
  db: Kysely<Database>,
  stationId: string,
  state: StoredConnectorHardware,
  now: string,
): Promise<void> {
  const values = {
    plugged: state.plugged ? 1 : 0,
    faulted: state.faulted ? 1 : 0,
    ev_state: state.ev,
    energy_wh: state.energyWh,
    power_w: state.powerW,
    locked: state.locked ? 1 : 0,
    lock_fail: state.lockFail ? 1 : 0,
    parked: state.parked ? 1 : 0,
    updated_at: now,
  };
  await db
    .insertInto('sim_hardware')
    .values({ station_id: stationId, evse_id: state.evseId, connector_id: state.connectorId, ...values })
    .onConflict((oc) => oc.columns(['station_id', 'evse_id', 'connector_id']).doUpdateSet(values))
    .execute();
}
