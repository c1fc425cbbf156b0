/**
 * The public vocabulary of the simulated hardware (simulated-hardware.ts): a connector's hardware
 * as seen now, the error of an impossible hardware action, and the options it is loaded with.
 */
import type { Kysely } from 'kysely';
import type { EvseStructure } from '../handlers/handler-context.js';
import type { Database } from '../store/schema.js';
import type { StoredConnectorHardware } from './sim-hardware-store.js';

/** One connector's hardware as seen now (energy includes what was counted since the last write). */
export type ConnectorHardware = Readonly<StoredConnectorHardware> & {
  /** Energy flows now. */
  readonly flowing: boolean;
  /** The cable is permanently attached (Connector.ConnectorType c...). */
  readonly fixedCable: boolean;
};

/**
 * A hardware action that cannot happen (no such connector, no cable, already plugged, locked, ...).
 *
 * @example
 * await hardware.unplug(1, 1).catch((error) => {
 *   if (error instanceof HardwareError) console.error(error.message); // EVSE 1 connector 1: no cable is plugged in
 * });
 */
export class HardwareError extends Error {
  override readonly name = 'HardwareError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_SIM_HARDWARE';
}

/** What SimulatedHardware.load takes: where it is stored, the EVSEs, and its clocks. */
export interface SimulatedHardwareOptions {
  db: Kysely<Database>;
  stationId: string;
  evses: readonly EvseStructure[];
  /** Station time for `updated_at`. */
  nowIso: () => string;
  /** Monotonic milliseconds for the meter (default: performance.now). */
  monotonicMs?: () => number;
  /** Is this connector's cable permanently attached? Default: a socket with a detachable cable. */
  fixedCable?: (evseId: number, connectorId: number) => boolean;
}
