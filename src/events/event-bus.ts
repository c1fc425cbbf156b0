/**
 * The listeners of a ChargePoint's public event stream (src/events/station-event.ts). Listeners
 * run synchronously, in subscription order, inside whatever produced the event (an actor's
 * transition, a frame arriving): one that throws is isolated, so the station never notices it.
 */
import { describeError } from './error-catalogue.js';
import type { StationEvent, StationEventBody, StationEventSink, StationEventType } from './station-event.js';

export type StationEventListener = (event: StationEvent) => void;

/**
 * @example
 * const bus = new StationEventBus(() => new Date().toISOString());
 * const off = bus.subscribe((event) => console.log(event.type));
 * bus.emit({ type: 'queueDrop', action: 'Heartbeat', messageId: 'm1', attempts: 3, transaction: false, reason: 'timeout' });
 * off();
 */
export class StationEventBus implements StationEventSink {
  private listeners: StationEventListener[] = [];

  constructor(private readonly now: () => string) {}

  /** Every event to `listener` until the returned function is called. */
  subscribe(listener: StationEventListener): () => void {
    // Copy on write: a listener that (un)subscribes during an emit does not disturb that emit.
    this.listeners = [...this.listeners, listener];
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Events of one `type` to `listener` until the returned function is called. */
  on<T extends StationEventType>(
    type: T,
    listener: (event: Extract<StationEvent, { type: T }>) => void,
  ): () => void {
    return this.subscribe((event) => {
      if (event.type === type) listener(event as Extract<StationEvent, { type: T }>);
    });
  }

  /** Does anyone listen? (Producers skip work nobody would see.) */
  get active(): boolean {
    return this.listeners.length > 0;
  }

  /**
   * Stamps the event with the station time and hands it to every listener. Never throws. The object
   * is the bus's from here on (it is stamped in place: a copy per event costs more than the rest of
   * the delivery, bench/events.ts).
   */
  emit(body: StationEventBody): void {
    if (this.listeners.length === 0) return;
    const event = body as StationEvent;
    event.time = this.now();
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.listenerFailed(listener, event, error);
      }
    }
  }

  /**
   * A listener threw: the others still get the event, and every listener but the failing one hears
   * of it as an ERR_LISTENER error event. The error event is not reported again when its own
   * delivery fails (a listener that throws on everything cannot loop).
   */
  private listenerFailed(failed: StationEventListener, event: StationEvent, error: unknown): void {
    if (event.type === 'error' && event.code === 'ERR_LISTENER') return;
    const described = describeError(error);
    const report: StationEvent = {
      type: 'error',
      time: event.time,
      code: 'ERR_LISTENER',
      severity: 'warning',
      message: `a StationEvent listener threw on a '${event.type}' event: ${described.message}`,
      context: { eventType: event.type },
      cause: error,
    };
    for (const listener of this.listeners) {
      if (listener === failed) continue;
      try {
        listener(report);
      } catch {
        // Already reporting a failing listener: a second failure has nowhere left to go.
      }
    }
  }
}
