/**
 * Does a value fit a variable? The checks behind B05.FR.07 (format) and B05.FR.08 (range), used for
 * CSMS writes, start-up overrides, host writes and config defaults alike.
 */
import { DateTime } from 'luxon';
import type { VariableCharacteristicsType } from '../generated/ocpp-types.js';

/** The outcome of {@link checkValue}: the value to store, or why it is refused (a Part 2 Appendix 5 reason code). */
export type ValueCheck =
  | { ok: true; value: string }
  | {
      ok: false;
      reasonCode: 'InvalidValue' | 'ValueTooLow' | 'ValueTooHigh' | 'ValueOutOfRange';
      message: string;
    };

export interface ValueCheckOptions {
  /**
   * Apply the limits OCPP puts on values sent to the station: decimals have at most six decimal
   * places, dateTimes at most three fractional second digits (Part 2 §2.1.4). Default false.
   */
  strict?: boolean;
  /** Check minLimit/maxLimit of numbers and the MinSet/MaxSet bounds. Default true. */
  limits?: boolean;
  /** Values of the variable's MinSet/MaxSet attributes, which bound its Actual and Target (Part 1 §4.3). */
  setBounds?: { min?: number; max?: number };
}

const INTEGER = /^(0|-?[1-9][0-9]*)$/;
const DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;
// RFC 3339 date-time (full-date "T" full-time, offset required).
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Splits a valuesList (or a list value) at commas, trimming blanks around entries. The empty
 * string is the empty list.
 *
 * @example
 * csvEntries('Available, Occupied,Faulted'); // ['Available', 'Occupied', 'Faulted']
 */
export function csvEntries(list: string): string[] {
  return list.trim() === '' ? [] : list.split(',').map((entry) => entry.trim());
}

/**
 * Checks `raw` against the variable's dataType, valuesList and limits; returns the value to store
 * (booleans normalized to "true"/"false") or a reason code with a message naming what is wrong.
 *
 * For string, OptionList, SequenceList and MemberList, maxLimit is the maximum length of the (CSV)
 * string (Part 2 §2.51) and minLimit, by the same reading, its minimum length.
 *
 * @example
 * checkValue('TRUE', { dataType: 'boolean', supportsMonitoring: false }); // { ok: true, value: 'true' }
 * checkValue('301', { dataType: 'integer', supportsMonitoring: false, maxLimit: 300 }).ok; // false
 */
export function checkValue(
  raw: string,
  characteristics: VariableCharacteristicsType,
  options: ValueCheckOptions = {},
): ValueCheck {
  const { strict = false, limits = true } = options;
  const { dataType, minLimit, maxLimit } = characteristics;
  const invalid = (message: string): ValueCheck => ({ ok: false, reasonCode: 'InvalidValue', message });

  switch (dataType) {
    case 'boolean': {
      const lower = raw.toLowerCase();
      if (lower !== 'true' && lower !== 'false') return invalid(`'${raw}' is not a boolean (true or false)`);
      return { ok: true, value: lower };
    }
    case 'integer':
    case 'decimal': {
      if (dataType === 'integer' && !INTEGER.test(raw)) {
        return invalid(`'${raw}' is not an integer (digits, optional leading '-', no leading zeros)`);
      }
      if (dataType === 'decimal') {
        const match = DECIMAL.exec(raw);
        if (!match) return invalid(`'${raw}' is not a decimal number`);
        if (strict && (match[1]?.length ?? 0) > 7)
          return invalid(`'${raw}' has more than six decimal places`);
      }
      const number = Number(raw);
      if (dataType === 'integer' && (number < INT32_MIN || number > INT32_MAX)) {
        return invalid(`'${raw}' is outside the 32-bit integer range`);
      }
      if (!limits) return { ok: true, value: raw };
      return checkRange(raw, number, minLimit, maxLimit, options.setBounds);
    }
    case 'dateTime': {
      const match = RFC3339.exec(raw);
      if (!match || !DateTime.fromISO(raw, { setZone: true }).isValid) {
        return invalid(`'${raw}' is not an RFC 3339 date-time with offset (e.g. 2025-01-31T12:00:00Z)`);
      }
      if (strict && (match[2]?.length ?? 0) > 3)
        return invalid(`'${raw}' has more than three fractional second digits`);
      return { ok: true, value: raw };
    }
    case 'string':
      return checkLength(raw, minLimit, maxLimit);
    case 'OptionList':
    case 'SequenceList':
    case 'MemberList': {
      const allowed = csvEntries(characteristics.valuesList ?? '');
      if (dataType === 'OptionList') {
        if (!allowed.includes(raw.trim())) return invalid(`'${raw}' is not one of ${allowed.join(', ')}`);
      } else {
        const entries = csvEntries(raw);
        const unknown = entries.filter((entry) => !allowed.includes(entry));
        if (unknown.length > 0) {
          return invalid(
            `${unknown.map((u) => `'${u}'`).join(', ')} not in the valuesList ${allowed.join(', ')}`,
          );
        }
        const duplicate = entries.find((entry, index) => entries.indexOf(entry) !== index);
        if (duplicate !== undefined) return invalid(`'${duplicate}' is listed twice`);
      }
      return checkLength(raw, minLimit, maxLimit);
    }
  }
}

function checkRange(
  raw: string,
  number: number,
  minLimit: number | undefined,
  maxLimit: number | undefined,
  bounds: ValueCheckOptions['setBounds'],
): ValueCheck {
  if (minLimit !== undefined && number < minLimit) {
    return { ok: false, reasonCode: 'ValueTooLow', message: `${raw} is below minLimit ${minLimit}` };
  }
  if (maxLimit !== undefined && number > maxLimit) {
    return { ok: false, reasonCode: 'ValueTooHigh', message: `${raw} is above maxLimit ${maxLimit}` };
  }
  if (bounds?.min !== undefined && number < bounds.min) {
    return {
      ok: false,
      reasonCode: 'ValueTooLow',
      message: `${raw} is below the MinSet value ${bounds.min}`,
    };
  }
  if (bounds?.max !== undefined && number > bounds.max) {
    return {
      ok: false,
      reasonCode: 'ValueTooHigh',
      message: `${raw} is above the MaxSet value ${bounds.max}`,
    };
  }
  return { ok: true, value: raw };
}

function checkLength(raw: string, minLimit: number | undefined, maxLimit: number | undefined): ValueCheck {
  // Lengths in Unicode code points, as JSON schema maxLength counts them.
  const length = [...raw].length;
  if (maxLimit !== undefined && length > maxLimit) {
    return {
      ok: false,
      reasonCode: 'ValueOutOfRange',
      message: `length ${length} exceeds maxLimit ${maxLimit}`,
    };
  }
  if (minLimit !== undefined && length < minLimit) {
    return {
      ok: false,
      reasonCode: 'ValueOutOfRange',
      message: `length ${length} is below minLimit ${minLimit}`,
    };
  }
  return { ok: true, value: raw };
}

/**
 * Is `value` one of the values of the variable's dataType (format and valuesList; limits aside)?
 * What is reported to the CSMS must be (an empty string is not an integer, a boolean, a dateTime
 * or an OptionList entry).
 *
 * @example
 * validForDataType('', { dataType: 'integer', supportsMonitoring: false }); // false
 * validForDataType('', { dataType: 'string', supportsMonitoring: false, minLimit: 7 }); // true
 */
export function validForDataType(value: string, characteristics: VariableCharacteristicsType): boolean {
  const { minLimit: _min, maxLimit: _max, ...format } = characteristics;
  return checkValue(value, format, { limits: false }).ok;
}
