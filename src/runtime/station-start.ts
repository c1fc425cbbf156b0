/**
 * The steps of StationRuntime.start() that need only the station's public parts: what is loaded
 * before the actors are made, the effects the machines are given, and what runs once the root actor
 * does (aligned meter values, resumed sessions). The runtime keeps the order (DESIGN.md: load
 * queue, restore actors, start, a `resumed` event with the time).
 */
import type { RestoredReservations } from '../reservations/restore-reservations.js';
import { loadFirmware, type RestoredFirmware } from '../firmware/firmware-persistence.js';
import { loadLogUpload, type RestoredLogUpload } from '../logging/log-upload-persistence.js';
import { setPendingBootReason } from '../store/station-state.js';
import { AlignedMeterValues } from '../transactions/aligned-meter-values.js';
import type { TxSettings } from '../../machines/transaction-rules.js';
import { resumesAnything } from '../../machines/station-types.js';
import { FIRMWARE_MACHINE_VERSION, LOG_UPLOAD_MACHINE_VERSION } from './machine-versions.js';
import type { AvailabilityStateMirror } from './availability-state.js';
import type { MachineEffects } from './provide-machines.js';
import type { RestoredState } from './restore-state.js';
import { readSettings } from './settings.js';
import { loadStationState, resumeSessions } from './station-restore.js';
import type { StationRuntime } from './station-runtime.js';
import { REAL_TIMERS } from './timers.js';
import type { TransactionEffects } from './transaction-effects.js';
import { transactionMessagesDelivered } from './transaction-messages-delivered.js';
import { resumeTransactionsOnBoot } from './tx-settings.js';

/** What the store holds for a start: the EVSEs, reservations, firmware and log upload. */
export interface StartState {
  restored: RestoredState;
  reservations: RestoredReservations;
  firmware: RestoredFirmware;
  logUpload: RestoredLogUpload;
}

/**
 * Loads the queue and the services' tables, then the actors' stored state, seeding the writers.
 *
 * @example
 * const loaded = await loadForStart(runtime);
 */
export async function loadForStart(runtime: StationRuntime): Promise<StartState> {
  const { options } = runtime;
  await runtime.queue.load();
  await runtime.authorization.load();
  await runtime.userInterface.start();
  await runtime.smartCharging.start();
  await runtime.certificates.start();
  const { restored, reservations } = await loadStationState({
    store: options.store,
    stationId: options.stationId,
    evses: options.evses,
    persistence: runtime.persistence,
    meters: runtime.meters,
    reportError: runtime.onError,
  });
  // The firmware and log upload rows come with the EVSEs' (one actor_snapshot query per start).
  const firmware = await loadFirmware(options.store.db, options.stationId, FIRMWARE_MACHINE_VERSION, runtime.onError, restored.actorSnapshots);
  runtime.persistence.firmwareWrites.seed(firmware.seed);
  const logUpload = await loadLogUpload(options.store.db, options.stationId, LOG_UPLOAD_MACHINE_VERSION, runtime.onError, restored.actorSnapshots);
  runtime.persistence.logUploadWrites.seed(logUpload.seed);
  return { restored, reservations, firmware, logUpload };
}

/** The runtime's private parts the machines' effects reach. */
export interface EffectParts {
  socketHost: MachineEffects['socketHost'];
  availabilityState: MachineEffects['availabilityState'];
  securityEvent: MachineEffects['securityEvent'];
  transactionEffects: TransactionEffects;
  firmware: NonNullable<MachineEffects['firmware']>;
}

/**
 * The effects the station's machines are provided with (src/runtime/provide-machines.ts).
 *
 * @example
 * const effects = stationEffects(runtime, { socketHost, availabilityState, securityEvent, transactionEffects, firmware });
 */
