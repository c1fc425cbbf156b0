/**
 * What a simulated station tells its ChargePoint about energy (simulated-station.ts): the energy
 * flow of each EVSE when it changes, and every meter's reading, every second while energy flows.
 */
import type { ChargePoint } from '../charge-point.js';
import type { StationClock } from '../clock.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import type { SimMeter } from './sim-meter.js';
import type { SimulatedHardware } from './simulated-hardware.js';

/** How often a meter reports while energy flows (ms). */
const METER_REPORT_MS = 1000;

/** What the reports need of the station. */
export interface EnergyReportHost {
  readonly hardware: SimulatedHardware;
  readonly meter: SimMeter;
  readonly evses: readonly EvseStructure[];
  readonly clock: StationClock;
  /** The running ChargePoint, or null between boots. */
  running(): ChargePoint | null;
  /** The running ChargePoint, else the one whose start() runs (it must hear a resumed permission). */
  runningOrBooting(): ChargePoint | null;
  /** The station has stopped: no timer is armed any more. */
  stopped(): boolean;
}

/**
 * The energy reports of one simulated station, across its reboots.
 *
 * @example
 * const energy = new SimEnergyReports(host);
 * energy.sync(1); // after `charge 1`
 */
export class SimEnergyReports {
  /** Energy state last told to the ChargePoint, per EVSE. */
  private readonly flowReported = new Map<number, 'Charging' | 'SuspendedEV' | null>();
  private meterTimer: NodeJS.Timeout | null = null;

  constructor(private readonly host: EnergyReportHost) {}

  /**
   * Tells the ChargePoint what energy does on an EVSE now (Charging, SuspendedEV or nothing), when
   * it changed, and reports the meters.
   */
  sync(evseId: number): void {
    const cp = this.host.runningOrBooting();
    if (!cp) return;
    const c = this.host.hardware.activeConnector(evseId);
    const state: 'Charging' | 'SuspendedEV' | null = c.flowing
      ? 'Charging'
      : c.ev === 'suspended' && this.host.hardware.isPermitted(evseId)
        ? 'SuspendedEV'
        : null;
    if ((this.flowReported.get(evseId) ?? null) !== state) {
      this.flowReported.set(evseId, state);
      cp.onChargingStateChanged(evseId, state);
    }
    this.report();
  }

  /** Every meter's reading to the ChargePoint (EVSE 0: the main meter, the sum of all). */
  report(signedOnly = false): void {
    const cp = this.host.running();
    if (!cp) return;
    const timestamp = this.host.clock.nowIso();
    let total = 0;
    let totalPower = 0;
    for (const evse of this.host.evses) {
      const c = this.host.hardware.activeConnector(evse.id);
      const powerW = c.flowing ? c.powerW : 0;
      total += c.energyWh;
      totalPower += powerW;
      if (!signedOnly)
        cp.onMeterValue(evse.id, this.host.meter.reading({ timestamp, energyWh: c.energyWh, powerW }));
    }
    if (!signedOnly)
      cp.onMeterValue(0, this.host.meter.reading({ timestamp, energyWh: total, powerW: totalPower }));
    this.arm();
  }

  /** While energy flows, the meters report every second (and their registers are written). */
  private arm(): void {
    if (this.host.hardware.charging && this.meterTimer === null && !this.host.stopped()) {
      this.meterTimer = setInterval(() => {
        if (!this.host.hardware.charging) {
          if (this.meterTimer) clearInterval(this.meterTimer);
          this.meterTimer = null;
        }
        this.report();
      }, METER_REPORT_MS);
      this.meterTimer.unref();
    }
  }

  /** A new ChargePoint has been told nothing yet. */
  forgetFlows(): void {
    this.flowReported.clear();
  }

  /** Stops the periodic reports (the station stops). */
  stopTimer(): void {
    if (this.meterTimer) clearInterval(this.meterTimer);
    this.meterTimer = null;
  }
}
