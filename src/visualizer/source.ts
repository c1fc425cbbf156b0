/**
 * What the visualizer shows of a station, whatever produces it (a running ChargePoint, a recorded
 * `--json` log): the OCPP frames on the websocket and the state changes of the station's actors.
 */

/** A state value as xstate reports it: a key, or nested keys of compound and parallel states. */
export type StateValueJson = string | { [key: string]: StateValueJson };

/** One OCPP-J frame on the websocket. */
export interface FrameEvent {
  type: 'frame';
  /** `out`: station → CSMS; `in`: CSMS → station. */
  direction: 'in' | 'out';
  /** The parsed OCPP-J array (`[2,id,action,payload]`, `[3,id,payload]`, `[4,id,code,description,details]`), or the raw text when it is not JSON. */
  frame: unknown;
  /** RFC 3339 UTC. */
  time: string;
}

/** An actor's state value changed (or the actor started, finished or was stopped). */
export interface StateEvent {
  type: 'state';
  /** The actor's systemId: `station`, `connection`, `boot`, `evse:1`, `connector:1:1`, `transaction:<id>`, `reservation:<id>`. */
  actor: string;
  /** The machine id it runs (a key of the charts). */
  machine: string;
  value: StateValueJson;
  /** The event type that caused the change (`xstate.init` when the actor started). */
  event: string;
  /** `active` while it runs; `done` in a final state; `stopped` when its parent stopped it. */
  status: 'active' | 'done' | 'stopped' | 'error';
  time: string;
}

export type VisualizerEvent = FrameEvent | StateEvent;

/** Anything the visualizer can attach: it tells each listener every event, in order. */
export interface VisualizerSource {
  /** Returns the function that unsubscribes. */
  subscribe(listener: (event: VisualizerEvent) => void): () => void;
}

/**
 * A source the producer pushes into; a listener that throws is cut off and its error handed to
 * `onListenerError`, the producer never sees it.
 *
 * @example
 * const hub = createEventHub();
 * const off = hub.subscribe((event) => console.log(event.type));
 * hub.emit({ type: 'frame', direction: 'out', frame: [2, '1', 'Heartbeat', {}], time: new Date().toISOString() });
 * off();
 */
export function createEventHub(
  onListenerError: (error: unknown) => void = () => undefined,
): VisualizerSource & { emit(event: VisualizerEvent): void } {
  const listeners = new Set<(event: VisualizerEvent) => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          // An observer's failure must not reach the station's actors (DESIGN.md: one bad observer
          // never takes the station down); it stops hearing, and the failure is reported.
          listeners.delete(listener);
          onListenerError(error);
        }
      }
    },
  };
}

/**
 * A source of recorded events: each subscriber gets all of them at once (a replay).
 *
 * @example
 * const source = recordedSource(await loadRecording('session.jsonl'));
 * visualizer.attach('replay', source);
 */
export function recordedSource(events: readonly VisualizerEvent[]): VisualizerSource {
  return {
    subscribe(listener) {
      for (const event of events) listener(event);
      return () => undefined;
    },
  };
}
