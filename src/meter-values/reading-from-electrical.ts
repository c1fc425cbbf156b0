/**
 * The full reading of a simple simulated meter, built from a few electrical quantities.
 */
import type {
  MeasurandEnumType,
  MeterValueType,
  PhaseEnumType,
  SampledValueType,
} from '../generated/ocpp-types.js';
import { parseInstant } from './instant.js';

/** One sample of a simulated meter. Absent quantities are not measured and not reported. */
export interface ElectricalSample {
  /** RFC 3339 time of the sample. */
  timestamp: string;
  /** Active energy import register, Wh (monotonically increasing, J02.FR.16). */
  energyWh: number;
  /** Active power import, W (total over all phases). */
  powerW?: number;
  /** Current import, A, per phase (the same on each phase: a balanced load). */
  currentA?: number;
  /** Voltage, V, phase to neutral. */
  voltageV?: number;
  /** Grid frequency, Hz. */
  frequencyHz?: number;
  /** State of charge of the EV battery, percent (0..100). */
  soc?: number;
  /** Number of AC phases used; 1 (default) also stands for DC. */
  phases?: 1 | 3;
}

const CURRENT_PHASES: readonly PhaseEnumType[] = ['L1', 'L2', 'L3'];
const VOLTAGE_PHASES: readonly PhaseEnumType[] = ['L1-N', 'L2-N', 'L3-N'];

/**
 * The meter value a simple simulated meter reports for `sample`: every sampled value it measures,
 * to be filtered by meterValueFor with the configured measurands.
 *
 * What the simulated meter measures (J01.FR.11 / J02.FR.07: phase dependent values are reported
 * from the meter's point of view; Part 2 J §2.3 with errata 2025-09: every phase the meter can
 * measure is reported):
 * - Energy.Active.Import.Register (Wh) and Power.Active.Import (W): totals over all phases,
 *   without phase (as with SampledDataCtrlr.RegisterValuesWithoutPhases = true).
 * - Current.Import (A): with 3 phases one value per phase, L1, L2, L3, and no phase-less total
 *   (a sum of phase currents is no physical quantity; TC_J_02_CS expects one element per phase);
 *   with 1 phase one value without phase (the overall value, there being just one).
 * - Voltage (V): phase to neutral, L1-N, L2-N, L3-N with 3 phases; without phase with 1.
 * - Frequency (Hz): without phase. SoC (Percent): location EV.
 * Location is omitted (the schema default Outlet) except for SoC; context is left to
 * meterValueFor. Every value is a number rounded to 0.001 of its unit, the simulated meter's
 * resolution (GEN: reported decimals keep the source's full resolution; this is the source).
 *
 * Throws a RangeError for a timestamp that is not RFC 3339, a negative or non-finite quantity,
 * a SoC outside 0..100, or phases other than 1 or 3.
 *
 * @example
 * readingFromElectrical({ timestamp: '2025-01-01T10:00:00Z', energyWh: 1520.5, powerW: 11000, currentA: 16, phases: 3 });
 * // { timestamp: '2025-01-01T10:00:00Z', sampledValue: [
 * //   { value: 1520.5, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
 * //   { value: 11000, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } },
 * //   { value: 16, measurand: 'Current.Import', phase: 'L1', unitOfMeasure: { unit: 'A' } }, ...L2, L3 ] }
 */
export function readingFromElectrical(sample: ElectricalSample): MeterValueType {
  parseInstant(sample.timestamp, 'sample.timestamp');
  const phases = sample.phases ?? 1;
  if (phases !== 1 && phases !== 3) throw new RangeError(`phases: ${String(phases)} is not 1 or 3`);
  const energy: SampledValueType = {
    value: quantity(sample.energyWh, 'energyWh'),
    measurand: 'Energy.Active.Import.Register',
    unitOfMeasure: { unit: 'Wh' },
  };
  const rest: SampledValueType[] = [];
  if (sample.powerW !== undefined) {
    rest.push({
      value: quantity(sample.powerW, 'powerW'),
      measurand: 'Power.Active.Import',
      unitOfMeasure: { unit: 'W' },
    });
  }
  // J01.FR.11 / J02.FR.07: phase dependent values from the meter's point of view, every phase.
  if (sample.currentA !== undefined) {
    const value = quantity(sample.currentA, 'currentA');
    rest.push(...perPhase(phases, CURRENT_PHASES, value, 'Current.Import', 'A'));
  }
  if (sample.voltageV !== undefined) {
    const value = quantity(sample.voltageV, 'voltageV');
    rest.push(...perPhase(phases, VOLTAGE_PHASES, value, 'Voltage', 'V'));
  }
  if (sample.frequencyHz !== undefined) {
    rest.push({
      value: quantity(sample.frequencyHz, 'frequencyHz'),
      measurand: 'Frequency',
      unitOfMeasure: { unit: 'Hz' },
    });
  }
  if (sample.soc !== undefined) {
    const value = quantity(sample.soc, 'soc');
    if (value > 100) throw new RangeError(`soc: ${sample.soc} is above 100 percent`);
    // J01.FR.09: SoC is measured in the EV.
    rest.push({ value, measurand: 'SoC', location: 'EV', unitOfMeasure: { unit: 'Percent' } });
  }
  return { timestamp: sample.timestamp, sampledValue: [energy, ...rest] };
}

function perPhase(
  phases: 1 | 3,
  names: readonly PhaseEnumType[],
  value: number,
  measurand: MeasurandEnumType,
  unit: string,
): SampledValueType[] {
  if (phases === 1) return [{ value, measurand, unitOfMeasure: { unit } }];
  return names.map((phase) => ({ value, measurand, phase, unitOfMeasure: { unit } }));
}

/** A non-negative finite quantity rounded to the meter's resolution of 0.001. */
function quantity(value: number, field: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${field}: ${value} is not a non-negative finite number`);
  }
  return Number(value.toFixed(3));
}
