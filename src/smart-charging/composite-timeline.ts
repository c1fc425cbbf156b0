import type { ChargingProfilePurposeEnumType, ChargingRateUnitEnumType } from '../generated/ocpp-types.js';
import { placeChargingProfile, type ScheduleSegment } from './schedule-segments.js';
import { parseInstant } from './time.js';
import { convertRate } from './unit-conversion.js';
import {
  SmartChargingInputError,
  type EvChargingSchedule,
  type EvseSmartChargingInfo,
  type InstalledChargingProfile,
  type SmartChargingState,
} from './types.js';

/** What set the limit of a composite period. */
export type LimitSource = ChargingProfilePurposeEnumType | 'LocalLimit' | 'EvseSum' | 'EVChargingSchedule';

/** A composite period before rounding: the limit on [from, to) (epoch s) and where it came from. */
export interface TimelinePeriod {
  from: number;
  to: number;
  limit: number;
  numberPhases?: number;
  phaseToUse?: number;
  minChargingRate?: number;
  source: LimitSource;
  /** Id of the profile that set the limit (absent for LocalLimit and EvseSum). */
  profileId?: number;
}

/** A profile placed on the window, with a cursor for the forward sweep. */
interface PlacedProfile {
  id: number;
  stackLevel: number;
  evseSpecific: boolean;
  segments: ScheduleSegment[];
  cursor: number;
}

/** The profiles of one purpose competing by stackLevel (K01.FR.17), highest priority first. */
type Lane = PlacedProfile[];

interface Leader {
  segment: ScheduleSegment;
  profile: PlacedProfile;
}

interface EvseLanes {
  info: EvseSmartChargingInfo;
  tx: Lane;
  txDefault: Lane;
  /** One lane per chargingLimitSource (see {@link bySource}). */
  evseExternal: Lane[];
  /** The EV's own charging schedule (ISO 15118), a cap like the external constraints. */
  ev: Lane;
}

interface StationLanes {
  /** One lane per chargingLimitSource (see {@link bySource}). */
  external: Lane[];
  max: Lane;
}

/** The leaders of the station-level lanes at one instant. */
interface StationLeaders {
  external: Leader[];
  max: Leader | undefined;
}

/** What the sweep needs besides the profiles. */
export interface TimelineSettings {
  windowStart: number;
  windowEnd: number;
  unit: ChargingRateUnitEnumType;
  timeZone: string;
}

/** Priority: higher stackLevel first; on a tie (prevented by K01.FR.52/53) the EVSE's own profile, then the higher id. */
function byPriority(a: PlacedProfile, b: PlacedProfile): number {
  return b.stackLevel - a.stackLevel || Number(b.evseSpecific) - Number(a.evseSpecific) || b.id - a.id;
}

function lane(
  entries: readonly InstalledChargingProfile[],
  evseId: number,
  relativeStart: (entry: InstalledChargingProfile) => number,
  settings: TimelineSettings,
): Lane {
  const placed = entries.map((entry) => ({
    id: entry.profile.id,
    stackLevel: entry.profile.stackLevel,
    evseSpecific: entry.evseId === evseId && evseId !== 0,
    segments: placeChargingProfile(entry.profile, {
      windowStart: settings.windowStart,
      windowEnd: settings.windowEnd,
      relativeStart: relativeStart(entry),
      timeZone: settings.timeZone,
    }),
    cursor: 0,
  }));
  return placed.filter((p) => p.segments.length > 0).sort(byPriority);
}

/** The segment of the highest-priority profile active at `at`; `at` must not decrease between calls. */
function leader(profiles: Lane, at: number): Leader | undefined {
  for (const profile of profiles) {
    let segment = profile.segments[profile.cursor];
    while (segment !== undefined && segment.to <= at) {
      profile.cursor += 1;
      segment = profile.segments[profile.cursor];
    }
    if (segment !== undefined && segment.from <= at) return { segment, profile };
  }
  return undefined;
}

function instant(value: string, field: string): number {
  const seconds = parseInstant(value);
  if (seconds === undefined)
    throw new SmartChargingInputError(field, `"${value}" is not an RFC 3339 date-time`);
  return seconds;
}

