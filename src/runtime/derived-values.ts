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
import type { DerivationList } from '../device-model/model-index.js';
import { chargingStation } from './boot-notification.js';
import { VARIABLES } from './settings.js';

/** What the station's derived values are computed from (one small object per station). */
interface DerivedContext {
  readonly model: DeviceModel;
  readonly clock: StationClock;
  readonly stationId: string;
}

/**
 * The derivations, shared by every station (no closure per station: issue 9); the device model
 * resolves their slots once per shape.
 */
const STATION_VALUES: DerivationList<DerivedContext> = [
  [{ component: 'ClockCtrlr', variable: 'DateTime' }, (s) => s.clock.nowIso()],
  [{ component: 'ChargingStation', variable: 'Model' }, (s) => chargingStation(s.model).model],
  [{ component: 'ChargingStation', variable: 'VendorName' }, (s) => chargingStation(s.model).vendorName],
  [{ component: 'InternalCtrlr', variable: 'ChargePointId' }, (s) => s.model.get(VARIABLES.identity) || s.stationId],
];

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
  const context: DerivedContext = { model, clock: station.clock, stationId: station.stationId };
  model.deriveAll(STATION_VALUES, context);
}
