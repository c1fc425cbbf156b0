/**
 * The station's share of reservations (H01–H04): it answers ReserveNow and CancelReservation, keeps
 * the index of active reservations (each one's lifecycle is its own `reservation:<id>` actor,
 * machines/reservation.ts), learns the connectors' facts from the EVSEs, and marks the EVSEs whose
 * connectors must show Reserved (`reservation.mark` to `evse:<id>`, which tells its connectors).
 *
 * {@link reservationStep} is pure: from the station's context and one event it returns a plan
 * (context patch, actors to spawn, stop and tell, the reply); the station chart carries it out.
 */
import type { ReserveNowStatusEnumType } from '../src/generated/ocpp-types.js';
import {
  checkReservation,
  decideReserveNow,
  reservationsToRemove,
  reservedEvses,
  type ConnectorView,
  type EvseView,
  type ReservationRecord,
  type ReservationSettings,
} from './reservation-rules.js';
import {
  reservationActorId,
  type ReservationEvent,
  type ReservationInput,
  type ReservationOutput,
} from './reservation.js';

/** A reservation the station resumes at start: its persisted snapshot, or its record (rebuilt). */
export interface StationReservationInput {
  reservation: ReservationRecord;
  /** It was still active (held an EVSE) when stored. */
  active: boolean;
  /** Persisted snapshot of its actor; absent: start fresh from `reservation`. */
  restore?: unknown;
}

/** The station's reservation facts. */
export interface StationReservationContext {
  /** Active reservations (their actors own them; this is the station's index). */
  reservations: ReservationRecord[];
  /** What the connectors reported, by `evse/connector`; the type comes from the device model. */
  connectorFacts: Record<string, ConnectorView>;
  /** EVSEs marked Reserved now; null: not told yet (every EVSE is told at the next step). */
  reservedEvses: number[] | null;
  /**
   * Every connector started unmarked (no EVSE resumed from a snapshot, no reservation restored): the
   * EVSEs agree with the station already, so neither the first step nor `resumed` tells them again
   * (issue 9: eight events per fresh boot said "not reserved" to connectors that were not).
   */
  freshMarks: boolean;
  /**
   * Reservation actors alive (active or still notifying), by slot: slot n is the child
   * `reservationChildId(n)` and holds its reservationId, null when free. Child ids are per slot, not
   * per reservation, because each child id is an event type (`xstate.done.actor.<id>`) that xstate
   * caches for good on the station's shared machine definition (issue 9).
   */
  reservationActors: Array<number | null>;
  /** Reservations to spawn when the station starts (then null). */
  restoredReservations: StationReservationInput[] | null;
}

/** What the station knows besides: its EVSEs and where transactions run. */
interface StationFacts {
  evses: ReadonlyArray<{ evseId: number; connectorIds: number[] }>;
  activeEvses: readonly number[];
}

export type ReserveNowReply = (status: ReserveNowStatusEnumType) => void;
export type CancelReservationReply = (accepted: boolean) => void;

/** Reservation events of the station. */
export type StationReservationEvent =
  /** H01: decided by the station; `reply` gets the ReserveNowResponse status. */
  | {
      type: 'csms.reserveNow';
      reservation: ReservationRecord;
      settings: ReservationSettings;
      /** Only decide (the answer the station would give now); nothing changes. */
      dryRun?: boolean;
      reply?: ReserveNowReply;
    }
  /** H02: `reply` gets whether a reservation with that id was active (Accepted) or not (Rejected). */
  | { type: 'csms.cancelReservation'; reservationId: number; reply?: CancelReservationReply }
  /** A connector's facts (reported by its EVSE). */
  | ({ type: 'evse.connectorFacts'; evseId: number } & Omit<ConnectorView, 'type'>)
  | ReservationOutput;

/** Events of other concerns the reservations also follow. */
type FollowedEvent =
  | { type: 'auth.accepted' | 'auth.remoteStart'; evseId: number; reservationId?: number }
  | { type: 'evse.transaction' }
  | { type: 'resumed' }
  | { type: `xstate.done.actor.${string}` };

/** What the station does for one event. */
export interface ReservationPlan {
  patch: Partial<StationReservationContext>;
  /** `id`: the child id (a slot, {@link reservationChildId}); `systemId`: `reservation:<reservationId>`. */
  spawn: Array<{ id: string; systemId: string; input: ReservationInput | { restore: unknown } }>;
  stop: string[];
  send: Array<{ to: string; event: ReservationEvent | { type: 'reservation.mark'; reserved: boolean } }>;
  reply?:
    | { kind: 'reserveNow'; status: ReserveNowStatusEnumType }
    | { kind: 'cancelReservation'; accepted: boolean };
}

