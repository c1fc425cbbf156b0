/**
 * Thinning of the meter values of a TransactionEventRequest(eventType = Ended) that would not fit
 * in one message (E06.FR.12/13, J02.FR.20).
 */
import type { MeterValueType } from '../generated/ocpp-types.js';

const encoder = new TextEncoder();

/**
 * `values` with intermediate meter values removed until the JSON array (`JSON.stringify(values)`,
 * UTF-8 bytes) is at most `maxBytes` long. Returns a new array (of the same element objects); the
 * input is not changed.
 *
 * The rule (E06.FR.13 "drop intermediate values first (1st value, 3th value, 5th etc)" and
 * J02.FR.20 "remove intermediate samples first (2nd sample, 4th sample, 6th sample etc.)", the
 * same values counted among the intermediate ones or among all): the first and the last value are
 * never removed (they carry Transaction.Begin and Transaction.End, the billing values). A pass
 * removes the 2nd, 4th, 6th, ... value of the list as it stood at the start of the pass, one at a
 * time, stopping as soon as the list fits; when a pass ends and the list still does not fit, the
 * next pass thins the remaining list the same way. So the samples that survive stay spread over
 * the whole transaction. If even [first, last] does not fit, [first, last] is returned: the
 * caller decides what to do with a message that cannot be made small enough.
 *
 * `maxBytes` counts only the array; the caller subtracts the rest of the message. Throws a
 * RangeError for a negative or non-finite `maxBytes`.
 *
 * @example
 * // five values of 40 bytes each: [v1,...,v5] is 206 bytes
 * fitMeterValues([v1, v2, v3, v4, v5], 165); // [v1, v3, v4, v5] (v2 removed)
 * fitMeterValues([v1, v2, v3, v4, v5], 124); // [v1, v3, v5] (v2 and v4 removed)
 * fitMeterValues([v1, v2, v3, v4, v5], 83); // [v1, v5]
 */
export function fitMeterValues(values: readonly MeterValueType[], maxBytes: number): MeterValueType[] {
  if (!Number.isFinite(maxBytes) || maxBytes < 0) {
    throw new RangeError(`maxBytes: ${maxBytes} is not a non-negative number`);
  }
  const kept = values.map((value) => ({ value, bytes: encoder.encode(JSON.stringify(value)).length }));
  // JSON of an array: brackets, the elements, a comma between each two.
  let size = 2 + kept.reduce((sum, entry) => sum + entry.bytes, 0) + Math.max(0, kept.length - 1);
  while (size > maxBytes && kept.length > 2) {
    // E06.FR.13 / J02.FR.20: one pass removes the values at positions 2, 4, 6, ... (1-based) of
    // the list as it was at the start of the pass, never the last; after each removal the next
    // survivor moves into `index`.
    for (let index = 1; index < kept.length - 1 && size > maxBytes; index++) {
      const [removed] = kept.splice(index, 1);
      if (removed !== undefined) size -= removed.bytes + 1;
    }
  }
  return kept.map((entry) => entry.value);
}
