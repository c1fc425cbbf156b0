import type { ScheduleSegment } from './schedule-segments.js';

/** A profile placed on the window, as one lane ranks it. */
export interface RankedProfile {
  id: number;
  stackLevel: number;
  /** Set on the EVSE itself (not EVSE 0): wins a stackLevel tie (K01.FR.52/53 prevent most). */
  evseSpecific: boolean;
  /** In time order, not overlapping (placeChargingProfile). */
  segments: ScheduleSegment[];
}

/** The leader of a lane on [from, to): the segment of its highest-priority profile active there. */
export interface LeaderPiece {
  from: number;
  to: number;
  segment: ScheduleSegment;
  profileId: number;
}

/**
 * A lane's leaders over the window, in time order, with a cursor for a forward sweep: what the
 * sweep asks at every boundary is one step here instead of a scan of the lane's profiles.
 */
export interface LaneLeaders {
  pieces: LeaderPiece[];
  cursor: number;
}

/** Priority: higher stackLevel first; on a tie the EVSE's own profile, then the higher id. */
function byPriority(a: RankedProfile, b: RankedProfile): number {
  return b.stackLevel - a.stackLevel || Number(b.evseSpecific) - Number(a.evseSpecific) || b.id - a.id;
}

function piecesOfOne(profile: RankedProfile): LeaderPiece[] {
  const pieces: LeaderPiece[] = [];
  for (const segment of profile.segments)
    pieces.push({ from: segment.from, to: segment.to, segment, profileId: profile.id });
  return pieces;
}

function part(piece: LeaderPiece, from: number, to: number): LeaderPiece {
  return from === piece.from && to === piece.to
    ? piece
    : { from, to, segment: piece.segment, profileId: piece.profileId };
}

/**
 * `top` where it has a piece, `bottom` in its gaps: both in time order, not overlapping; one
 * linear merge, no sort.
 */
function overlay(top: LeaderPiece[], bottom: LeaderPiece[]): LeaderPiece[] {
  if (bottom.length === 0) return top;
  if (top.length === 0) return bottom;
  const out: LeaderPiece[] = [];
  let i = 0;
  let covered = -Infinity; // end of the last top piece written
  for (const below of bottom) {
    let from = Math.max(below.from, covered);
    while (from < below.to) {
      const above = top[i];
      if (above !== undefined && above.to <= from) {
        out.push(above);
        covered = above.to;
        i += 1;
      } else if (above === undefined || above.from >= below.to) {
        out.push(part(below, from, below.to));
        from = below.to;
      } else {
        if (above.from > from) out.push(part(below, from, above.from));
        out.push(above);
        covered = above.to;
        i += 1;
        from = above.to;
      }
    }
  }
  while (i < top.length) out.push(top[i++] as LeaderPiece);
  return out;
}

/** Leaders of profiles[lo, hi) (highest priority first): halves overlaid, O(segments × log profiles). */
function leadersOf(profiles: RankedProfile[], lo: number, hi: number): LeaderPiece[] {
  if (hi - lo === 1) return piecesOfOne(profiles[lo] as RankedProfile);
  const mid = (lo + hi) >> 1;
  return overlay(leadersOf(profiles, lo, mid), leadersOf(profiles, mid, hi));
}

/**
 * K01.FR.17: within a lane (profiles of one purpose, or one external source) the profile with the
 * highest stackLevel that has a period at an instant sets the lane's limit there. Computed once per
 * composite schedule as pieces in time order, by overlaying the profiles' segments by priority
 * (issue 9: the lane used to be scanned profile by profile at every boundary of the schedule).
 *
 * @example
 * const lane = laneLeaders(placedProfiles);
 * lane.pieces[0]; // { from, to, segment, profileId } of the first instant any profile is active
 */
export function laneLeaders(placed: RankedProfile[]): LaneLeaders {
  const profiles = placed.filter((p) => p.segments.length > 0);
  if (profiles.length === 0) return { pieces: [], cursor: 0 };
  profiles.sort(byPriority);
  return { pieces: leadersOf(profiles, 0, profiles.length), cursor: 0 };
}

/**
 * The lane's leader at `at`, or undefined; `at` must not decrease between calls on one lane.
 *
 * @example
 * const piece = leaderAt(lane, windowStart); // undefined when no profile of the lane is active
 */
export function leaderAt(lane: LaneLeaders, at: number): LeaderPiece | undefined {
  const { pieces } = lane;
  let piece = pieces[lane.cursor];
  while (piece !== undefined && piece.to <= at) {
    lane.cursor += 1;
    piece = pieces[lane.cursor];
  }
  return piece !== undefined && piece.from <= at ? piece : undefined;
}
