/**
 * The adapter from a ChargePoint's public event stream (docs/events.md, `chargePoint.subscribe`) to
 * a {@link VisualizerSource}: its `frame` events make the message timeline, its `state` events the
 * live state of each actor in the charts. Nothing of the station's internals is read here.
 */
import type { StationEvent } from '../events/station-event.js';
import { PRODUCTION_MACHINES } from './production-machines.js';
import { createEventHub, type VisualizerSource } from './source.js';

/** A source fed by a ChargePoint's public event stream. */
export interface ChargePointSource extends VisualizerSource {
  /** Give to `chargePoint.subscribe` (or call it from your listener). Never throws. */
  stationEvent(event: StationEvent): void;
}

export interface ChargePointSourceOptions {
  /** A subscriber threw (it is unsubscribed); default: ignored. */
  onListenerError?: (error: unknown) => void;
}

/**
 * Makes a source for one station. Subscribe it to the ChargePoint before `start()` to show the
 * start itself; the subscription outlives a stop and a start (a reboot), whose `state` events report
 * the actors of the stopped run `stopped` and the new run's from `xstate.init`. Only actors of the
 * production machines (the charts the page draws) are passed on; times are the station clock's.
 *
 * @example
 * const source = createChargePointSource();
 * const station = new ChargePoint(options);
 * station.subscribe(source.stationEvent);
 * visualizer.attach('CS-1', source);
 * await station.start();
 */
export function createChargePointSource(options: ChargePointSourceOptions = {}): ChargePointSource {
  const hub = createEventHub(options.onListenerError);
  return {
    subscribe: hub.subscribe,
    stationEvent(event) {
      if (event.type === 'frame') {
        hub.emit({ type: 'frame', direction: event.direction, frame: event.frame, time: event.time });
      } else if (event.type === 'state' && Object.hasOwn(PRODUCTION_MACHINES, event.machine)) {
        const { actor, machine, value, status, time } = event;
        hub.emit({ type: 'state', actor, machine, value, event: event.event, status, time });
      }
    },
  };
}
