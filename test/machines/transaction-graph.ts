/**
 * xstate/graph over the production transaction chart (machines/transaction.ts): settings profiles,
 * a representative set of sample events (each at the station time one second after the last event,
 * or a wait ending at its deadline), and the abstraction of a snapshot the walk tells states apart
 * by. Shared by the snapshot round-trip tests and the model-based tests of the runtime.
 *
 * Time in the walk: every fact happens one second after the last event, and only while no wait is
 * due; a wait ends (its `xstate.done.actor.<id>` event) only when it is the earliest one due, at
 * its deadline. So the paths are the ones a station clock running forward can produce.
 */
import {
  createEmptyActor,
  type AnyActorScope,
  type AnyStateMachine,
  type EventObject,
  type SnapshotFrom,
} from 'xstate';
import { getAdjacencyMap, type StatePath } from 'xstate/graph';
import { addSeconds } from '../../machines/deadline.js';
import { formatInstant, instantMs } from '../../machines/instant.js';
import { transactionMachine } from '../../machines/transaction.js';
import type {
  TransactionContext,
  TransactionEvent,
  TransactionInput,
  TxSettings,
} from '../../machines/transaction-rules.js';
import type { IdTokenType } from '../../src/generated/ocpp-types.js';
import { TX_SETTINGS } from './tx-settings-fixture.js';

/** Midnight: the clock-aligned grids start here. */
export const T0 = '2026-01-01T00:00:00.000Z';

export type TxSnapshot = SnapshotFrom<typeof transactionMachine>;
/** A sample event: a session event, or a wait of the chart ending (`output`: the time it fired). */
export type TxGraphEvent = TransactionEvent | { type: `xstate.done.actor.${string}`; output: string };
export type TxPath = StatePath<TxSnapshot, TxGraphEvent>;

export const TOKEN_A: IdTokenType = { idToken: 'GRAPH-A', type: 'ISO14443' };
export const TOKEN_REMOTE: IdTokenType = { idToken: 'GRAPH-R', type: 'Central' };
export const REMOTE_START_ID = 7;

/** Settings profiles the walk runs with: together they reach every region of the chart. */
export const TX_PROFILES: Record<string, TxSettings> = {
  /** The shipped defaults (TxStartPoint PowerPathClosed, TxStopPoint EVConnected,Authorized) with every meter-value wait on. */
  'PowerPathClosed / EVConnected,Authorized': {
    ...TX_SETTINGS,
    txUpdatedIntervalS: 60,
    txEndedIntervalS: 30,
    alignedIntervalS: 900,
    alignedTxEndedIntervalS: 900,
  },
  /** The authorization and the EV may come and go while the bay is occupied; a fixed cable; invalid ids limited by energy. */
  'Authorized,EVConnected / ParkingBayOccupancy': {
    ...TX_SETTINGS,
    startPoints: ['Authorized', 'EVConnected'],
    stopPoints: ['ParkingBayOccupancy'],
    evConnectionTimeOutS: 90,
    stopTxOnEVSideDisconnect: false,
    stopTxOnInvalidId: false,
    maxEnergyOnInvalidIdWh: 1000,
    fixedCableConnectors: [1],
    txEndedIntervalS: 30,
  },
  /** Energy decides: the transaction starts and ends with the energy flow. */
  'EnergyTransfer / EnergyTransfer': {
    ...TX_SETTINGS,
    startPoints: ['EnergyTransfer'],
    stopPoints: ['EnergyTransfer'],
    stopTxOnInvalidId: false,
    evConnectionTimeOutS: 60,
    txUpdatedIntervalS: 60,
  },
  /** The bay or a signed meter reading starts it; the EV may leave without ending the authorization. */
  'ParkingBayOccupancy,DataSigned / EVConnected': {
    ...TX_SETTINGS,
    startPoints: ['ParkingBayOccupancy', 'DataSigned'],
    stopPoints: ['EVConnected'],
    stopTxOnEVSideDisconnect: false,
    alignedIntervalS: 900,
  },
  /** The host starts and finishes transactions (libocpp style). */
  'host control': { ...TX_SETTINGS, control: 'host', txEndedIntervalS: 30 },
};

export const txInput = (settings: TxSettings, transactionId = 'tx-graph'): TransactionInput => ({
  evseId: 1,
  transactionId,
  settings,
  at: T0,
});

/** The next instant of a grid of `intervalS` seconds from midnight (UTC) after `iso`. */
export function nextGrid(iso: string, intervalS: number): string {
  const step = intervalS * 1000;
  return formatInstant((Math.floor(instantMs(iso) / step) + 1) * step);
}

