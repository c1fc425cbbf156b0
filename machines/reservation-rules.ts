/**
 * The pure rules of reservations (H01–H04): what a ReserveNowRequest is answered, which EVSEs must
 * show Reserved so that every reservation keeps an EVSE (H01.FR.07/09/20/23/24), and whether a token
 * may use an EVSE (H03). The station chart calls these with the facts it holds; nothing here reads a
 * clock or the device model (docs/reservations.md explains the choices).
 *
 * An EVSE is "reservable" (Available) when at least one of its connectors (of the requested type) is
 * operative and not faulted, no cable is plugged in and no transaction runs on it. Every reservation
 * without an evseId (evse-less or by connectorType) needs an EVSE of its own that can serve it; an
 * EVSE is marked Reserved when leaving it to a walk-in driver would leave some reservation without
 * one (a bipartite matching, so evse-less and connectorType reservations combine correctly).
 */
import type { IdTokenType, ReserveNowStatusEnumType } from '../src/generated/ocpp-types.js';

/** One accepted reservation: what the CSMS asked for (ReserveNowRequest). */
export interface ReservationRecord {
  reservationId: number;
  /** The reserved EVSE, or null: any EVSE (H01 S1) or any EVSE with `connectorType` (S3). */
  evseId: number | null;
  /** ConnectorEnumType value, or null: any connector. */
  connectorType: string | null;
  idToken: IdTokenType;
  groupIdToken: IdTokenType | null;
  /** RFC 3339; the reservation expires then (H04.FR.01). */
  expiryDateTime: string;
}

/** What the station knows of one connector (its facts, without the reservation). */
export interface ConnectorView {
  connectorId: number;
  /** Connector.ConnectorType of the device model; null when not configured. */
  type: string | null;
  operative: boolean;
  faulted: boolean;
  plugged: boolean;
}

export interface EvseView {
  evseId: number;
  connectors: ConnectorView[];
  /** A transaction has started and not ended here. */
  transactionActive: boolean;
}

/** How an EVSE looks to a reservation (H01.FR.11/12/14), before reservations are counted. */
export type EvseReservability = 'Available' | 'Occupied' | 'Faulted' | 'Unavailable';

/** Answer of a reservation check for a token at an EVSE (libocpp ReservationCheckStatus). */
export type ReservationCheck =
  'NotReserved' | 'ReservedForToken' | 'ReservedForOtherToken' | 'ReservedForOtherTokenAndHasParentToken';

/**
 * Do two tokens name the same identifier (same idToken and type)?
 *
 * @example
 * sameIdToken({ idToken: 'A', type: 'ISO14443' }, { idToken: 'A', type: 'ISO14443' }); // true
 */
export function sameIdToken(a: IdTokenType | null | undefined, b: IdTokenType | null | undefined): boolean {
  return !!a && !!b && a.idToken === b.idToken && a.type === b.type;
}

/**
 * Does the presented token (or its group, from the authorization) match the reservation (H03.FR.01–06)?
 *
 * @example
 * tokenMatches(reservation, { idToken: 'B', type: 'ISO14443' }, reservation.groupIdToken); // true by group
 */
export function tokenMatches(
  reservation: Pick<ReservationRecord, 'idToken' | 'groupIdToken'>,
  idToken: IdTokenType,
  groupIdToken: IdTokenType | null | undefined,
): boolean {
  if (sameIdToken(reservation.idToken, idToken)) return true;
  return reservation.groupIdToken !== null && sameIdToken(reservation.groupIdToken, groupIdToken);
}

const usable = (c: ConnectorView) => c.operative && !c.faulted;
const ofType = (evse: EvseView, type: string | null) =>
  type === null ? evse.connectors : evse.connectors.filter((c) => c.type === type);

