/**
 * California pricing: the meter-value triggers a CSMS sets in a CostUpdatedRequest's customData
 * (`triggerMeterValue: { atTime?, atEnergykWh?, atPowerkW? }`) so that it can price the session at
 * the moments it chose. When one is reached the station sends a MeterValuesRequest for the
 * transaction's EVSE (libocpp `set_meter_value_pricing_triggers`): at `atTime`, when the energy
 * register reaches `atEnergykWh`, when the power crosses `atPowerkW` (either way). Each fires once;
 * a new CostUpdated replaces the EVSE's triggers; the transaction's end removes them.
 */
import type { MeterValueType, MeterValuesRequest } from '../generated/ocpp-types.js';
import type { TimerScheduler } from '../runtime/timers.js';
import { LazyMap } from '../lazy-collections.js';

/** The triggers of one CostUpdatedRequest (customData.triggerMeterValue). */
export interface MeterValueTriggers {
  atTime?: string;
  atEnergykWh?: number;
  atPowerkW?: number;
}

/**
 * The triggers in `value` (customData.triggerMeterValue), or undefined when it names none (a wrong
 * type is ignored, as an unknown vendor field would be).
 *
 * @example
 * parseTriggers({ atEnergykWh: 5 }); // { atEnergykWh: 5 }
 */
export function parseTriggers(value: unknown): MeterValueTriggers | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const triggers: MeterValueTriggers = {};
  if (typeof v['atTime'] === 'string' && Number.isFinite(Date.parse(v['atTime']))) triggers.atTime = v['atTime'];
  if (typeof v['atEnergykWh'] === 'number' && Number.isFinite(v['atEnergykWh'])) triggers.atEnergykWh = v['atEnergykWh'];
  if (typeof v['atPowerkW'] === 'number' && Number.isFinite(v['atPowerkW'])) triggers.atPowerkW = v['atPowerkW'];
  return Object.keys(triggers).length === 0 ? undefined : triggers;
}

export interface PricingTriggersOptions {
  timers: TimerScheduler;
  nowMs(): number;
  energyWh(evseId: number): number | undefined;
  /** Active import power of the newest reading, W; undefined when not measured. */
  powerW(evseId: number): number | undefined;
  /** The reading to send (context Other), or null when there is none. */
  reading(evseId: number): MeterValueType | null;
  send(request: MeterValuesRequest): Promise<unknown>;
  reportError(error: unknown): void;
}

interface Armed {
  transactionId: string;
  triggers: MeterValueTriggers;
  /** Above atPowerkW at the last reading (undefined: not known yet). */
  above?: boolean;
  timer: unknown;
}

/**
 * @example
 * const triggers = new PricingTriggers({ timers, nowMs, energyWh, powerW, reading, send, reportError });
 * triggers.set(1, 'tx-1', { atEnergykWh: 10 });
 * meters.onReading((evseId) => triggers.reading(evseId));
 */
export class PricingTriggers {
  private readonly armed = new LazyMap<number, Armed>();

  constructor(private readonly options: PricingTriggersOptions) {}

  /** Replaces the triggers of the EVSE the transaction runs on. */
  set(evseId: number, transactionId: string, triggers: MeterValueTriggers): void {
    this.clearEvse(evseId);
    const armed: Armed = { transactionId, triggers: { ...triggers }, timer: null };
    const power = this.options.powerW(evseId);
    if (triggers.atPowerkW !== undefined && power !== undefined) armed.above = power > triggers.atPowerkW * 1000;
    if (triggers.atTime !== undefined) {
      const wait = Math.max(0, Date.parse(triggers.atTime) - this.options.nowMs());
      armed.timer = this.options.timers.setTimeout(() => {
        armed.timer = null;
        delete armed.triggers.atTime;
        this.fire(evseId);
      }, Math.min(wait, 2 ** 31 - 1));
    }
    this.armed.set(evseId, armed);
    this.reading(evseId);
  }

  /** A new reading of an EVSE: energy and power triggers are checked. */
  reading(evseId: number): void {
    const armed = this.armed.get(evseId);
    if (!armed) return;
    const { triggers } = armed;
    let fire = false;
    const energy = this.options.energyWh(evseId);
    if (triggers.atEnergykWh !== undefined && energy !== undefined && energy >= triggers.atEnergykWh * 1000) {
      delete triggers.atEnergykWh;
      fire = true;
    }
    const power = this.options.powerW(evseId);
    if (triggers.atPowerkW !== undefined && power !== undefined) {
      const above = power > triggers.atPowerkW * 1000;
      if (armed.above !== undefined && above !== armed.above) {
        delete triggers.atPowerkW;
        fire = true;
      }
      armed.above = above;
    }
    if (fire) this.fire(evseId);
  }

  /** The transaction ended: its triggers go. */
  transactionEnded(transactionId: string): void {
    for (const [evseId, armed] of this.armed) if (armed.transactionId === transactionId) this.clearEvse(evseId);
  }

  stop(): void {
    for (const evseId of [...this.armed.keys()]) this.clearEvse(evseId);
  }

  private clearEvse(evseId: number): void {
    const armed = this.armed.get(evseId);
    if (armed?.timer) this.options.timers.clearTimeout(armed.timer);
    this.armed.delete(evseId);
  }

  private fire(evseId: number): void {
    const armed = this.armed.get(evseId);
    if (armed && Object.keys(armed.triggers).length === 0) this.clearEvse(evseId);
    const reading = this.options.reading(evseId);
    if (!reading) return;
    this.options.send({ evseId, meterValue: [reading] }).catch((e: unknown) => this.options.reportError(e));
  }
}
