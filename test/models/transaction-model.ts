/**
 * The transaction model of the model-based tests: xstate/graph's walk of the production chart
 * (machines/transaction.ts) with the facts and commands the runtime can be given, and paths through
 * it chosen to take as many of its transitions as a bounded number of paths can.
 */
import { createEmptyActor, type AnyActorScope } from 'xstate';
import { addSeconds } from '../../machines/deadline.js';
import { instantMs } from '../../machines/instant.js';
import { transactionMachine } from '../../machines/transaction.js';
import type { TxSettings } from '../../machines/transaction-rules.js';
import {
  REMOTE_START_ID,
  TOKEN_A,
  TOKEN_REMOTE,
  adjacencyWalk,
  graphLogic,
  pendingWaits,
  txAbstractState,
  txInput,
  type TxGraphEvent,
  type TxPath,
  type TxSnapshot,
} from '../machines/transaction-graph.js';

/**
 * Sample events a state allows, as the runtime can produce them: a token is presented to an EVSE
 * nobody is authorized on and that is not faulted (else the station refuses it before the session
 * sees it), the driver's own token ends the authorization, RequestStart/StopTransaction and
 * TriggerMessage only where the station accepts them, the CSMS's verdict on a token right after the
 * event that carried it, and a wait only when it is the earliest one due.
 */
export function modelEvents(snapshot: TxSnapshot): TxGraphEvent[] {
  const c = snapshot.context;
  const waits = pendingWaits(snapshot);
  const earliest = Math.min(...waits.map((w) => instantMs(w.at)));
  const at = addSeconds(c.lastEventAt, 1);
  const events: TxGraphEvent[] = [];
  for (const w of waits)
    if (instantMs(w.at) === earliest) events.push({ type: `xstate.done.actor.${w.id}`, output: w.at });
  if (instantMs(at) >= earliest) return events;
  const opened = c.evConnected || c.parked || c.authorized;
  events.push(
    { type: 'ev.connected', connectorId: 1, at },
    { type: 'bay.occupied', at },
    { type: 'resumed', at, resumeTransactions: true, settings: c.settings },
    { type: 'resumed', at, resumeTransactions: false, settings: c.settings },
  );
  if (!c.authorized && !c.faulted) {
    events.push(
      { type: 'auth.accepted', idToken: TOKEN_A, at },
      { type: 'auth.remoteStart', idToken: TOKEN_REMOTE, remoteStartId: REMOTE_START_ID, at },
    );
  }
  // Facts that open no session: only once one is open (the EVSE drops them otherwise).
  if (!opened) return events;
  events.push(
    { type: 'ev.disconnected', connectorId: 1, at },
    { type: 'bay.vacated', at },
    { type: 'charging.state', state: 'Charging', at },
    { type: 'charging.state', state: 'SuspendedEV', at },
    { type: 'charging.state', state: null, at },
    { type: 'connector.faulted', at },
    { type: 'connector.faultCleared', at },
    { type: 'reset.immediate', at },
  );
  if (c.evConnected) events.push({ type: 'connector.lockFailed', at });
  if (c.authorized && c.idToken?.idToken === TOKEN_A.idToken) {
    events.push({ type: 'auth.stop', idToken: TOKEN_A, reason: 'Local', at });
  }
  if (c.started && !c.ended) {
    events.push({ type: 'remote.stop', at }, { type: 'trigger.transactionEvent', at });
  }
  if (c.idTokenSeqNo !== null && c.idTokenSeqNo === c.seqNo - 1) {
    events.push({ type: 'tx.answered', seqNo: c.idTokenSeqNo, idTokenInfo: { status: 'Invalid' }, at });
  }
  return events;
}

export type Edge = string;
/** A chart transition at the level of its states: `value --event type--> value`. */
export const edgeOf = (from: TxSnapshot, event: TxGraphEvent, to: TxSnapshot): Edge =>
  `${JSON.stringify(from.value)} --${event.type}--> ${JSON.stringify(to.value)}`;

export const edgesOf = (p: TxPath): Edge[] =>
  p.steps
    .slice(1)
    .map((step, i) => edgeOf((p.steps[i] as { state: TxSnapshot }).state, step.event, step.state));

/** An event as a choice, whatever its time: the same choice in two states with different clocks. */
const choiceOf = (event: TxGraphEvent): string => {
  const { at: _at, output: _output, ...rest } = event as TxGraphEvent & { at?: string; output?: string };
  return JSON.stringify(rest);
};

/** The stand-in actor scope for calling the walk's logic directly (graphLogic brings parent and system). */
export const MOCK_SCOPE = {
  self: createEmptyActor(),
  system: undefined,
  id: '',
  sessionId: 'model',
  logger: () => undefined,
  defer: () => undefined,
  emit: () => undefined,
  stopChild: () => undefined,
  actionExecutor: () => undefined,
} as unknown as AnyActorScope;