/**
 * How an EVSE looks to a reservation of `connectorType` (null: any connector). Undefined when the EVSE
 * has no connector of that type (it is not targeted). No usable connector: Faulted when all of them
 * are faulted, else Unavailable; a cable or a transaction: Occupied.
 *
 * @example
 * classifyEvse({ evseId: 1, transactionActive: false, connectors: [{ connectorId: 1, type: 'cType2', operative: true, faulted: false, plugged: true }] }, null); // 'Occupied'
 */
export function classifyEvse(evse: EvseView, connectorType: string | null): EvseReservability | undefined {
  const relevant = ofType(evse, connectorType);
  if (relevant.length === 0) return undefined;
  if (!relevant.some(usable)) return relevant.every((c) => c.faulted) ? 'Faulted' : 'Unavailable';
  if (evse.transactionActive || evse.connectors.some((c) => c.plugged)) return 'Occupied';
  return 'Available';
}

/** Can the reservation be served at this EVSE at all (type present and usable)? */
function canServe(reservation: ReservationRecord, evse: EvseView): boolean {
  if (reservation.evseId !== null) return reservation.evseId === evse.evseId;
  return ofType(evse, reservation.connectorType).some(usable);
}

/**
 * Can every reservation get an EVSE of its own from `pool` (Kuhn's augmenting paths)?
 *
 * @example
 * feasible([anyEvse, anyEvse], [evse1]); // false: two reservations, one EVSE
 */
export function feasible(reservations: readonly ReservationRecord[], pool: readonly EvseView[]): boolean {
  if (reservations.length > pool.length) return false;
  const owner = new Map<number, number>(); // pool index → reservation index
  const assign = (r: number, seen: Set<number>): boolean => {
    for (let e = 0; e < pool.length; e++) {
      if (seen.has(e) || !canServe(reservations[r] as ReservationRecord, pool[e] as EvseView)) continue;
      seen.add(e);
      const current = owner.get(e);
      if (current === undefined || assign(current, seen)) {
        owner.set(e, r);
        return true;
      }
    }
    return false;
  };
  return reservations.every((_, r) => assign(r, new Set()));
}

const specificIds = (reservations: readonly ReservationRecord[]) =>
  new Set(reservations.filter((r) => r.evseId !== null).map((r) => r.evseId as number));
const nonSpecific = (reservations: readonly ReservationRecord[]) =>
  reservations.filter((r) => r.evseId === null);

/**
 * The EVSEs a non-specific reservation may still be given: Available and not reserved by id; an EVSE
 * already marked Reserved stays in while a cable is plugged in (G01.FR.09: a plug-in does not end the
 * Reserved status; only the matching token does, H03.FR.09/10).
 */
function poolOf(
  evses: readonly EvseView[],
  reservations: readonly ReservationRecord[],
  sticky: readonly number[],
): EvseView[] {
  const specific = specificIds(reservations);
  return evses.filter((e) => {
    if (specific.has(e.evseId)) return false;
    const status = classifyEvse(e, null);
    return status === 'Available' || (status === 'Occupied' && sticky.includes(e.evseId));
  });
}

function marksOnce(
  evses: readonly EvseView[],
  reservations: readonly ReservationRecord[],
  sticky: readonly number[],
): number[] {
  const marked = new Set<number>();
  for (const id of specificIds(reservations)) if (evses.some((e) => e.evseId === id)) marked.add(id);
  const pool = poolOf(evses, reservations, sticky);
  const open = nonSpecific(reservations);
  if (open.length > 0) {
    for (const evse of pool) {
      // H01.FR.20/24: this EVSE is needed when the others cannot serve every reservation.
      if (
        !feasible(
          open,
          pool.filter((e) => e !== evse),
        )
      )
        marked.add(evse.evseId);
    }
  }
  return [...marked].sort((a, b) => a - b);
}

/**
 * The EVSEs whose connectors must show Reserved: every EVSE reserved by id (H01.FR.23) and every
 * EVSE without which a reservation without evseId could not be served (H01.FR.07/09/20/24).
 * `current`: the EVSEs marked now (a marked EVSE keeps its mark through a plug-in, G01.FR.09).
 *
 * @example
 * reservedEvses([evse1, evse2], [anyEvse], []); // []: two EVSEs can serve one reservation
 * reservedEvses([evse1], [anyEvse], []); // [1]: the last free EVSE is reserved (H01.FR.20)
 */
