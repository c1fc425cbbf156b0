/**
 * The public event stream of a {@link ChargePoint} (docs/events.md): `subscribe` to every event,
 * `on` for one type. ChargePoint inherits these; the events come from its running station
 * (src/events/).
 */
import type { StationEventBus } from './events/event-bus.js';
import type { StationEvent, StationEventType } from './events/station-event.js';

/**
 * The event API of {@link ChargePoint}.
 *
 * @example
 * const off = station.subscribe((event) => console.log(event.time, event.type));
 * station.on('error', (event) => console.error(event.code, event.severity, event.message));
 */
export abstract class ChargePointEvents {
  /** The listeners; the station's parts emit into it (it outlives each start, so a reboot keeps them). */
  protected abstract readonly events: StationEventBus;

  /**
   * Calls `listener` with every event of the station (connection, registration, connector status,
   * availability, transaction, frame, queue drop, error, actor state) until the returned function is
   * called.
   * May be called before `start()`. A listener that throws does not disturb the station: the other
   * listeners get an `error` event with code `ERR_LISTENER`.
   *
   * @example
   * const unsubscribe = station.subscribe((event) => {
   *   if (event.type === 'frame') console.log(event.direction, event.messageType, event.action, event.latencyMs);
   *   if (event.type === 'transaction') console.log(event.eventType, event.transactionId, event.seqNo);
   * });
   * // later
   * unsubscribe();
   */
  subscribe(listener: (event: StationEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  /**
   * Calls `listener` with the events of one `type` until the returned function is called; the event
   * is typed by its `type`.
   *
   * @example
   * const off = station.on('connectorStatus', ({ evseId, connectorId, status, previousStatus }) =>
   *   console.log(`EVSE ${evseId}/${connectorId}: ${previousStatus} -> ${status}`),
   * );
   * station.on('error', (e) => { if (e.severity === 'fatal') process.exitCode = 1; });
   */
  on<T extends StationEventType>(
    type: T,
    listener: (event: Extract<StationEvent, { type: T }>) => void,
  ): () => void {
    return this.events.on(type, listener);
  }
}
