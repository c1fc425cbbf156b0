/**
 * Splitting meter data over several messages (J01.FR.15, J02.FR.14, E02.FR.11).
 */
import type { MeterValueType, SampledValueType } from '../generated/ocpp-types.js';

/**
 * Splits `values` into consecutive chunks of at most `maxPerMessage` sampled values each, one
 * chunk per MeterValuesRequest or TransactionEventRequest(eventType = Updated) (J01.FR.15: "MAY
 * use multiple MeterValuesRequest messages to send all measurands"; J02.FR.14 / E02.FR.11:
 * multiple TransactionEventRequests "with the same timestamp").
 *
 * The unit is the sampled value, because that is what grows with the configured measurands,
 * phases and locations. Order is kept. A meter value stays whole when it can: it goes into the
 * current chunk if it fits, otherwise it starts the next one. Only a meter value with more than
 * `maxPerMessage` sampled values is itself split, into meter values with the same timestamp (and
 * customData) in consecutive chunks; its last part may share a chunk with what follows.
 * Unsplit meter values are the input objects; the input is not changed. `[]` gives `[]`.
 *
 * Throws a RangeError unless `maxPerMessage` is an integer >= 1.
 *
 * @example
 * // a has 2 sampled values, b has 5, c has 1
 * splitMeterValues([a, b, c], 3);
 * // [[a], [b(sampled values 1-3)], [b(4-5), c]]
 */
export function splitMeterValues(
  values: readonly MeterValueType[],
  maxPerMessage: number,
): MeterValueType[][] {
  if (!Number.isInteger(maxPerMessage) || maxPerMessage < 1) {
    throw new RangeError(`maxPerMessage: ${maxPerMessage} is not an integer >= 1`);
  }
  const chunks: MeterValueType[][] = [];
  let current: MeterValueType[] = [];
  let count = 0;
  const flush = () => {
    if (current.length > 0) chunks.push(current);
    current = [];
    count = 0;
  };
  for (const value of values) {
    const size = value.sampledValue.length;
    // J01.FR.15: a meter value that fits stays whole, in this message or the next.
    if (size <= maxPerMessage) {
      if (count + size > maxPerMessage) flush();
      current.push(value);
      count += size;
      continue;
    }
    // E02.FR.11 / J02.FR.14: too many sampled values for one message: same timestamp, consecutive
    // messages.
    flush();
    for (let from = 0; from < size; from += maxPerMessage) {
      const part = withSampledValues(value, value.sampledValue.slice(from, from + maxPerMessage));
      current.push(part);
      count = part.sampledValue.length;
      if (count === maxPerMessage) flush();
    }
  }
  flush();
  return chunks;
}

function withSampledValues(value: MeterValueType, sampledValues: SampledValueType[]): MeterValueType {
  const [first, ...rest] = sampledValues;
  if (first === undefined) throw new Error('withSampledValues: empty slice'); // unreachable: from < size
  return { ...value, sampledValue: [first, ...rest] };
}