export function reservedEvses(
  evses: readonly EvseView[],
  reservations: readonly ReservationRecord[],
  current: readonly number[],
): number[] {
  let sticky = [...current];
  for (let i = 0; i <= evses.length + 1; i++) {
    const next = marksOnce(evses, reservations, sticky);
    if (next.join(',') === sticky.join(',')) return next;
    sticky = next;
  }
  return marksOnce(evses, reservations, sticky);
}

/** The ReserveNowRequest as the rules need it. */
export interface ReserveNowQuery {
  reservationId: number;
  evseId: number | null;
  connectorType: string | null;
}

export interface ReservationSettings {
  /** ReservationCtrlr.Enabled (and Available). */
  enabled: boolean;
  /** ReservationCtrlr.NonEvseSpecific. */
  nonEvseSpecific: boolean;
}

/** The answer for targeted EVSEs none of which can take the reservation (H01.FR.11/12/14). */
function unavailableAnswer(
  statuses: ReadonlyArray<EvseReservability | 'Reserved'>,
): ReserveNowStatusEnumType {
  if (statuses.every((s) => s === 'Faulted')) return 'Faulted';
  if (statuses.some((s) => s === 'Occupied' || s === 'Reserved' || s === 'Available')) return 'Occupied';
  return 'Unavailable';
}

/**
 * The ReserveNowResponse status. A reservation with the id of an existing one replaces it
 * (H01.FR.02): the existing one is left out of the decision.
 *
 * @example
 * decideReserveNow({ reservationId: 1, evseId: 1, connectorType: null }, evses, [], [], { enabled: true, nonEvseSpecific: false }); // 'Accepted'
 */
export function decideReserveNow(
  query: ReserveNowQuery,
  evses: readonly EvseView[],
  reservations: readonly ReservationRecord[],
  marks: readonly number[],
  settings: ReservationSettings,
): ReserveNowStatusEnumType {
  // H01.FR.01: not configured to accept reservations.
  if (!settings.enabled) return 'Rejected';
  const others = reservations.filter((r) => r.reservationId !== query.reservationId);
  const sticky = marks.filter(
    (id) => !reservations.some((r) => r.reservationId === query.reservationId && r.evseId === id),
  );
  if (query.evseId !== null) {
    const evse = evses.find((e) => e.evseId === query.evseId);
    if (!evse) return 'Rejected';
    const status = classifyEvse(evse, query.connectorType);
    // The EVSE has no connector of the requested type.
    if (status === undefined) return 'Rejected';
    // H01.FR.12/14/11.
    if (status !== 'Available') return status;
    if (specificIds(others).has(evse.evseId)) return 'Occupied';
    // Taking this EVSE must leave an EVSE for every reservation without evseId (H01.FR.07/09).
    const pool = poolOf(evses, others, sticky).filter((e) => e.evseId !== evse.evseId);
    if (!feasible(nonSpecific(others), pool)) return 'Occupied';
    // H01.FR.23.
    return 'Accepted';
  }
  // H01.FR.19 (also for a connectorType: H01.FR.06 requires H01.FR.18).
  if (!settings.nonEvseSpecific) return 'Rejected';
  const targeted = evses.filter((e) => classifyEvse(e, query.connectorType) !== undefined);
  // No connector of the requested type at this station.
  if (targeted.length === 0) return 'Rejected';
  const candidate: ReservationRecord = {
    reservationId: query.reservationId,
    evseId: null,
    connectorType: query.connectorType,
    idToken: { idToken: '', type: 'NoAuthorization' },
    groupIdToken: null,
    expiryDateTime: '',
  };
  // H01.FR.04/06: accepted when every reservation still gets an EVSE.
  if (feasible([...nonSpecific(others), candidate], poolOf(evses, others, sticky))) return 'Accepted';
  const specific = specificIds(others);
  return unavailableAnswer(
    targeted.map((e) => {
      const status = classifyEvse(e, query.connectorType) as EvseReservability;
      return status === 'Available' && specific.has(e.evseId) ? 'Reserved' : status;
    }),
  );
}