function of(entries: readonly InstalledChargingProfile[], purpose: ChargingProfilePurposeEnumType) {
  return entries.filter((entry) => entry.profile.chargingProfilePurpose === purpose);
}

/**
 * SC.01: the limits of every external source (EMS, SO, ...) apply at once, so external constraints
 * stack by stackLevel (K01.FR.17) only among the profiles of one chargingLimitSource; each source's
 * leader is a cap of its own.
 */
function bySource(entries: readonly InstalledChargingProfile[]): InstalledChargingProfile[][] {
  const groups = new Map<string, InstalledChargingProfile[]>();
  for (const entry of entries) {
    const key = entry.chargingLimitSource ?? 'CSO';
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return [...groups.values()];
}

/** The EV's schedule as an Absolute profile starting at timeBase, so it is placed like any other. */
function evScheduleProfile(ev: EvChargingSchedule): InstalledChargingProfile {
  return {
    evseId: ev.evseId,
    profile: {
      id: ev.chargingSchedule.id,
      stackLevel: 0,
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: [{ ...ev.chargingSchedule, startSchedule: ev.timeBase }],
    },
  };
}

function leaders(lanes: readonly Lane[], at: number): Leader[] {
  return lanes.flatMap((profiles) => leader(profiles, at) ?? []);
}

function stationLanes(state: SmartChargingState, settings: TimelineSettings): StationLanes {
  const station = state.profiles.filter((entry) => entry.evseId === 0);
  // A station-level Relative profile (only ChargingStationExternalConstraints may be one, K01.FR.38)
  // runs from when it was installed; without that moment it runs from the start of the window.
  const anchor = (entry: InstalledChargingProfile): number =>
    entry.installedAt === undefined
      ? settings.windowStart
      : instant(entry.installedAt, `profile ${entry.profile.id}.installedAt`);
  return {
    external: bySource(of(station, 'ChargingStationExternalConstraints')).map((group) =>
      lane(group, 0, anchor, settings),
    ),
    max: lane(of(station, 'ChargingStationMaxProfile'), 0, anchor, settings),
  };
}

function evseLanes(
  state: SmartChargingState,
  info: EvseSmartChargingInfo,
  settings: TimelineSettings,
): EvseLanes {
  const transaction = state.transactions.find((t) => t.evseId === info.id);
  // Relative schedules start with the transaction; without one, K08.FR.06 asks for the schedule
  // "as if there is a transaction", which we take as starting now.
  const relativeStart =
    transaction === undefined
      ? settings.windowStart
      : instant(transaction.startTime, `transaction ${transaction.transactionId}.startTime`);
  const anchor = (): number => relativeStart;
  const own = state.profiles.filter((entry) => entry.evseId === info.id);
  const stationWide = state.profiles.filter((entry) => entry.evseId === 0);
  // K01.FR.04: a TxProfile applies to its own transaction only, and only while it runs.
  const tx =
    transaction === undefined
      ? []
      : of(own, 'TxProfile').filter((entry) => entry.profile.transactionId === transaction.transactionId);
  return {
    info,
    tx: lane(tx, info.id, anchor, settings),
    // K01.FR.14: a TxDefaultProfile on EVSE 0 applies to every EVSE and stacks with the EVSE's own.
    txDefault: lane(
      [...of(own, 'TxDefaultProfile'), ...of(stationWide, 'TxDefaultProfile')],
      info.id,
      anchor,
      settings,
    ),
    evseExternal: bySource(of(own, 'ChargingStationExternalConstraints')).map((group) =>
      lane(group, info.id, anchor, settings),
    ),
    ev: lane(
      (state.evChargingSchedules ?? []).filter((ev) => ev.evseId === info.id).map(evScheduleProfile),
      info.id,
      anchor,
      settings,
    ),
  };
}

interface Candidate {
  limit: number;
  source: LimitSource;
  profileId?: number;
}

function lowest(candidates: Candidate[]): Candidate {
  let best = candidates[0] as Candidate;
  for (const candidate of candidates) if (candidate.limit < best.limit) best = candidate;
  return best;
}

/** Limit of one EVSE at `at` (see docs/smart-charging.md, "Composite schedule of an EVSE"). */
function evaluateEvse(
  lanes: EvseLanes,
  stationAt: StationLeaders,
  at: number,
  unit: ChargingRateUnitEnumType,
  voltage: number,
): Omit<TimelinePeriod, 'from' | 'to'> {
  const { info } = lanes;
  const txLeader = leader(lanes.tx, at);
  // K02.FR.04 / K02.FR.08: the TxProfile overrules the TxDefaultProfile wherever it has a period.
  const lead = txLeader ?? leader(lanes.txDefault, at);
  // The leaders that cap this EVSE now, in the order ties are broken (the first lowest wins). This
  // runs at every boundary of every composite schedule: scratch arrays, no per-instant allocation
  // beyond the result (issue 9).
  ACTIVE.length = 0;
  SOURCES.length = 0;
  collect(lead, txLeader === undefined ? 'TxDefaultProfile' : 'TxProfile');
  for (const profiles of lanes.evseExternal)
    collect(leader(profiles, at), 'ChargingStationExternalConstraints');
  for (const found of stationAt.external) collect(found, 'ChargingStationExternalConstraints');
  collect(stationAt.max, 'ChargingStationMaxProfile');
  // K15.FR.14 / SC.04: the EV will not draw more than the schedule it chose.
  collect(leader(lanes.ev, at), 'EVChargingSchedule');
  // Errata 2025-01 §3.7: the lowest numberPhases of the applicable periods is used; an absent value
  // means 3 (K01.FR.49), and the EVSE never uses more than it is wired for (K01.FR.45).
  let numberPhases: number | undefined;
  if (info.currentType === 'AC') {
    numberPhases = info.supplyPhases;
    for (const found of ACTIVE) numberPhases = Math.min(numberPhases, found.segment.numberPhases ?? 3);
  }
  const phases = numberPhases ?? info.supplyPhases;
  let best: Candidate | undefined;
  for (let i = 0; i < ACTIVE.length; i += 1) {
    const found = ACTIVE[i] as Leader;
    const limit = convertRate(found.segment.limit, found.segment.unit, unit, voltage, phases);
    if (best === undefined || limit < best.limit)
      best = { limit, source: SOURCES[i] as LimitSource, profileId: found.profile.id };
  }
  if (info.maxCurrent !== undefined) {
    const limit = convertRate(info.maxCurrent, 'A', unit, voltage, phases);
    if (best === undefined || limit < best.limit) best = { limit, source: 'LocalLimit' };
  }
  if (info.maxPower !== undefined) {
    const limit = convertRate(info.maxPower, 'W', unit, voltage, phases);
    if (best === undefined || limit < best.limit) best = { limit, source: 'LocalLimit' };
  }
  const result: Omit<TimelinePeriod, 'from' | 'to'> = best as Candidate;
  if (numberPhases !== undefined) {
    result.numberPhases = numberPhases;
    if (numberPhases === 1) {
      // Validation rejects conflicting phaseToUse values (errata §3.7), so the last one found is the one.
      for (let i = ACTIVE.length - 1; i >= 0; i -= 1) {
        const phaseToUse = (ACTIVE[i] as Leader).segment.phaseToUse;
        if (phaseToUse !== undefined) {
          result.phaseToUse = phaseToUse;
          break;
        }
      }
    }
  }
  const minRate = lead?.segment.minChargingRate;
  if (lead !== undefined && minRate !== undefined) {
    result.minChargingRate = convertRate(minRate, lead.segment.unit, unit, voltage, phases);
  }
  return result;
}

/** Scratch of {@link evaluateEvse}: the active leaders and their sources (evaluation is synchronous). */
const ACTIVE: Leader[] = [];
const SOURCES: LimitSource[] = [];

function collect(found: Leader | undefined, source: LimitSource): void {
  if (found === undefined) return;
  ACTIVE.push(found);
  SOURCES.push(source);
}

function boundaries(lanes: Lane[], settings: TimelineSettings): number[] {
  const points = new Set<number>([settings.windowStart]);
  for (const profiles of lanes) {
    for (const profile of profiles) {
      for (const segment of profile.segments) {
        points.add(segment.from);
        if (segment.to < settings.windowEnd) points.add(segment.to);
      }
    }
  }
  return [...points].sort((a, b) => a - b);
}

function sweep(
  points: number[],
  windowEnd: number,
  evaluate: (at: number) => Omit<TimelinePeriod, 'from' | 'to'>,
): TimelinePeriod[] {
  return points.map((from, index) => ({ from, to: points[index + 1] ?? windowEnd, ...evaluate(from) }));
}

/**
 * The unrounded composite time line of one EVSE (evseId > 0) or of the whole station (evseId 0)
 * over [windowStart, windowEnd), one entry per interval in which no input changes (not merged).
 * The caller has checked the configuration and the EVSE id.
 *
 * @example
 * const periods = compositeTimeline(state, 1, { windowStart, windowEnd, unit: 'A', timeZone: 'UTC' });
 */
export function compositeTimeline(
  state: SmartChargingState,
  evseId: number,
  settings: TimelineSettings,
): TimelinePeriod[] {
  const voltage = state.station.supplyVoltage;
  const station = stationLanes(state, settings);
  const evses = state.station.evses
    .filter((info) => evseId === 0 || info.id === evseId)
    .map((info) => evseLanes(state, info, settings));
  const points = boundaries(
    [...station.external, station.max, ...evses.flatMap((e) => [e.tx, e.txDefault, ...e.evseExternal, e.ev])],
    settings,
  );
  const stationAt = (at: number): StationLeaders => ({
    external: leaders(station.external, at),
    max: leader(station.max, at),
  });
  if (evseId !== 0) {
    const only = evses[0] as EvseLanes;
    return sweep(points, settings.windowEnd, (at) =>
      evaluateEvse(only, stationAt(at), at, settings.unit, voltage),
    );
  }
  return sweep(points, settings.windowEnd, (at) =>
    evaluateStation(state, evses, stationAt(at), at, settings.unit),
  );
}

/** Limit of the grid connection at `at` (see docs/smart-charging.md, "Composite schedule of EVSE 0"). */
function evaluateStation(
  state: SmartChargingState,
  evses: EvseLanes[],
  stationAt: StationLeaders,
  at: number,
  unit: ChargingRateUnitEnumType,
): Omit<TimelinePeriod, 'from' | 'to'> {
  const { supplyVoltage: voltage, supplyPhases } = state.station;
  const perEvse = evses.map((lanes) => evaluateEvse(lanes, stationAt, at, unit, voltage));
  // K08.FR.03: the expected consumption of the grid connection is what all EVSEs may draw together.
  const candidates: Candidate[] = [
    { limit: perEvse.reduce((sum, p) => sum + p.limit, 0), source: 'EvseSum' },
  ];
  const caps: [Leader | undefined, LimitSource][] = [
    ...stationAt.external.map((found): [Leader, LimitSource] => [
      found,
      'ChargingStationExternalConstraints',
    ]),
    [stationAt.max, 'ChargingStationMaxProfile'],
  ];
  for (const [found, source] of caps) {
    if (found === undefined) continue;
    const phases = found.segment.numberPhases ?? supplyPhases;
    candidates.push({
      limit: convertRate(found.segment.limit, found.segment.unit, unit, voltage, phases),
      source,
      profileId: found.profile.id,
    });
  }
  if (state.station.maxCurrent !== undefined) {
    candidates.push({
      limit: convertRate(state.station.maxCurrent, 'A', unit, voltage, supplyPhases),
      source: 'LocalLimit',
    });
  }
  if (state.station.maxPower !== undefined) {
    candidates.push({
      limit: convertRate(state.station.maxPower, 'W', unit, voltage, supplyPhases),
      source: 'LocalLimit',
    });
  }
  const result: Omit<TimelinePeriod, 'from' | 'to'> = lowest(candidates);
  const acPhases = perEvse.flatMap((p) => (p.numberPhases === undefined ? [] : [p.numberPhases]));
  if (acPhases.length > 0) result.numberPhases = Math.max(...acPhases);
  return result;
}
