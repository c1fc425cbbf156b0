/**
 * A recorded session: the CLI's `--json` log (docs/cli.md), read back as visualizer events. Its
 * `ocpp` events are the frames, its `state` events the actors' state changes; other events are
 * not drawn.
 */
import { readFile } from 'node:fs/promises';
import type { StateEvent, VisualizerEvent } from './source.js';

/**
 * A line of a recording that is not what `--json` writes; names the file and the line.
 *
 * @example
 * try {
 *   await loadRecording('notes.txt');
 * } catch (error) {
 *   if (error instanceof RecordingError) console.error(error.message); // notes.txt:2: not JSON (...)
 * }
 */
export class RecordingError extends Error {
  override readonly name = 'RecordingError';
  readonly code = 'ERR_RECORDING';
}

/** What a recording holds. */
export interface Recording {
  /** The `stationId` of its first `station` event, if any. */
  stationId: string | undefined;
  events: VisualizerEvent[];
}

const STATUSES: ReadonlyArray<StateEvent['status']> = ['active', 'done', 'stopped', 'error'];

/**
 * Parses the text of a `--json` log. Blank lines are skipped; anything else must be a JSON object
 * with a `type` (events of other types are skipped), and `ocpp` / `state` events must have their
 * documented fields.
 *
 * @example
 * const { events } = parseRecording('{"type":"ocpp","direction":"out","frame":[2,"1","Heartbeat",{}],"time":"2026-01-01T00:00:00.000Z"}\n', 'session.jsonl');
 * events[0]?.type; // 'frame'
 */
export function parseRecording(text: string, name = 'recording'): Recording {
  const events: VisualizerEvent[] = [];
  let stationId: string | undefined;
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${name}:${index + 1}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new RecordingError(
        `${where}: not JSON (${(error as Error).message}); a recording is the CLI's --json output, one event per line`,
      );
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed) ||
      typeof (parsed as { type?: unknown }).type !== 'string'
    )
      throw new RecordingError(`${where}: not a --json event (an object with a "type")`);
    const event = parsed as Record<string, unknown>;
    const time = typeof event.time === 'string' ? event.time : '';
    if (event.type === 'station' && stationId === undefined && typeof event.stationId === 'string')
      stationId = event.stationId;
    if (event.type === 'ocpp') {
      if (event.direction !== 'in' && event.direction !== 'out')
        throw new RecordingError(
          `${where}: ocpp event: "direction" must be "in" or "out", not ${JSON.stringify(event.direction)}`,
        );
      if (!('frame' in event)) throw new RecordingError(`${where}: ocpp event without "frame"`);
      events.push({ type: 'frame', direction: event.direction, frame: event.frame, time });
    } else if (event.type === 'state') {
      for (const field of ['actor', 'machine'] as const) {
        if (typeof event[field] !== 'string' || event[field] === '')
          throw new RecordingError(`${where}: state event: "${field}" must be a non-empty string`);
      }
      if (typeof event.value !== 'string' && (typeof event.value !== 'object' || event.value === null))
        throw new RecordingError(
          `${where}: state event: "value" must be a state value (a string or an object)`,
        );
      const status = STATUSES.find((s) => s === event.status) ?? 'active';
      events.push({
        type: 'state',
        actor: event.actor as string,
        machine: event.machine as string,
        value: event.value as StateEvent['value'],
        event: typeof event.event === 'string' ? event.event : '',
        status,
        time,
      });
    }
  });
  if (events.length === 0)
    throw new RecordingError(
      `${name}: no "ocpp" or "state" events: is it the output of ocpp-station --json?`,
    );
  return { stationId, events };
}

/**
 * Reads and parses a recording file (errors name the file, and the line).
 *
 * @example
 * const recording = await loadRecording('session.jsonl');
 * visualizer.attach(recording.stationId ?? 'replay', recordedSource(recording.events));
 */
export async function loadRecording(file: string): Promise<Recording> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RecordingError(
      `${file}: cannot read the recording (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      { cause: error },
    );
  }
  return parseRecording(text, file);
}
