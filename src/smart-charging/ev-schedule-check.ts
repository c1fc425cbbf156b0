/**
 * K15.FR.09 / K16.FR.04 / K17.FR.09: the charging profile an EV returns (ISO 15118 PowerDeliveryReq)
 * must stay within the composite schedule the station offered it.
 */
import { compositeScheduleDetails } from './composite-schedule.js';
import { formatInstant, parseInstant } from './time.js';
import type { EvChargingSchedule, SmartChargingState } from './types.js';

/** Where an EV schedule asks for more than the composite schedule allows. */
export interface EvScheduleExcess {
  /** RFC 3339 instant at which the excess starts. */
  at: string;
  /** What the EV asks, in its schedule's unit. */
  requested: number;
  /** What the composite schedule allows then, in the same unit. */
  allowed: number;
}

/** How far past the last period start an open-ended EV schedule is checked (s). */
const OPEN_END_CHECK_S = 86_400;
/** Composite limits are rounded down to 0.1 (docs/smart-charging.md): a request at the exact limit passes. */
const ROUNDING_TOLERANCE = 0.1;

/**
 * The first moment at which `ev` asks for more than the EVSE's composite schedule (computed without
 * any EV schedule of that EVSE, in the EV schedule's unit) from `now` on, or undefined when it stays
 * within. An EV schedule without duration is checked up to one day after its last period starts.
 *
 * @example
 * const excess = evScheduleExcess(state, { evseId: 1, timeBase: now, chargingSchedule }, now);
 * if (excess) console.log(`EV asks ${excess.requested} at ${excess.at}, ${excess.allowed} allowed`);
 */
export function evScheduleExcess(
  state: SmartChargingState,
  ev: EvChargingSchedule,
  now: string,
): EvScheduleExcess | undefined {
  const base = parseInstant(ev.timeBase);
  const current = parseInstant(now);
  if (base === undefined || current === undefined) return undefined;
  const periods = ev.chargingSchedule.chargingSchedulePeriod;
  const last = periods[periods.length - 1]?.startPeriod ?? 0;
  const end = base + (ev.chargingSchedule.duration ?? last + OPEN_END_CHECK_S);
  const start = Math.max(base, current);
  if (end <= start) return undefined;
  const { schedule } = compositeScheduleDetails({
    ...state,
    evChargingSchedules: (state.evChargingSchedules ?? []).filter((other) => other.evseId !== ev.evseId),
    evseId: ev.evseId,
    startTime: formatInstant(start),
    duration: end - start,
    chargingRateUnit: ev.chargingSchedule.chargingRateUnit,
  });
  const composite = schedule.chargingSchedulePeriod;
  for (const [index, period] of periods.entries()) {
    const from = Math.max(base + period.startPeriod, start);
    const to = Math.min(base + (periods[index + 1]?.startPeriod ?? Infinity), end);
    if (from >= to) continue;
    for (const [k, allowed] of composite.entries()) {
      const allowedFrom = start + allowed.startPeriod;
      const allowedTo = start + (composite[k + 1]?.startPeriod ?? end - start);
      if (allowedTo <= from || allowedFrom >= to) continue;
      if (period.limit > allowed.limit + ROUNDING_TOLERANCE) {
        return {
          at: formatInstant(Math.max(from, allowedFrom)),
          requested: period.limit,
          allowed: allowed.limit,
        };
      }
    }
  }
  return undefined;
}
