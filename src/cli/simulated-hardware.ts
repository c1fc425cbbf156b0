/**
 * The simulated hardware behind each connector: cable, cable lock, EV, meter, and the parking bay
 * sensor of each EVSE. It is the "real world" of the simulated station, so it outlives the
 * ChargePoint: a reset or a power loss reboots the station software, while a plugged cable stays
 * plugged, a locked cable stays locked and the meter keeps its register.
 *
 * Energy flows only when the EV asks for it (`charge`) AND the station permits charging on the EVSE
 * (chargingPermittedChangedCallback) AND nothing stops it (fault, failed lock). The meter integrates
 * the EV's power over (monotonic) host time while energy flows. Every change is written to SQLite
 * before it is visible; `flush()` writes the register of charging connectors so that a power loss
 * loses at most the energy since the last flush.
 */
import { loadSimHardware, saveSimConnector, type StoredConnectorHardware } from './sim-hardware-store.js';
import { HardwareError, type ConnectorHardware, type SimulatedHardwareOptions } from './simulated-hardware-types.js';

// The public types live next to this file; callers import them from here.
export { HardwareError, type ConnectorHardware, type SimulatedHardwareOptions } from './simulated-hardware-types.js';

interface LiveConnector {
  stored: StoredConnectorHardware;
  /** Exact register in Wh; `stored.energyWh` is its integer part as last written. */
  energyWh: number;
  /** Monotonic ms at which `energyWh` was last brought up to date. */
  since: number;
}

const MS_PER_HOUR = 3_600_000;

const EMPTY = (evseId: number, connectorId: number): StoredConnectorHardware => ({
  evseId,
  connectorId,
  plugged: false,
  faulted: false,
  ev: 'absent',
  energyWh: 0,
  powerW: 0,
  locked: false,
  lockFail: false,
  parked: false,
});

/**
 * @example
 * const hardware = await SimulatedHardware.load({ db: store.db, stationId: 'CS-1', evses, nowIso: clock.nowIso });
 * await hardware.plug(1, 1);
 * await hardware.charge(1, 11000);
 * await hardware.setPermitted(1, true); // the station allows it: energy flows
 * hardware.connector(1, 1).energyWh; // grows while the EV charges
 */
