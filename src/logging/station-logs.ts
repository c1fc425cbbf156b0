/**
 * The logs a station keeps for GetLog (N01): a security log (N01.FR.03: every security event, A04)
 * and an OCPP message log (the diagnostics of N01.FR.04: every frame in both directions), each as
 * JSON lines with rotation, secrets masked (src/logging/redact.ts). They are fed by wrapping the
 * host's `securityEventCallback` and `ocppMessagesCallback`. Every line names its station: the
 * stations of a fleet share the log files of their database (one writer per file,
 * src/logging/shared-logs.ts), and a station reads back, and uploads, only its own lines.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChargePointCallbacks, MessageDirection } from '../callbacks.js';
import type { StationClock } from '../clock.js';
import type { LogLine } from './json-lines-log.js';
import { isoUtc } from './log-time.js';
import { frameLogJson, redactText } from './redact.js';
import { acquireSharedLog, type SharedLog } from './shared-logs.js';

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

/** One station's view of a log: its own lines. */
export interface StationLogView {
  /** This station's lines whose `time` lies in [oldest, latest] (either bound optional), oldest first. */
  lines(window?: { oldest?: string; latest?: string }): LogLine[];
}

/**
 * @example
 * const logs = new StationLogs({ stationId, databaseFile: 'station.db', options: {}, clock });
 * const callbacks = logs.wrap(hostCallbacks);
 */
export class StationLogs {
  private readonly security: SharedLog;
  private readonly ocpp: SharedLog;

  constructor(
    private readonly ports: {
      stationId: string;
      databaseFile: string;
      options: LogOptions;
      clock: Pick<StationClock, 'nowMs'>;
      reportError?: (error: unknown) => void;
    },
  ) {
    const directory = this.directory;
    const common = {
      directory,
      ...(ports.options.maxBytes ? { maxBytes: ports.options.maxBytes } : {}),
      ...(ports.options.files ? { files: ports.options.files } : {}),
    };
    const report = (error: unknown) => ports.reportError?.(error);
    this.security = acquireSharedLog({ ...common, name: 'security' }, report);
    this.ocpp = acquireSharedLog({ ...common, name: 'ocpp-messages' }, report);
  }

  /**
   * Writes what is pending and lets go of the shared files (the station stops).
   *
   * @example
   * logs.close();
   */
  close(): void {
    this.security.release();
    this.ocpp.release();
  }

  get directory(): string {
    const { options, databaseFile, stationId } = this.ports;
    if (options.directory) return options.directory;
    if (databaseFile && databaseFile !== ':memory:') return `${databaseFile}.logs`;
    return path.join(tmpdir(), 'ocpp-station', stationId.replace(/[^A-Za-z0-9._-]/g, '_'), 'logs');
  }

  /**
   * This station's part of the log of a GetLog `logType` (N01.FR.03/04): lines of other stations
   * sharing the files, or of an older version that wrote no stationId, are not its own.
   *
   * @example
   * logs.log('DiagnosticsLog').lines({ oldest: '2026-01-01T00:00:00Z' });
   */
  log(type: LogType): StationLogView {
    const { log } = type === 'SecurityLog' ? this.security : this.ocpp;
    const { stationId } = this.ports;
    return { lines: (window = {}) => log.lines(window, stationId) };
  }

  /** The host's callbacks, with the two logs written first. A failing write is reported, never thrown. */
  wrap(callbacks: ChargePointCallbacks): ChargePointCallbacks {
    const { stationId } = this.ports;
    const write = ({ log }: SharedLog, line: Record<string, unknown>) => {
      try {
        log.append({ time: isoUtc(this.ports.clock.nowMs()), stationId, ...line });
      } catch (error) {
        this.ports.reportError?.(error);
      }
    };
    // A frame's line is built as text around the frame's own JSON (frameLogJson): the same line as
    // write() gives, without parsing and stringifying the frame (issue 9, a heartbeat's hot path).
    const linePrefix = `","stationId":${JSON.stringify(stationId)},"direction":"`;
    const writeFrame = (message: string, direction: MessageDirection) => {
      try {
        const frame = frameLogJson(message, direction === 'station->CSMS');
        const time = isoUtc(this.ports.clock.nowMs());
        this.ocpp.log.appendJson(`{"time":"${time}${linePrefix}${direction}","frame":${frame}}`);
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
              writeFrame(message, direction);
              return host.ocppMessagesCallback?.(message, direction);
            },
          }),
    };
  }
}
