/**
 * Projection of the connector chart (machines/connector.ts) and the availability part of the EVSE
 * chart (machines/evse.ts) as the outside sees them: one EVSE with one connector, the facts the
 * host and the CSMS can change (cable, fault, ChangeAvailability on the EVSE and on the station,
 * a reservation), and the connector status (G01) the CSMS must be told.
 *
 * Written from the spec, not from the production code: the status precedence is G01 with the
 * errata (Faulted > Unavailable > Reserved > Occupied > Available), a reservation is only accepted
 * on an Available EVSE (H01.FR.04/06/07) and is removed when its EVSE becomes Faulted or
 * Unavailable (H01.FR.16/17). Each transition names (meta.fires) the production transitions the
 * runtime must take; availability.model.test.ts checks the naming is complete and true.
 */
import { assign, setup, type AnyStateMachine } from 'xstate';

export interface Facts {
  plugged: boolean;
  faulted: boolean;
  evseOperative: boolean;
  stationOperative: boolean;
  reserved: boolean;
}

export type Status = 'Available' | 'Occupied' | 'Reserved' | 'Unavailable' | 'Faulted';
export const STATUSES: readonly Status[] = ['Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted'];

export type AvailabilityEvent =
  | { type: 'PLUG' }
  | { type: 'UNPLUG' }
  | { type: 'FAULT' }
  | { type: 'CLEAR_FAULT' }
  | { type: 'EVSE_INOPERATIVE' }
  | { type: 'EVSE_OPERATIVE' }
  | { type: 'STATION_INOPERATIVE' }
  | { type: 'STATION_OPERATIVE' }
  | { type: 'RESERVE' }
  | { type: 'CANCEL_RESERVATION' };

/** G01 (errata): the status a connector with these facts shows. */
export function statusOf(f: Facts): Status {
  if (f.faulted) return 'Faulted';
  if (!f.evseOperative || !f.stationOperative) return 'Unavailable';
  if (f.reserved) return 'Reserved';
  if (f.plugged) return 'Occupied';
  return 'Available';
}

const operative = (f: Facts) => f.evseOperative && f.stationOperative;

/** Production transition keys (model-coverage.ts) the projection names. */
const K = {
  fact: (event: string) => `connector.facts.tracking --${event}--> (internal)`,
  status: (from: Status, to: Status) => {
    const others = STATUSES.filter((s) => s !== from);
    return `connector.status.${from} --(always)#${others.indexOf(to)}--> connector.status.${to}`;
  },
  reportSend: 'connector.report.idle --(always)--> connector.report.sending',
  reportDone:
    'connector.report.sending --statusNotification.done--> connector.report.idle',
  evse: (event: string) => `evse --${event}--> (internal)`,
  reservationCancel: 'reservation.active --reservation.cancel--> reservation.done',
  reservationRemove: 'reservation.active --reservation.remove--> reservation.notifying',
  reservationNotified:
    'reservation.notifying --xstate.done.actor.0.reservation.notifying--> reservation.done',
};

interface Change {
  /** May the outside do it now (else the event is not offered)? */
  enabled: (f: Facts) => boolean;
  apply: (f: Facts) => Facts;
  /** Production transitions it fires whatever the status does. */
  fires: (before: Facts, after: Facts) => string[];
}

const hw = (event: string) => [K.fact(event), K.evse('hw.*'), K.evse('connector.facts')];
/** The connector's effective operative status changed: it is told, and tells its facts on. */
const effective = (before: Facts, after: Facts) =>
  operative(before) === operative(after) ? [] : [K.fact('availability.effective'), K.evse('connector.facts')];
/** H01.FR.16/17: a reservation on an EVSE that becomes Faulted or Unavailable is removed. */
const removal = (before: Facts, after: Facts) =>
  before.reserved && !after.reserved
    ? [K.reservationRemove, K.reservationNotified, K.evse('reservation.mark'), K.fact('reservation.changed')]
    : [];
const dropReservation = (f: Facts): Facts => ({ ...f, reserved: false });

const CHANGES: Record<AvailabilityEvent['type'], Change> = {
  PLUG: {
    enabled: (f) => !f.plugged,
    apply: (f) => ({ ...f, plugged: true }),
    fires: () => hw('hw.plugged'),
  },
  UNPLUG: {
    enabled: (f) => f.plugged,
    apply: (f) => ({ ...f, plugged: false }),
    fires: () => hw('hw.unplugged'),
  },
  FAULT: {
    enabled: (f) => !f.faulted,
    apply: (f) => dropReservation({ ...f, faulted: true }),
    fires: (b, a) => [...hw('hw.faulted'), ...removal(b, a)],
  },
  CLEAR_FAULT: {
    enabled: (f) => f.faulted,
    apply: (f) => ({ ...f, faulted: false }),
    fires: () => hw('hw.faultCleared'),
  },
  EVSE_INOPERATIVE: {
    enabled: (f) => f.evseOperative,
    apply: (f) => dropReservation({ ...f, evseOperative: false }),
    fires: (b, a) => [K.evse('csms.changeAvailability'), ...effective(b, a), ...removal(b, a)],
  },
  EVSE_OPERATIVE: {
    enabled: (f) => !f.evseOperative,
    apply: (f) => ({ ...f, evseOperative: true }),
    fires: (b, a) => [K.evse('csms.changeAvailability'), ...effective(b, a)],
  },
  STATION_INOPERATIVE: {
    enabled: (f) => f.stationOperative,
    apply: (f) => dropReservation({ ...f, stationOperative: false }),
    fires: (b, a) => [K.evse('availability.station'), ...effective(b, a), ...removal(b, a)],
  },
  STATION_OPERATIVE: {
    enabled: (f) => !f.stationOperative,
    apply: (f) => ({ ...f, stationOperative: true }),
    fires: (b, a) => [K.evse('availability.station'), ...effective(b, a)],
  },
  // H01.FR.04/06/07: ReserveNow is Accepted only for an Available EVSE.
  RESERVE: {
    enabled: (f) => statusOf(f) === 'Available',
    apply: (f) => ({ ...f, reserved: true }),
    fires: () => [K.evse('reservation.mark'), K.fact('reservation.changed')],
  },
  // H02.FR.02: cancelled by the CSMS, no ReservationStatusUpdate.
  CANCEL_RESERVATION: {
    enabled: (f) => f.reserved,
    apply: (f) => ({ ...f, reserved: false }),
    fires: () => [K.reservationCancel, K.evse('reservation.mark'), K.fact('reservation.changed')],
  },
};

