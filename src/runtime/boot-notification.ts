/**
 * The BootNotificationRequest (B01.FR.01/09): the reason of this boot and what the device model
 * knows about the station (InternalCtrlr vendor, model, serial number, firmware, modem).
 */
import type {
  BootNotificationRequest,
  BootReasonEnumType,
  ChargingStationType,
} from '../generated/ocpp-types.js';
import type { DeviceModelPort } from './ports.js';
import { VARIABLES } from './settings.js';

/**
 * Builds the request; optional fields the device model leaves empty are omitted (Part 4 §4.1.5).
 *
 * @example
 * bootNotificationRequest(deviceModel, 'PowerUp'); // { reason: 'PowerUp', chargingStation: { model, vendorName, ... } }
 */
export function bootNotificationRequest(
  dm: Pick<DeviceModelPort, 'get'>,
  reason: BootReasonEnumType,
): BootNotificationRequest {
  return { reason, chargingStation: chargingStation(dm) };
}

/**
 * What every BootNotification says about the station (ChargingStationType); the device model's
 * ChargingStation.Model and VendorName are derived from it, so both always agree.
 *
 * @example
 * chargingStation(deviceModel); // { model: 'EVerestModel', vendorName: 'EVerestVendor', serialNumber: '012345678', ... }
 */
export function chargingStation(dm: Pick<DeviceModelPort, 'get'>): ChargingStationType {
  const optional = (key: string, value: string | undefined) => (value ? { [key]: value } : {});
  const iccid = dm.get(VARIABLES.iccid);
  const imsi = dm.get(VARIABLES.imsi);
  return {
    model: dm.get(VARIABLES.chargePointModel) || 'ocpp-station',
    vendorName: dm.get(VARIABLES.chargePointVendor) || 'ocpp-station',
    ...optional('serialNumber', dm.get(VARIABLES.chargeBoxSerialNumber)),
    ...optional('firmwareVersion', dm.get(VARIABLES.firmwareVersion)),
    ...(iccid || imsi ? { modem: { ...optional('iccid', iccid), ...optional('imsi', imsi) } } : {}),
  };
}
