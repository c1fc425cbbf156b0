/**
 * The wiring of a ChargePoint's station runtime (src/charge-point.ts): which of the host's
 * ChargePointOptions the StationRuntime gets, next to the store, device model, clock, boot reason
 * and event bus the ChargePoint opened for it. An option the host left out is left out here too,
 * so the runtime applies its own default.
 */
import type { ChargePointOptions } from './charge-point-options.js';
import { certificateStoreOption } from './charge-point-security.js';
import type { StationClock } from './clock.js';
import type { DeviceModel } from './device-model/index.js';
import type { StationEventBus } from './events/event-bus.js';
import type { BootReasonOfStart } from './runtime/boot-reason.js';
import type { StationRuntimeOptions } from './runtime/station-runtime.js';
import type { StationDatabase } from './store/database.js';

/** What the ChargePoint has opened for its runtime before starting it. */
export interface StationRuntimeParts {
  store: StationDatabase;
  deviceModel: DeviceModel;
  clock: StationClock;
  /** The boot reason of this start, and the host's callbacks that forget it once Accepted (B01.FR.09). */
  boot: BootReasonOfStart;
  events: StationEventBus;
}

/**
 * The StationRuntime options of a ChargePoint's start.
 *
 * @example
 * const runtime = new StationRuntime(stationRuntimeOptions(options, { store, deviceModel, clock, boot, events }));
 */
export function stationRuntimeOptions(
  options: ChargePointOptions,
  parts: StationRuntimeParts,
): StationRuntimeOptions {
  return {
    stationId: options.stationId,
    evses: options.evses,
    store: parts.store,
    deviceModel: parts.deviceModel,
    clock: parts.clock,
    callbacks: parts.boot.callbacks,
    bootReason: parts.boot.reason,
    ...(options.tls ? { tls: options.tls } : {}),
    ...certificateStoreOption(options),
    ...(options.inspect ? { inspect: options.inspect } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
    events: parts.events,
    ...(options.smartCharging ? { smartCharging: options.smartCharging } : {}),
    ...(options.bootRetryIntervalS === undefined ? {} : { bootRetryIntervalS: options.bootRetryIntervalS }),
    ...(options.transactionControl ? { transactionControl: options.transactionControl } : {}),
    ...(options.localAuthorization ? { localAuthorization: options.localAuthorization } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.firmware ? { firmware: options.firmware } : {}),
    ...(options.logs ? { logs: options.logs } : {}),
  };
}
