/**
 * External charging limits (K11–K14): a limit or schedule an external system (EMS, DSO, ...) imposes
 * on the station or one EVSE, reported by the host. It is installed as a
 * ChargingStationExternalConstraints profile (K11.FR.06/K12.FR.05) and told to the CSMS with
 * NotifyChargingLimitRequest when it changed significantly (K11.FR.02, SC.03).
 */
import type {
  ChargingLimitSourceEnumType,
  ChargingProfileType,
  ChargingRateUnitEnumType,
  ChargingScheduleType,
  NotifyChargingLimitRequest,
} from '../generated/ocpp-types.js';

/** Who imposes an external limit: never the CSO (K11.FR.05, K12.FR.04). */
export type ExternalLimitSource = Exclude<ChargingLimitSourceEnumType, 'CSO'>;

const SOURCES: readonly ExternalLimitSource[] = ['EMS', 'SO', 'Other'];

/** A limit reported by the host: either a constant `limit` + `unit`, or a full `schedule`. */
export interface ExternalLimit {
  /** 0 = the grid connection of the whole station (K12), > 0 = one EVSE (K11). */
  evseId: number;
  /** The external system; default EMS. */
  source?: ExternalLimitSource;
  /** A constant limit from now on (with `unit`). */
  limit?: number;
  unit?: ChargingRateUnitEnumType;
  /** Phases the constant limit allows (AC); absent = 3 (K01.FR.49). */
  numberPhases?: number;
  /** A schedule instead of a constant limit; without startSchedule it starts now. */
  schedule?: ChargingScheduleType;
  /** ChargingLimitType.isGridCritical of the NotifyChargingLimitRequest. */
  isGridCritical?: boolean;
}

/**
 * The profile id of the external limit of `source` on `evseId`: negative, as K11.FR.06 recommends,
 * and fixed per (EVSE, source), so a new limit from the same system replaces the previous one
 * (EVSE 0: EMS -1, SO -2, Other -3; EVSE 1: -4, -5, -6; ...).
 *
 * @example
 * externalLimitProfileId(1, 'SO'); // -5
 */
export function externalLimitProfileId(evseId: number, source: ExternalLimitSource): number {
  return -(evseId * SOURCES.length + SOURCES.indexOf(source) + 1);
}

/**
 * The ChargingStationExternalConstraints profile for an external limit received at `now`: Absolute,
 * starting at the schedule's startSchedule or now. Each source has its own stackLevel (its index:
 * EMS 0, SO 1, Other 2) so that limits of two systems on one EVSE are not duplicates (K01.FR.06);
 * all of them cap the composite schedule (SC.01). Throws a TypeError naming the field when the input
 * is neither a limit with a unit nor a schedule.
 *
 * @example
 * externalLimitProfile({ evseId: 0, source: 'SO', limit: 20, unit: 'A' }, '2025-01-01T00:00:00Z');
 */
export function externalLimitProfile(limit: ExternalLimit, now: string): ChargingProfileType {
  const source = limit.source ?? 'EMS';
  if (!SOURCES.includes(source)) {
    throw new TypeError(`externalLimit.source: must be one of ${SOURCES.join(', ')}, not ${String(source)}`);
  }
  if (!Number.isInteger(limit.evseId) || limit.evseId < 0) {
    throw new TypeError(`externalLimit.evseId: must be an integer >= 0, not ${limit.evseId}`);
  }
  if ((limit.limit === undefined) === (limit.schedule === undefined)) {
    throw new TypeError('externalLimit: give either limit (with unit) or schedule');
  }
  const id = externalLimitProfileId(limit.evseId, source);
  let schedule: ChargingScheduleType;
  if (limit.schedule !== undefined) {
    schedule = { ...limit.schedule, startSchedule: limit.schedule.startSchedule ?? now };
  } else {
    if (limit.unit !== 'A' && limit.unit !== 'W') {
      throw new TypeError(`externalLimit.unit: must be A or W with a limit, not ${String(limit.unit)}`);
    }
    schedule = {
      id: 1,
      startSchedule: now,
      chargingRateUnit: limit.unit,
      chargingSchedulePeriod: [
        {
          startPeriod: 0,
          limit: limit.limit as number,
          ...(limit.numberPhases === undefined ? {} : { numberPhases: limit.numberPhases }),
        },
      ],
    };
  }
  return {
    id,
    stackLevel: SOURCES.indexOf(source),
    chargingProfilePurpose: 'ChargingStationExternalConstraints',
    chargingProfileKind: 'Absolute',
    chargingSchedule: [schedule],
  };
}

/**
 * SC.03 / K11.FR.02: whether `next` differs from `previous` (the schedule last told to the CSMS)
 * by more than `significancePercent`. A first limit, another unit, other period starts, phases or
 * duration always count; otherwise the largest relative change of a period's limit decides.
 *
 * @example
 * significantChange(previous, next, 5); // true when some period's limit moved by more than 5 %
 */
export function significantChange(
  previous: ChargingScheduleType | undefined,
  next: ChargingScheduleType,
  significancePercent: number,
): boolean {
  if (previous === undefined) return true;
  if (
    previous.chargingRateUnit !== next.chargingRateUnit ||
    previous.duration !== next.duration ||
    previous.chargingSchedulePeriod.length !== next.chargingSchedulePeriod.length
  ) {
    return true;
  }
  return next.chargingSchedulePeriod.some((period, index) => {
    const before = previous.chargingSchedulePeriod[index];
    if (
      before === undefined ||
      before.startPeriod !== period.startPeriod ||
      before.numberPhases !== period.numberPhases ||
      before.phaseToUse !== period.phaseToUse
    ) {
      return true;
    }
    if (before.limit === period.limit) return false;
    if (before.limit === 0) return true;
    return (Math.abs(period.limit - before.limit) / before.limit) * 100 > significancePercent;
  });
}

/**
 * The NotifyChargingLimitRequest for an installed external limit: its source (never CSO, K11.FR.05),
 * the EVSE when it is not the station (the schema wants evseId > 0), and the schedule when
 * NotifyChargingLimitWithSchedules is true (K11.FR.03, K12.FR.03).
 *
 * @example
 * notifyChargingLimitRequest(1, 'EMS', profile, { withSchedule: true });
 */
export function notifyChargingLimitRequest(
  evseId: number,
  source: ExternalLimitSource,
  profile: ChargingProfileType,
  options: { withSchedule: boolean; isGridCritical?: boolean },
): NotifyChargingLimitRequest {
  const request: NotifyChargingLimitRequest = {
    chargingLimit: {
      chargingLimitSource: source,
      ...(options.isGridCritical === undefined ? {} : { isGridCritical: options.isGridCritical }),
    },
  };
  if (evseId > 0) request.evseId = evseId;
  if (options.withSchedule) request.chargingSchedule = profile.chargingSchedule;
  return request;
}
