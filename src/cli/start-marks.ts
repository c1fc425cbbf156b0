/**
 * Where a start's time goes (cold start, issue 9; docs/fleet/cold-start.md): with
 * `OCPP_STATION_START_MARKS=1`, the CLI writes `ocpp-station start-mark <name> <ms>` to stderr at
 * each step up to the first BootNotification frame, ms counted from the start of the process
 * (`performance.now()`), so that process start, snapshot deserialization or module loading are in
 * the first mark. Off by default: nothing is written and the events pass through unchanged.
 */
import { performance } from 'node:perf_hooks';
import type { CliEventSink } from './cli-events.js';

/** A mark's writer, or undefined when marks are off. */
export type StartMarks = ((name: string) => void) | undefined;

/**
 * The mark writer of this start: undefined unless `env.OCPP_STATION_START_MARKS` is `1`.
 *
 * @example
 * const mark = startMarks(process.env, process.stderr);
 * mark?.('database');
 */
export function startMarks(env: NodeJS.ProcessEnv, stderr: { write(text: string): unknown }): StartMarks {
  if (env.OCPP_STATION_START_MARKS !== '1') return undefined;
  return (name) => stderr.write(`ocpp-station start-mark ${name} ${performance.now().toFixed(1)}\n`);
}

/**
 * `sink`, marking the first event of each step a boot shows: station starting, first actor state,
 * connected, the BootNotification frame out.
 *
 * @example
 * const events = mark ? markingSink(output, mark) : output;
 */
export function markingSink(sink: CliEventSink, mark: (name: string) => void): CliEventSink {
  const seen = new Set<string>();
  return {
    emit(event) {
      const step = stepOf(event);
      if (step !== undefined && !seen.has(step)) {
        seen.add(step);
        mark(step);
      }
      sink.emit(event);
    },
  };
}

function stepOf(event: Parameters<CliEventSink['emit']>[0]): string | undefined {
  if (event.type === 'station' && event.state === 'starting') return 'station-starting';
  if (event.type === 'state') return 'first-actor';
  if (event.type === 'connection' && event.connected) return 'connected';
  if (event.type === 'ocpp' && event.direction === 'out' && Array.isArray(event.frame))
    return event.frame[2] === 'BootNotification' ? 'boot-frame' : undefined;
  return undefined;
}
