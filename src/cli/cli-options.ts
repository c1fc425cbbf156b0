/**
 * Command-line options of `ocpp-station` (the simulated-station CLI), parsed with node:util
 * `parseArgs` in strict mode and checked so that every bad value stops the CLI with a message that
 * names the option.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { parseSetArgument } from '../device-model/index.js';
import type { VariableRef } from '../runtime/ports.js';
import { FIRMWARE_DURING_TRANSACTION, type FirmwareDuringTransaction } from '../firmware/station-firmware.js';
import { DEFAULT_FLEET_PATTERN, FleetIdError, fleetIdentity, IDENTITY } from './fleet-ids.js';
import {
  CERTIFICATE_PARSE_OPTIONS,
  CERTIFICATE_USAGE,
  parseCertificateOptions,
  type CliCertificateOptions,
} from './cli-certificate-options.js';
import { parseShard, ShardError, type ShardSpec } from './fleet-shard.js';
import { behaviourOptions, BEHAVIOUR_USAGE, type BehaviourOption } from './cli-behaviour.js';

/** Station identity when `--id` is not given. */
export const DEFAULT_STATION_ID = 'CS-SIM-001';
/** Database file (relative to the directory the CLI was started from) when `--db` is not given. */
export const DEFAULT_DB_FILE = 'ocpp-station.db';
/**
 * `--inspect` without a URL: @statelyai/inspect's default, where its inspector server
 * (`createInspectorServer` of `@statelyai/inspect/server`, docs/inspector.md) listens.
 */
export const DEFAULT_INSPECT_URL = 'ws://localhost:8080';

/** `--install-cert`, `--client-cert`/`--client-key`, `--security-profile`: src/cli/cli-certificate-options.ts. */
export interface CliOptions extends CliCertificateOptions {
  /** CSMS websocket URL; undefined = start the embedded CSMS on 127.0.0.1. */
  csmsUrl: string | undefined;
  /** The station identity; with `count` > 1 a pattern (see src/cli/fleet-ids.ts). */
  stationId: string;
  /** `--count`: stations run by this process (1: the single-station CLI). */
  count: number;
  /** `--rate`: station starts per second while a fleet ramps up; undefined = no ramp. */
  rate: number | undefined;
  /**
   * `--workers`: worker threads this process's stations are split over (one SQLite file each,
   * src/cli/fleet-shard.ts); 1 = the stations run on the main thread. Present only when given.
   */
  workers?: number;
  /** `--shard i/n`: this process runs block i (0-based) of the n blocks of `1..count`. */
  shard?: ShardSpec;
  /** SQLite file of the station (device model, queue, simulated hardware). */
  dbPath: string;
  /** SecurityCtrlr.BasicAuthPassword for HTTP Basic auth (security profile 1/2). */
  password: string | undefined;
  /** JSON-lines events on stdout instead of human output. */
  json: boolean;
  /** `--set` values in the order given; later ones win for the same attribute. */
  sets: Array<{ arg: string; ref: VariableRef; value: string }>;
  /** `--clock`: the station clock starts at this RFC 3339 instant. */
  clockStart: string | undefined;
  /** `--signing-meter`: the simulated meters sign their readings (signedMeterValue). */
  signingMeter: boolean;
  /**
   * `--master-pass-ui`: the simulated station has a UI with input: a master-pass token opens the
   * choice (`masterpass-select`) instead of stopping every transaction (C16.FR.01/02).
   */
  masterPassUi: boolean;
  /** `--inspect [url]`: send every actor to the Stately inspector's websocket at this URL. */
  inspectUrl: string | undefined;
  /**
   * `--visualize [port]`: serve the visualizer page on 127.0.0.1 at this port (0: a free one);
   * absent: no page. Implied (0) by `--replay`.
   */
  visualizePort?: number;
  /** `--replay <file>`: no station; the visualizer replays this `--json` recording. */
  replayFile?: string;
  /**
   * `--firmware-during-tx <none|download|all>`: what the simulated station can do while a
   * transaction runs (L01.FR.06/33, docs/firmware.md); absent: `download`.
   */
  firmwareDuringTx?: FirmwareDuringTransaction;
  // --- behaviour (issue 9, src/cli/cli-behaviour.ts) ---
  /** `--behaviour <profile|file>`: what the stations do on their own; absent: only console lines. */
  behaviour?: BehaviourOption;
  /** `--seed <n>`: the behaviour's random seed; absent: a random one (reported in the `behaviour` event). */
  seed?: number;
}

export type ParsedCommandLine = { kind: 'help' } | { kind: 'run'; options: CliOptions };