/** A check's answer with the reservation the token would use (consume) at that EVSE. */
export interface ReservationCheckResult {
  status: ReservationCheck;
  reservationId?: number;
}

/**
 * May this token (with the group its authorization gave) use this EVSE (H03)? ReservedForToken names
 * the reservation it consumes there (H03.FR.09): the EVSE's own reservation, else one of its
 * reservations without evseId that this EVSE can serve. An EVSE reserved by id, or marked Reserved
 * for reservations without evseId, is refused to other tokens (F02.FR.23/24); a token without a
 * group facing a reservation with a group gets ReservedForOtherTokenAndHasParentToken (the caller may
 * learn its group, H03.FR.07/08, and ask again).
 *
 * @example
 * checkReservation(1, { idToken: 'A', type: 'ISO14443' }, null, evses, reservations, [1]); // { status: 'ReservedForToken', reservationId: 5 }
 */
export function checkReservation(
  evseId: number,
  idToken: IdTokenType,
  groupIdToken: IdTokenType | null | undefined,
  evses: readonly EvseView[],
  reservations: readonly ReservationRecord[],
  marks: readonly number[],
): ReservationCheckResult {
  const evse = evses.find((e) => e.evseId === evseId);
  const own = reservations.find((r) => r.evseId === evseId);
  if (own) {
    if (tokenMatches(own, idToken, groupIdToken))
      return { status: 'ReservedForToken', reservationId: own.reservationId };
    return {
      status:
        own.groupIdToken !== null && (groupIdToken === null || groupIdToken === undefined)
          ? 'ReservedForOtherTokenAndHasParentToken'
          : 'ReservedForOtherToken',
    };
  }
  const mine = reservations.find(
    (r) =>
      r.evseId === null && tokenMatches(r, idToken, groupIdToken) && evse !== undefined && canServe(r, evse),
  );
  if (mine) return { status: 'ReservedForToken', reservationId: mine.reservationId };
  if (marks.includes(evseId)) return { status: 'ReservedForOtherToken' };
  return { status: 'NotReserved' };
}

/**
 * The EVSE reserved by id for this token, if any (a presentation without an EVSE goes there).
 *
 * @example
 * reservedEvseFor({ idToken: 'A', type: 'ISO14443' }, null, reservations); // 2
 */
export function reservedEvseFor(
  idToken: IdTokenType,
  groupIdToken: IdTokenType | null | undefined,
  reservations: readonly ReservationRecord[],
): number | undefined {
  return (
    reservations.find((r) => r.evseId !== null && tokenMatches(r, idToken, groupIdToken))?.evseId ?? undefined
  );
}

/**
 * Reservations to remove because what they target can no longer be used (H01.FR.16/17): an EVSE
 * reserved by id that is now Faulted or Unavailable; a reservation without evseId whose targeted
 * EVSEs are all Faulted or Unavailable.
 *
 * @example
 * reservationsToRemove([faultedEvse1], [onEvse1]); // [onEvse1.reservationId]
 */
export function reservationsToRemove(
  evses: readonly EvseView[],
  reservations: readonly ReservationRecord[],
): number[] {
  const gone = (s: EvseReservability | undefined) => s === 'Faulted' || s === 'Unavailable';
  return reservations
    .filter((r) => {
      if (r.evseId !== null) {
        const evse = evses.find((e) => e.evseId === r.evseId);
        return evse !== undefined && gone(classifyEvse(evse, r.connectorType));
      }
      const targeted = evses.map((e) => classifyEvse(e, r.connectorType)).filter((s) => s !== undefined);
      return targeted.length > 0 && targeted.every(gone);
    })
    .map((r) => r.reservationId);
}