/** The facts the outside can bring about from the start (a breadth-first closure over CHANGES). */
const ALL_FACTS: Facts[] = (() => {
  const start: Facts = {
    plugged: false,
    faulted: false,
    evseOperative: true,
    stationOperative: true,
    reserved: false,
  };
  const seen = new Map([[JSON.stringify(start), start]]);
  const queue = [start];
  while (queue.length > 0) {
    const f = queue.shift() as Facts;
    for (const change of Object.values(CHANGES)) {
      if (!change.enabled(f)) continue;
      const next = change.apply(f);
      const key = JSON.stringify(next);
      if (seen.has(key)) continue;
      seen.set(key, next);
      queue.push(next);
    }
  }
  return [...seen.values()];
})();

/** The transitions of status state `from`: per event, one guarded candidate per status it can lead to. */
function statusState(from: Status) {
  const on: Record<string, unknown[]> = {};
  for (const [type, change] of Object.entries(CHANGES)) {
    // Only the status changes some facts allow (a candidate no facts can take would name a
    // production transition the projection never takes).
    const possible = STATUSES.filter((to) =>
      ALL_FACTS.some((f) => statusOf(f) === from && change.enabled(f) && statusOf(change.apply(f)) === to),
    );
    if (possible.length === 0) continue;
    on[type] = possible.map((to) => ({
      guard: ({ context }: { context: Facts }) =>
        change.enabled(context) && statusOf(change.apply(context)) === to,
      target: to,
      actions: assign(({ context }: { context: Facts }) => change.apply(context)),
      meta: {
        // The facts a guard allows here decide the exact keys; they are resolved per step by `firesFor`.
        event: type,
        fires: [
          ...(to === from ? [] : [K.status(from, to), K.reportSend, K.reportDone]),
          ...allFires(change),
        ],
      },
    }));
  }
  return { on };
}

/** Every key a change can fire (for the static completeness check); a step checks `firesFor`. */
function allFires(change: Change): string[] {
  const keys = new Set<string>();
  for (const b of ALL_FACTS)
    if (change.enabled(b)) for (const k of change.fires(b, change.apply(b))) keys.add(k);
  return [...keys];
}

/**
 * The production transitions one step must fire: the status change and report, and exactly the
 * fact keys these facts lead to (the static meta lists every key the event can fire).
 */
export function firesFor(before: Facts, event: AvailabilityEvent['type']): string[] {
  const change = CHANGES[event];
  const after = change.apply(before);
  const from = statusOf(before);
  const to = statusOf(after);
  return [
    ...(to === from ? [] : [K.status(from, to), K.reportSend, K.reportDone]),
    ...change.fires(before, after),
  ];
}

export const INITIAL_FACTS: Facts = {
  plugged: false,
  faulted: false,
  evseOperative: true,
  stationOperative: true,
  reserved: false,
};

/** (Typed loosely: its states are generated.) */
export const availabilityProjection: AnyStateMachine = setup({
  types: { context: {} as Facts, events: {} as AvailabilityEvent },
}).createMachine({
  id: 'availabilityProjection',
  context: INITIAL_FACTS,
  initial: 'Available',
  states: Object.fromEntries(STATUSES.map((s) => [s, statusState(s)])) as never,
}) as unknown as AnyStateMachine;

/**
 * Transitions of the connector chart no outside event can take, and why: a status needs a
 * reservation on an EVSE that cannot have one at that moment.
 */
export const UNREACHABLE: Record<string, string> = {
  [K.status('Occupied', 'Reserved')]:
    'a reservation needs an Available EVSE (H01.FR.06: ReserveNow on an EVSE with a cable in is answered Occupied)',
  [K.status('Unavailable', 'Reserved')]:
    'ReserveNow on an Unavailable EVSE is Rejected/Unavailable (H01.FR.07), and a reservation is removed when its EVSE becomes Unavailable (H01.FR.17)',
  [K.status('Faulted', 'Reserved')]:
    'ReserveNow on a Faulted EVSE is answered Faulted (H01.FR.04), and a reservation is removed when its EVSE becomes Faulted (H01.FR.16)',
};
