/**
 * One writer per log file in a process. The stations of a fleet share one database, so one log
 * directory (`<database>.logs/`): each station used to append to the same files through a writer
 * of its own (its own size count, so rotations raced) with nothing saying whose line it was, and a
 * GetLog of one station uploaded the others' frames (issue 9). Now every holder of the same file
 * gets the same {@link JsonLinesLog}: one batch, one rotation count, one write per turn for the
 * whole fleet; each line carries its stationId and each station reads back only its own
 * (src/logging/station-logs.ts). Per-station files were the alternative; they cost a file (and a
 * write) per station per batch, thousands for a large fleet.
 */
import path from 'node:path';
import { JsonLinesLog, type JsonLinesLogOptions } from './json-lines-log.js';

interface Entry {
  log: JsonLinesLog;
  /** Each holder's error report; a failed write is told to every holder. */
  holders: Set<(error: unknown) => void>;
}

const open = new Map<string, Entry>();

/** A hold on a shared log; `release` once the holder is done (the last one flushes and closes it). */
export interface SharedLog {
  readonly log: JsonLinesLog;
  release(): void;
}

/**
 * The process's writer of `<directory>/<name>.jsonl`, shared with every other holder of that file.
 * The first holder's `maxBytes` / `files` apply while the file is held.
 *
 * @example
 * const { log, release } = acquireSharedLog({ directory: 'fleet.db.logs', name: 'ocpp-messages' }, reportError);
 * log.append({ time, stationId: 'CP00001', direction: 'station->CSMS', frame });
 * release();
 */
export function acquireSharedLog(
  options: Omit<JsonLinesLogOptions, 'onError'>,
  reportError: (error: unknown) => void = () => undefined,
): SharedLog {
  const key = path.resolve(options.directory, options.name);
  let entry = open.get(key);
  if (entry === undefined) {
    const holders = new Set<(error: unknown) => void>();
    const log = new JsonLinesLog({
      ...options,
      onError: (error) => {
        for (const report of holders) report(error);
      },
    });
    entry = { log, holders };
    open.set(key, entry);
  }
  // A holder of its own (the same function may hold twice).
  const holder = (error: unknown) => reportError(error);
  entry.holders.add(holder);
  const held = entry;
  let released = false;
  return {
    log: held.log,
    release: () => {
      if (released) return;
      released = true;
      held.holders.delete(holder);
      if (held.holders.size > 0) return;
      if (open.get(key) === held) open.delete(key);
      try {
        held.log.flush();
      } catch (error) {
        reportError(error);
      }
    },
  };
}
