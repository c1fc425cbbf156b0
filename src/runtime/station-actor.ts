/**
 * The root actor of a start: its input (each EVSE with its restored snapshot or rebuilt sessions,
 * its availability and transaction settings; the reservations to resume; the boot and connection
 * settings read from the device model), and the actor itself, whose changes are persisted.
 */
import { createActor, type InspectionEvent, type Observer } from 'xstate';
import type { StationInput } from '../../machines/station.js';
import type { StationReservationInput } from '../../machines/station-reservations.js';
import type { TxSettings } from '../../machines/transaction-rules.js';
import type { BootReasonEnumType } from '../generated/ocpp-types.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import { readConnectorTypes } from '../reservations/reservation-port.js';
import { operativeAt } from '../store/availability.js';
import type { DeviceModelPort } from './ports.js';
import { providedStationMachine, type MachineEffects } from './provide-machines.js';
import { createWithEffects } from './system-effects.js';
import type { RestoredState } from './restore-state.js';
import type { RuntimeSettings } from './settings.js';
import type { StationPersistence } from './station-persistence.js';
import { namedBySystemId } from './inspection-names.js';
import { compactInspected } from './actor-compaction.js';

/** What the input is made of. */
export interface StationInputSources {
  deviceModel: DeviceModelPort;
  evses: readonly EvseStructure[];
  /** The EVSEs' snapshots, sessions and availability loaded from the store. */
  restored: Pick<RestoredState, 'evses' | 'availability'>;
  reservations: StationReservationInput[];
  /** Transaction settings of every EVSE, by EVSE id. */
  txSettings: Record<string, TxSettings>;
  settings: Pick<
    RuntimeSettings,
    | 'offlineThresholdS'
    | 'heartbeatIntervalS'
    | 'networkProfileConnectionAttempts'
    | 'retryBackOffRepeatTimes'
  >;
  /** Configuration slots in NetworkConfigurationPriority order. */
  priority: number[];
  bootReason: BootReasonEnumType;
  bootRetryIntervalS?: number;
  /** The firmware actor's input (its snapshot to resume). */
  firmware?: StationInput['firmware'];
  /** The log upload actor's input (its snapshot to resume). */
  logUpload?: StationInput['logUpload'];
}

/**
 * @example
 * createActor(machine, { input: stationInput({ deviceModel, evses, restored, reservations, txSettings, settings, priority, bootReason }) });
 */
export function stationInput(sources: StationInputSources): StationInput {
  const { restored, evses } = sources;
  const availability = restored.availability;
  return {
    evses: evses.map((evse) => {
      const state = restored.evses.get(evse.id);
      return {
        evseId: evse.id,
        connectorIds: evse.connectors.map((c) => c.id),
        evseOperative: operativeAt(availability, evse.id, 0),
        connectorOperative: Object.fromEntries(
          evse.connectors.map((c) => [String(c.id), operativeAt(availability, evse.id, c.id)]),
        ),
        txSettings: sources.txSettings[String(evse.id)] as TxSettings,
        ...(state?.restore !== undefined ? { restore: state.restore } : {}),
        ...(state?.sessions && state.sessions.length > 0 ? { sessions: state.sessions } : {}),
      };
    }),
    activeEvses: evses.filter((e) => restored.evses.get(e.id)?.transactionActive).map((e) => e.id),
    connectorTypes: readConnectorTypes(sources.deviceModel, evses),
    reservations: sources.reservations,
    ...(sources.firmware ? { firmware: sources.firmware } : {}),
    ...(sources.logUpload ? { logUpload: sources.logUpload } : {}),
    stationOperative: operativeAt(availability, 0, 0),
    offlineThresholdS: sources.settings.offlineThresholdS,
    boot: {
      reason: sources.bootReason,
      heartbeatIntervalS: sources.settings.heartbeatIntervalS,
      defaultRetryIntervalS: sources.bootRetryIntervalS ?? 30,
    },
    connection: {
      priority: sources.priority,
      attemptsPerSlot: sources.settings.networkProfileConnectionAttempts,
      backOffRepeatTimes: sources.settings.retryBackOffRepeatTimes,
    },
  };
}

/** Who hears of the root actor's changes and failures. */
export interface StationActorObservers {
  persistence: Pick<StationPersistence, 'actorChanged'>;
  /** The host's observer of every actor (StationRuntimeOptions.inspect). */
  inspect?: ((event: InspectionEvent) => void) | Observer<InspectionEvent> | undefined;
  /** The public events derived from the actors (src/events/actor-events.ts). */
  derive?: ((event: InspectionEvent) => void) | undefined;
  reportError(error: unknown): void;
}

/**
 * The root actor, not started yet: the process's provided station machine, with `effects` bound to
 * its actor system (every implementation finds them there, src/runtime/system-effects.ts).
 *
 * @example
 * const actor = createStationActor(effects, stationInput(sources), { persistence, reportError });
 * actor.start();
 */
export function createStationActor(
  effects: MachineEffects,
  input: StationInput,
  observers: StationActorObservers,
) {
  return createWithEffects(effects, () => rootActor(input, observers));
}

function rootActor(input: StationInput, observers: StationActorObservers) {
  const actor = createActor(providedStationMachine(), {
    input,
    // The root's readable name in the actor system and the Stately inspector (children: connection, boot, evse:1, ...).
    systemId: 'station',
    inspect: (event: InspectionEvent) => {
      // Each actor's per-instance options, empty listener collections and empty snapshot tags
      // are made shared or lazy as they appear (issue 9: ~1 KB per actor of an idle fleet station).
      compactInspected(event);
      // Every change of an EVSE, connector or session (or the station's own availability) is
      // written after the run of transitions that made it (src/runtime/station-persistence.ts).
      if (event.type === '@xstate.snapshot') {
        observers.persistence.actorChanged(
          (event.actorRef as { systemId?: string }).systemId,
          event.snapshot,
          event.actorRef.sessionId === event.rootId,
          event.event.type,
        );
        // Public events are derived from snapshots only; the other inspection events (about 4 per
        // snapshot: events, microsteps, actions) go to the host's inspector alone (issue 9).
        observers.derive?.(event);
      }
      const inspect = observers.inspect;
      if (inspect === undefined) return;
      // Sessions and reservations have slot child ids (issue 9): the host sees their systemIds.
      if (typeof inspect === 'function') inspect(namedBySystemId(event));
      else inspect.next?.(namedBySystemId(event));
    },
  });
  // One bad event never takes the station down: actor errors are reported, not thrown.
  actor.subscribe({ error: (error) => observers.reportError(error) });
  return actor;
}
