import { requireTimeZone } from './time.js';
import { SmartChargingInputError, type StationSmartChargingConfig } from './types.js';

function isPositive(value: number | undefined): boolean {
  return value === undefined || (Number.isFinite(value) && value > 0);
}

/**
 * Checks the station configuration used by the composite schedule and returns the time zone to
 * recur in. Throws {@link SmartChargingInputError} naming the first bad field.
 *
 * @example
 * const zone = checkStationConfig(state.station); // 'UTC' unless station.timeZone says otherwise
 */
export function checkStationConfig(station: StationSmartChargingConfig): string {
  if (!(Number.isFinite(station.supplyVoltage) && station.supplyVoltage > 0)) {
    throw new SmartChargingInputError(
      'station.supplyVoltage',
      `must be a positive number of volts, got ${station.supplyVoltage}`,
    );
  }
  if (![1, 2, 3].includes(station.supplyPhases)) {
    throw new SmartChargingInputError(
      'station.supplyPhases',
      `must be 1, 2 or 3, got ${station.supplyPhases}`,
    );
  }
  if (!isPositive(station.maxCurrent))
    throw new SmartChargingInputError('station.maxCurrent', 'must be a positive number of A');
  if (!isPositive(station.maxPower))
    throw new SmartChargingInputError('station.maxPower', 'must be a positive number of W');
  const seen = new Set<number>();
  station.evses.forEach((evse, index) => {
    const where = `station.evses[${index}]`;
    if (!(Number.isInteger(evse.id) && evse.id > 0))
      throw new SmartChargingInputError(`${where}.id`, `must be an integer > 0, got ${evse.id}`);
    if (seen.has(evse.id))
      throw new SmartChargingInputError(`${where}.id`, `EVSE ${evse.id} is listed twice`);
    seen.add(evse.id);
    if (![1, 2, 3].includes(evse.supplyPhases)) {
      throw new SmartChargingInputError(
        `${where}.supplyPhases`,
        `must be 1, 2 or 3, got ${evse.supplyPhases}`,
      );
    }
    if (!isPositive(evse.maxCurrent))
      throw new SmartChargingInputError(`${where}.maxCurrent`, 'must be a positive number of A');
    if (!isPositive(evse.maxPower))
      throw new SmartChargingInputError(`${where}.maxPower`, 'must be a positive number of W');
    if (evse.maxCurrent === undefined && evse.maxPower === undefined) {
      throw new SmartChargingInputError(
        `${where}.maxCurrent`,
        'an EVSE needs a local limit: maxCurrent and/or maxPower',
      );
    }
  });
  return requireTimeZone(station.timeZone, 'station.timeZone');
}
