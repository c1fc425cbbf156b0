// An independent, deliberately naive evaluation of the composite limit at one instant, straight
// from the rules in docs/smart-charging.md: no time line, no sweep, every profile looked at anew.
// The property test compares compositeSchedule against it.
import { DateTime } from 'luxon';
import type { ChargingProfileType, ChargingRateUnitEnumType } from '../../src/generated/ocpp-types.js';
import type { InstalledChargingProfile, SmartChargingState } from '../../src/smart-charging/index.js';

export interface BruteLimit {
  limit: number;
  numberPhases?: number;
  phaseToUse?: number;
}

interface Active {
  limit: number;
  unit: ChargingRateUnitEnumType;
  numberPhases: number | undefined;
  phaseToUse: number | undefined;
}

const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/** Local wall time to instant; of two instants showing it, the earlier (DST here moves by 1 h). */
function resolve(year: number, month: number, day: number, like: DateTime, zone: string): number {
  const c = DateTime.fromObject(
    { year, month, day, hour: like.hour, minute: like.minute, second: like.second },
    { zone },
  );
  const hourEarlier = c.minus({ hours: 1 });
  const same = hourEarlier.day === c.day && hourEarlier.hour === c.hour && hourEarlier.minute === c.minute;
  return Math.floor((same ? hourEarlier : c).toMillis() / 1000);
}

function runStart(
  p: ChargingProfileType,
  t: number,
  relativeStart: number,
  zone: string,
): number | undefined {
  const startSchedule = p.chargingSchedule[0].startSchedule;
  if (p.chargingProfileKind === 'Relative') return relativeStart;
  if (startSchedule === undefined) return undefined;
  const first = seconds(startSchedule);
  if (p.chargingProfileKind === 'Absolute') return first;
  if (t < first) return undefined;
  const local = DateTime.fromSeconds(t, { zone });
  const base = DateTime.fromSeconds(first, { zone });
  const days =
    p.recurrencyKind === 'Daily'
      ? [local, local.minus({ days: 1 })]
      : [
          local.plus({ days: base.weekday - local.weekday }),
          local.plus({ days: base.weekday - local.weekday - 7 }),
        ];
  for (const d of days) {
    const sameDay = d.year === base.year && d.month === base.month && d.day === base.day;
    const start = sameDay ? first : resolve(d.year, d.month, d.day, base, zone);
    if (start <= t && start >= first) return start;
  }
  return undefined;
}

function activeAt(
  p: ChargingProfileType,
  t: number,
  relativeStart: number,
  zone: string,
): Active | undefined {
  if (p.validFrom !== undefined && t < seconds(p.validFrom)) return undefined;
  if (p.validTo !== undefined && t >= seconds(p.validTo)) return undefined;
  const start = runStart(p, t, relativeStart, zone);
  if (start === undefined || t < start) return undefined;
  const offset = t - start;
  const schedule = p.chargingSchedule[0];
  if (schedule.duration !== undefined && offset >= schedule.duration) return undefined;
  let found: Active | undefined;
  for (const period of schedule.chargingSchedulePeriod) {
    if (period.startPeriod <= offset) {
      found = {
        limit: period.limit,
        unit: schedule.chargingRateUnit,
        numberPhases: period.numberPhases,
        phaseToUse: period.phaseToUse,
      };
    }
  }
  return found;
}

function winner(
  entries: InstalledChargingProfile[],
  evseId: number,
  t: number,
  relStart: (e: InstalledChargingProfile) => number,
  zone: string,
): Active | undefined {
  let best: { entry: InstalledChargingProfile; active: Active } | undefined;
  for (const entry of entries) {
    const active = activeAt(entry.profile, t, relStart(entry), zone);
    if (active === undefined) continue;
    if (best === undefined) {
      best = { entry, active };
      continue;
    }
    const a = entry.profile;
    const b = best.entry.profile;
    const aOwn = entry.evseId === evseId && evseId !== 0;
    const bOwn = best.entry.evseId === evseId && evseId !== 0;
    const better =
      a.stackLevel !== b.stackLevel ? a.stackLevel > b.stackLevel : aOwn !== bOwn ? aOwn : a.id > b.id;
    if (better) best = { entry, active };
  }
  return best?.active;
}

function convert(
  value: number,
  from: ChargingRateUnitEnumType,
  to: ChargingRateUnitEnumType,
  volts: number,
  phases: number,
): number {
  if (from === to) return value;
  return from === 'A' ? value * volts * phases : value / volts / phases;
}

