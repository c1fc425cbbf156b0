/**
 * May this value be written to this attribute? The rules of B05.FR.07–09 for CSMS writes, applied
 * with the adjustments each writer needs (start-up overrides ignore mutability; the host's Actual
 * measurements are not range-checked, Part 1 §4.3).
 */
import { checkValue } from './value-check.js';
import type { AttributeState, VariableState } from './model-index.js';

/** Who writes: the CSMS (SetVariables), a start-up override (CLI/host config), or the host at runtime. */
export type WriteSource = 'csms' | 'override' | 'host';

/** The value to store, or a Rejected verdict with a Part 2 Appendix 5 reason code. */
export type WriteVerdict =
  { ok: true; value: string } | { ok: false; reasonCode: string; additionalInfo: string };

export interface WriteCheckOptions {
  /** Longest value accepted from the CSMS or an override (ConfigurationValueSize/ValueSize); unlimited when absent. */
  maxValueLength?: number;
  /** Current value of another attribute of the same variable (to honour values pending in the same request). */
  currentValue: (attribute: AttributeState) => string | undefined;
}

/**
 * Checks a write of `raw` to `attribute` of `variable` by `source`.
 *
 * - csms: ReadOnly attributes are refused (B05.FR.09, reasonCode ReadOnly); values longer than
 *   `maxValueLength` are refused (TooLargeElement); format and range as {@link checkValue} with the
 *   strict decimal/dateTime precision of values sent to the station.
 * - override: as csms, but any mutability.
 * - host: any mutability; an Actual value is not checked against minLimit/maxLimit/MinSet/MaxSet,
 *   because it reports what the hardware measures (Part 1 §4.3: "the actual value of a physical
 *   component should be updated without checking the min and max values/limits").
 *
 * Target and a writable Actual must also lie within the variable's MinSet/MaxSet values, and
 * MinSet may not exceed MaxSet.
 *
 * @example
 * checkWrite(variable, actual, '300', 'csms'); // { ok: true, value: '300' }
 */
export function checkWrite(
  variable: VariableState,
  attribute: AttributeState,
  raw: string,
  source: WriteSource,
  options: WriteCheckOptions,
): WriteVerdict {
  if (source === 'csms' && attribute.mutability === 'ReadOnly') {
    return {
      ok: false,
      reasonCode: 'ReadOnly',
      additionalInfo: `${attribute.type} of ${variable.name} is ReadOnly`,
    };
  }
  const length = [...raw].length;
  if (source !== 'host' && options.maxValueLength !== undefined && length > options.maxValueLength) {
    return {
      ok: false,
      reasonCode: 'TooLargeElement',
      additionalInfo: `value length ${length} exceeds the station's limit of ${options.maxValueLength}`,
    };
  }
  const valueOf = options.currentValue;
  const numberOf = (type: string): number | undefined => {
    const other = variable.attributes.find((a) => a.type === type);
    const text = other === undefined ? undefined : valueOf(other);
    const value = text === undefined || text === '' ? NaN : Number(text);
    return Number.isFinite(value) ? value : undefined;
  };
  const numeric =
    variable.characteristics.dataType === 'integer' || variable.characteristics.dataType === 'decimal';
  const setBounds: { min?: number; max?: number } = {};
  // MinSet/MaxSet bound values that are set (Part 1 §4.3): Target, and a writable Actual; a ReadOnly Actual reports state.
  if (
    numeric &&
    (attribute.type === 'Target' || (attribute.type === 'Actual' && attribute.mutability !== 'ReadOnly'))
  ) {
    const min = numberOf('MinSet');
    const max = numberOf('MaxSet');
    if (min !== undefined) setBounds.min = min;
    if (max !== undefined) setBounds.max = max;
  }
  const limits = !(source === 'host' && attribute.type === 'Actual');
  const result = checkValue(raw, variable.characteristics, { strict: source !== 'host', limits, setBounds });
  if (!result.ok) return { ok: false, reasonCode: result.reasonCode, additionalInfo: result.message };
  if (numeric && limits) {
    const value = Number(result.value);
    const max = attribute.type === 'MinSet' ? numberOf('MaxSet') : undefined;
    const min = attribute.type === 'MaxSet' ? numberOf('MinSet') : undefined;
    if (max !== undefined && value > max) {
      return {
        ok: false,
        reasonCode: 'ValueTooHigh',
        additionalInfo: `MinSet ${value} is above the MaxSet value ${max}`,
      };
    }
    if (min !== undefined && value < min) {
      return {
        ok: false,
        reasonCode: 'ValueTooLow',
        additionalInfo: `MaxSet ${value} is below the MinSet value ${min}`,
      };
    }
  }
  return { ok: true, value: result.value };
}