/** The waits the chart runs in this snapshot, with the instant each ends. */
export function pendingWaits(snapshot: TxSnapshot): Array<{ id: string; at: string }> {
  const c = snapshot.context;
  const children = snapshot.children as Record<string, unknown>;
  const waits: Array<{ id: string; at: string | null }> = [
    { id: 'evConnection', at: c.evConnectionTimeoutAt },
    { id: 'periodic', at: c.nextPeriodicAt },
    { id: 'endedSample', at: c.nextEndedSampleAt },
    {
      id: 'clock',
      at: c.settings.alignedIntervalS > 0 ? nextGrid(c.lastEventAt, c.settings.alignedIntervalS) : null,
    },
    {
      id: 'alignedEndedSample',
      at:
        c.settings.alignedTxEndedIntervalS > 0
          ? nextGrid(c.lastEventAt, c.settings.alignedTxEndedIntervalS)
          : null,
    },
  ];
  return waits.filter((w): w is { id: string; at: string } => w.at !== null && children[w.id] !== undefined);
}

/** The facts and commands of a session, at `at`. */
export function txFacts(c: TransactionContext, at: string): TransactionEvent[] {
  const events: TransactionEvent[] = [
    { type: 'ev.connected', connectorId: 1, at },
    { type: 'ev.disconnected', connectorId: 1, at },
    { type: 'bay.occupied', at },
    { type: 'bay.vacated', at },
    { type: 'auth.accepted', idToken: TOKEN_A, at, energyWh: 1000 },
    { type: 'auth.remoteStart', idToken: TOKEN_REMOTE, remoteStartId: REMOTE_START_ID, at },
    { type: 'auth.stop', idToken: TOKEN_A, reason: 'Local', at },
    { type: 'remote.stop', at },
    { type: 'charging.state', state: 'Charging', at, energyWh: 1000 },
    { type: 'charging.state', state: 'SuspendedEV', at },
    { type: 'charging.state', state: null, at },
    { type: 'meter.energy', at, energyWh: 2500 },
    { type: 'connector.lockFailed', at },
    { type: 'connector.faulted', at },
    { type: 'connector.faultCleared', at },
    { type: 'trigger.transactionEvent', at },
    { type: 'reset.immediate', at },
    { type: 'resumed', at, resumeTransactions: true, settings: c.settings },
    { type: 'resumed', at, resumeTransactions: false, settings: c.settings },
  ];
  if (c.settings.startPoints.includes('DataSigned'))
    events.push({ type: 'meter.signed', at, energyWh: 1000 });
  if (c.idTokenSeqNo !== null) {
    // E05: the CSMS says the token of the event that carried it is not valid.
    events.push({
      type: 'tx.answered',
      seqNo: c.idTokenSeqNo,
      idTokenInfo: { status: 'Invalid' },
      at,
      energyWh: 1200,
    });
  }
  if (c.settings.control === 'host') {
    events.push({ type: 'host.start', at, energyWh: 1000 }, { type: 'host.finish', reason: 'Local', at });
  }
  return events;
}

/** Sample events in a snapshot: facts while no wait is due, else the earliest wait(s) ending. */
export function txGraphEvents(snapshot: TxSnapshot): TxGraphEvent[] {
  const c = snapshot.context;
  const waits = pendingWaits(snapshot);
  const earliest = Math.min(...waits.map((w) => instantMs(w.at)));
  const at = addSeconds(c.lastEventAt, 1);
  const events: TxGraphEvent[] = instantMs(at) < earliest ? txFacts(c, at) : [];
  for (const w of waits) {
    if (instantMs(w.at) === earliest) events.push({ type: `xstate.done.actor.${w.id}`, output: w.at });
  }
  return events;
}

/**
 * What the walk tells states apart by: the chart's state and the facts that decide what comes
 * next (not seqNo or times, which would make the state space infinite).
 */
export function txAbstractState(snapshot: TxSnapshot): string {
  const c = snapshot.context;
  return JSON.stringify([
    snapshot.value,
    c.started,
    c.ended,
    c.authorized,
    c.evConnected,
    c.parked,
    c.hostState,
    c.faulted || c.lockFailed,
    c.invalidId === null ? null : c.invalidId.suspended,
  ]);
}

/**
 * A production chart as the graph walks it. The walk's stand-in actor scope has no parent (the
 * transaction and EVSE charts tell theirs what happened) and one actor system for every branch it
 * explores (a child spawned with the same systemId on two branches would collide): the walk gets
 * a parent, and with `systemPerStep` each step a system of its own.
 */
export function graphLogic<T extends AnyStateMachine>(
  machine: T,
  options: { systemPerStep?: boolean } = {},
): T {
  const logic = Object.create(machine) as T;
  const shared = createEmptyActor();
  const sharedSelf = Object.assign(createEmptyActor(), { _parent: shared });
  const scoped = (scope: AnyActorScope): AnyActorScope => {
    if (!options.systemPerStep) return { ...scope, self: sharedSelf, system: sharedSelf.system };
    const self = Object.assign(createEmptyActor(), { _parent: shared });
    return { ...scope, self, system: self.system };
  };
  logic.transition = ((snapshot: unknown, event: EventObject, scope: AnyActorScope) =>
    machine.transition(snapshot as never, event as never, scoped(scope))) as T['transition'];
  logic.getInitialSnapshot = ((scope: AnyActorScope, input: unknown) =>
    machine.getInitialSnapshot(scoped(scope), input as never)) as T['getInitialSnapshot'];
  return logic;
}