function evseLimit(
  state: SmartChargingState,
  evseId: number,
  t: number,
  unit: ChargingRateUnitEnumType,
  windowStart: number,
  zone: string,
): BruteLimit {
  const evse = state.station.evses.find((e) => e.id === evseId);
  if (evse === undefined) throw new Error(`no EVSE ${evseId}`);
  const volts = state.station.supplyVoltage;
  const transaction = state.transactions.find((x) => x.evseId === evseId);
  const evseStart = transaction === undefined ? windowStart : seconds(transaction.startTime);
  const stationStart = (e: InstalledChargingProfile) =>
    e.installedAt === undefined ? windowStart : seconds(e.installedAt);
  const pick = (purpose: string, evseIds: number[]) =>
    state.profiles.filter((e) => e.profile.chargingProfilePurpose === purpose && evseIds.includes(e.evseId));
  const txProfiles =
    transaction === undefined
      ? []
      : pick('TxProfile', [evseId]).filter((e) => e.profile.transactionId === transaction.transactionId);
  const lead =
    winner(txProfiles, evseId, t, () => evseStart, zone) ??
    winner(pick('TxDefaultProfile', [evseId, 0]), evseId, t, () => evseStart, zone);
  const own = winner(pick('ChargingStationExternalConstraints', [evseId]), evseId, t, () => evseStart, zone);
  const stationExternal = winner(pick('ChargingStationExternalConstraints', [0]), 0, t, stationStart, zone);
  const max = winner(pick('ChargingStationMaxProfile', [0]), 0, t, stationStart, zone);
  const all = [lead, own, stationExternal, max].filter((a): a is Active => a !== undefined);
  let phases: number | undefined;
  if (evse.currentType === 'AC') {
    phases = evse.supplyPhases;
    for (const a of all) phases = Math.min(phases, a.numberPhases ?? 3);
  }
  const conv = phases ?? evse.supplyPhases;
  let limit = Infinity;
  for (const a of all) limit = Math.min(limit, convert(a.limit, a.unit, unit, volts, conv));
  if (evse.maxCurrent !== undefined)
    limit = Math.min(limit, convert(evse.maxCurrent, 'A', unit, volts, conv));
  if (evse.maxPower !== undefined) limit = Math.min(limit, convert(evse.maxPower, 'W', unit, volts, conv));
  const result: BruteLimit = { limit };
  if (phases !== undefined) result.numberPhases = phases;
  if (phases === 1) {
    const withPhase = [max, stationExternal, own, lead].find((a) => a?.phaseToUse !== undefined);
    if (withPhase?.phaseToUse !== undefined) result.phaseToUse = withPhase.phaseToUse;
  }
  return result;
}

/** The composite limit of `evseId` (0 = the whole station) at instant `t` (epoch s), unrounded. */
export function bruteForceLimit(
  state: SmartChargingState,
  evseId: number,
  t: number,
  unit: ChargingRateUnitEnumType,
  windowStart: number,
): BruteLimit {
  const zone = state.station.timeZone ?? 'UTC';
  if (evseId !== 0) return evseLimit(state, evseId, t, unit, windowStart, zone);
  const { supplyVoltage: volts, supplyPhases } = state.station;
  const each = state.station.evses.map((e) => evseLimit(state, e.id, t, unit, windowStart, zone));
  let limit = each.reduce((sum, e) => sum + e.limit, 0);
  const stationStart = (e: InstalledChargingProfile) =>
    e.installedAt === undefined ? windowStart : seconds(e.installedAt);
  for (const purpose of ['ChargingStationExternalConstraints', 'ChargingStationMaxProfile']) {
    const entries = state.profiles.filter(
      (e) => e.evseId === 0 && e.profile.chargingProfilePurpose === purpose,
    );
    const a = winner(entries, 0, t, stationStart, zone);
    if (a !== undefined)
      limit = Math.min(limit, convert(a.limit, a.unit, unit, volts, a.numberPhases ?? supplyPhases));
  }
  if (state.station.maxCurrent !== undefined)
    limit = Math.min(limit, convert(state.station.maxCurrent, 'A', unit, volts, supplyPhases));
  if (state.station.maxPower !== undefined)
    limit = Math.min(limit, convert(state.station.maxPower, 'W', unit, volts, supplyPhases));
  const result: BruteLimit = { limit };
  const phases = each.flatMap((e) => (e.numberPhases === undefined ? [] : [e.numberPhases]));
  if (phases.length > 0) result.numberPhases = Math.max(...phases);
  return result;
}
