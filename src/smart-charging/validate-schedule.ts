import type {
  ChargingProfileType,
  ChargingSchedulePeriodType,
  ChargingScheduleType,
} from '../generated/ocpp-types.js';
import { reject, type ProfileRejection } from './profile-rejection.js';
import { parseInstant } from './time.js';
import type { EvseSmartChargingInfo, StationSmartChargingConfig } from './types.js';

/** Whether a number has at most one digit fraction (tolerant of binary floating point). */
function hasAtMostOneDecimal(value: number): boolean {
  return Math.abs(value * 10 - Math.round(value * 10)) < 1e-6;
}

/** The EVSEs a profile set on `evseId` acts on: that EVSE, or all of them for EVSE 0. */
function targetEvses(station: StationSmartChargingConfig, evseId: number): readonly EvseSmartChargingInfo[] {
  return evseId === 0 ? station.evses : station.evses.filter((evse) => evse.id === evseId);
}

/** K01.FR.46/48: an AC EVSE uses phaseToUse if it can switch phases or is wired to that phase anyway. */
function canUsePhase(evse: EvseSmartChargingInfo, phase: number): boolean {
  return evse.phaseSwitchingSupported === true || evse.connectedPhase === phase;
}

function checkPhases(
  period: ChargingSchedulePeriodType,
  where: string,
  station: StationSmartChargingConfig,
  evseId: number,
): ProfileRejection | undefined {
  const { numberPhases, phaseToUse } = period;
  if (numberPhases === undefined && phaseToUse === undefined) return undefined;
  if (
    numberPhases !== undefined &&
    !(Number.isInteger(numberPhases) && numberPhases >= 1 && numberPhases <= 3)
  ) {
    return reject(
      'InvalidSchedule',
      'ChargingSchedulePeriodType.numberPhases',
      `${where}.numberPhases ${numberPhases} is not 1, 2 or 3`,
    );
  }
  if (phaseToUse !== undefined && !(Number.isInteger(phaseToUse) && phaseToUse >= 1 && phaseToUse <= 3)) {
    return reject(
      'InvalidSchedule',
      'ChargingSchedulePeriodType.phaseToUse',
      `${where}.phaseToUse ${phaseToUse} is not 1, 2 or 3`,
    );
  }
  const targets = targetEvses(station, evseId);
  const ac = targets.filter((evse) => evse.currentType === 'AC');
  // K01.FR.44: a DC EVSE MAY accept and ignore phase values; we reject them so the CSMS learns they
  // have no effect. For EVSE 0 they are refused only when no EVSE is AC (they act on the AC ones).
  if (ac.length === 0) {
    return reject(
      'InvalidSchedule',
      'K01.FR.44',
      `${where} sets numberPhases/phaseToUse but ${evseId === 0 ? 'every EVSE' : `EVSE ${evseId}`} is DC`,
    );
  }
  if (phaseToUse !== undefined) {
    // K01.FR.19 (and K01.FR.49: an absent numberPhases means 3).
    if (numberPhases !== 1) {
      return reject(
        'InvalidSchedule',
        'K01.FR.19',
        `${where}.phaseToUse is set but numberPhases is ${numberPhases ?? 'absent (3)'}, not 1`,
      );
    }
    const unable = ac.find((evse) => !canUsePhase(evse, phaseToUse));
    if (unable !== undefined) {
      return reject(
        'InvalidSchedule',
        'K01.FR.48',
        `${where}.phaseToUse ${phaseToUse}: EVSE ${unable.id} cannot switch phases (ACPhaseSwitchingSupported is not true) and does not use phase ${phaseToUse}`,
      );
    }
  }
  if (numberPhases !== undefined) {
    // For EVSE 0 the grid connection's phases decide; per EVSE the composite never exceeds its wiring.
    const supplies = evseId === 0 ? [station.supplyPhases] : ac.map((evse) => evse.supplyPhases);
    for (const supply of supplies) {
      const subject = evseId === 0 ? 'the Charging Station' : `EVSE ${evseId}`;
      // K01.FR.45 allows accepting and using fewer phases instead; we reject so the CSMS knows.
      if (numberPhases > supply) {
        return reject(
          'InvalidSchedule',
          'K01.FR.45',
          `${where}.numberPhases ${numberPhases} exceeds the ${supply} phase(s) of ${subject}`,
        );
      }
      if (numberPhases < supply && !(numberPhases === 1 && station.phases3to1Supported === true)) {
        return reject(
          'InvalidSchedule',
          'K01.FR.43',
          `${where}.numberPhases ${numberPhases}: ${subject} has ${supply} phases and cannot ensure that fewer are used (Phases3to1 is not supported)`,
        );
      }
    }
  }
  return undefined;
}

