/**
 * A statechart as plain JSON, read from the xstate machine itself (`machine.root`: its state nodes,
 * their transitions, `always`, delayed and done transitions, invoked actors). The visualizer page
 * draws the charts from this, so what it shows is the chart the station runs, never a copy that
 * could drift. Pure: no node:*, no DOM.
 */
import type { AnyStateMachine } from 'xstate';

/** One state node of a chart. */
export interface ChartState {
  /** The node's full id, as xstate names it: `connector.status.Available`. */
  id: string;
  /** Its key in the parent (the machine id for the root). */
  key: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  /** Key of the initial child of a compound state. */
  initial?: string;
  /** Its `description` in the machine, if any. */
  description?: string;
  /** Sources of the actors this state invokes (`statusNotification`, `wait`). */
  invoke: string[];
  /** Transitions leaving this state, in the order xstate tries them. */
  transitions: ChartTransition[];
  /** Child states in document order. */
  states: ChartState[];
}

/** One transition of a chart. */
export interface ChartTransition {
  /** The event type as xstate matches it (`hw.plugged`, `xstate.after.1000.boot.x`; '' for always). */
  event: string;
  /** A human label: `hw.plugged`, `always`, `after retryDelay`, `done: statusNotification`. */
  label: string;
  /** Full ids of the target states; empty for a transition that only runs actions. */
  targets: string[];
  /** Guard name (`started`, `not(online)`, `inline`), absent when unguarded. */
  guard?: string;
  /** Leaves and re-enters its source (xstate `reenter: true`). */
  reenter: boolean;
}

/** A whole machine as the page gets it. */
export interface MachineChart {
  /** The machine's id (`connector`): also the `machine` of the state events of its actors. */
  machine: string;
  root: ChartState;
  /** Number of state nodes, root included. */
  stateCount: number;
  /** Number of transitions, `always` included. */
  transitionCount: number;
}

/** The parts of an xstate StateNode this module reads (xstate's own class is generic-heavy). */
interface StateNodeLike {
  id: string;
  key: string;
  type: ChartState['type'];
  description?: string;
  initial?: { target?: ReadonlyArray<{ key: string }> };
  invoke: ReadonlyArray<{ id: string; src: unknown }>;
  transitions: Map<string, ReadonlyArray<TransitionLike>>;
  always?: ReadonlyArray<TransitionLike>;
  states: Record<string, StateNodeLike>;
}

interface TransitionLike {
  eventType: string;
  target?: ReadonlyArray<{ id: string }> | undefined;
  guard?: unknown;
  reenter?: boolean;
}

/**
 * Serializes a machine into a {@link MachineChart}: every state node and every transition, labels
 * made readable (delays, done and error events of invoked actors).
 *
 * @example
 * import { connectorMachine } from '../../machines/connector.js';
 * const chart = machineChart(connectorMachine);
 * chart.root.states.map((s) => s.key); // ['facts', 'status', 'report']
 */
export function machineChart(machine: AnyStateMachine): MachineChart {
  let stateCount = 0;
  let transitionCount = 0;
  const visit = (node: StateNodeLike): ChartState => {
    stateCount += 1;
    const invokeSources = new Map(node.invoke.map((inv) => [inv.id, sourceName(inv.src, inv.id)]));
    const transitions: ChartTransition[] = [];
    for (const list of node.transitions.values()) {
      for (const t of list) transitions.push(transition(t, invokeSources));
    }
    for (const t of node.always ?? []) transitions.push(transition(t, invokeSources));
    transitionCount += transitions.length;
    const initial = node.type === 'compound' ? node.initial?.target?.[0]?.key : undefined;
    return {
      id: node.id,
      key: node.key,
      type: node.type,
      ...(initial === undefined ? {} : { initial }),
      ...(node.description === undefined ? {} : { description: node.description }),
      invoke: [...invokeSources.values()],
      transitions,
      states: Object.values(node.states).map(visit),
    };
  };
  const root = visit(machine.root as unknown as StateNodeLike);
  return { machine: machine.id, root, stateCount, transitionCount };
}

function transition(t: TransitionLike, invokeSources: Map<string, string>): ChartTransition {
  const guard = t.guard === undefined ? undefined : guardName(t.guard);
  return {
    event: t.eventType,
    label: eventLabel(t.eventType, invokeSources),
    targets: (t.target ?? []).map((target) => target.id),
    ...(guard === undefined ? {} : { guard }),
    reenter: t.reenter === true,
  };
}

/**
 * A readable name for xstate's generated event types.
 *
 * @example
 * eventLabel('xstate.after.retryDelay.boot.waiting', new Map()); // 'after retryDelay'
 * eventLabel('xstate.done.actor.0.connector.report.sending', new Map([['0.connector.report.sending', 'statusNotification']])); // 'done: statusNotification'
 */
export function eventLabel(eventType: string, invokeSources: ReadonlyMap<string, string>): string {
  if (eventType === '') return 'always';
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (after) return `after ${after[1]}${/^\d+$/.test(after[1] ?? '') ? ' ms' : ''}`;
  for (const kind of ['done', 'error'] as const) {
    const prefix = `xstate.${kind}.actor.`;
    if (eventType.startsWith(prefix)) {
      const id = eventType.slice(prefix.length);
      return `${kind}: ${invokeSources.get(id) ?? id}`;
    }
  }
  if (eventType.startsWith('xstate.done.state.')) return 'done (all regions final)';
  return eventType;
}

/** An invoked actor's source: its name in `setup({ actors })`, else the invoke id. */
function sourceName(src: unknown, id: string): string {
  if (typeof src === 'string') return src;
  const logicId = (src as { id?: unknown } | null)?.id;
  return typeof logicId === 'string' ? logicId : id;
}

/** `name`, `{ type: name }`, xstate's and/or/not combinators, or an inline function. */
function guardName(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && typeof (guard as { type?: unknown }).type === 'string')
    return (guard as { type: string }).type;
  if (typeof guard === 'function') {
    const combinator = guard as { check?: unknown; guards?: unknown };
    if (Array.isArray(combinator.guards) && typeof combinator.check === 'function') {
      const kind = combinator.check.name.replace(/^check/, '').toLowerCase() || 'guard';
      return `${kind}(${combinator.guards.map(guardName).join(', ')})`;
    }
    return 'inline';
  }
  return 'inline';
}
