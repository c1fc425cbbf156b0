/**
 * The event sink of one ChargePoint of a simulated station (simulated-station.ts), closed once that
 * ChargePoint has stopped.
 */
import type { CliEventSink } from './cli-events.js';

/** A CliEventSink that can be closed. */
export interface GatedSink extends CliEventSink {
  /** False once closed: what the stopped ChargePoint still reports is dropped. */
  readonly open: boolean;
  close(): void;
}

/**
 * Passes events on until closed. A stopped ChargePoint may still report the consequences of its
 * own stop (a connect attempt aborted by close(), a response arriving during the close handshake);
 * they are not failures of the station, and a tool must be able to rely on `exit` being the last
 * event, so they are dropped.
 */
export function gatedSink(target: CliEventSink): GatedSink {
  let open = true;
  return {
    emit: (event) => {
      if (open) target.emit(event);
    },
    get open() {
      return open;
    },
    close: () => {
      open = false;
    },
  };
}