function checkPeriods(
  schedule: ChargingScheduleType,
  where: string,
  station: StationSmartChargingConfig,
  evseId: number,
): ProfileRejection | undefined {
  const periods = schedule.chargingSchedulePeriod;
  for (let index = 0; index < periods.length; index += 1) {
    const period = periods[index] as ChargingSchedulePeriodType;
    const at = `${where}.chargingSchedulePeriod[${index}]`;
    if (index === 0 && period.startPeriod !== 0) {
      return reject(
        'InvalidSchedule',
        'K01.FR.31',
        `${at}.startPeriod is ${period.startPeriod}; the first period must start at 0`,
      );
    }
    const previous = periods[index - 1];
    if (previous !== undefined && !(period.startPeriod > previous.startPeriod)) {
      return reject(
        'InvalidSchedule',
        'K01.FR.35',
        `${at}.startPeriod ${period.startPeriod} does not come after ${previous.startPeriod}`,
      );
    }
    if (!Number.isInteger(period.startPeriod)) {
      return reject(
        'InvalidSchedule',
        'ChargingSchedulePeriodType.startPeriod',
        `${at}.startPeriod ${period.startPeriod} is not a whole number of seconds`,
      );
    }
    if (!(Number.isFinite(period.limit) && period.limit >= 0)) {
      return reject(
        'InvalidSchedule',
        'ChargingSchedulePeriodType.limit',
        `${at}.limit ${period.limit} is negative`,
      );
    }
    if (!hasAtMostOneDecimal(period.limit)) {
      return reject(
        'InvalidSchedule',
        'ChargingSchedulePeriodType.limit',
        `${at}.limit ${period.limit} has more than one digit fraction`,
      );
    }
    const phases = checkPhases(period, at, station, evseId);
    if (phases !== undefined) return phases;
  }
  return undefined;
}

/**
 * Checks every chargingSchedule of a profile set on `evseId` against the spec and the station's
 * configuration; the first problem found is returned, naming the field.
 *
 * @example
 * const problem = checkChargingSchedules(profile, station, 1); // undefined when all is well
 */
export function checkChargingSchedules(
  profile: ChargingProfileType,
  station: StationSmartChargingConfig,
  evseId: number,
): ProfileRejection | undefined {
  for (let index = 0; index < profile.chargingSchedule.length; index += 1) {
    const schedule = profile.chargingSchedule[index] as ChargingScheduleType;
    const where = `chargingSchedule[${index}]`;
    if (!station.supportedRateUnits.includes(schedule.chargingRateUnit)) {
      return reject(
        'UnsupportedRateUnit',
        'K01.FR.26',
        `${where}.chargingRateUnit ${schedule.chargingRateUnit} is not in ChargingScheduleChargingRateUnit (${station.supportedRateUnits.join(',')})`,
      );
    }
    if (schedule.chargingSchedulePeriod.length === 0) {
      return reject(
        'InvalidSchedule',
        'ChargingScheduleType.chargingSchedulePeriod',
        `${where} has no chargingSchedulePeriod`,
      );
    }
    if (
      station.periodsPerSchedule !== undefined &&
      schedule.chargingSchedulePeriod.length > station.periodsPerSchedule
    ) {
      return reject(
        'TooManyElements',
        'SmartChargingCtrlr.PeriodsPerSchedule',
        `${where} has ${schedule.chargingSchedulePeriod.length} periods; at most ${station.periodsPerSchedule} are supported`,
      );
    }
    const kind = profile.chargingProfileKind;
    if ((kind === 'Absolute' || kind === 'Recurring') && schedule.startSchedule === undefined) {
      return reject(
        'InvalidSchedule',
        'K01.FR.40',
        `${where}.startSchedule is required for a ${kind} profile`,
      );
    }
    if (kind === 'Relative' && schedule.startSchedule !== undefined) {
      return reject(
        'InvalidSchedule',
        'K01.FR.41',
        `${where}.startSchedule must be absent for a Relative profile`,
      );
    }
    if (schedule.startSchedule !== undefined && parseInstant(schedule.startSchedule) === undefined) {
      return reject(
        'InvalidSchedule',
        'ChargingScheduleType.startSchedule',
        `${where}.startSchedule "${schedule.startSchedule}" is not an RFC 3339 date-time`,
      );
    }
    if (schedule.duration !== undefined && !(Number.isInteger(schedule.duration) && schedule.duration >= 0)) {
      return reject(
        'InvalidSchedule',
        'ChargingScheduleType.duration',
        `${where}.duration ${schedule.duration} is not a whole number of seconds >= 0`,
      );
    }
    if (
      schedule.minChargingRate !== undefined &&
      !(Number.isFinite(schedule.minChargingRate) && schedule.minChargingRate >= 0)
    ) {
      return reject(
        'InvalidSchedule',
        'ChargingScheduleType.minChargingRate',
        `${where}.minChargingRate ${schedule.minChargingRate} is negative`,
      );
    }
    const periods = checkPeriods(schedule, where, station, evseId);
    if (periods !== undefined) return periods;
  }
  return undefined;
}
