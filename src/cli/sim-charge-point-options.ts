/**
 * The options of the ChargePoint a simulated station boots (simulated-station.ts): what the CLI
 * options (docs/cli.md) become for the library, read again at every boot so that a reboot starts
 * with the firmware an UpdateFirmware installed.
 */
import type { InspectionEvent } from 'xstate';
import type { ChargePointCallbacks } from '../callbacks.js';
import type { ChargePointOptions } from '../charge-point-options.js';
import type { LoadedComponent } from '../device-model/index.js';
import { describeError } from '../events/error-catalogue.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import { chargePointCertificateOptions } from './cli-certificate-options.js';
import type { GatedSink } from './gated-sink.js';
import { withInstalledFirmware } from './sim-firmware.js';
import type { SimulatedStationOptions } from './simulated-station-options.js';

/**
 * The ChargePoint options of one boot: the station's EVSEs, store, CSMS, clock, certificates and
 * device model, with `callbacks` (the simulated hardware) and errors reported to `sink`.
 *
 * @example
 * const cp = new ChargePoint(await simChargePointOptions(options, evses, callbacks, sink));
 */
export async function simChargePointOptions(
  options: SimulatedStationOptions,
  evses: readonly EvseStructure[],
  callbacks: ChargePointCallbacks,
  sink: GatedSink,
): Promise<ChargePointOptions> {
  return {
    stationId: options.stationId,
    evses: evses.map((e) => ({ id: e.id, connectors: e.connectors.map((c) => ({ id: c.id })) })),
    database: options.store,
    deviceModel: {
      ...(options.components !== undefined
        ? { components: options.components as LoadedComponent[] }
        : options.configDir === undefined
          ? {}
          : { configDir: options.configDir }),
      // L01: the firmware version installed by an earlier UpdateFirmware (src/cli/sim-firmware.ts).
      overrides: await withInstalledFirmware(options.store.db, options.stationId, options.overrides),
    },
    csmsUrl: options.csmsUrl,
    ...chargePointCertificateOptions(options.certificates),
    clock: options.clock,
    ...(options.firmwareDuringTx ? { firmware: { duringTransaction: options.firmwareDuringTx } } : {}),
    callbacks,
    ...(options.inspect ? { inspect: (event: InspectionEvent) => options.inspect?.next?.(event) } : {}),
    onError: (error) =>
      sink.emit({
        type: 'error',
        message: error instanceof Error ? error.message : String(error),
        fatal: false,
        code: describeError(error).code,
      }),
  };
}
