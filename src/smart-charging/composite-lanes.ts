/**
 * The lanes of the composite schedule sweep (composite-timeline.ts): the installed charging
 * profiles by place and purpose, placed on the window and ranked into one lane each (K01.FR.17),
 * and the instants at which any lane's leader changes.
 */
import type { ChargingRateUnitEnumType } from '../generated/ocpp-types.js';
import { laneLeaders, type LaneLeaders, type RankedProfile } from './lane-leaders.js';
import { placeChargingProfile } from './schedule-segments.js';
import { parseInstant } from './time.js';
import {
  SmartChargingInputError,
  type EvChargingSchedule,
  type EvseSmartChargingInfo,
  type InstalledChargingProfile,
  type SmartChargingState,
} from './types.js';

/** The leaders of one purpose (or one external source), competing by stackLevel (K01.FR.17). */
export type Lane = LaneLeaders;

/** The lanes that limit one EVSE. */
export interface EvseLanes {
  info: EvseSmartChargingInfo;
  tx: Lane;
  txDefault: Lane;
  /** One lane per chargingLimitSource (see {@link bySource}). */
  evseExternal: Lane[];
  /** The EV's own charging schedule (ISO 15118), a cap like the external constraints. */
  ev: Lane;
}

/** The lanes that limit the whole station (EVSE 0). */
export interface StationLanes {
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
export const NONE: Placed = newPlaced();

/** One pass over the installed profiles instead of a filter per lane (issue 9). */
export function byPlace(profiles: readonly InstalledChargingProfile[]): Map<number, Placed> {
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

/** The station-level lanes: external constraints per source and the ChargingStationMaxProfile. */
export function stationLanes(station: Placed, settings: TimelineSettings): StationLanes {
  // A station-level Relative profile (only ChargingStationExternalConstraints may be one, K01.FR.38)
  // runs from when it was installed; without that moment it runs from the start of the window.
  return {
    external: bySource(station.external).map((group) => lane(group, 0, settings.windowStart, settings, true)),
    max: lane(station.max, 0, settings.windowStart, settings, true),
  };
}

/** The lanes of one EVSE: its transaction's TxProfile, TxDefaultProfiles, external constraints, the EV's schedule. */
export function evseLanes(
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
export function boundaries(lanes: Lane[], settings: TimelineSettings): number[] {
  let points: number[] = [settings.windowStart];
  for (const one of lanes) {
    if (one.pieces.length > 0) points = mergeInstants(points, laneInstants(one, settings.windowEnd));
  }
  return points;
}