/**
 * A command line the CLI cannot run: unknown option, missing or bad value. Exit code 2.
 *
 * @example
 * try {
 *   parseCliOptions(['--clock', 'tomorrow']);
 * } catch (error) {
 *   if (error instanceof CliUsageError) console.error(error.message); // --clock "tomorrow": expected an RFC 3339 instant ...
 * }
 */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_CLI_USAGE';
}

export const USAGE = `Usage: ocpp-station [options]

A simulated OCPP 2.0.1 charging station (2 EVSEs x 1 connector) driven by console commands on stdin.

Options:
  --csms <ws url>        CSMS endpoint URL (ws:// or wss://); the station identity is appended.
                         Default: an embedded CSMS on 127.0.0.1 that accepts the station.
  --id <stationId>       Station identity (1-48 of a-z A-Z 0-9 * - _ = + | @ .). Default: ${DEFAULT_STATION_ID}
                         With --count: a pattern with one %d or %0<width>d, numbered from 1.
                         Default then: ${DEFAULT_FLEET_PATTERN} (CP00001, CP00002, ...)
  --count <n>            Run n stations in this process on one database (a fleet; see docs/cli.md).
  --rate <per second>    Fleet ramp: start at most this many stations per second. Default: no ramp.
  --workers <w>          Split this process's stations over w worker threads, one database file each
                         (--db fleet.db -> fleet.w0-of-<w>.db, ...). Default 1 (no worker thread).
  --shard <i>/<n>        Run only block i (0-based) of n equal blocks of the --count ids: n processes
                         or machines run one fleet (--shard $JOB_COMPLETION_INDEX/n in Kubernetes).
  --db <sqlite path>     Station database (device model, queue, simulated hardware). Default: ./${DEFAULT_DB_FILE}
  --password <password>  SecurityCtrlr.BasicAuthPassword for HTTP Basic authentication.
  --set <path>=<value>   Set a device model value at start (ReadOnly ones included); repeatable.
                         Path: Component[Instance]@evse/connector.Variable[Instance]:Attribute
                         e.g. TxCtrlr.TxStartPoint=Authorized  EVSE@1.Power:MaxSet=22000
  --clock <instant>      Start the station clock at this RFC 3339 instant (e.g. 2026-03-29T00:30:00Z);
                         it runs forward in real time and the CSMS's time does not override it.
  --signing-meter        The simulated meters sign their readings (signedMeterValue on
                         Energy.Active.Import.Register when SignReadings is true); see \`sign\`.
  --master-pass-ui       The station has a UI: a master-pass token (AuthCtrlr.MasterPassGroupId) opens
                         a choice answered with \`masterpass-select\` instead of stopping everything.
  --firmware-during-tx <none|download|all>
                         What the station can do while a transaction runs: none (the firmware download
                         waits for the transactions to end), download (download and verify, install
                         after they end; the default) or all (install during a transaction).
  --inspect [ws url]     Send every actor (station, connection, boot, evse:1, connector:1:1, ...) to
                         the Stately inspector's websocket. Default: ${DEFAULT_INSPECT_URL}
  --json                 Print one JSON event per line on stdout (see docs/cli.md).
  --visualize [port]     Serve the visualizer (live statecharts, OCPP timeline) on http://127.0.0.1:port/;
                         without a port, a free one. The URL is printed (a "visualizer" event).
                         With --count, one page for the fleet (a station picker).
  --replay <file>        Run no station: show a recorded --json log in the visualizer (see docs/visualizer.md).
${CERTIFICATE_USAGE}
${BEHAVIOUR_USAGE}
  -h, --help             Show this help.

Type "help" on stdin for the console commands.`;

/** Most stations one process runs (`--count`). */
export const MAX_COUNT = 100_000;
/** Most worker threads (`--workers`): far beyond any core count a fleet would use. */
export const MAX_WORKERS = 256;
/** RFC 3339 date-time (section 5.6): full date, 'T', time, optional fraction, and a zone. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Parses the CLI's arguments (without `node` and the script). A relative `--db` is resolved against
 * `baseDir` (the directory the user started from: npm's INIT_CWD under `npm start`). Throws
 * {@link CliUsageError} naming the offending option for anything it cannot use.
 *
 * @example
 * const parsed = parseCliOptions(['--id', 'CS-7', '--set', 'TxCtrlr.TxStartPoint=Authorized']);
 * if (parsed.kind === 'run') parsed.options.sets[0]?.ref; // { component: 'TxCtrlr', variable: 'TxStartPoint' }
 */
