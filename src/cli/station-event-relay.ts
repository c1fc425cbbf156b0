/**
 * The ChargePoint's public event stream as CLI events (docs/cli.md), for a simulated station
 * (simulated-station.ts): frames, connection, registration, connector statuses (each reported once,
 * held back while a boot restores the hardware) and the transactions a fleet counts.
 */
import type { ConnectorStatusEnumType } from '../generated/ocpp-types.js';
import type { StationEvent } from '../events/station-event.js';
import type { CliEventSink } from './cli-events.js';
import type { SimulatedStationOptions } from './simulated-station-options.js';

/**
 * Relays one station's public events to its CLI event sink, across its reboots.
 *
 * @example
 * const relay = new StationEventRelay(options);
 * cp.subscribe((event) => relay.stationEvent(event, sink));
 */
export class StationEventRelay {
  /** Connector statuses last reported as events; refilled after each boot. */
  private readonly statuses = new Map<string, ConnectorStatusEnumType>();
  /** While a boot restores the hardware, status changes are reported once it is done. */
  restoring = false;

  constructor(private readonly options: Pick<SimulatedStationOptions, 'events' | 'onTransaction'>) {}

  /** Forgets the statuses reported (a new boot reports them all again). */
  clear(): void {
    this.statuses.clear();
  }

  /** The ChargePoint's public events as CLI events (docs/cli.md: `ocpp`, `connection`, `registration`, `connector`). */
  stationEvent(event: StationEvent, events: CliEventSink): void {
    switch (event.type) {
      case 'frame':
        events.emit({ type: 'ocpp', direction: event.direction, frame: event.frame });
        return;
      case 'connection':
        events.emit({ type: 'connection', connected: event.status === 'connected', slot: event.slot });
        return;
      case 'registration':
        events.emit({
          type: 'registration',
          status: event.status,
          interval: event.interval,
          currentTime: event.currentTime,
        });
        return;
      case 'connectorStatus':
        // While a boot restores the hardware, statuses are reported once it is done (boot()).
        if (!this.restoring) this.reportStatus(event.evseId, event.connectorId, event.status);
        return;
      case 'transaction':
        this.options.onTransaction?.(event.eventType);
        return;
      default:
        return;
    }
  }

  /** Emits a connector's status as a `connector` event, unless it was the last one reported. */
  reportStatus(
    evseId: number,
    connectorId: number,
    status: ConnectorStatusEnumType | undefined,
  ): void {
    const key = `${evseId}/${connectorId}`;
    if (status === undefined || this.statuses.get(key) === status) return;
    this.statuses.set(key, status);
    this.options.events.emit({ type: 'connector', evseId, connectorId, status });
  }
}
