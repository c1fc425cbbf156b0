/**
 * The measurands of OCPP 2.0.1 (MeasurandEnumType) as runtime values, and the default that an
 * absent SampledValueType.measurand stands for.
 */
import type { MeasurandEnumType, SampledValueType } from '../generated/ocpp-types.js';

// `satisfies Record<MeasurandEnumType, true>` makes the compiler check that this table names every
// member of the generated union and nothing else.
const MEASURAND_TABLE = {
  'Current.Export': true,
  'Current.Import': true,
  'Current.Offered': true,
  'Energy.Active.Export.Register': true,
  'Energy.Active.Import.Register': true,
  'Energy.Reactive.Export.Register': true,
  'Energy.Reactive.Import.Register': true,
  'Energy.Active.Export.Interval': true,
  'Energy.Active.Import.Interval': true,
  'Energy.Active.Net': true,
  'Energy.Reactive.Export.Interval': true,
  'Energy.Reactive.Import.Interval': true,
  'Energy.Reactive.Net': true,
  'Energy.Apparent.Net': true,
  'Energy.Apparent.Import': true,
  'Energy.Apparent.Export': true,
  Frequency: true,
  'Power.Active.Export': true,
  'Power.Active.Import': true,
  'Power.Factor': true,
  'Power.Offered': true,
  'Power.Reactive.Export': true,
  'Power.Reactive.Import': true,
  SoC: true,
  Voltage: true,
} as const satisfies Record<MeasurandEnumType, true>;

/** Every MeasurandEnumType value, in the order of the schema. */
export const MEASURANDS: readonly MeasurandEnumType[] = Object.freeze(
  Object.keys(MEASURAND_TABLE) as MeasurandEnumType[],
);

/** What an absent SampledValueType.measurand means (schema default of MeasurandEnumType). */
export const DEFAULT_MEASURAND: MeasurandEnumType = 'Energy.Active.Import.Register';

/**
 * Whether `name` is a MeasurandEnumType value (exact spelling; the enum is case-sensitive).
 *
 * @example
 * isMeasurand('SoC'); // true
 * isMeasurand('soc'); // false
 */
export function isMeasurand(name: string): name is MeasurandEnumType {
  return Object.prototype.hasOwnProperty.call(MEASURAND_TABLE, name);
}

/**
 * The measurand a sampled value reports, with the schema default applied when it is absent.
 *
 * @example
 * measurandOf({ value: 1200 }); // 'Energy.Active.Import.Register'
 * measurandOf({ value: 230.1, measurand: 'Voltage' }); // 'Voltage'
 */
export function measurandOf(sampledValue: Pick<SampledValueType, 'measurand'>): MeasurandEnumType {
  return sampledValue.measurand ?? DEFAULT_MEASURAND;
}