export function parseCliOptions(argv: readonly string[], baseDir: string = process.cwd()): ParsedCommandLine {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(optionalPortValue(withInspectValue(argv))));
  } catch (error) {
    // parseArgs says e.g. "Unknown option '--foo'" or "Option '--id <value>' argument missing".
    throw new CliUsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  if (values.help) return { kind: 'help' };

  const csmsUrl = values.csms === undefined ? undefined : checkCsmsUrl(values.csms);
  const count = values.count === undefined ? 1 : positiveInteger('--count', values.count, MAX_COUNT);
  const rate = values.rate === undefined ? undefined : positiveNumber('--rate', values.rate);
  const stationId = values.id ?? (count > 1 ? DEFAULT_FLEET_PATTERN : DEFAULT_STATION_ID);
  const split = fleetSplit(values, count);
  if (count > 1) {
    try {
      fleetIdentity(stationId, count, 1);
    } catch (error) {
      if (error instanceof FleetIdError) throw new CliUsageError(error.message);
      throw error;
    }
  } else if (!IDENTITY.test(stationId)) {
    throw new CliUsageError(
      `--id ${JSON.stringify(stationId)}: a station identity is 1-48 characters of a-z A-Z 0-9 * - _ = + | @ . (OCPP-J identifierString without ':')`,
    );
  }
  const db = values.db ?? DEFAULT_DB_FILE;
  if (db.trim() === '') throw new CliUsageError('--db: the database path is empty');
  // ':memory:' is SQLite's in-memory database (nothing survives the process).
  const dbPath = db === ':memory:' ? db : path.resolve(baseDir, db);
  if (values.password !== undefined && values.password === '')
    throw new CliUsageError('--password: the password is empty');

  const sets = (values.set ?? []).map((arg) => {
    try {
      return { arg, ...parseSetArgument(arg) };
    } catch (error) {
      throw new CliUsageError(`--set ${arg}: ${(error as Error).message}`);
    }
  });

  let clockStart: string | undefined;
  if (values.clock !== undefined) {
    const instant = values.clock;
    if (!RFC3339.test(instant) || !DateTime.fromISO(instant, { setZone: true }).isValid) {
      throw new CliUsageError(
        `--clock ${JSON.stringify(instant)}: expected an RFC 3339 instant such as 2026-03-29T00:30:00Z`,
      );
    }
    clockStart = instant;
  }

  const replayFile =
    values.replay === undefined ? undefined : path.resolve(baseDir, checkReplay(values.replay));
  let visualizePort = values.visualize === undefined ? undefined : checkPort(values.visualize);
  const firmwareDuringTx =
    values['firmware-during-tx'] === undefined ? undefined : checkFirmwareDuringTx(values['firmware-during-tx']);
  if (replayFile !== undefined) visualizePort ??= 0;

  // Certificates and security profile: files read and checked now (exit 2 on a bad one).
  const certificates = parseCertificateOptions(values, csmsUrl, baseDir, (m) => new CliUsageError(m));

  return {
    kind: 'run',
    options: {
      csmsUrl,
      stationId,
      count,
      rate,
      ...split,
      dbPath,
      password: values.password,
      json: values.json ?? false,
      sets,
      clockStart,
      signingMeter: values['signing-meter'] ?? false,
      masterPassUi: values['master-pass-ui'] ?? false,
      inspectUrl: values.inspect === undefined ? undefined : checkInspectUrl(values.inspect),
      // Present only when given (a command line without them parses as it always did).
      ...(visualizePort === undefined ? {} : { visualizePort }),
      ...(replayFile === undefined ? {} : { replayFile }),
      ...(firmwareDuringTx === undefined ? {} : { firmwareDuringTx }),
      ...certificates,
      ...behaviourOptions(values, baseDir, (message) => new CliUsageError(message)),
    },
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      csms: { type: 'string' },
      id: { type: 'string' },
      count: { type: 'string' },
      rate: { type: 'string' },
      workers: { type: 'string' },
      shard: { type: 'string' },
      db: { type: 'string' },
      password: { type: 'string' },
      json: { type: 'boolean' },
      set: { type: 'string', multiple: true },
      clock: { type: 'string' },
      'signing-meter': { type: 'boolean' },
      'master-pass-ui': { type: 'boolean' },
      'firmware-during-tx': { type: 'string' },
      inspect: { type: 'string' },
      // `--visualize [port]`: the optional value is joined to it first (optionalPortValue).
      visualize: { type: 'string' },
      replay: { type: 'string' },
      // behaviour (src/cli/cli-behaviour.ts)
      behaviour: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      // Certificates and security profile (src/cli/cli-certificate-options.ts).
      ...CERTIFICATE_PARSE_OPTIONS,
    },
  });
}

