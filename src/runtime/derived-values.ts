/**
 * Device-model values that are facts of the running station, not configuration: they are derived
 * when read or reported, so they are always true.
 *
 * - ClockCtrlr.DateTime (Part 2 §2.1.24, "the current date and time"): the station clock now.
 * - ChargingStation.Model and ChargingStation.VendorName ("as reported in BootNotification"): what
 *   BootNotification reports, i.e. InternalCtrlr.ChargePointModel/ChargePointVendor (src/runtime/boot-notification.ts).
 * - InternalCtrlr.ChargePointId: the station's identity (SecurityCtrlr.Identity, the stationId).
 */
import type { StationClock } from '../clock.js';
import type { DeviceModel } from '../device-model/index.js';
import { chargingStation } from './boot-notification.js';
import { VARIABLES } from './settings.js';

/**
 * Makes the derived values of `model` follow the station (a component config that lacks one of
 * them simply does not have it).
 *
 * @example
 * deriveStationValues(model, { clock, stationId: 'CS-1' });
 * model.get({ component: 'ClockCtrlr', variable: 'DateTime' }); // '2026-03-29T00:30:00.000Z', now
 */
export function deriveStationValues(
  model: DeviceModel,
  station: { clock: StationClock; stationId: string },
): void {
  model.derive({ component: 'ClockCtrlr', variable: 'DateTime' }, () => station.clock.nowIso());
  model.derive({ component: 'ChargingStation', variable: 'Model' }, () => chargingStation(model).model);
  model.derive(
    { component: 'ChargingStation', variable: 'VendorName' },
    () => chargingStation(model).vendorName,
  );
  model.derive(
    { component: 'InternalCtrlr', variable: 'ChargePointId' },
    () => model.get(VARIABLES.identity) || station.stationId,
  );
}