const factKey = (evseId: number, connectorId: number) => `${evseId}/${connectorId}`;

const CHILD_PREFIX = 'reservation-slot:';

/**
 * The child id of the reservation actor in slot `slot` of the station (its systemId stays
 * `reservation:<reservationId>`, {@link reservationActorId}).
 *
 * @example
 * reservationChildId(0); // 'reservation-slot:0'
 */
export const reservationChildId = (slot: number) => `${CHILD_PREFIX}${slot}`;

/** The slots with `reservationId` in the first free one (a new slot at the end when none is). */
function takeSlot(actors: ReadonlyArray<number | null>, reservationId: number): { actors: Array<number | null>; slot: number } {
  const free = actors.indexOf(null);
  const slot = free === -1 ? actors.length : free;
  const next = [...actors];
  next[slot] = reservationId;
  return { actors: next, slot };
}

/** The slots with `slot` freed (trailing free slots dropped, so the array stays as short as the busiest moment needs). */
function freeSlot(actors: ReadonlyArray<number | null>, slot: number): Array<number | null> {
  const next = [...actors];
  if (slot >= 0 && slot < next.length) next[slot] = null;
  while (next.length > 0 && next[next.length - 1] === null) next.pop();
  return next;
}

/**
 * The station's initial reservation context: connector facts from the EVSE inputs (operative as set,
 * nothing plugged or faulted until the connectors report) and the reservations to resume.
 *
 * @example
 * initialReservationContext([{ evseId: 1, connectorIds: [1] }], { '1/1': 'cType2' }, []);
 */
export function initialReservationContext(
  evses: ReadonlyArray<{ evseId: number; connectorIds: number[]; restore?: unknown }>,
  connectorTypes: Readonly<Record<string, string>>,
  restored: readonly StationReservationInput[],
): StationReservationContext {
  const connectorFacts: Record<string, ConnectorView> = {};
  for (const evse of evses) {
    for (const connectorId of evse.connectorIds) {
      const key = factKey(evse.evseId, connectorId);
      connectorFacts[key] = {
        connectorId,
        type: connectorTypes[key] ?? null,
        operative: true,
        faulted: false,
        plugged: false,
      };
    }
  }
  const fresh = restored.length === 0 && evses.every((evse) => evse.restore === undefined);
  return {
    reservations: restored.filter((r) => r.active).map((r) => r.reservation),
    connectorFacts,
    reservedEvses: fresh ? [] : null,
    freshMarks: fresh,
    // Slot i is restored[i] (the station spawns them so at start).
    reservationActors: restored.map((r) => r.reservation.reservationId),
    restoredReservations: restored.length > 0 ? [...restored] : null,
  };
}

/**
 * The EVSEs as the reservation rules see them.
 *
 * @example
 * evseViews(context); // [{ evseId: 1, connectors: [...], transactionActive: false }]
 */
export function evseViews(context: StationReservationContext & StationFacts): EvseView[] {
  return context.evses.map((evse) => ({
    evseId: evse.evseId,
    transactionActive: context.activeEvses.includes(evse.evseId),
    connectors: evse.connectorIds.map(
      (connectorId) =>
        context.connectorFacts[factKey(evse.evseId, connectorId)] ?? {
          connectorId,
          type: null,
          operative: true,
          faulted: false,
          plugged: false,
        },
    ),
  }));
}

/**
 * The reservation check of the station's own bookkeeping (H03; F02.FR.23/24).
 *
 * @example
 * stationReservationCheck(context, 1, token, group); // { status: 'ReservedForOtherToken' }
 */
export function stationReservationCheck(
  context: StationReservationContext & StationFacts,
  evseId: number,
  idToken: ReservationRecord['idToken'],
  groupIdToken: ReservationRecord['groupIdToken'] | undefined,
) {
  return checkReservation(
    evseId,
    idToken,
    groupIdToken,
    evseViews(context),
    context.reservations,
    context.reservedEvses ?? [],
  );
}

function emptyPlan(): ReservationPlan {
  return { patch: {}, spawn: [], stop: [], send: [] };
}

/**
 * What the station does about reservations for one event (pure).
 *
 * @example
 * const plan = reservationStep(context, { type: 'csms.cancelReservation', reservationId: 9 });
 * plan.reply; // { kind: 'cancelReservation', accepted: false } (H02.FR.01)
 */
