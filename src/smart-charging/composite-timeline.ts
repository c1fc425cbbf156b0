import type { ChargingProfilePurposeEnumType, ChargingRateUnitEnumType } from '../generated/ocpp-types.js';
import {
  laneLeaders,
  leaderAt,
  type LaneLeaders,
  type LeaderPiece,
  type RankedProfile,
} from './lane-leaders.js';
import { placeChargingProfile } from './schedule-segments.js';
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

/** The leaders of one purpose (or one external source), competing by stackLevel (K01.FR.17). */
type Lane = LaneLeaders;

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

/** What the sweep needs besides the profiles. */
export interface TimelineSettings {
  windowStart: number;
  windowEnd: number;
  unit: ChargingRateUnitEnumType;
  timeZone: string;
}

/**
 * Places `entries` and ranks them into one lane. Relative schedules start at `relativeStart`, or,
 * with `fromInstall`, at each entry's installedAt (station-level profiles, see {@link stationLanes}).
 */
function lane(
  entries: readonly InstalledChargingProfile[],
  evseId: number,
  relativeStart: number,
  settings: TimelineSettings,
  fromInstall = false,
): Lane {
  const placed: RankedProfile[] = [];
  for (const entry of entries) {
    const start =
      fromInstall && entry.installedAt !== undefined
        ? instant(entry.installedAt, `profile ${entry.profile.id}.installedAt`)
        : relativeStart;
    placed.push({
      id: entry.profile.id,
      stackLevel: entry.profile.stackLevel,
      evseSpecific: entry.evseId === evseId && evseId !== 0,
      segments: placeChargingProfile(entry.profile, {
        windowStart: settings.windowStart,
        windowEnd: settings.windowEnd,
        relativeStart: start,
        timeZone: settings.timeZone,
      }),
    });
  }
  return laneLeaders(placed);
}