export function stationEffects(runtime: StationRuntime, parts: EffectParts): MachineEffects {
  const { options } = runtime;
  const dm = options.deviceModel;
  const { transactionEffects } = parts;
  return {
    deviceModel: dm,
    clock: options.clock,
    callbacks: options.callbacks,
    queue: runtime.queue,
    socketHost: parts.socketHost,
    availabilityState: parts.availabilityState,
    securityEvent: parts.securityEvent,
    reportError: runtime.onError,
    random: options.random ?? Math.random,
    timers: options.timers ?? REAL_TIMERS,
    timeZone: () => dm.get({ component: 'ClockCtrlr', variable: 'TimeZone' }) || undefined,
    transactionEvent: (params) => transactionEffects.transactionEvent(params),
    transactionEffect: (params) => transactionEffects.transactionEffect(params),
    flushed: () => runtime.persistence.flushed(),
    messagesPending: () => runtime.persistence.messagesPending(),
    // M06: the OCSP refresh waits for BootNotification Accepted, then runs at once.
    registrationChanged: (status) => runtime.certificates.registrationChanged(status),
    beforeReset: () =>
      transactionMessagesDelivered({
        persistence: runtime.persistence,
        queue: runtime.queue,
        messageTimeoutS: () => readSettings(dm).messageTimeoutS,
        canWait: () => runtime.connected && !runtime.isStopped,
      }),
    recordBootReason: (reason) =>
      setPendingBootReason(options.store.db, options.stationId, reason, options.clock.nowIso()),
    firmware: parts.firmware,
    logUpload: runtime.logUpload.effects(),
  };
}

/**
 * Starts the clock-aligned meter values (AlignedDataCtrlr), once the root actor runs.
 *
 * @example
 * this.alignedMeterValues = startAlignedMeterValues(runtime);
 */
export function startAlignedMeterValues(runtime: StationRuntime): AlignedMeterValues {
  const { options } = runtime;
  const aligned = new AlignedMeterValues({
    deviceModel: options.deviceModel,
    meters: runtime.meters,
    clock: options.clock,
    timers: options.timers ?? REAL_TIMERS,
    evseIds: options.evses.map((e) => e.id),
    hasActiveTransaction: (evseId) => runtime.hasActiveTransaction(evseId),
    send: (request) => runtime.queue.send('MeterValues', request),
    reportError: runtime.onError,
  });
  aligned.start();
  return aligned;
}

/**
 * Restored sessions learn that the station started again (src/runtime/station-restore.ts).
 *
 * @example
 * resumeOnStart(runtime, txSettings);
 */
export function resumeOnStart(runtime: StationRuntime, txSettings: Record<string, TxSettings>): void {
  const { options } = runtime;
  resumeSessions(
    {
      clock: options.clock,
      send: (event) => runtime.send(event),
      openSessions: () => runtime.openSessions(),
      smartCharging: runtime.smartCharging,
      reportError: runtime.onError,
      resumesAnything: resumesAnything(runtime.station.getSnapshot().context),
    },
    resumeTransactionsOnBoot(options.deviceModel),
    txSettings,
  );
}

/**
 * Tells the AvailabilityState mirror every connector's status once the actors run. A connector
 * restored from its snapshot enters no state, so its `statusChanged` entry action does not run and
 * the mirror would not know it: the EVSE and station values would be aggregated from the connectors
 * that changed since the start only, and an EVSE stored Inoperative in a database written before
 * the shipped EVSE value became `Available` would keep reading `Available` (config/PROVENANCE.md).
 * The mirror stores only values that differ from the device model's, in the turn's one write.
 *
 * @example
 * this.actor.start();
 * mirrorConnectorStatuses(this, this.availabilityState);
 */
export function mirrorConnectorStatuses(runtime: StationRuntime, mirror: AvailabilityStateMirror): void {
  for (const evse of runtime.options.evses) {
    for (const connector of evse.connectors) {
      const status = runtime.connectorStatus(evse.id, connector.id);
      if (status !== undefined) mirror.connectorStatus(evse.id, connector.id, status);
    }
  }
}
