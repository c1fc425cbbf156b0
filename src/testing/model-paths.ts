/**
 * Paths for model-based tests, from `xstate/graph`, and the check that a projection (a small
 * abstract model without `invoke` or `after`, which `xstate/graph` can walk) stands for a
 * production statechart.
 *
 * A projection's transitions name, in `meta.fires`, the keys (model-coverage.ts) of the production
 * transitions the runtime must take when the projection takes them. {@link checkProjection} proves
 * the naming complete: every production transition is named by some projection transition or
 * declared unreachable from outside with a reason, every name exists, every projection transition
 * names one. Running the paths then proves it true: at each step the named production transitions
 * must fire in the real runtime ({@link TransitionCoverage.waitForFired}).
 */
import type { AnyStateMachine, AnyTransitionDefinition, EventObject, SnapshotFrom } from 'xstate';
import { createActor } from 'xstate';
import { getAdjacencyMap } from 'xstate/graph';
import { machineStates, machineTransitions, transitionKey } from './model-coverage.js';

/** What a projection transition says about the production machine (its `meta`). */
export interface ProjectionMeta {
  /** Keys of the production transitions this step makes the runtime take. */
  fires?: readonly string[];
}

/** One step of a model path. */
export interface ModelStep<TEvent extends EventObject = EventObject> {
  event: TEvent;
  /** The projection's state value after the step. */
  value: unknown;
  /** The projection's snapshot after the step (context included). */
  snapshot: SnapshotFrom<AnyStateMachine>;
  /** Keys of the projection transitions taken. */
  taken: string[];
  /** Keys of the production transitions the step must fire (the union of their `meta.fires`). */
  fires: string[];
}

export interface ModelPath<TEvent extends EventObject = EventObject> {
  steps: Array<ModelStep<TEvent>>;
  /** `EVENT → EVENT → …`, a readable test name. */
  name: string;
}

export interface TourOptions<TEvent extends EventObject> {
  /** Events to try in a snapshot; default: every event type its states handle, without payload. */
  events?: (snapshot: SnapshotFrom<AnyStateMachine>) => readonly TEvent[];
  /** What tells states apart; default: value and context. */
  serializeState?: (snapshot: SnapshotFrom<AnyStateMachine>) => string;
  /** Steps of one path at most (default 12). */
  maxSteps?: number;
  /** Paths at most (default 50). */
  maxPaths?: number;
  input?: unknown;
}

const defaultSerialize = (s: SnapshotFrom<AnyStateMachine>) =>
  JSON.stringify([s.value, (s as { context?: unknown }).context]);

function defaultEvents(snapshot: SnapshotFrom<AnyStateMachine>): EventObject[] {
  const nodes = (snapshot as unknown as { _nodes: Array<{ ownEvents: string[] }> })._nodes;
  return [...new Set(nodes.flatMap((n) => n.ownEvents))].map((type) => ({ type }));
}

function firesOf(transitions: readonly AnyTransitionDefinition[]): string[] {
  return transitions.flatMap((t) => [...((t.meta as ProjectionMeta | undefined)?.fires ?? [])]);
}

/**
 * Paths through a projection that together take every one of its transitions (as far as
 * `maxPaths` paths of `maxSteps` steps can): built on xstate/graph's adjacency map, each path
 * takes a transition not taken yet where it can, else heads by the shortest way to the nearest
 * state that has one; a new path starts from the initial state when none is reachable.
 *
 * @example
 * const paths = transitionTours(bootProjection, { maxSteps: 10 });
 * for (const path of paths) test(path.name, () => runOnStation(path));
 */
