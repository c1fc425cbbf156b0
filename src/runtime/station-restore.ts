/**
 * The station's state across a restart: at start, what the store holds of the EVSEs (snapshots,
 * rebuilt sessions, availability, meter values) and of the reservations is loaded and seeded into
 * the writers; once the root actor runs, the restored sessions resume.
 */
import type { StationEvent } from '../../machines/station.js';
import type { TransactionContext, TxSettings } from '../../machines/transaction-rules.js';
import type { StationClock } from '../clock.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import { loadReservations, type RestoredReservations } from '../reservations/restore-reservations.js';
import type { StationSmartCharging } from '../smart-charging/station-smart-charging.js';
import type { StationDatabase } from '../store/database.js';
import type { StationMeters } from '../transactions/station-meters.js';
import { loadRestoredState, type RestoredState } from './restore-state.js';
import { availabilitySeed } from './availability-rows.js';
import { EVSE_MACHINE_VERSION, RESERVATION_MACHINE_VERSION } from './machine-versions.js';
import type { StationPersistence } from './station-persistence.js';

/** Where the stored state is read from and what is seeded with it. */
export interface StationStateTargets {
  store: StationDatabase;
  stationId: string;
  evses: readonly EvseStructure[];
  persistence: Pick<StationPersistence, 'seed' | 'reservationWrites'>;
  meters: Pick<StationMeters, 'restore'>;
  reportError(error: unknown): void;
}

/**
 * Loads the EVSEs' and reservations' stored state; the writers learn what the store holds (so the
 * first write does not rewrite it), the meters the values recorded for open transactions.
 *
 * @example
 * const { restored, reservations } = await loadStationState({ store, stationId, evses, persistence, meters, reportError });
 */
export async function loadStationState(
  targets: StationStateTargets,
): Promise<{ restored: RestoredState; reservations: RestoredReservations }> {
  const { store, stationId, persistence } = targets;
  const restored = await loadRestoredState(store.db, stationId, targets.evses, EVSE_MACHINE_VERSION, (e) =>
    targets.reportError(e),
  );
  persistence.seed({
    snapshots: restored.seed.snapshots,
    transactions: restored.seed.transactions,
    availability: availabilitySeed(restored.availability),
  });
  for (const [transactionId, values] of restored.meterValues) targets.meters.restore(transactionId, values);
  const reservations = await loadReservations(
    store.db,
    stationId,
    RESERVATION_MACHINE_VERSION,
    (e) => targets.reportError(e),
    restored.actorSnapshots,
  );
  persistence.reservationWrites.seed(reservations.seed);
  return { restored, reservations };
}

/** What resuming the sessions tells. */
export interface ResumePorts {
  clock: Pick<StationClock, 'nowIso'>;
  /** Sends an event to the root actor. */
  send(event: StationEvent): void;
  /** Every open session, EVSE by EVSE (read after the `resumed` event). */
  openSessions(): TransactionContext[];
  smartCharging: Pick<StationSmartCharging, 'transactionStarted'>;
  reportError(error: unknown): void;
  /**
   * Something was restored that `resumed` concerns (machines/station-types.ts `resumesAnything`);
   * when false the event is not sent (issue 9: a fresh station has nothing to resume).
   */
  resumesAnything?: boolean;
}

/**
 * Restored sessions learn that the station started again (and with which settings); restored
 * connectors report their status to the new connection (B01.FR.05). Running transactions are
 * smart charging's again.
 *
 * @example
 * resumeSessions({ clock, send, openSessions, smartCharging, reportError }, resumeTransactionsOnBoot(dm), txSettings);
 */
export function resumeSessions(
  ports: ResumePorts,
  resumeTransactions: boolean,
  settings: Record<string, TxSettings>,
): void {
  if (ports.resumesAnything !== false) {
    ports.send({ type: 'resumed', at: ports.clock.nowIso(), resumeTransactions, settings });
  }
  for (const session of ports.openSessions()) {
    if (session.started && !session.ended) {
      try {
        ports.smartCharging.transactionStarted({
          evseId: session.evseId,
          transactionId: session.transactionId,
          startTime: session.startedAt ?? ports.clock.nowIso(),
        });
      } catch (error) {
        ports.reportError(error);
      }
    }
  }
}