function instant(value: string, field: string): number {
  const seconds = parseInstant(value);
  if (seconds === undefined)
    throw new SmartChargingInputError(field, `"${value}" is not an RFC 3339 date-time`);
  return seconds;
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

/** The installed profiles of one place (the station, or one EVSE) by purpose, in installation order. */
interface Placed {
  tx: InstalledChargingProfile[];
  txDefault: InstalledChargingProfile[];
  external: InstalledChargingProfile[];
  max: InstalledChargingProfile[];
}

const newPlaced = (): Placed => ({ tx: [], txDefault: [], external: [], max: [] });
/** A place without profiles (never written to). */
const NONE: Placed = newPlaced();

/** One pass over the installed profiles instead of a filter per lane (issue 9). */
function byPlace(profiles: readonly InstalledChargingProfile[]): Map<number, Placed> {
  const places = new Map<number, Placed>();
  for (const entry of profiles) {
    let place = places.get(entry.evseId);
    if (place === undefined) {
      place = newPlaced();
      places.set(entry.evseId, place);
    }
    switch (entry.profile.chargingProfilePurpose) {
      case 'TxProfile':
        place.tx.push(entry);
        break;
      case 'TxDefaultProfile':
        place.txDefault.push(entry);
        break;
      case 'ChargingStationExternalConstraints':
        place.external.push(entry);
        break;
      case 'ChargingStationMaxProfile':
        place.max.push(entry);
        break;
    }
  }
  return places;
}

function stationLanes(station: Placed, settings: TimelineSettings): StationLanes {
  // A station-level Relative profile (only ChargingStationExternalConstraints may be one, K01.FR.38)
  // runs from when it was installed; without that moment it runs from the start of the window.
  return {
    external: bySource(station.external).map((group) => lane(group, 0, settings.windowStart, settings, true)),
    max: lane(station.max, 0, settings.windowStart, settings, true),
  };
}

function evseLanes(
  state: SmartChargingState,
  info: EvseSmartChargingInfo,
  own: Placed,
  station: Placed,
  settings: TimelineSettings,
): EvseLanes {
  const transaction = state.transactions.find((t) => t.evseId === info.id);
  // Relative schedules start with the transaction; without one, K08.FR.06 asks for the schedule
  // "as if there is a transaction", which we take as starting now.
  const relativeStart =
    transaction === undefined
      ? settings.windowStart
      : instant(transaction.startTime, `transaction ${transaction.transactionId}.startTime`);
  // K01.FR.04: a TxProfile applies to its own transaction only, and only while it runs.
  const tx =
    transaction === undefined
      ? []
      : own.tx.filter((entry) => entry.profile.transactionId === transaction.transactionId);
  const evSchedules = state.evChargingSchedules ?? [];
  return {
    info,
    tx: lane(tx, info.id, relativeStart, settings),
    // K01.FR.14: a TxDefaultProfile on EVSE 0 applies to every EVSE and stacks with the EVSE's own.
    txDefault: lane(
      station.txDefault.length === 0 ? own.txDefault : [...own.txDefault, ...station.txDefault],
      info.id,
      relativeStart,
      settings,
    ),
    evseExternal: bySource(own.external).map((group) => lane(group, info.id, relativeStart, settings)),
    ev: lane(
      evSchedules.length === 0
        ? NONE.tx
        : evSchedules.filter((ev) => ev.evseId === info.id).map(evScheduleProfile),
      info.id,
      relativeStart,
      settings,
    ),
  };
}

/** The leaders of the station-level lanes at one instant (filled in place at every boundary). */
interface StationLeaders {
  /** One per external source that has a leader now, in lane order. */
  external: LeaderPiece[];
  max: LeaderPiece | undefined;
}

function stationLeadersAt(lanes: StationLanes, at: number, into: StationLeaders): StationLeaders {
  if (into.external.length > 0) into.external.length = 0;
  for (const external of lanes.external) {
    const found = leaderAt(external, at);
    if (found !== undefined) into.external.push(found);
  }
  into.max = leaderAt(lanes.max, at);
  return into;
}

/** Scratch of {@link evaluateEvse}: the active leaders and their sources (evaluation is synchronous). */
const ACTIVE: LeaderPiece[] = [];
const SOURCES: LimitSource[] = [];
let activeCount = 0;

function collect(found: LeaderPiece | undefined, source: LimitSource): void {
  if (found === undefined) return;
  ACTIVE[activeCount] = found;
  SOURCES[activeCount] = source;
  activeCount += 1;
}

/**
 * Limit of one EVSE on [from, to) (see docs/smart-charging.md, "Composite schedule of an EVSE").
 * This runs at every boundary of every composite schedule: scratch arrays and scalars, one object
 * per period (issue 9).
 */
function evaluateEvse(
  lanes: EvseLanes,
  stationAt: StationLeaders,
  from: number,
  to: number,
  unit: ChargingRateUnitEnumType,
  voltage: number,
): TimelinePeriod {
  const { info } = lanes;
  const txLeader = leaderAt(lanes.tx, from);
  // K02.FR.04 / K02.FR.08: the TxProfile overrules the TxDefaultProfile wherever it has a period.
  const lead = txLeader ?? leaderAt(lanes.txDefault, from);
  // The leaders that cap this EVSE now, in the order ties are broken (the first lowest wins).
  activeCount = 0;
  collect(lead, txLeader === undefined ? 'TxDefaultProfile' : 'TxProfile');
  for (const external of lanes.evseExternal)
    collect(leaderAt(external, from), 'ChargingStationExternalConstraints');
  for (const found of stationAt.external) collect(found, 'ChargingStationExternalConstraints');
  collect(stationAt.max, 'ChargingStationMaxProfile');
  // K15.FR.14 / SC.04: the EV will not draw more than the schedule it chose.
  collect(leaderAt(lanes.ev, from), 'EVChargingSchedule');
  // Errata 2025-01 §3.7: the lowest numberPhases of the applicable periods is used; an absent value
  // means 3 (K01.FR.49), and the EVSE never uses more than it is wired for (K01.FR.45).
  let numberPhases: number | undefined;
  if (info.currentType === 'AC') {
    numberPhases = info.supplyPhases;
    for (let i = 0; i < activeCount; i += 1)
      numberPhases = Math.min(numberPhases, (ACTIVE[i] as LeaderPiece).segment.numberPhases ?? 3);
  }
  const phases = numberPhases ?? info.supplyPhases;
  let bestLimit = Infinity;
  let best = -1; // index in ACTIVE, or -1 for the local limit
  let found = false;
  for (let i = 0; i < activeCount; i += 1) {
    const segment = (ACTIVE[i] as LeaderPiece).segment;
    const limit = convertRate(segment.limit, segment.unit, unit, voltage, phases);
    if (!found || limit < bestLimit) {
      bestLimit = limit;
      best = i;
      found = true;
    }
  }
  if (info.maxCurrent !== undefined) {
    const limit = convertRate(info.maxCurrent, 'A', unit, voltage, phases);
    if (!found || limit < bestLimit) {
      bestLimit = limit;
      best = -1;
      found = true;
    }
  }
  if (info.maxPower !== undefined) {
    const limit = convertRate(info.maxPower, 'W', unit, voltage, phases);
    if (!found || limit < bestLimit) {
      bestLimit = limit;
      best = -1;
      found = true;
    }
  }
  const result: TimelinePeriod =
    best < 0
      ? { from, to, limit: bestLimit, source: 'LocalLimit' }
      : {
          from,
          to,
          limit: bestLimit,
          source: SOURCES[best] as LimitSource,
          profileId: (ACTIVE[best] as LeaderPiece).profileId,
        };
  if (numberPhases !== undefined) {
    result.numberPhases = numberPhases;
    if (numberPhases === 1) {
      // Validation rejects conflicting phaseToUse values (errata §3.7), so the last one found is the one.
      for (let i = activeCount - 1; i >= 0; i -= 1) {
        const phaseToUse = (ACTIVE[i] as LeaderPiece).segment.phaseToUse;
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

/** The instants at which a lane's leader changes inside the window, in order, distinct. */
function laneInstants(lane: Lane, windowEnd: number): number[] {
  const instants: number[] = [];
  for (const piece of lane.pieces) {
    if (instants[instants.length - 1] !== piece.from) instants.push(piece.from);
    if (piece.to < windowEnd) instants.push(piece.to);
  }
  return instants;
}

/** Two ordered lists of distinct instants merged into one (no sort: the lists are in order). */
function mergeInstants(a: number[], b: number[]): number[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? (a[i] as number) : Infinity;
    const y = j < b.length ? (b[j] as number) : Infinity;
    if (x <= y) i += 1;
    if (y <= x) j += 1;
    out.push(Math.min(x, y));
  }
  return out;
}

/**
 * Every instant at which some lane's leader changes, from windowStart, in order and distinct:
 * where no leader changes, nothing of the composite can (the unrounded time line is cut only there).
 */
function boundaries(lanes: Lane[], settings: TimelineSettings): number[] {
  let points: number[] = [settings.windowStart];
  for (const one of lanes) {
    if (one.pieces.length > 0) points = mergeInstants(points, laneInstants(one, settings.windowEnd));
  }
  return points;
}

/**
 * The unrounded composite time line of one EVSE (evseId > 0) or of the whole station (evseId 0)
 * over [windowStart, windowEnd), one entry per interval in which no lane's leader changes (not
 * merged: neighbours may be equal). The caller has checked the configuration and the EVSE id.
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
  const places = byPlace(state.profiles);
  const stationPlace = places.get(0) ?? NONE;
  const station = stationLanes(stationPlace, settings);
  const evses: EvseLanes[] = [];
  for (const info of state.station.evses) {
    if (evseId === 0 || info.id === evseId)
      evses.push(evseLanes(state, info, places.get(info.id) ?? NONE, stationPlace, settings));
  }
  const all: Lane[] = [...station.external, station.max];
  for (const e of evses) all.push(e.tx, e.txDefault, ...e.evseExternal, e.ev);
  const points = boundaries(all, settings);
  const stationAt: StationLeaders = { external: [], max: undefined };
  const timeline: TimelinePeriod[] = [];
  for (let i = 0; i < points.length; i += 1) {
    const from = points[i] as number;
    const to = i + 1 < points.length ? (points[i + 1] as number) : settings.windowEnd;
    stationLeadersAt(station, from, stationAt);
    timeline.push(
      evseId !== 0
        ? evaluateEvse(evses[0] as EvseLanes, stationAt, from, to, settings.unit, voltage)
        : evaluateStation(state, evses, stationAt, from, to, settings.unit),
    );
  }
  return timeline;
}

/** Limit of the grid connection on [from, to) (see docs/smart-charging.md, "Composite schedule of EVSE 0"). */
function evaluateStation(
  state: SmartChargingState,
  evses: EvseLanes[],
  stationAt: StationLeaders,
  from: number,
  to: number,
  unit: ChargingRateUnitEnumType,
): TimelinePeriod {
  const { supplyVoltage: voltage, supplyPhases } = state.station;
  // K08.FR.03: the expected consumption of the grid connection is what all EVSEs may draw together.
  let sum = 0;
  let numberPhases: number | undefined;
  for (const lanes of evses) {
    const evse = evaluateEvse(lanes, stationAt, from, to, unit, voltage);
    sum += evse.limit;
    if (evse.numberPhases !== undefined)
      numberPhases =
        numberPhases === undefined ? evse.numberPhases : Math.max(numberPhases, evse.numberPhases);
  }
  // The candidates in the order ties are broken (the first lowest wins).
  let limit = sum;
  let source: LimitSource = 'EvseSum';
  let profileId: number | undefined;
  for (const found of stationAt.external) {
    const phases = found.segment.numberPhases ?? supplyPhases;
    const cap = convertRate(found.segment.limit, found.segment.unit, unit, voltage, phases);
    if (cap < limit)
      [limit, source, profileId] = [cap, 'ChargingStationExternalConstraints', found.profileId];
  }
  const max = stationAt.max;
  if (max !== undefined) {
    const phases = max.segment.numberPhases ?? supplyPhases;
    const cap = convertRate(max.segment.limit, max.segment.unit, unit, voltage, phases);
    if (cap < limit) [limit, source, profileId] = [cap, 'ChargingStationMaxProfile', max.profileId];
  }
  if (state.station.maxCurrent !== undefined) {
    const cap = convertRate(state.station.maxCurrent, 'A', unit, voltage, supplyPhases);
    if (cap < limit) [limit, source, profileId] = [cap, 'LocalLimit', undefined];
  }
  if (state.station.maxPower !== undefined) {
    const cap = convertRate(state.station.maxPower, 'W', unit, voltage, supplyPhases);
    if (cap < limit) [limit, source, profileId] = [cap, 'LocalLimit', undefined];
  }
  const result: TimelinePeriod = { from, to, limit, source };
  if (profileId !== undefined) result.profileId = profileId;
  if (numberPhases !== undefined) result.numberPhases = numberPhases;
  return result;
}
