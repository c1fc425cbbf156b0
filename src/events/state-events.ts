/**
 * `state` events: the state value of each named actor of the station (the root `station`, and every
 * actor with a systemId: `connection`, `boot`, `evse:<id>`, `connector:<evse>:<id>`,
 * `transaction:<id>`, `reservation:<id>`, ...), derived from the xstate inspection stream. One event
 * per change of the value (a change of context alone is none), one when the actor finishes, and
 * `stopped` for every actor still running when the station stops. What it keeps is only the last
 * value reported per running actor, to tell a change from a repeat (DESIGN.md, one source of truth).
 */
import type { InspectionEvent } from 'xstate';
import type { ActorStatus, StateValue, StationEventSink } from './station-event.js';
import { LazyMap } from '../lazy-collections.js';

const STATUSES: ReadonlySet<string> = new Set<ActorStatus>(['active', 'done', 'stopped', 'error']);

/**
 * @example
 * const states = new StateEvents(bus);
 * createActor(machine, { inspect: (event) => states.inspect(event) });
 * // at stop: states.stopped();
 */
export class StateEvents {
  /** The last value reported of each running actor (systemId → machine id and value). */
  private readonly last = new LazyMap<string, { machine: string; value: StateValue }>();
  private closed = false;

  constructor(private readonly sink: StationEventSink) {}

  /** One inspection event of the station's actor system. Never throws. */
  inspect(event: InspectionEvent): void {
    if (event.type !== '@xstate.snapshot' || this.closed) return;
    // Nobody listens: no work, and nothing remembered (a later listener hears every actor's next change).
    if (this.sink.active === false) {
      if (this.last.size > 0) this.last.clear();
      return;
    }
    const ref = event.actorRef as { sessionId: string; systemId?: string; logic?: { id?: unknown } };
    const machine = ref.logic?.id;
    const snapshot = event.snapshot as { value?: unknown; status?: unknown };
    // Only state machines have a state value (promise and callback actors have none).
    if (typeof machine !== 'string' || snapshot.value === undefined) return;
    const actor = ref.sessionId === event.rootId ? 'station' : ref.systemId;
    if (actor === undefined) return;
    const status = STATUSES.has(snapshot.status as string) ? (snapshot.status as ActorStatus) : 'active';
    const value = snapshot.value as StateValue;
    const previous = this.last.get(actor);
    // Most snapshots are context changes: compared structurally, cheaply (bench/visualizer.ts).
    if (status === 'active' && previous !== undefined && sameValue(previous.value, value)) return;
    // A finished actor is forgotten (a long run spawns a transaction actor per session).
    if (status === 'active') this.last.set(actor, { machine, value });
    else this.last.delete(actor);
    this.sink.emit({ type: 'state', actor, machine, value, event: event.event.type, status });
  }

  /** The station is stopping: every actor still running stops with it (they send no snapshot of it). */
  stopped(): void {
    if (this.closed) return;
    this.closed = true;
    for (const [actor, { machine, value }] of this.last)
      this.sink.emit({ type: 'state', actor, machine, value, event: 'xstate.stop', status: 'stopped' });
    this.last.clear();
  }
}

/** Two xstate state values are the same state (a string, or nested objects of them). */
function sameValue(a: StateValue, b: StateValue): boolean {
  if (a === b) return true;
  if (typeof a === 'string' || typeof b === 'string') return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    const other = b[key];
    if (other === undefined || !sameValue(a[key] as StateValue, other)) return false;
  }
  return true;
}