/**
 * A path to every abstract state of the chart under one settings profile, from xstate/graph's
 * adjacency map (a breadth-first walk: each path is a shortest one).
 *
 * The adjacency map keeps, for every abstract state, the first concrete snapshot that reached it,
 * and that snapshot is the very object the transition of its discoverer produced; following those
 * discoveries back gives paths whose steps are the exact snapshots the events lead to (times,
 * seqNo and deadlines included), so a live actor replaying a path must match them field for field.
 * (getShortestPaths would merge concrete snapshots of one abstract state and lose that.)
 */
export function txPaths(settings: TxSettings): TxPath[] {
  return txWalk(settings).paths;
}

/** {@link txPaths}, with the chart's state-level transitions the walk found (`value --event--> value`). */
export function txWalk(settings: TxSettings): { paths: TxPath[]; transitions: Set<string> } {
  const { paths, adjacency } = adjacencyWalk(graphLogic(transactionMachine), {
    input: txInput(settings),
    events: txGraphEvents as never,
    serializeState: txAbstractState as never,
    // Every sample is given explicitly; a bare event type (no time) is not a fact of a session.
    filterEvents: (_snapshot, event) => 'at' in event || 'output' in event,
  });
  return {
    paths: paths as unknown as TxPath[],
    transitions: transitionsOf(adjacency, (state) => JSON.stringify(state.value)),
  };
}

/** The transitions of an adjacency map, as `from --event type--> to` in the terms of `describe`. */
export function transitionsOf<S>(
  adjacency: Record<string, { state: S; transitions: Record<string, { event: { type: string }; state: S }> }>,
  describe: (state: S) => string,
): Set<string> {
  const edges = new Set<string>();
  for (const { state, transitions } of Object.values(adjacency)) {
    for (const { event, state: next } of Object.values(transitions)) {
      edges.add(`${describe(state)} --${event.type}--> ${describe(next)}`);
    }
  }
  return edges;
}

/**
 * xstate/graph's adjacency map of a chart (getAdjacencyMap) and the discovery path to each of its
 * states; `options.serializeState` must be given (it is what tells states apart).
 */
export function adjacencyPaths<T extends AnyStateMachine>(
  logic: T,
  options: Parameters<typeof getAdjacencyMap<SnapshotFrom<T>, EventObject, unknown>>[1],
): Array<GraphPath<SnapshotFrom<T>, EventObject>> {
  return adjacencyWalk(logic, options).paths;
}

export interface GraphPath<S, E> {
  state: S;
  steps: Array<{ state: S; event: E }>;
  weight: number;
}

/** {@link adjacencyPaths}, with the adjacency map itself (every transition the walk found). */
export function adjacencyWalk<T extends AnyStateMachine>(
  logic: T,
  options: Parameters<typeof getAdjacencyMap<SnapshotFrom<T>, EventObject, unknown>>[1],
): {
  paths: Array<GraphPath<SnapshotFrom<T>, EventObject>>;
  adjacency: Record<
    string,
    { state: SnapshotFrom<T>; transitions: Record<string, { event: EventObject; state: SnapshotFrom<T> }> }
  >;
} {
  const serialize = options.serializeState as (state: SnapshotFrom<T>) => string;
  const adjacency = getAdjacencyMap(logic as never, options as never) as unknown as Record<
    string,
    { state: SnapshotFrom<T>; transitions: Record<string, { event: EventObject; state: SnapshotFrom<T> }> }
  >;
  return { paths: discoveryPaths(adjacency, (state) => serialize(state)), adjacency };
}

/** Paths along which a breadth-first walk discovered each state of an adjacency map. */
export function discoveryPaths<S extends { value: unknown }, E extends { type: string }>(
  adjacency: Record<string, { state: S; transitions: Record<string, { event: E; state: S }> }>,
  serialize: (state: S) => string,
): Array<GraphPath<S, E>> {
  const keys = Object.keys(adjacency);
  const initial = keys[0];
  if (initial === undefined) return [];
  const discoveredBy = new Map<string, { from: string; event: E }>();
  for (const from of keys) {
    for (const { event, state } of Object.values(adjacency[from]?.transitions ?? {})) {
      const key = serialize(state);
      if (key !== initial && !discoveredBy.has(key) && adjacency[key]?.state === state) {
        discoveredBy.set(key, { from, event });
      }
    }
  }
  return keys.map((key) => {
    const steps: Array<{ state: S; event: E }> = [];
    let at = key;
    while (at !== initial) {
      const edge = discoveredBy.get(at);
      if (!edge) throw new Error(`no discovering transition for ${at}`);
      steps.unshift({ state: (adjacency[at] as { state: S }).state, event: edge.event });
      at = edge.from;
    }
    steps.unshift({ state: (adjacency[initial] as { state: S }).state, event: { type: 'xstate.init' } as E });
    return { state: (adjacency[key] as { state: S }).state, steps, weight: steps.length - 1 };
  });
}
