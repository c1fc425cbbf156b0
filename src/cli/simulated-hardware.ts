/**
 * The simulated hardware behind each connector: cable, EV and meter. It is the "real world" of the
 * simulated station, so it outlives the ChargePoint: a reset or a power loss reboots the station
 * software, while a plugged cable stays plugged and the meter keeps its register.
 *
 * The meter integrates the EV's power over (monotonic) host time while the EV charges. Every change
 * is written to SQLite before it is visible; `flush()` writes the register of charging connectors
 * so that a power loss loses at most the energy since the last flush.
 */
import type { Kysely } from 'kysely';
import type { EvseStructure } from '../handlers/handler-context.js';
import type { Database } from '../store/schema.js';
import { loadSimHardware, saveSimConnector, type StoredConnectorHardware } from './sim-hardware-store.js';

/** One connector's hardware as seen now (energy includes what was counted since the last write). */
export type ConnectorHardware = Readonly<StoredConnectorHardware>;

/**
 * A hardware action that cannot happen (no such connector, no cable, already plugged, ...).
 *
 * @example
 * await hardware.unplug(1, 1).catch((error) => {
 *   if (error instanceof HardwareError) console.error(error.message); // EVSE 1 connector 1: no cable is plugged in
 * });
 */
export class HardwareError extends Error {
  override readonly name = 'HardwareError';
}

interface LiveConnector {
  stored: StoredConnectorHardware;
  /** Exact register in Wh; `stored.energyWh` is its integer part as last written. */
  energyWh: number;
  /** Monotonic ms at which `energyWh` was last brought up to date. */
  since: number;
}

export interface SimulatedHardwareOptions {
  db: Kysely<Database>;
  stationId: string;
  evses: readonly EvseStructure[];
  /** Station time for `updated_at`. */
  nowIso: () => string;
  /** Monotonic milliseconds for the meter (default: performance.now). */
  monotonicMs?: () => number;
}

const MS_PER_HOUR = 3_600_000;

/**
 * @example
 * const hardware = await SimulatedHardware.load({ db: store.db, stationId: 'CS-1', evses, nowIso: clock.nowIso });
 * await hardware.plug(1, 1);
 * await hardware.charge(1, 11000);
 * hardware.connector(1, 1).energyWh; // grows while the EV charges
 */
export class SimulatedHardware {
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
        const row = stored.find((r) => r.evseId === evse.id && r.connectorId === connector.id) ?? {
          evseId: evse.id,
          connectorId: connector.id,
          plugged: false,
          faulted: false,
          ev: 'absent' as const,
          energyWh: 0,
          powerW: 0,
        };
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

  /** A cable (with an EV at its end) is plugged into the connector. */
  async plug(evseId: number, connectorId: number): Promise<ConnectorHardware> {
    const c = this.find(evseId, connectorId);
    if (c.stored.plugged)
      throw new HardwareError(`EVSE ${evseId} connector ${connectorId}: a cable is already plugged in`);
    const other = this.connectorsOf(evseId).find((o) => o.stored.plugged);
    if (other) {
      throw new HardwareError(
        `EVSE ${evseId}: connector ${other.stored.connectorId} already has a cable plugged in (an EVSE serves one EV at a time)`,
      );
    }
    return this.update(c, { plugged: true, ev: 'connected' });
  }

  /** The cable is pulled: the EV is gone and draws nothing. */
  async unplug(evseId: number, connectorId: number): Promise<ConnectorHardware> {
    const c = this.find(evseId, connectorId);
    if (!c.stored.plugged)
      throw new HardwareError(`EVSE ${evseId} connector ${connectorId}: no cable is plugged in`);
    return this.update(c, { plugged: false, ev: 'absent', powerW: 0 });
  }

  /** The connector hardware reports a fault. */
  async fault(evseId: number, connectorId: number): Promise<ConnectorHardware> {
    const c = this.find(evseId, connectorId);
    if (c.stored.faulted) throw new HardwareError(`EVSE ${evseId} connector ${connectorId}: already faulted`);
    return this.update(c, { faulted: true });
  }

  /** The fault is gone. */
  async clearFault(evseId: number, connectorId: number): Promise<ConnectorHardware> {
    const c = this.find(evseId, connectorId);
    if (!c.stored.faulted) throw new HardwareError(`EVSE ${evseId} connector ${connectorId}: not faulted`);
    return this.update(c, { faulted: false });
  }

  /**
   * The EV on the EVSE starts (or resumes) drawing power: at the power it was given with `meter`,
   * else at `defaultPowerW`.
   */
  async charge(evseId: number, defaultPowerW: number): Promise<ConnectorHardware> {
    const c = this.pluggedOn(evseId);
    if (c.stored.ev === 'charging') throw new HardwareError(`EVSE ${evseId}: the EV is already charging`);
    return this.update(c, {
      ev: 'charging',
      powerW: c.stored.powerW > 0 ? c.stored.powerW : Math.round(defaultPowerW),
    });
  }

  /** The EV pauses (SuspendedEV): it stays connected and draws nothing. */
  async suspend(evseId: number): Promise<ConnectorHardware> {
    const c = this.pluggedOn(evseId);
    if (c.stored.ev !== 'charging')
      throw new HardwareError(`EVSE ${evseId}: the EV is not charging (it is ${c.stored.ev})`);
    return this.update(c, { ev: 'suspended' });
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
    const c = powerW === undefined ? this.active(evseId) : this.pluggedOn(evseId);
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
      if (c.stored.ev !== 'charging') continue;
      const energy = this.energyNow(c);
      if (Math.floor(energy) !== c.stored.energyWh) await this.update(c, {}, energy);
    }
  }

  /** Is any EV drawing power (the meter is moving)? */
  get charging(): boolean {
    return [...this.live.values()].some((c) => c.stored.ev === 'charging' && c.stored.powerW > 0);
  }

  private async update(
    c: LiveConnector,
    change: Partial<StoredConnectorHardware>,
    energyWh = this.energyNow(c),
  ): Promise<ConnectorHardware> {
    const next: StoredConnectorHardware = { ...c.stored, ...change, energyWh: Math.floor(energyWh) };
    // Written first: the visible state never runs ahead of what a power loss would restore.
    await saveSimConnector(this.options.db, this.options.stationId, next, this.options.nowIso());
    c.stored = next;
    c.energyWh = energyWh;
    c.since = this.monotonicMs();
    return this.view(c);
  }

  private energyNow(c: LiveConnector): number {
    if (c.stored.ev !== 'charging') return c.energyWh;
    const hours = Math.max(0, this.monotonicMs() - c.since) / MS_PER_HOUR;
    return c.energyWh + c.stored.powerW * hours;
  }

  private view(c: LiveConnector): ConnectorHardware {
    return { ...c.stored, energyWh: Math.floor(this.energyNow(c)) };
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

  private pluggedOn(evseId: number): LiveConnector {
    const c = this.connectorsOf(evseId).find((o) => o.stored.plugged);
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
