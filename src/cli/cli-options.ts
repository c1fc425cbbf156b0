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
import type { FirmwareDuringTransaction } from '../firmware/station-firmware.js';
import { DEFAULT_FLEET_PATTERN, FleetIdError, fleetIdentity, IDENTITY } from './fleet-ids.js';
import {
  CERTIFICATE_PARSE_OPTIONS,
  CERTIFICATE_USAGE,
  parseCertificateOptions,
  type CliCertificateOptions,
} from './cli-certificate-options.js';
import type { ShardSpec } from './fleet-shard.js';
import { behaviourOptions, BEHAVIOUR_USAGE, type BehaviourOption } from './cli-behaviour.js';
import { DEFAULT_DB_FILE, DEFAULT_INSPECT_URL, DEFAULT_STATION_ID, MAX_COUNT } from './cli-defaults.js';
import { CliUsageError } from './cli-usage-error.js';
import {
  checkCsmsUrl,
  checkFirmwareDuringTx,
  checkInspectUrl,
  checkPort,
  checkReplay,
  fleetSplit,
  optionalPortValue,
  positiveInteger,
  positiveNumber,
  withInspectValue,
} from './cli-option-values.js';

// The defaults, limits and usage error live next to this file; callers import them from here.
export {
  DEFAULT_DB_FILE,
  DEFAULT_INSPECT_URL,
  DEFAULT_STATION_ID,
  MAX_COUNT,
  MAX_WORKERS,
} from './cli-defaults.js';
export { CliUsageError } from './cli-usage-error.js';

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
