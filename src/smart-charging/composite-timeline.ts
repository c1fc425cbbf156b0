/**
 * The composite schedule sweep (K08): the unrounded limit of one EVSE or of the station over a
 * window, evaluated between the instants at which a lane's leader changes (composite-lanes.ts).
 */
import type { ChargingProfilePurposeEnumType, ChargingRateUnitEnumType } from '../generated/ocpp-types.js';
import { leaderAt, type LeaderPiece } from './lane-leaders.js';
import { convertRate } from './unit-conversion.js';
import type { SmartChargingState } from './types.js';
import {
  boundaries,
  byPlace,
  evseLanes,
  NONE,
  stationLanes,
  type EvseLanes,
  type Lane,
  type StationLanes,
  type TimelineSettings,
} from './composite-lanes.js';

export type { TimelineSettings } from './composite-lanes.js';

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
