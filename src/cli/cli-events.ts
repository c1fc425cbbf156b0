/**
 * What the CLI reports: one event type per thing a tool (or a person) needs to see. With `--json`
 * each event is one JSON object per line on stdout (shapes documented in docs/cli.md); otherwise
 * each becomes a human line (stdout, errors on stderr).
 */
import type {
  ConnectorStatusEnumType,
  IdTokenType,
  RegistrationStatusEnumType,
  ResetEnumType,
} from '../generated/ocpp-types.js';
import type { CommandName } from './console-commands.js';
import type { FleetCounts } from './cli-fleet.js';

export type CliEventBody =
  | {
      type: 'station';
      state: 'starting' | 'started' | 'stopping' | 'stopped';
      stationId: string;
      /** How many times the station software started in this process (1, then +1 per reset). */
      boot: number;
      csmsUrl?: string;
      db?: string;
    }
  | { type: 'csms'; state: 'listening' | 'closed'; url: string }
  | { type: 'ocpp'; direction: 'out' | 'in'; frame: unknown }
  | { type: 'connection'; connected: boolean; slot: number }
  | { type: 'registration'; status: RegistrationStatusEnumType; interval: number; currentTime: string }
  | { type: 'connector'; evseId: number; connectorId: number; status: ConnectorStatusEnumType }
  | {
      type: 'command';
      /** The command line as typed (trimmed). */
      line: string;
      /** The command's name; absent when the line was not a command. */
      command?: CommandName;
      ok: boolean;
      message: string;
      data?: unknown;
    }
  | { type: 'reset'; resetType: ResetEnumType; evseId?: number }
  /** C16.FR.01 (`--master-pass-ui`): a master-pass token opened the choice; answer with `masterpass-select`. */
  | { type: 'masterpass'; idToken: IdTokenType; evseIds: number[] }
  | { type: 'input'; state: 'closed' }
  /** `--count`: the fleet's counts, once at the end (`state: 'summary'`). */
  | ({ type: 'fleet'; state: 'summary' } & FleetCounts)
  | { type: 'error'; message: string; fatal: boolean }
  | { type: 'exit'; code: number; reason: string };

/** Every event of a station carries its identity (`stationId`); events of the process do not. */
export type CliEvent = CliEventBody & { time: string; stationId?: string };

/** Where events go. */
export interface CliEventSink {
  emit(event: CliEventBody & { stationId?: string }): void;
}

/**
 * The sink of one station: its events carry `stationId` (the `--json` contract of docs/cli.md).
 *
 * @example
 * const events = withStationId(output, 'CP00001');
 * events.emit({ type: 'connection', connected: true, slot: 1 }); // {"type":"connection",...,"stationId":"CP00001"}
 */
export function withStationId(sink: CliEventSink, stationId: string): CliEventSink {
  return { emit: (event) => sink.emit({ ...event, stationId }) };
}

export interface CliOutputOptions {
  json: boolean;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** ISO time stamped on each event (the station clock once it exists). */
  now: () => string;
  /** Human lines start with `[stationId]` (a fleet, `--count`). */
  prefixStationId?: boolean;
}

/**
 * Writes events as JSON lines (`--json`) or human lines.
 *
 * @example
 * const out = createCliOutput({ json: true, stdout: process.stdout, stderr: process.stderr, now: () => new Date().toISOString() });
 * out.emit({ type: 'connection', connected: true, slot: 1 });
 * // {"type":"connection","connected":true,"slot":1,"time":"2026-01-01T00:00:00.000Z"}
 */
export function createCliOutput(options: CliOutputOptions): CliEventSink {
  return {
    emit(body) {
      const event = { ...body, time: options.now() } as CliEvent;
      if (options.json) {
        options.stdout.write(`${JSON.stringify(event)}\n`);
        // A fatal error also reaches a person reading the terminal.
        if (event.type === 'error' && event.fatal) options.stderr.write(`ocpp-station: ${event.message}\n`);
        return;
      }
      const line = humanLine(event);
      if (line === undefined) return;
      const text =
        options.prefixStationId && event.stationId !== undefined && event.type !== 'station'
          ? `[${event.stationId}] ${line}`
          : line;
      const isError = event.type === 'error' || (event.type === 'command' && !event.ok);
      (isError ? options.stderr : options.stdout).write(`${text}\n`);
    },
  };
}

/**
 * The human form of an event (undefined: not shown to people).
 *
 * @example
 * humanLine({ type: 'connector', evseId: 1, connectorId: 1, status: 'Occupied', time: '2026-01-01T12:00:00.000Z' });
 * // '12:00:00 EVSE 1 connector 1: Occupied'
 */
export function humanLine(event: CliEvent): string | undefined {
  const at = event.time.slice(11, 19);
  const line = (text: string) => `${at} ${text}`;
  switch (event.type) {
    case 'station':
      if (event.state === 'starting') {
        return line(
          `station ${event.stationId} starting (boot ${event.boot}${event.csmsUrl ? `, CSMS ${event.csmsUrl}` : ''}${event.db ? `, db ${event.db}` : ''})`,
        );
      }
      return line(`station ${event.stationId} ${event.state}`);
    case 'csms':
      return line(
        event.state === 'listening' ? `embedded CSMS listening on ${event.url}` : 'embedded CSMS closed',
      );
    case 'ocpp':
      return line(`${event.direction === 'out' ? '>>' : '<<'} ${JSON.stringify(event.frame)}`);
    case 'connection':
      return line(
        event.connected ? `connected to the CSMS (profile slot ${event.slot})` : 'disconnected from the CSMS',
      );
    case 'registration':
      return line(`registration ${event.status} (interval ${event.interval} s)`);
    case 'connector':
      return line(`EVSE ${event.evseId} connector ${event.connectorId}: ${event.status}`);
    case 'command':
      return event.ok ? event.message : `${event.command ?? 'error'}: ${event.message}`;
    case 'reset':
      return line(
        `CSMS requested a ${event.resetType} reset of ${event.evseId === undefined ? 'the station' : `EVSE ${event.evseId}`}`,
      );
    case 'masterpass':
      return line(
        `master pass ${event.idToken.idToken}: choose the transactions to stop (EVSE ${event.evseIds.join(', ')}) with 'masterpass-select all' or 'masterpass-select <evse> ...'`,
      );
    case 'input':
      return line('stdin closed: the station keeps running until quit or a signal (SIGINT/SIGTERM)');
    case 'error':
      return `${at} error: ${event.message}`;
    case 'fleet':
      return line(
        `fleet: ${event.stations} stations, ${event.started} started, ${event.booted} booted, ${event.connected} connected, ${event.charging} charging, ${event.errors} errors, ${event.messages} OCPP messages`,
      );
    case 'exit':
      return line(`exit ${event.code} (${event.reason})`);
  }
}
