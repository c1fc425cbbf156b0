/**
 * Public events derived from the station's actors (DESIGN.md: the actor that owns a lifecycle owns
 * its state; the event stream is derived from it). Fed the xstate inspection stream of the root
 * actor, it emits an event when a fact an actor owns changes: the `connection` actor's session
 * opened or closed, the `boot` actor got a BootNotificationResponse, a `connector:<evse>:<id>`
 * changed status, an `evse:<id>` (or the station, EVSE 0) changed effective availability. What it
 * keeps is only the last value it reported per actor, to tell a change from a repeat.
 */
import type { InspectionEvent } from 'xstate';
import { currentSlot, type ConnectionContext } from '../../machines/connection.js';
import { effectiveEvseOperative, type EvseContext } from '../../machines/evse.js';
import type { ConnectorStatusEnumType, RegistrationStatusEnumType } from '../generated/ocpp-types.js';
import type { StationEventSink } from './station-event.js';
import { LazyMap } from '../lazy-collections.js';

interface Snapshot {
  status?: string;
  value?: unknown;
  context?: unknown;
}

const REGISTRATION_STATUSES: ReadonlySet<string> = new Set(['Accepted', 'Pending', 'Rejected']);

/**
 * @example
 * const derived = new ActorEvents(bus, (slot) => profiles.find((p) => p.configurationSlot === slot)?.connectionData.ocppCsmsUrl);
 * createActor(machine, { inspect: (event) => derived.inspect(event) });
 */
export class ActorEvents {
  /** The connection's open session (slot), or null while it is not connected. */
  private connectedSlot: number | null = null;
  private readonly connectorStatus = new Map<string, ConnectorStatusEnumType>();
  private readonly availability = new LazyMap<number, string>();

  constructor(
    private readonly sink: StationEventSink,
    /** The CSMS URL of a network profile slot. */
    private readonly urlOf: (slot: number) => string | undefined,
  ) {}

  /** One inspection event of the station's actor system. Never throws. */
  inspect(event: InspectionEvent): void {
    if (event.type !== '@xstate.snapshot') return;
    const snapshot = event.snapshot as Snapshot;
    if (snapshot.status !== 'active') return;
    const systemId = (event.actorRef as { systemId?: string }).systemId;
    const cause = event.event as { type: string; [key: string]: unknown };
    if (systemId === 'connection') this.connection(snapshot, cause);
    else if (systemId === 'boot') this.registration(cause);
    else if (systemId?.startsWith('connector:')) this.connector(systemId, snapshot);
    else if (systemId?.startsWith('evse:')) this.evse(snapshot);
    else if (event.actorRef.sessionId === event.rootId) this.station(snapshot);
  }

  /**
   * The connection's `socket` actor opened its session on `slot`. Said by the socket itself, before
   * the connection chart takes in `ws.opened`: messages waiting for the link are sent the moment it
   * is up, and `connected` must come before their frames.
   */
  connected(slot: number, offlineSeconds: number | null): void {
    if (this.connectedSlot !== null) return;
    this.connectedSlot = slot;
    this.sink.emit({
      type: 'connection',
      status: 'connected',
      slot,
      url: this.urlOf(slot),
      ...(offlineSeconds === null ? {} : { offlineSeconds }),
    });
  }

  /**
   * The station is stopping: an open connection closes with it (its actor stops without another
   * snapshot, so this is said here).
   */
  stopped(): void {
    if (this.connectedSlot === null) return;
    const slot = this.connectedSlot;
    this.connectedSlot = null;
    this.sink.emit({
      type: 'connection',
      status: 'disconnected',
      slot,
      url: this.urlOf(slot),
      reason: 'station stopped',
    });
  }

  private connection(snapshot: Snapshot, cause: { type: string; [key: string]: unknown }): void {
    const open = (snapshot.value as { session?: unknown } | undefined)?.session === 'open';
    if (open && this.connectedSlot === null) {
      const slot =
        typeof cause['slot'] === 'number'
          ? cause['slot']
          : currentSlot(snapshot.context as ConnectionContext);
      const offline = cause['offlineSeconds'];
      this.connected(slot, typeof offline === 'number' ? offline : null);
    } else if (!open && this.connectedSlot !== null) {
      const slot = this.connectedSlot;
      this.connectedSlot = null;
      const code = cause['code'];
      this.sink.emit({
        type: 'connection',
        status: 'disconnected',
        slot,
        url: this.urlOf(slot),
        reason: closeReason(cause),
        ...(typeof code === 'number' ? { code } : {}),
      });
    }
  }

  /**
   * B01–B03: the boot actor took in a BootNotificationResponse (`bootNotification.done`, the answer
   * of its call effect; a stale answer is never sent to it, src/runtime/call-effects.ts).
   */
  private registration(cause: { type: string; [key: string]: unknown }): void {
    if (cause.type !== 'bootNotification.done') return;
    const output = cause['output'] as
      { status?: unknown; interval?: unknown; currentTime?: unknown } | undefined;
    if (
      typeof output?.status !== 'string' ||
      !REGISTRATION_STATUSES.has(output.status) ||
      typeof output.interval !== 'number' ||
      typeof output.currentTime !== 'string'
    )
      return;
    this.sink.emit({
      type: 'registration',
      status: output.status as RegistrationStatusEnumType,
      interval: output.interval,
      currentTime: output.currentTime,
    });
  }

  private connector(systemId: string, snapshot: Snapshot): void {
    const status = (snapshot.value as { status?: ConnectorStatusEnumType } | undefined)?.status;
    const context = snapshot.context as { evseId?: number; connectorId?: number } | undefined;
    if (status === undefined || context?.evseId === undefined || context.connectorId === undefined) return;
    const previous = this.connectorStatus.get(systemId);
    if (previous === status) return;
    this.connectorStatus.set(systemId, status);
    this.sink.emit({
      type: 'connectorStatus',
      evseId: context.evseId,
      connectorId: context.connectorId,
      status,
      previousStatus: previous ?? null,
    });
  }

  /** G03/G04: the EVSE's effective availability, and whether a change to Inoperative waits. */
  private evse(snapshot: Snapshot): void {
    const context = snapshot.context as EvseContext | undefined;
    if (context?.evseId === undefined) return;
    const scheduled = context.scheduled.evse !== undefined || context.scheduled.station !== undefined;
    this.changed(context.evseId, effectiveEvseOperative(context), scheduled);
  }

  private station(snapshot: Snapshot): void {
    const context = snapshot.context as
      { stationOperative?: boolean; stationScheduledInoperative?: boolean } | undefined;
    if (typeof context?.stationOperative !== 'boolean') return;
    this.changed(0, context.stationOperative, context.stationScheduledInoperative === true);
  }

  private changed(evseId: number, operative: boolean, scheduled: boolean): void {
    const key = `${operative}/${scheduled}`;
    if (this.availability.get(evseId) === key) return;
    this.availability.set(evseId, key);
    this.sink.emit({
      type: 'availability',
      evseId,
      status: operative ? 'Operative' : 'Inoperative',
      scheduled,
    });
  }
}

/** Why the connection's open session ended, from the event that ended it. */
function closeReason(cause: { type: string; [key: string]: unknown }): string {
  switch (cause.type) {
    case 'ws.closed':
      return typeof cause['reason'] === 'string' && cause['reason'] !== '' ? cause['reason'] : 'closed';
    case 'connection.goOffline':
      return 'offline requested';
    case 'connection.reconnect':
      return 'reconnect';
    default:
      return cause.type;
  }
}