/**
 * `--inspect` takes an optional value, which parseArgs cannot express: a bare `--inspect` (last, or
 * followed by another option) gets the default URL.
 */
function withInspectValue(argv: readonly string[]): string[] {
  return argv.map((arg, i) => {
    const next = argv[i + 1];
    return arg === '--inspect' && (next === undefined || next.startsWith('-'))
      ? `--inspect=${DEFAULT_INSPECT_URL}`
      : arg;
  });
}

function checkInspectUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'ws:' && url?.protocol !== 'wss:') {
    throw new CliUsageError(
      `--inspect ${JSON.stringify(value)}: expected the inspector's websocket URL, e.g. ${DEFAULT_INSPECT_URL}`,
    );
  }
  return value;
}

/** `--workers` and `--shard`: they split a fleet, so they need `--count`. */
function fleetSplit(
  values: { count?: string; workers?: string; shard?: string; inspect?: string; visualize?: string },
  count: number,
): { workers?: number; shard?: ShardSpec } {
  const split: { workers?: number; shard?: ShardSpec } = {};
  if (values.shard !== undefined) {
    if (values.count === undefined)
      throw new CliUsageError(`--shard ${JSON.stringify(values.shard)}: needs --count (the size of the whole fleet)`);
    try {
      split.shard = parseShard(values.shard);
    } catch (error) {
      if (error instanceof ShardError) throw new CliUsageError(error.message);
      throw error;
    }
    if (split.shard.parts > count) {
      throw new CliUsageError(
        `--shard ${JSON.stringify(values.shard)}: ${split.shard.parts} shards of --count ${count}: a shard would have no station (at most ${count} shards)`,
      );
    }
  }
  if (values.workers !== undefined) {
    if (values.count === undefined)
      throw new CliUsageError(`--workers ${JSON.stringify(values.workers)}: needs --count (workers split a fleet)`);
    split.workers = positiveInteger('--workers', values.workers, MAX_WORKERS);
    // Each worker thread would need an inspector connection of its own.
    if (split.workers > 1 && values.inspect !== undefined)
      throw new CliUsageError('--inspect: not with --workers (the actors run in several threads); use --workers 1');
    // The page's sources read each ChargePoint's event stream in this thread.
    if (split.workers > 1 && values.visualize !== undefined)
      throw new CliUsageError('--visualize: not with --workers (the stations run in other threads); use --workers 1');
  }
  return split;
}

function positiveInteger(option: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new CliUsageError(`${option} ${JSON.stringify(text)}: expected a whole number from 1 to ${max}`);
  }
  return value;
}

/**
 * `--visualize [port]` has an optional value, which parseArgs cannot express: a following argument
 * that is a number is its port (the CLI takes no positional arguments, so nothing else can be
 * meant), and a bare `--visualize` becomes `--visualize=` (a free port).
 */
function optionalPortValue(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg !== '--visualize') {
      out.push(arg);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('-')) {
      out.push(`--visualize=${next}`);
      i += 1;
    } else out.push('--visualize=');
  }
  return out;
}

function checkPort(value: string): number {
  if (value === '') return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new CliUsageError(
      `--visualize ${JSON.stringify(value)}: a port is an integer 0-65535 (0 or none: a free port)`,
    );
  return port;
}

function checkFirmwareDuringTx(value: string): FirmwareDuringTransaction {
  const found = FIRMWARE_DURING_TRANSACTION.find((v) => v === value);
  if (found === undefined) {
    throw new CliUsageError(
      `--firmware-during-tx ${JSON.stringify(value)}: expected one of ${FIRMWARE_DURING_TRANSACTION.join(', ')}`,
    );
  }
  return found;
}

function checkReplay(value: string): string {
  if (value.trim() === '') throw new CliUsageError('--replay: the recording path is empty');
  return value;
}

function positiveNumber(option: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new CliUsageError(`${option} ${JSON.stringify(text)}: expected a number greater than 0`);
  }
  return value;
}

function checkCsmsUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliUsageError(
      `--csms ${JSON.stringify(value)}: not a URL (expected e.g. ws://127.0.0.1:9000/ocpp)`,
    );
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new CliUsageError(
      `--csms ${JSON.stringify(value)}: the scheme must be ws:// or wss://, not ${url.protocol}//`,
    );
  }
  if (url.hash !== '')
    throw new CliUsageError(`--csms ${JSON.stringify(value)}: a CSMS URL has no #fragment`);
  return value;
}