export interface Walk {
  logic: typeof transactionMachine;
  input: ReturnType<typeof txInput>;
  /** Abstract state → the choices it offers, each with the abstract state and the transition it leads to. */
  moves: Map<string, Array<{ choice: string; next: string; edge: Edge; ends: boolean }>>;
  /** Every state-level transition the walk found. */
  edges: Set<Edge>;
  states: number;
}

/** xstate/graph's adjacency map of the production chart under one profile's settings. */
export function walk(settings: TxSettings): Walk {
  const logic = graphLogic(transactionMachine);
  const { adjacency } = adjacencyWalk(logic, {
    input: txInput(settings),
    events: modelEvents as never,
    serializeState: txAbstractState as never,
    filterEvents: (_snapshot, event) => 'at' in event || 'output' in event,
    // A session that is over takes nothing more (and the EVSE would open a new one).
    stopWhen: (snapshot) => (snapshot as TxSnapshot).status === 'done',
  });
  const moves: Walk['moves'] = new Map();
  const edges = new Set<Edge>();
  for (const [key, { state, transitions }] of Object.entries(adjacency)) {
    const list = Object.values(transitions).map(({ event, state: next }) => {
      const edge = edgeOf(state as TxSnapshot, event as TxGraphEvent, next as TxSnapshot);
      edges.add(edge);
      return {
        choice: choiceOf(event as TxGraphEvent),
        next: txAbstractState(next as TxSnapshot),
        edge,
        ends: (next as TxSnapshot).status === 'done',
      };
    });
    moves.set(key, list);
  }
  return { logic, input: txInput(settings), moves, edges, states: Object.keys(adjacency).length };
}

/**
 * Paths that together take as many of the walk's transitions as `limit` paths of at most `maxSteps`
 * steps can. Each path is simulated on the chart from its start (so its events and times are the
 * ones a station produces); it takes a transition not taken yet where it can, else heads (by the
 * shortest way in the adjacency map) to the nearest state that has one, and ends the session only
 * when nothing else is left to take on the way.
 */
export function tours(w: Walk, limit: number, maxSteps: number): TxPath[] {
  const uncovered = new Set(w.edges);
  const chosen: TxPath[] = [];
  /** The first choice of a shortest way from `from` to a transition not taken yet (one that does not end the session, if `alive`). */
  const toward = (from: string, alive: boolean): string | undefined => {
    const queue: Array<{ key: string; first: string | undefined }> = [{ key: from, first: undefined }];
    const seen = new Set([from]);
    while (queue.length > 0) {
      const { key, first } = queue.shift() as { key: string; first: string | undefined };
      for (const move of w.moves.get(key) ?? []) {
        if (uncovered.has(move.edge) && (!alive || !move.ends)) return first ?? move.choice;
        if (move.ends || seen.has(move.next)) continue;
        seen.add(move.next);
        queue.push({ key: move.next, first: first ?? move.choice });
      }
    }
    return undefined;
  };
  while (uncovered.size > 0 && chosen.length < limit) {
    let state = w.logic.getInitialSnapshot(MOCK_SCOPE, w.input) as TxSnapshot;
    const steps: TxPath['steps'] = [{ state, event: { type: 'xstate.init' } as never }];
    while (steps.length <= maxSteps && state.status !== 'done') {
      const options = modelEvents(state).map((event) => {
        const next = w.logic.transition(state, event as never, MOCK_SCOPE) as TxSnapshot;
        return {
          event,
          next,
          edge: edgeOf(state, event, next),
          choice: choiceOf(event),
          ends: next.status === 'done',
        };
      });
      const key = txAbstractState(state);
      // A planned move that changes nothing here (the plan was made on another snapshot of this
      // abstract state) is no progress: the path ends instead.
      const by = (choice: string | undefined) =>
        options.find(
          (o) => o.choice === choice && (uncovered.has(o.edge) || txAbstractState(o.next) !== key),
        );
      const pick =
        options.find((o) => uncovered.has(o.edge) && !o.ends) ??
        by(toward(key, true)) ??
        options.find((o) => uncovered.has(o.edge)) ??
        by(toward(key, false));
      if (!pick) break;
      uncovered.delete(pick.edge);
      steps.push({ state: pick.next, event: pick.event });
      state = pick.next;
    }
    // Waits due at the very instant of the last one end with it (the runtime ends them together).
    for (;;) {
      if (state.status === 'done') break;
      const now = instantMs(state.context.lastEventAt);
      const due = modelEvents(state).find((e) => 'output' in e && instantMs(e.output) <= now);
      if (!due) break;
      const next = w.logic.transition(state, due as never, MOCK_SCOPE) as TxSnapshot;
      uncovered.delete(edgeOf(state, due, next));
      steps.push({ state: next, event: due });
      state = next;
    }
    if (steps.length === 1) break;
    chosen.push({ state, steps, weight: steps.length - 1 });
  }
  return chosen;
}
