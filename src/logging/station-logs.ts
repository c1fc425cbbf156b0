/**
 * The logs a station keeps for GetLog (N01): a security log (N01.FR.03: every security event, A04)
 * and an OCPP message log (the diagnostics of N01.FR.04: every frame in both directions), each as
 * JSON lines with rotation, secrets masked (src/logging/redact.ts). They are fed by wrapping the
 * host's `securityEventCallback` and `ocppMessagesCallback`.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChargePointCallbacks } from '../callbacks.js';
import type { StationClock } from '../clock.js';
import { JsonLinesLog } from './json-lines-log.js';
import { redactFrame, redactText } from './redact.js';

/** Where and how much is logged (ChargePointOptions.logs). */
export interface LogOptions {
  /** Directory of the logs; default `<database>.logs/` (OS temp dir for `:memory:`). */
  directory?: string;
  /** Rotation size of each log file (bytes); default 1 MiB. */
  maxBytes?: number;
  /** Files kept per log; default 5. */
  files?: number;
  /** Write the OCPP message log; default true. */
  ocppMessages?: boolean;
}

export type LogType = 'SecurityLog' | 'DiagnosticsLog';

/**
 * @example
 * const logs = new StationLogs({ stationId, databaseFile: 'station.db', options: {}, clock });
 * const callbacks = logs.wrap(hostCallbacks);
 */
export class StationLogs {
  readonly security: JsonLinesLog;
  readonly ocpp: JsonLinesLog;

  constructor(
    private readonly ports: {
      stationId: string;
      databaseFile: string;
      options: LogOptions;
      clock: Pick<StationClock, 'nowIso'>;
      reportError?: (error: unknown) => void;
    },
  ) {
    const directory = this.directory;
    const common = { directory, ...(ports.options.maxBytes ? { maxBytes: ports.options.maxBytes } : {}), ...(ports.options.files ? { files: ports.options.files } : {}) };
    this.security = new JsonLinesLog({ ...common, name: 'security' });
    this.ocpp = new JsonLinesLog({ ...common, name: 'ocpp-messages' });
  }

  get directory(): string {
    const { options, databaseFile, stationId } = this.ports;
    if (options.directory) return options.directory;
    if (databaseFile && databaseFile !== ':memory:') return `${databaseFile}.logs`;
    return path.join(tmpdir(), 'ocpp-station', stationId.replace(/[^A-Za-z0-9._-]/g, '_'), 'logs');
  }

  /** The log of a GetLog `logType`. */
  log(type: LogType): JsonLinesLog {
    return type === 'SecurityLog' ? this.security : this.ocpp;
  }

  /** The host's callbacks, with the two logs written first. A failing write is reported, never thrown. */
  wrap(callbacks: ChargePointCallbacks): ChargePointCallbacks {
    const write = (log: JsonLinesLog, line: Record<string, unknown>) => {
      try {
        log.append({ time: this.ports.clock.nowIso(), ...line });
      } catch (error) {
        this.ports.reportError?.(error);
      }
    };
    const host = callbacks;
    return {
      ...callbacks,
      securityEventCallback: (type, techInfo) => {
        write(this.security, { type, ...(techInfo === undefined ? {} : { techInfo: redactText(techInfo) }) });
        // The host's result goes back to the guard (a rejected promise is reported, not unhandled).
        return host.securityEventCallback?.(type, techInfo);
      },
      ...(this.ports.options.ocppMessages === false
        ? {}
        : {
            ocppMessagesCallback: (message, direction) => {
              write(this.ocpp, { direction, frame: redactFrame(message) });
              return host.ocppMessagesCallback?.(message, direction);
            },
          }),
    };
  }
}
