/**
 * From a host reading to what the station reports: the configured measurands only, with the
 * reading context, signed data only when signing is configured.
 */
import type {
  MeasurandEnumType,
  MeterValueType,
  ReadingContextEnumType,
  SampledValueType,
} from '../generated/ocpp-types.js';
import { parseInstant } from './instant.js';
import { measurandOf } from './measurand.js';

/** How a reading is turned into a reported meter value. */
export interface MeterValueOptions {
  /**
   * The configured measurands (e.g. parseMeasurandList of SampledDataCtrlr.TxUpdatedMeasurands or
   * AlignedDataCtrlr.Measurands).
   */
  measurands: readonly MeasurandEnumType[];
  /** Why the reading is taken: Sample.Periodic, Sample.Clock, Transaction.Begin, ... */
  context: ReadingContextEnumType;
  /** SampledDataCtrlr.SignReadings or AlignedDataCtrlr.SignReadings, whichever applies. */
  signReadings: boolean;
  /** RFC 3339 time to report instead of the reading's own (e.g. the clock-aligned instant). */
  timestamp?: string;
}

/**
 * The meter value the station reports for `reading`, the host's meter sample with every sampled
 * value its meter measured (all phases and locations). Returns null when no sampled value is left
 * (nothing configured, or the meter measures none of the configured measurands). The input is
 * never mutated; the result shares no objects with it.
 *
 * - A sampled value is kept when its measurand (absent = Energy.Active.Import.Register, the
 *   SampledValueType default) is configured, with every phase and location the meter gave
 *   (Part 2 J §2.3 as amended by errata 2025-09: all possible phases/locations SHALL be reported).
 * - Each kept value gets `context` (J01.FR.08, J02.FR.04).
 * - signedMeterValue is kept only when signReadings is true (J01.FR.21, J02.FR.21, E02.FR.14);
 *   the signed data comes from the meter, so a value the meter did not sign stays unsigned.
 * - One timestamp applies to all sampled values (J01.FR.17, J02.FR.18): `timestamp` when given,
 *   otherwise the reading's. It must be RFC 3339 (RangeError otherwise).
 *
 * @example
 * meterValueFor(
 *   { timestamp: '2025-01-01T10:00:00Z', sampledValue: [{ value: 1200 }, { value: 7.2, measurand: 'Power.Active.Import' }] },
 *   { measurands: ['Energy.Active.Import.Register'], context: 'Sample.Periodic', signReadings: false },
 * );
 * // { timestamp: '2025-01-01T10:00:00Z', sampledValue: [{ value: 1200, context: 'Sample.Periodic' }] }
 */
export function meterValueFor(reading: MeterValueType, options: MeterValueOptions): MeterValueType | null {
  const timestamp = options.timestamp ?? reading.timestamp;
  parseInstant(timestamp, options.timestamp === undefined ? 'reading.timestamp' : 'options.timestamp');
  // J02.FR.11 / J01.FR.14: only the configured measurands; an empty list sends nothing.
  if (options.measurands.length === 0) return null;
  const configured = new Set(options.measurands);
  // J §2.3 (errata 2025-09): every phase and location of a configured measurand is reported.
  const kept = reading.sampledValue
    .filter((sampledValue) => configured.has(measurandOf(sampledValue)))
    .map((sampledValue) => reported(sampledValue, options));
  const [first, ...rest] = kept;
  if (first === undefined) return null;
  const meterValue: MeterValueType = { timestamp, sampledValue: [first, ...rest] };
  if (reading.customData !== undefined) meterValue.customData = structuredClone(reading.customData);
  return meterValue;
}

/**
 * A copy that shares nothing with the host's reading. SampledValueType is flat but for its
 * unitOfMeasure and signedMeterValue objects (copied field by field: this runs for every value of
 * every message) and customData (any JSON: cloned).
 */
function copySampledValue(sampledValue: SampledValueType): SampledValueType {
  const copy: SampledValueType = { ...sampledValue };
  if (sampledValue.unitOfMeasure) copy.unitOfMeasure = { ...sampledValue.unitOfMeasure };
  if (sampledValue.signedMeterValue) copy.signedMeterValue = { ...sampledValue.signedMeterValue };
  if (sampledValue.customData) copy.customData = structuredClone(sampledValue.customData);
  if (sampledValue.unitOfMeasure?.customData && copy.unitOfMeasure) {
    copy.unitOfMeasure.customData = structuredClone(sampledValue.unitOfMeasure.customData);
  }
  if (sampledValue.signedMeterValue?.customData && copy.signedMeterValue) {
    copy.signedMeterValue.customData = structuredClone(sampledValue.signedMeterValue.customData);
  }
  return copy;
}

function reported(sampledValue: SampledValueType, options: MeterValueOptions): SampledValueType {
  const { signedMeterValue, ...unsigned } = copySampledValue(sampledValue);
  // J02.FR.04 / J01.FR.08: the context says why the reading was taken.
  const result: SampledValueType = { ...unsigned, context: options.context };
  // J02.FR.21 / J01.FR.21 / E02.FR.14: signed data only when SignReadings is true.
  if (options.signReadings && signedMeterValue !== undefined) result.signedMeterValue = signedMeterValue;
  return result;
}
