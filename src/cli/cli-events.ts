/**
 * What the CLI reports: one event type per thing a tool (or a person) needs to see. With `--json`
 * each event is one JSON object per line on stdout (shapes documented in docs/cli.md); otherwise
 * each becomes a human line (stdout, errors on stderr).
 */
import type { TariffMessageKind } from '../tariff/tariff-types.js';
import type {
  ComponentType,
  ConnectorStatusEnumType,
  MessageFormatEnumType,
  MessagePriorityEnumType,
  MessageStateEnumType,
  IdTokenType,
  RegistrationStatusEnumType,
  MonitorEnumType,
  FirmwareStatusEnumType,
  ResetEnumType,
  VariableType,
} from '../generated/ocpp-types.js';
import type { StateEvent } from '../visualizer/source.js';
import type { CommandName } from './console-commands.js';
import { redactKeyCodes } from '../logging/redact-key-codes.js';
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
      /** The line came from `--behaviour` (a profile's visit or a script), not from stdin. */
      behaviour?: true;
    }
  | { type: 'reset'; resetType: ResetEnumType; evseId?: number }
  /** `display`: one display message the screen shows now (O01–O06), in display order. */
  | {
      type: 'display';
      id: number;
      priority: MessagePriorityEnumType;
      state: MessageStateEnumType | null;
      format: MessageFormatEnumType;
      language: string | null;
      content: string;
      transactionId?: string;
      evseId?: number;
    }
  /** `display`: a tariff text the screen shows (I01, I04, I06), one per language. */
  | {
      type: 'display';
      kind: 'tariff';
      source: TariffMessageKind;
      format: MessageFormatEnumType;
      language: string | null;
      content: string;
      transactionId?: string;
      idToken?: string;
    }
  /** `display`: the running or final cost (I02, I03), or the fallback text shown instead (I05). */
  | {
      type: 'display';
      kind: 'cost';
      transactionId: string;
      state: 'Charging' | 'Idle' | 'Finished' | 'Fallback';
      content: string;
      cost?: number;
      currency?: string;
    }
  /** L01/L02: a FirmwareStatusNotification was queued for the CSMS. */
  | { type: 'firmware'; status: FirmwareStatusEnumType; requestId?: number }
  /** C16.FR.01 (`--master-pass-ui`): a master-pass token opened the choice; answer with `masterpass-select`. */
  | { type: 'masterpass'; idToken: IdTokenType; evseIds: number[] }
  /** `monitor list`: one installed monitor (N02–N08). */
  | {
      type: 'monitor';
      id: number;
      kind: 'HardWiredMonitor' | 'PreconfiguredMonitor' | 'CustomMonitor';
      component: ComponentType;
      variable: VariableType;
      monitorType: MonitorEnumType;
      severity: number;
      value: number;
      transaction: boolean;
    }
  | { type: 'input'; state: 'closed' }
  /** `code`: the error catalogue code (docs/errors.md), when the error came from the station. */
  | { type: 'error'; message: string; fatal: boolean; code?: string }
  /** `--inspect`: the actors are sent to the Stately inspector at `url`. */
  | { type: 'inspect'; url: string }
  /** An actor's state value changed (for replays in the visualizer; not shown to people). */
  | Omit<StateEvent, 'time'>
  /** `--visualize`: the page's URL; `replay`: the recording it shows (`--replay`). */
  | { type: 'visualizer'; url: string; replay?: string }
  /** `--behaviour`: the stations act on their own; `seed` repeats the same run (`--seed`). */
  | { type: 'behaviour'; kind: 'profile'; profile: string; seed: number }
  | { type: 'behaviour'; kind: 'script'; file: string; commands: number; seed: number }
  /** `--count`: the fleet's counts, once at the end (`state: 'summary'`). */
  | ({ type: 'fleet'; state: 'summary' } & FleetCounts)
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
      // C04.FR.04: no KeyCode idToken in the output (frames, results, master-pass prompts). The
      // `line` of a command event is the operator's own input, echoed as typed.
      const event = { ...redactKeyCodes(body), time: options.now() } as CliEvent;
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
    case 'display':
      // The `display` command's own message lists the screen, one line each.
      return undefined;
    case 'masterpass':
      return line(
        `master pass ${event.idToken.idToken}: choose the transactions to stop (EVSE ${event.evseIds.join(', ')}) with 'masterpass-select all' or 'masterpass-select <evse> ...'`,
      );
    case 'state':
      return undefined;
    case 'visualizer':
      return line(`visualizer: open ${event.url} in a browser${event.replay ? ` (replay of ${event.replay})` : ''}`);
    case 'monitor':
      return (
        `monitor ${event.id}: ${event.kind} ${event.monitorType} ${event.value} severity ${event.severity} on ` +
        `${event.component.name}${event.component.instance ? `[${event.component.instance}]` : ''}` +
        `${event.component.evse ? `@${event.component.evse.id}${event.component.evse.connectorId ? `/${event.component.evse.connectorId}` : ''}` : ''}` +
        `.${event.variable.name}${event.variable.instance ? `[${event.variable.instance}]` : ''}${event.transaction ? ' (transaction only)' : ''}`
      );
    case 'input':
      return line('stdin closed: the station keeps running until quit or a signal (SIGINT/SIGTERM)');
    case 'error':
      return `${at} error: ${event.message}`;
    case 'inspect':
      return line(`sending every actor to the Stately inspector at ${event.url}`);
    case 'fleet':
      return line(
        `fleet: ${event.stations} stations, ${event.started} started, ${event.booted} booted, ${event.connected} connected, ${event.charging} charging, ${event.transactionsStarted} transactions started, ${event.transactionsEnded} ended, ${event.errors} errors, ${event.messages} OCPP messages`,
      );
    case 'behaviour':
      return line(
        event.kind === 'profile'
          ? `behaviour: profile ${event.profile} (--seed ${event.seed})`
          : `behaviour: script ${event.file}, ${event.commands} commands`,
      );
    case 'exit':
      return line(`exit ${event.code} (${event.reason})`);
  }
}
