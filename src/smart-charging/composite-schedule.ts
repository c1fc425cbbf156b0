import type {
  ChargingRateUnitEnumType,
  ChargingSchedulePeriodType,
  CompositeScheduleType,
} from '../generated/ocpp-types.js';
import { compositeTimeline, type LimitSource, type TimelinePeriod } from './composite-timeline.js';
import { checkStationConfig } from './station-config.js';
import { formatInstant, requireInstant } from './time.js';
import { SmartChargingInputError, type SmartChargingState } from './types.js';
import { floorToTenth, roundToTenth } from './unit-conversion.js';

/** What {@link compositeSchedule} computes: the station's state plus the GetCompositeSchedule question. */
export interface CompositeScheduleInput extends SmartChargingState {
  /** EVSE to compute for; 0 = the grid connection of the whole station (K08.FR.03). */
  evseId: number;
  /** Start of the schedule ("now", K08.FR.02), RFC 3339; floored to whole seconds. */
  startTime: string;
  /** Length of the schedule in seconds (integer >= 0). */
  duration: number;
  /** Unit to report in; profiles in the other unit are converted (docs/smart-charging.md). */
  chargingRateUnit: ChargingRateUnitEnumType;
}

/** A composite period with what the host needs to apply it and to explain it. */
export interface CompositePeriodDetail {
  /** Seconds from scheduleStart. */
  startPeriod: number;
  /** Limit in the requested unit, rounded down to one decimal. */
  limit: number;
  numberPhases?: number;
  phaseToUse?: number;
  /** minChargingRate of the leading TxProfile / TxDefaultProfile schedule, in the requested unit (K01.FR.21). */
  minChargingRate?: number;
  /** Which purpose (or the local limit, or for EVSE 0 the sum of the EVSEs) set the limit. */
  source: LimitSource;
  profileId?: number;
}

/** The composite schedule and, period by period, where its limits come from. */
export interface CompositeScheduleDetails {
  schedule: CompositeScheduleType;
  periods: CompositePeriodDetail[];
}

function sameSchedulePeriod(a: ChargingSchedulePeriodType, b: ChargingSchedulePeriodType): boolean {
  return a.limit === b.limit && a.numberPhases === b.numberPhases && a.phaseToUse === b.phaseToUse;
}

function sameDetail(a: CompositePeriodDetail, b: CompositePeriodDetail): boolean {
  return (
    sameSchedulePeriod(a, b) &&
    a.minChargingRate === b.minChargingRate &&
    a.source === b.source &&
    a.profileId === b.profileId
  );
}

function mergeEqual<T>(periods: T[], same: (a: T, b: T) => boolean): T[] {
  const merged: T[] = [];
  for (const period of periods) {
    const last = merged[merged.length - 1];
    if (last === undefined || !same(last, period)) merged.push(period);
  }
  return merged;
}

function toDetail(period: TimelinePeriod, scheduleStart: number): CompositePeriodDetail {
  const detail: CompositePeriodDetail = {
    startPeriod: period.from - scheduleStart,
    limit: floorToTenth(period.limit),
    source: period.source,
  };
  if (period.numberPhases !== undefined) detail.numberPhases = period.numberPhases;
  if (period.phaseToUse !== undefined) detail.phaseToUse = period.phaseToUse;
  if (period.minChargingRate !== undefined) detail.minChargingRate = roundToTenth(period.minChargingRate);
  if (period.profileId !== undefined) detail.profileId = period.profileId;
  return detail;
}

function toSchedulePeriod(detail: CompositePeriodDetail): ChargingSchedulePeriodType {
  const period: ChargingSchedulePeriodType = { startPeriod: detail.startPeriod, limit: detail.limit };
  if (detail.numberPhases !== undefined) period.numberPhases = detail.numberPhases;
  if (detail.phaseToUse !== undefined) period.phaseToUse = detail.phaseToUse;
  return period;
}

/**
 * {@link compositeSchedule} with, for every period, its source profile and minChargingRate: what
 * the host applies to its hardware and shows when debugging. Periods are merged only when all of
 * these are equal, so `periods` can be finer than `schedule.chargingSchedulePeriod`.
 *
 * @example
 * const { schedule, periods } = compositeScheduleDetails({ ...state, evseId: 1, startTime: now, duration: 3600, chargingRateUnit: 'A' });
 * periods[0]?.source; // e.g. 'TxProfile'
 */
export function compositeScheduleDetails(input: CompositeScheduleInput): CompositeScheduleDetails {
  const timeZone = checkStationConfig(input.station);
  if (!(
    Number.isInteger(input.evseId) &&
    (input.evseId === 0 || input.station.evses.some((e) => e.id === input.evseId))
  )) {
    throw new SmartChargingInputError('evseId', `${input.evseId} is not 0 nor an EVSE of this station`);
  }
  if (!(Number.isInteger(input.duration) && input.duration >= 0)) {
    throw new SmartChargingInputError(
      'duration',
      `must be a whole number of seconds >= 0, got ${input.duration}`,
    );
  }
  if (input.chargingRateUnit !== 'A' && input.chargingRateUnit !== 'W') {
    throw new SmartChargingInputError(
      'chargingRateUnit',
      `must be A or W, got ${String(input.chargingRateUnit)}`,
    );
  }
  const scheduleStart = requireInstant(input.startTime, 'startTime');
  // A zero-length schedule still needs one period (minItems 1): the limit at its start.
  const windowEnd = scheduleStart + Math.max(input.duration, 1);
  const timeline = compositeTimeline(input, input.evseId, {
    windowStart: scheduleStart,
    windowEnd,
    unit: input.chargingRateUnit,
    timeZone,
  });
  const periods = mergeEqual(
    timeline.map((period) => toDetail(period, scheduleStart)),
    sameDetail,
  );
  const schedulePeriods = mergeEqual(periods.map(toSchedulePeriod), sameSchedulePeriod);
  const [first, ...rest] = schedulePeriods;
  if (first === undefined) throw new Error('composite time line is empty'); // unreachable: the window is never empty
  return {
    schedule: {
      evseId: input.evseId,
      duration: input.duration,
      scheduleStart: formatInstant(scheduleStart),
      chargingRateUnit: input.chargingRateUnit,
      chargingSchedulePeriod: [first, ...rest],
    },
    periods,
  };
}

/**
 * The composite schedule of an EVSE, or of the whole station for evseId 0 (K08): for every moment
 * of [startTime, startTime + duration) the lowest of the leading TxProfile (else TxDefaultProfile),
 * ChargingStationExternalConstraints and ChargingStationMaxProfile limits and the local limit,
 * converted to the requested unit, rounded down to one decimal, equal neighbours merged.
 * startPeriod counts seconds from scheduleStart (= startTime floored to the second).
 * docs/smart-charging.md gives every rule and the requirement it follows.
 *
 * Throws {@link SmartChargingInputError} for an unknown EVSE, a bad duration or configuration.
 *
 * @example
 * const schedule = compositeSchedule({
 *   station, profiles, transactions,
 *   evseId: 1, startTime: '2024-01-01T08:00:00Z', duration: 3600, chargingRateUnit: 'A',
 * });
 * schedule.chargingSchedulePeriod; // [{ startPeriod: 0, limit: 16, numberPhases: 3 }, ...]
 */
export function compositeSchedule(input: CompositeScheduleInput): CompositeScheduleType {
  return compositeScheduleDetails(input).schedule;
}
