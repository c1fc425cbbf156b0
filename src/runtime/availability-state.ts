/**
 * Keeps the device model's `AvailabilityState` variables (Connector, EVSE, ChargingStation; Part 2
 * Appendix 3) equal to what the statecharts say, so GetVariables and reports tell the truth. The
 * connector's is its OCPP status; an EVSE's and the station's are aggregated (see
 * `aggregateAvailability`, a choice documented in docs/architecture.md).
 */
import type { ConnectorStatusEnumType } from '../generated/ocpp-types.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import type { DeviceModelPort, VariableRef } from './ports.js';
import { LazyMap } from '../lazy-collections.js';
import { placedRef } from '../device-model/placed-refs.js';

/**
 * The availability of a group (an EVSE or the station) from its members: Unavailable when the group
 * itself is Inoperative; Faulted when every member is; otherwise the most engaged member state
 * (Occupied > Reserved > Available), where members that are Unavailable or Faulted do not count.
 *
 * @example
 * aggregateAvailability(['Occupied', 'Available'], true); // 'Occupied'
 * aggregateAvailability(['Faulted', 'Faulted'], true); // 'Faulted'
 */
export function aggregateAvailability(
  members: readonly ConnectorStatusEnumType[],
  operative: boolean,
): ConnectorStatusEnumType {
  if (!operative) return 'Unavailable';
  if (members.length > 0 && members.every((s) => s === 'Faulted')) return 'Faulted';
  for (const status of ['Occupied', 'Reserved', 'Available'] as const) {
    if (members.includes(status)) return status;
  }
  return 'Unavailable';
}

const STATION_AVAILABILITY: VariableRef = { component: 'ChargingStation', variable: 'AvailabilityState' };
const EVSE_AVAILABILITY: VariableRef = { component: 'EVSE', variable: 'AvailabilityState' };
const CONNECTOR_AVAILABILITY: VariableRef = { component: 'Connector', variable: 'AvailabilityState' };

// The same ref object per place: each write looks it up three times (has, get, set), and a new
// object per call missed ModelIndex.resolve's memory every time (issue 9, boot storm).
const availabilityRef = (evseId?: number, connectorId?: number): VariableRef => {
  if (evseId === undefined) return STATION_AVAILABILITY;
  if (connectorId === undefined) return placedRef(EVSE_AVAILABILITY, evseId);
  return placedRef(CONNECTOR_AVAILABILITY, evseId, connectorId);
};

/**
 * Mirrors statuses into the device model; writes are serialized so the last status always wins.
 *
 * @example
 * const mirror = new AvailabilityStateMirror(deviceModel, evses, console.error);
 * mirror.connectorStatus(1, 1, 'Occupied');
 */
export class AvailabilityStateMirror {
  private readonly connectors = new Map<string, ConnectorStatusEnumType>();
  private readonly evseOperative = new LazyMap<number, boolean>();
  private stationOperative = true;
  private writes: Promise<void> = Promise.resolve();
  /** Values waiting for the next store turn, by ref (one shared object per place). */
  private readonly pending = new LazyMap<VariableRef, string>();

  constructor(
    private readonly dm: DeviceModelPort,
    private readonly evses: readonly EvseStructure[],
    private readonly reportError: (error: unknown) => void,
    initial: { stationOperative: boolean; evseOperative: ReadonlyMap<number, boolean> } = {
      stationOperative: true,
      evseOperative: new Map(),
    },
  ) {
    this.stationOperative = initial.stationOperative;
    for (const [evseId, operative] of initial.evseOperative) this.evseOperative.set(evseId, operative);
  }

  connectorStatus(evseId: number, connectorId: number, status: ConnectorStatusEnumType): void {
    this.connectors.set(`${evseId}/${connectorId}`, status);
    this.write(availabilityRef(evseId, connectorId), status);
    this.refreshEvse(evseId);
    this.refreshStation();
  }

  evseOperativeChanged(evseId: number, operative: boolean): void {
    this.evseOperative.set(evseId, operative);
    this.refreshEvse(evseId);
    this.refreshStation();
  }

  stationOperativeChanged(operative: boolean): void {
    this.stationOperative = operative;
    this.refreshStation();
  }

  /** Resolves when every write so far has reached the store. */
  flushed(): Promise<void> {
    return this.writes;
  }

  private evseStatus(evseId: number): ConnectorStatusEnumType {
    const evse = this.evses.find((e) => e.id === evseId);
    const members = (evse?.connectors ?? []).flatMap((c) => this.connectors.get(`${evseId}/${c.id}`) ?? []);
    return aggregateAvailability(members, this.stationOperative && (this.evseOperative.get(evseId) ?? true));
  }

  private refreshEvse(evseId: number): void {
    this.write(availabilityRef(evseId), this.evseStatus(evseId));
  }

  private refreshStation(): void {
    const members = this.evses.map((e) => this.evseStatus(e.id));
    this.write(availabilityRef(), aggregateAvailability(members, this.stationOperative));
  }

  /**
   * Queues the value. The writes queued before the queue's next turn (a connector's, its EVSE's and
   * the station's after one status change; every EVSE's when the connectors report in one run) are
   * stored together in one transaction (issue 9, boot storm), no later than the first of them was
   * when each had its own: a GetVariables after the StatusNotification reads them all.
   */
  private write(ref: VariableRef, value: string): void {
    if (!this.dm.has(ref)) return;
    const scheduled = this.pending.size > 0;
    // The last value of a ref wins; its place in the order stays that of its first write.
    this.pending.set(ref, value);
    if (scheduled) return;
    this.writes = this.writes
      .then(() => this.storePending())
      .then(
        () => undefined,
        (error: unknown) => this.reportError(error),
      );
  }

  /** Stores the queued values that differ from the model's, in one transaction when the model can. */
  private async storePending(): Promise<void> {
    const values: Array<{ ref: VariableRef; value: string }> = [];
    for (const [ref, value] of this.pending) if (this.dm.get(ref) !== value) values.push({ ref, value });
    this.pending.clear();
    if (values.length === 0) return;
    if (this.dm.setHostValues !== undefined) return this.dm.setHostValues(values);
    for (const { ref, value } of values) await this.dm.set(ref, value, 'host');
  }
}