export function transitionTours<TEvent extends EventObject = EventObject>(
  projection: AnyStateMachine,
  options: TourOptions<TEvent> = {},
): Array<ModelPath<TEvent>> {
  const serialize = options.serializeState ?? defaultSerialize;
  const events = options.events ?? (defaultEvents as unknown as NonNullable<TourOptions<TEvent>['events']>);
  const adjacency = getAdjacencyMap(projection, {
    events: events as never,
    serializeState: serialize as never,
    ...(options.input === undefined ? {} : { input: options.input as never }),
  }) as unknown as Record<
    string,
    {
      state: SnapshotFrom<AnyStateMachine>;
      transitions: Record<string, { event: TEvent; state: SnapshotFrom<AnyStateMachine> }>;
    }
  >;
  type Move = {
    event: TEvent;
    next: string;
    snapshot: SnapshotFrom<AnyStateMachine>;
    taken: string[];
    fires: string[];
  };
  const moves = new Map<string, Move[]>();
  for (const [key, { state, transitions }] of Object.entries(adjacency)) {
    moves.set(
      key,
      Object.values(transitions).map(({ event, state: next }) => {
        const defs = projection.getTransitionData(
          state as never,
          event as never,
        ) as AnyTransitionDefinition[];
        return {
          event,
          next: serialize(next),
          snapshot: next,
          taken: defs.map(transitionKey),
          fires: firesOf(defs),
        };
      }),
    );
  }
  const uncovered = new Set(machineTransitions(projection).map((t) => t.key));
  const fresh = (m: Move) => m.taken.some((k) => uncovered.has(k));
  const toward = (from: string): Move | undefined => {
    const queue: Array<{ key: string; first: Move | undefined }> = [{ key: from, first: undefined }];
    const seen = new Set([from]);
    while (queue.length > 0) {
      const { key, first } = queue.shift() as { key: string; first: Move | undefined };
      for (const move of moves.get(key) ?? []) {
        if (fresh(move)) return first ?? move;
        if (seen.has(move.next)) continue;
        seen.add(move.next);
        queue.push({ key: move.next, first: first ?? move });
      }
    }
    return undefined;
  };
  const initial = Object.keys(adjacency)[0] as string;
  const paths: Array<ModelPath<TEvent>> = [];
  const maxSteps = options.maxSteps ?? 12;
  while (uncovered.size > 0 && paths.length < (options.maxPaths ?? 50)) {
    let at = initial;
    const steps: Array<ModelStep<TEvent>> = [];
    while (steps.length < maxSteps) {
      const move = (moves.get(at) ?? []).find(fresh) ?? toward(at);
      if (!move) break;
      for (const k of move.taken) uncovered.delete(k);
      steps.push({
        event: move.event,
        value: move.snapshot.value,
        snapshot: move.snapshot,
        taken: move.taken,
        fires: move.fires,
      });
      at = move.next;
    }
    if (steps.length === 0) break;
    paths.push({ steps, name: steps.map((s) => s.event.type).join(' → ') });
  }
  return paths;
}

/** What {@link checkProjection} found wrong; all empty when the projection stands for the machine. */
export interface ProjectionProblems {
  /** Production transitions no projection transition names and not declared unreachable. */
  unnamed: string[];
  /** Names in `meta.fires` (or in `unreachable`) that are no transition of the production machine. */
  unknown: string[];
  /** Projection transitions that name no production transition. */
  silent: string[];
  /** Declared unreachable, yet named by a projection transition. */
  contradictory: string[];
  /** Production states no named transition enters or leaves (nor an unreachable one). */
  unvisited: string[];
}

/**
 * Checks that a projection names every transition of a production machine (see the file comment).
 *
 * @example
 * const problems = checkProjection(bootMachine, bootProjection, {
 *   'boot.rejected --xstate.done.actor.retryWait#1--> boot.disconnected': 'needs the CSMS to stay away',
 * });
 * assert.deepEqual(problems, { unnamed: [], unknown: [], silent: [], contradictory: [], unvisited: [] });
 */
export function checkProjection(
  production: AnyStateMachine,
  projection: AnyStateMachine,
  unreachable: Readonly<Record<string, string>> = {},
): ProjectionProblems {
  const declared = machineTransitions(production);
  const keys = new Set(declared.map((t) => t.key));
  const named = new Set<string>();
  const silent: string[] = [];
  for (const t of machineTransitions(projection)) {
    const node = projection.getStateNodeById(t.source);
    const def = (t.event === '' ? node.always : node.transitions.get(t.event))?.[t.index];
    const fires = (def?.meta as ProjectionMeta | undefined)?.fires ?? [];
    if (fires.length === 0) silent.push(t.key);
    for (const k of fires) named.add(k);
  }
  const excused = new Set(Object.keys(unreachable));
  const touched = new Set<string>();
  for (const t of declared) {
    if (!named.has(t.key) && !excused.has(t.key)) continue;
    touched.add(t.source);
    for (const target of t.targets) touched.add(target);
  }
  // A state is visited when a named transition touches it or one of its descendants (or it is the root).
  const unvisited = machineStates(production).filter(
    (id) => id !== production.id && ![...touched].some((s) => s === id || s.startsWith(`${id}.`)),
  );
  return {
    unnamed: declared.filter((t) => !named.has(t.key) && !excused.has(t.key)).map((t) => t.key),
    unknown: [...named, ...excused].filter((k) => !keys.has(k)),
    silent,
    contradictory: [...excused].filter((k) => named.has(k)),
    unvisited,
  };
}

/**
 * Replays a path on the projection itself (no runtime): the state values it passes through, to
 * check a generated path is one the projection allows.
 *
 * @example
 * replayValues(bootProjection, paths[0]!.steps.map((s) => s.event)); // ['registering', 'accepted', ...]
 */
export function replayValues(
  projection: AnyStateMachine,
  events: readonly EventObject[],
  input?: unknown,
): unknown[] {
  const actor = createActor(projection, input === undefined ? {} : { input }).start();
  const values = events.map((event) => {
    actor.send(event);
    return actor.getSnapshot().value;
  });
  actor.stop();
  return values;
}
