/**
 * The adapter from what a ChargePoint offers today to a {@link VisualizerSource}: its `inspect`
 * option (xstate inspection events of every actor) and its `ocppMessagesCallback` (every frame).
 * When ChargePoint has its typed public event stream, only this file changes.
 */
import type { InspectionEvent } from 'xstate';
import type { MessageDirection } from '../callbacks.js';
import { PRODUCTION_MACHINES } from './production-machines.js';
import { createEventHub, type StateEvent, type StateValueJson, type VisualizerSource } from './source.js';

const STATUSES: ReadonlySet<StateEvent['status']> = new Set(['active', 'done', 'stopped', 'error']);

/** A source fed by a ChargePoint's `inspect` option and `ocppMessagesCallback`. */
export interface ChargePointSource extends VisualizerSource {
  /** Give to `ChargePointOptions.inspect` (or call from yours). */
  inspect(event: InspectionEvent): void;
  /** Give as `callbacks.ocppMessagesCallback` (or call from yours). */
  ocppMessagesCallback(message: string, direction: MessageDirection): void;
}

export interface ChargePointSourceOptions {
  /** RFC 3339 time stamped on the events; default the host clock (the CLI passes the station clock). */
  now?: () => string;
  /** A subscriber threw (it is unsubscribed); default: ignored. */
  onListenerError?: (error: unknown) => void;
}

/**
 * Makes a source for one station. Actors are named by their systemId (the root: `station`); only
 * actors of the production machines are reported, once per change of their state value (a change
 * of context alone is not one). A new root actor (the ChargePoint restarted) first reports every
 * actor of the previous run as stopped.
 *
 * @example
 * const source = createChargePointSource();
 * const station = new ChargePoint({ ...options, inspect: source.inspect, callbacks: { ocppMessagesCallback: source.ocppMessagesCallback } });
 * visualizer.attach('CS-1', source);
 */
export function createChargePointSource(options: ChargePointSourceOptions = {}): ChargePointSource {
  const now = options.now ?? (() => new Date().toISOString());
  const hub = createEventHub(options.onListenerError);
  /** Last reported state of each actor of this run: systemId → value and status as JSON. */
  const last = new Map<string, { machine: string; value: StateValueJson }>();
  let rootSession: string | undefined;

  const stopAll = () => {
    for (const [actor, state] of last) {
      hub.emit({
        type: 'state',
        actor,
        machine: state.machine,
        value: state.value,
        event: 'xstate.stop',
        status: 'stopped',
        time: now(),
      });
    }
    last.clear();
  };

  return {
    subscribe: hub.subscribe,
    inspect(event) {
      const ref = event.actorRef as {
        sessionId: string;
        systemId?: string;
        logic?: { id?: unknown };
      };
      const isRoot = ref.sessionId === event.rootId;
      if (event.type === '@xstate.actor' && isRoot) {
        if (rootSession !== undefined && rootSession !== ref.sessionId) stopAll();
        rootSession = ref.sessionId;
        return;
      }
      if (event.type !== '@xstate.snapshot') return;
      const machine = ref.logic?.id;
      if (typeof machine !== 'string' || !Object.hasOwn(PRODUCTION_MACHINES, machine)) return;
      const actor = isRoot ? 'station' : ref.systemId;
      if (actor === undefined) return;
      const snapshot = event.snapshot as { value?: unknown; status?: unknown };
      const status = STATUSES.has(snapshot.status as StateEvent['status'])
        ? (snapshot.status as StateEvent['status'])
        : 'active';
      const value = (snapshot.value ?? {}) as StateValueJson;
      const previous = last.get(actor);
      // Most snapshots are context changes: compared structurally, cheaply (bench/visualizer.ts).
      if (status === 'active' && previous !== undefined && sameValue(previous.value, value)) return;
      // A finished actor is forgotten (a long run spawns a transaction actor per session).
      if (status === 'active') last.set(actor, { machine, value });
      else last.delete(actor);
      const state: StateEvent = {
        type: 'state',
        actor,
        machine,
        value,
        event: event.event.type,
        status,
        time: now(),
      };
      hub.emit(state);
    },
    ocppMessagesCallback(message, direction) {
      let frame: unknown = message;
      try {
        frame = JSON.parse(message);
      } catch {
        // Not JSON (a peer's garbage): shown as the raw text.
      }
      hub.emit({
        type: 'frame',
        direction: direction === 'station->CSMS' ? 'out' : 'in',
        frame,
        time: now(),
      });
    },
  };
}

/** Two xstate state values are the same state (a string, or nested objects of them). */
function sameValue(a: StateValueJson, b: StateValueJson): boolean {
  if (a === b) return true;
  if (typeof a === 'string' || typeof b === 'string') return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    const other = b[key];
    if (other === undefined || !sameValue(a[key] as StateValueJson, other)) return false;
  }
  return true;
}