export function reservationStep(
  context: StationReservationContext & StationFacts,
  event: StationReservationEvent | FollowedEvent,
): ReservationPlan {
  const plan = emptyPlan();
  let reservations = context.reservations;
  let actors = context.reservationActors;
  let facts = context.connectorFacts;
  let sticky = context.reservedEvses ?? [];
  let force = context.reservedEvses === null;
  const tell = (reservationId: number, message: ReservationEvent) => {
    const slot = actors.indexOf(reservationId);
    // Every reservation in the index has an actor; a missing one is not sent to (that would stop the station).
    if (slot !== -1) plan.send.push({ to: reservationChildId(slot), event: message });
  };

  switch (event.type) {
    case 'csms.reserveNow': {
      const r = event.reservation;
      const status = decideReserveNow(
        { reservationId: r.reservationId, evseId: r.evseId, connectorType: r.connectorType },
        evseViews(context),
        reservations,
        sticky,
        event.settings,
      );
      plan.reply = { kind: 'reserveNow', status };
      if (status !== 'Accepted' || event.dryRun === true) return plan;
      if (reservations.some((x) => x.reservationId === r.reservationId)) {
        // H01.FR.02: the same id replaces the reservation (its actor takes the new terms).
        tell(r.reservationId, { type: 'reservation.replace', reservation: r });
        sticky = sticky.filter(
          (id) => !reservations.some((x) => x.reservationId === r.reservationId && x.evseId === id),
        );
        reservations = reservations.map((x) => (x.reservationId === r.reservationId ? r : x));
      } else {
        // An ended reservation of the same id still finishing its ReservationStatusUpdate gives way
        // (the new actor takes its slot).
        const previous = actors.indexOf(r.reservationId);
        if (previous !== -1) plan.stop.push(reservationChildId(previous));
        const taken = previous !== -1 ? { actors, slot: previous } : takeSlot(actors, r.reservationId);
        actors = taken.actors;
        plan.spawn.push({
          id: reservationChildId(taken.slot),
          systemId: reservationActorId(r.reservationId),
          input: { reservation: r },
        });
        reservations = [...reservations, r];
      }
      break;
    }
    case 'csms.cancelReservation': {
      const known = reservations.some((r) => r.reservationId === event.reservationId);
      // H02.FR.01 / H02.FR.02.
      plan.reply = { kind: 'cancelReservation', accepted: known };
      if (!known) return plan;
      tell(event.reservationId, { type: 'reservation.cancel' });
      reservations = reservations.filter((r) => r.reservationId !== event.reservationId);
      break;
    }
    case 'reservation.ended':
      reservations = reservations.filter((r) => r.reservationId !== event.reservationId);
      break;
    case 'evse.connectorFacts': {
      const key = factKey(event.evseId, event.connectorId);
      const before = facts[key];
      facts = {
        ...facts,
        [key]: {
          connectorId: event.connectorId,
          type: before?.type ?? null,
          operative: event.operative,
          faulted: event.faulted,
          plugged: event.plugged,
        },
      };
      // H01.FR.16/17: what a reservation targets became Faulted or Unavailable: removed.
      const views = evseViews({ ...context, connectorFacts: facts });
      for (const reservationId of reservationsToRemove(views, reservations)) {
        tell(reservationId, { type: 'reservation.remove' });
        reservations = reservations.filter((r) => r.reservationId !== reservationId);
      }
      break;
    }
    case 'auth.accepted':
    case 'auth.remoteStart': {
      const used = event.reservationId;
      if (used === undefined || !reservations.some((r) => r.reservationId === used)) return plan;
      // H03.FR.09: consumed; its EVSE is the driver's now (H03.FR.10: Available, or Occupied with a cable).
      tell(used, { type: 'reservation.use' });
      reservations = reservations.filter((r) => r.reservationId !== used);
      sticky = sticky.filter((id) => id !== event.evseId);
      break;
    }
    case 'resumed':
      // Restored connectors carry their marks; tell every EVSE again so that they agree.
      force = !context.freshMarks;
      break;
    case 'evse.transaction':
      break;
    default: {
      const prefix = `xstate.done.actor.${CHILD_PREFIX}`;
      if (!event.type.startsWith(prefix)) return plan;
      const slot = Number(event.type.slice(prefix.length));
      if (!Number.isInteger(slot) || actors[slot] === undefined || actors[slot] === null) return plan;
      plan.stop.push(reservationChildId(slot));
      plan.patch.reservationActors = freeSlot(actors, slot);
      return plan;
    }
  }
  const marks = reservedEvses(evseViews({ ...context, connectorFacts: facts }), reservations, sticky);
  for (const evse of context.evses) {
    const now = marks.includes(evse.evseId);
    if (force || context.reservedEvses?.includes(evse.evseId) !== now) {
      plan.send.push({ to: `evse:${evse.evseId}`, event: { type: 'reservation.mark', reserved: now } });
    }
  }
  plan.patch = {
    ...plan.patch,
    reservations,
    reservationActors: actors,
    connectorFacts: facts,
    reservedEvses: marks,
  };
  return plan;
}
