/**
 * Parsing of the measurand MemberList variables: SampledDataCtrlr.TxStartedMeasurands,
 * TxUpdatedMeasurands, TxEndedMeasurands, AlignedDataCtrlr.Measurands and TxEndedMeasurands.
 */
import type { MeasurandEnumType } from '../generated/ocpp-types.js';
import { isMeasurand } from './measurand.js';

/**
 * Reads a measurand MemberList (comma separated, Part 2 §2.7) into the measurands it names, in the
 * order written, each once. Whitespace around entries and empty entries (a trailing comma) are
 * ignored; an empty or absent value means "no measurands" (e.g. SampledDataTxEndedMeasurands left
 * empty: nothing sampled). Names are case-sensitive; unknown names throw a RangeError that lists
 * them all.
 *
 * @example
 * parseMeasurandList(' Energy.Active.Import.Register, SoC,SoC'); // ['Energy.Active.Import.Register', 'SoC']
 * parseMeasurandList(undefined); // []
 * parseMeasurandList('Energy, SoC'); // throws RangeError: unknown measurand(s) "Energy"
 */
export function parseMeasurandList(value: string | undefined): MeasurandEnumType[] {
  if (value === undefined) return [];
  const names = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const unknown = names.filter((name) => !isMeasurand(name));
  if (unknown.length > 0) {
    const listed = [...new Set(unknown)].map((name) => JSON.stringify(name)).join(', ');
    throw new RangeError(`unknown measurand(s) ${listed} in MemberList ${JSON.stringify(value)}`);
  }
  return [...new Set(names as MeasurandEnumType[])];
}
