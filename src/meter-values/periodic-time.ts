/**
 * The sampling grid of a transaction: SampledDataCtrlr.TxUpdatedInterval and TxEndedInterval are
 * counted from the start of the transaction.
 */
import { formatInstant, parseInstant } from './instant.js';

/**
 * The next sampling instant strictly after `afterIso` on the grid startIso + k × intervalS
 * (k ≥ 1), as RFC 3339 UTC with milliseconds; null when `intervalS` <= 0 (J02.FR.11: only an
 * interval > 0 sends periodic samples; TxEndedInterval 0 means start and end values only).
 *
 * SampledDataTxUpdatedInterval: "samples are acquired and transmitted periodically at this
 * interval from the start of the charging transaction"; SampledDataTxEndedMeasurands are taken
 * "every SampledDataTxEndInterval seconds from the start of the transaction". The grid is elapsed
 * time (no time zone, no DST), so it stays evenly spaced however long the transaction lasts. An
 * `afterIso` before the start gives the first sample, start + intervalS.
 *
 * Throws a RangeError for a time that is not RFC 3339 or a non-integer or non-finite interval.
 *
 * @example
 * nextPeriodicTime('2025-01-01T10:00:10Z', '2025-01-01T10:00:10Z', 60); // '2025-01-01T10:01:10.000Z'
 * nextPeriodicTime('2025-01-01T10:00:10Z', '2025-01-01T10:05:10Z', 60); // '2025-01-01T10:06:10.000Z'
 * nextPeriodicTime('2025-01-01T10:00:10Z', '2025-01-01T10:05:00Z', 0); // null
 */
export function nextPeriodicTime(startIso: string, afterIso: string, intervalS: number): string | null {
  if (!Number.isFinite(intervalS)) throw new RangeError(`intervalS: ${intervalS} is not a finite number`);
  const start = parseInstant(startIso, 'startIso');
  const after = parseInstant(afterIso, 'afterIso');
  // J02.FR.11: periodic samples only when the interval is > 0.
  if (intervalS <= 0) return null;
  if (!Number.isInteger(intervalS)) throw new RangeError(`intervalS: ${intervalS} is not whole seconds`);
  const intervalMs = intervalS * 1000;
  // Counted from the transaction start (SampledDataTxUpdatedInterval), k >= 1.
  const k = Math.max(1, Math.floor((after - start) / intervalMs) + 1);
  return formatInstant(start + k * intervalMs);
}