export class SimulatedHardware {
  /** EVSEs on which the station permits charging (not stored: the station tells it again after a start). */
  private readonly permitted = new Set<number>();
  /** The last change in progress: changes apply one at a time. */
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: SimulatedHardwareOptions,
    private readonly live: Map<string, LiveConnector>,
    private readonly monotonicMs: () => number,
  ) {}

  /** Reads the stored hardware; connectors never stored start with nothing plugged and a zero meter. */
  static async load(options: SimulatedHardwareOptions): Promise<SimulatedHardware> {
    const monotonicMs = options.monotonicMs ?? (() => performance.now());
    const stored = await loadSimHardware(options.db, options.stationId);
    const live = new Map<string, LiveConnector>();
    const now = monotonicMs();
    for (const evse of options.evses) {
      for (const connector of evse.connectors) {
        const row =
          stored.find((r) => r.evseId === evse.id && r.connectorId === connector.id) ??
          EMPTY(evse.id, connector.id);
        // After a power loss the meter counts again from now: no energy flowed while it was off.
        live.set(key(evse.id, connector.id), { stored: row, energyWh: row.energyWh, since: now });
      }
    }
    return new SimulatedHardware(options, live, monotonicMs);
  }

  /** Every connector, EVSE by EVSE. */
  connectors(): ConnectorHardware[] {
    return [...this.live.values()].map((c) => this.view(c));
  }

  /** One connector; throws {@link HardwareError} when the station has no such connector. */
  connector(evseId: number, connectorId: number): ConnectorHardware {
    return this.view(this.find(evseId, connectorId));
  }

  /**
   * The connector an EVSE-level action (charge, suspend, meter) applies to: the one with the
   * cable plugged in, else the EVSE's first connector.
   */
  activeConnector(evseId: number): ConnectorHardware {
    return this.view(this.active(evseId));
  }

  /**
   * A cable is plugged in at both ends (an EV at its end). On a socket whose cable is still in
   * (pulled at the EV side only), this plugs the EV back.
   */
  async plug(evseId: number, connectorId: number): Promise<ConnectorHardware> {
    const c = this.find(evseId, connectorId);
    if (c.stored.plugged && c.stored.ev !== 'absent')
      throw new HardwareError(`EVSE ${evseId} connector ${connectorId}: a cable is already plugged in`);
    const other = this.connectorsOf(evseId).find((o) => o.stored.plugged && o !== c);
    if (other) {
      throw new HardwareError(
        `EVSE ${evseId}: connector ${other.stored.connectorId} already has a cable plugged in (an EVSE serves one EV at a time)`,
      );
    }
    return this.update(c, { plugged: true, ev: 'connected' });
  }

  /** The cable leaves the station (and the EV with it); refused while the retention lock holds it. */
  async unplug(evseId: number, connectorId: number): Promise<ConnectorHardware> {
    const c = this.find(evseId, connectorId);
    if (!c.stored.plugged)
      throw new HardwareError(`EVSE ${evseId} connector ${connectorId}: no cable is plugged in`);
    if (c.stored.locked && !this.fixed(c)) {
      throw new HardwareError(
        `EVSE ${evseId} connector ${connectorId}: the cable is locked in the socket (the station unlocks it when the transaction ends, on the driver's idToken or an UnlockConnector)`,
      );
    }
    return this.update(c, { plugged: false, ev: 'absent', powerW: 0, locked: false });
  }

  /**
   * The cable leaves the EV only. A socket's cable stays in (and locked); a fixed cable is free
   * again, as after `unplug`.
   */
  async unplugEv(evseId: number, connectorId: number): Promise<ConnectorHardware> {
    const c = this.find(evseId, connectorId);
    if (c.stored.ev === 'absent')
      throw new HardwareError(`EVSE ${evseId} connector ${connectorId}: no EV is connected`);
    if (this.fixed(c)) return this.update(c, { plugged: false, ev: 'absent', powerW: 0, locked: false });
    return this.update(c, { ev: 'absent', powerW: 0 });
  }

  /** The connector hardware reports a fault. */
  async fault(evseId: number, connectorId: number): Promise<ConnectorHardware> {
    const c = this.find(evseId, connectorId);
    if (c.stored.faulted) throw new HardwareError(`EVSE ${evseId} connector ${connectorId}: already faulted`);
    return this.update(c, { faulted: true });
  }

  /** The fault is gone, and a pending lock failure with it (`clear`). */
  async clearFault(evseId: number, connectorId: number): Promise<ConnectorHardware> {
    const c = this.find(evseId, connectorId);
    if (!c.stored.faulted && !c.stored.lockFail)
      throw new HardwareError(`EVSE ${evseId} connector ${connectorId}: not faulted`);
    return this.update(c, { faulted: false, lockFail: false });
  }

  /** The retention lock fails at its next locking attempt (until `clear`). */
  async failLock(evseId: number, connectorId: number): Promise<ConnectorHardware> {
    const c = this.find(evseId, connectorId);
    if (this.fixed(c))
      throw new HardwareError(`EVSE ${evseId} connector ${connectorId}: a fixed cable has no retention lock`);
    return this.update(c, { lockFail: true });
  }

  /** Locks a socket's cable; false (nothing locked) when the lock fails or there is no cable to lock. */
  async lock(evseId: number, connectorId: number): Promise<boolean> {
    const c = this.find(evseId, connectorId);
    // Decided in turn with the writes before it: a lock and an unlock asked for at once end as
    // asked last (the lock's pending write is not mistaken for "not locked").
    return this.serialized(async () => {
      if (this.fixed(c) || !c.stored.plugged) return false;
      if (c.stored.lockFail) return false;
      if (!c.stored.locked) await this.write(c, { locked: true });
      return true;
    });
  }

  /** Releases the lock (F05 UnlockConnector, E06.FR.10); true also without a cable (F05.FR.06). */
  async unlock(evseId: number, connectorId: number): Promise<boolean> {
    const c = this.find(evseId, connectorId);
    return this.serialized(async () => {
      if (c.stored.locked) await this.write(c, { locked: false });
      return true;
    });
  }

  /** The parking bay sensor of an EVSE sees an EV arrive (true) or leave (false). */
  async park(evseId: number, parked: boolean): Promise<ConnectorHardware> {
    const list = this.connectorsOf(evseId);
    if ((list[0] as LiveConnector).stored.parked === parked) {
      throw new HardwareError(`EVSE ${evseId}: ${parked ? 'an EV is already parked' : 'no EV is parked'}`);
    }
    for (const c of list) await this.update(c, { parked });
    return this.view(list[0] as LiveConnector);
  }

  /**
   * The EV on the EVSE asks for (more) energy: at the power it was given with `meter`, else at
   * `defaultPowerW`. It flows once the station permits.
   */
  async charge(evseId: number, defaultPowerW: number): Promise<ConnectorHardware> {
    const c = this.evOn(evseId);
    if (c.stored.ev === 'charging') throw new HardwareError(`EVSE ${evseId}: the EV is already charging`);
    return this.update(c, {
      ev: 'charging',
      powerW: c.stored.powerW > 0 ? c.stored.powerW : Math.round(defaultPowerW),
    });
  }

  /** The EV pauses (SuspendedEV): it stays connected and draws nothing. */
  async suspend(evseId: number): Promise<ConnectorHardware> {
    const c = this.evOn(evseId);
    if (c.stored.ev !== 'charging')
      throw new HardwareError(`EVSE ${evseId}: the EV is not charging (it is ${c.stored.ev})`);
    return this.update(c, { ev: 'suspended' });
  }

  /** The station permits charging on the EVSE, or stops it. */
  async setPermitted(evseId: number, permitted: boolean): Promise<void> {
    if (this.permitted.has(evseId) === permitted) return;
    const list = this.connectorsOf(evseId);
    // The register is brought up to date at the moment the flow changes.
    for (const c of list) this.settle(c);
    if (permitted) this.permitted.add(evseId);
    else this.permitted.delete(evseId);
    for (const c of list) await this.update(c, {});
  }

  /** Does the station permit charging on this EVSE? */
  isPermitted(evseId: number): boolean {
    return this.permitted.has(evseId);
  }

  /**
   * Sets the meter's energy register of the EVSE's active connector and, when given, the power the
   * EV draws while charging (needs an EV: a cable plugged in).
   */
  async setMeter(evseId: number, energyWh: number, powerW?: number): Promise<ConnectorHardware> {
    if (!Number.isSafeInteger(energyWh) || energyWh < 0)
      throw new HardwareError(`meter: ${energyWh} Wh is not a non-negative integer`);
    if (powerW !== undefined && (!Number.isSafeInteger(powerW) || powerW < 0)) {
      throw new HardwareError(`meter: ${powerW} W is not a non-negative integer`);
    }
    const c = powerW === undefined ? this.active(evseId) : this.evOn(evseId);
    return this.update(c, { energyWh, ...(powerW === undefined ? {} : { powerW }) }, energyWh);
  }

  /** The EV on the EVSE stops drawing power (its EVSE was reset): charging becomes connected. */
  async stopEnergyTransfer(evseId: number): Promise<ConnectorHardware | undefined> {
    const c = this.connectorsOf(evseId).find((o) => o.stored.ev === 'charging');
    return c ? this.update(c, { ev: 'connected' }) : undefined;
  }

  /** Writes the meter register of every charging connector whose integer Wh moved since the last write. */
  async flush(): Promise<void> {
    for (const c of this.live.values()) {
      if (!this.flowing(c)) continue;
      const energy = this.energyNow(c);
      if (Math.floor(energy) !== c.stored.energyWh) await this.update(c, {}, energy);
    }
  }

  /** Is energy flowing anywhere (the meters are moving)? */
  get charging(): boolean {
    return [...this.live.values()].some((c) => this.flowing(c) && c.stored.powerW > 0);
  }

  private flowing(c: LiveConnector): boolean {
    return (
      c.stored.ev === 'charging' &&
      this.permitted.has(c.stored.evseId) &&
      !c.stored.faulted &&
      !(c.stored.lockFail && !this.fixed(c))
    );
  }

  private fixed(c: LiveConnector): boolean {
    return this.options.fixedCable?.(c.stored.evseId, c.stored.connectorId) ?? false;
  }

  private settle(c: LiveConnector): void {
    c.energyWh = this.energyNow(c);
    c.since = this.monotonicMs();
  }

  /**
   * Applies a change after the changes before it (commands and the station's reactions may overlap):
   * written first, so the visible state never runs ahead of what a power loss would restore.
   */
  private update(
    c: LiveConnector,
    change: Partial<StoredConnectorHardware>,
    energyWh?: number,
  ): Promise<ConnectorHardware> {
    return this.serialized(() => this.write(c, change, energyWh));
  }

  /** Runs `work` after every hardware change asked for before it (one write at a time, in order). */
  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Stores a change now; only from inside {@link serialized}. */
  private async write(
    c: LiveConnector,
    change: Partial<StoredConnectorHardware>,
    energyWh?: number,
  ): Promise<ConnectorHardware> {
    const energy = energyWh ?? this.energyNow(c);
    const next: StoredConnectorHardware = { ...c.stored, ...change, energyWh: Math.floor(energy) };
    await saveSimConnector(this.options.db, this.options.stationId, next, this.options.nowIso());
    c.stored = next;
    c.energyWh = energy;
    c.since = this.monotonicMs();
    return this.view(c);
  }

  private energyNow(c: LiveConnector): number {
    if (!this.flowing(c)) return c.energyWh;
    const hours = Math.max(0, this.monotonicMs() - c.since) / MS_PER_HOUR;
    return c.energyWh + c.stored.powerW * hours;
  }

  private view(c: LiveConnector): ConnectorHardware {
    return {
      ...c.stored,
      energyWh: Math.floor(this.energyNow(c)),
      flowing: this.flowing(c),
      fixedCable: this.fixed(c),
    };
  }

  private connectorsOf(evseId: number): LiveConnector[] {
    const list = [...this.live.values()].filter((c) => c.stored.evseId === evseId);
    if (list.length === 0)
      throw new HardwareError(`no EVSE ${evseId} (this station has EVSE ${this.evseIds()})`);
    return list;
  }

  private find(evseId: number, connectorId: number): LiveConnector {
    const list = this.connectorsOf(evseId);
    const c = list.find((o) => o.stored.connectorId === connectorId);
    if (!c) {
      throw new HardwareError(
        `EVSE ${evseId} has no connector ${connectorId} (it has ${list.map((o) => o.stored.connectorId).join(', ')})`,
      );
    }
    return c;
  }

  private active(evseId: number): LiveConnector {
    const list = this.connectorsOf(evseId);
    return list.find((c) => c.stored.plugged) ?? (list[0] as LiveConnector);
  }

  private evOn(evseId: number): LiveConnector {
    const c = this.connectorsOf(evseId).find((o) => o.stored.ev !== 'absent');
    if (!c) throw new HardwareError(`EVSE ${evseId}: no EV is plugged in (plug ${evseId} first)`);
    return c;
  }

  private evseIds(): string {
    return [...new Set([...this.live.values()].map((c) => c.stored.evseId))].join(', ');
  }
}

function key(evseId: number, connectorId: number): string {
  return `${evseId}/${connectorId}`;
}
