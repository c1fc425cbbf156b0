/**
 * The progress line of a CLI fleet on a terminal: rewritten in place every second (connected,
 * booted, charging, transactions started/ended, errors, OCPP messages per second). Only for a TTY and without `--json`: a pipe
 * or a log file gets the summary event alone.
 */
import type { FleetCounts } from './cli-fleet.js';

/**
 * The text of one progress line.
 *
 * @example
 * progressLine({ stations: 1000, started: 1000, connected: 998, booted: 990, charging: 12, transactionsStarted: 40, transactionsEnded: 28, errors: 0, messages: 5000 }, 812);
 * // 'fleet 1000: started 1000  connected 998  booted 990  charging 12  tx 40/28  errors 0  812 msg/s'
 */
export function progressLine(counts: FleetCounts, messagesPerSecond: number): string {
  return (
    `fleet ${counts.stations}: started ${counts.started}  connected ${counts.connected}  booted ${counts.booted}  ` +
    `charging ${counts.charging}  tx ${counts.transactionsStarted}/${counts.transactionsEnded}  errors ${counts.errors}  ${Math.round(messagesPerSecond)} msg/s`
  );
}

/**
 * Starts rewriting the progress line every `intervalMs`; the returned function stops and erases it.
 *
 * @example
 * const stop = showProgress(() => fleet.counts(), process.stdout);
 * // ... on exit:
 * stop();
 */
export function showProgress(
  counts: () => FleetCounts,
  out: { write(text: string): unknown },
  intervalMs = 1000,
): () => void {
  let last = counts().messages;
  let lastAt = Date.now();
  const timer = setInterval(() => {
    const now = counts();
    const at = Date.now();
    const rate = ((now.messages - last) * 1000) / Math.max(1, at - lastAt);
    last = now.messages;
    lastAt = at;
    // \r and "erase line" (CSI 2K): the line is rewritten in place.
    out.write(`\r\u001b[2K${progressLine(now, rate)}`);
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    out.write('\r\u001b[2K');
  };
}
