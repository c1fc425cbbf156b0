/**
 * The `ocpp-station` program: options, the embedded CSMS (when no `--csms`), the station database,
 * the simulated station, console lines from stdin, signals, and the exit code.
 *
 * Exit codes: 0 after `quit` or SIGINT/SIGTERM; 1 when the station cannot start or run (database,
 * device model, `--set` naming an unknown variable or a value it rejects); 2 for a bad command line.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createStationClock } from '../clock.js';
import { openStationDatabase, type StationDatabase } from '../store/database.js';
import type { VariableRef } from '../runtime/ports.js';
import { VARIABLES } from '../runtime/settings.js';
import { formatVariablePath } from '../device-model/index.js';
import type { TestCsms } from '../testing/index.js';
import { describeError } from '../events/error-catalogue.js';
import { createCliOutput, withStationId, type CliEventSink } from './cli-events.js';
import { markingSink, startMarks } from './start-marks.js';
import { startInspector, type CliInspector } from './inspector.js';
import { CliFleet } from './cli-fleet.js';
import { CliUsageError, parseCliOptions, USAGE, type CliOptions } from './cli-options.js';
import { showProgress } from './fleet-progress.js';
import { blockOf, processRange, workerDbPath } from './fleet-shard.js';
import { WorkerFleet } from './fleet-workers.js';
import { fleetIdentity } from './fleet-ids.js';
import { profile3ClientCertificateProblem } from './cli-stored-client-certificate.js';
import { SimulatedStation } from './simulated-station.js';
import {
  observeFleet,
  observeStation,
  replayRecording,
  type CliFleetObservation,
  type CliObservation,
} from './cli-visualizer.js';
import type { Visualizer } from '../visualizer/visualizer-server.js';
import { announceBehaviour, behaviourSpec, startBehaviour } from './cli-behaviour.js';
import { BehaviourScriptError } from './behaviour-script.js';
import type { BehaviourRunner, BehaviourSpec } from './behaviour-runner.js';

export interface CliIo {
  stdin: Readable;
  /** `isTTY`: a fleet shows a progress line (without `--json`). */
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  /** Directory a relative `--db` is resolved against. */
  cwd: string;
  /** Subscribe to SIGINT/SIGTERM; returns the unsubscribe function. */
  onSignal?: (handler: (signal: NodeJS.Signals) => void) => () => void;
}

/** How often a moving meter is written to the database (what a power loss can lose at most). */
const METER_FLUSH_MS = 5000;

/**
 * Runs the CLI until `quit`, a signal or a fatal error, and resolves with the exit code.
 *
 * @example
 * const code = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
 * process.exitCode = code;
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const mark = startMarks(process.env, io.stderr);
  mark?.('cli');
  let options: CliOptions;
  try {
    const parsed = parseCliOptions(argv, io.cwd);
    if (parsed.kind === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    options = parsed.options;
    if (options.securityProfile === 3 && options.clientCertificate === undefined) {
      // A00.FR.407: profile 3 without --client-cert uses the certificate a CertificateSigned stored.
      const nowMs = createStationClock(options.clockStart).nowMs();
      for (const { dbPath, ids } of stationDatabases(options)) {
        const problem = await profile3ClientCertificateProblem(dbPath, ids, nowMs);
        if (problem !== undefined) throw new CliUsageError(problem);
      }
    }
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    io.stderr.write(`ocpp-station: ${error.message}\nTry 'ocpp-station --help'.\n`);
    return 2;
  }
  // --behaviour <file>: the script is read (and checked) before anything starts; a bad one is a bad command line.
  let behaviour: BehaviourSpec | undefined;
  if (options.behaviour !== undefined) {
    try {
      behaviour = await behaviourSpec(options.behaviour, runStationIds(options));
    } catch (error) {
      if (!(error instanceof BehaviourScriptError)) throw error;
      io.stderr.write(`ocpp-station: ${error.message}\nTry 'ocpp-station --help'.\n`);
      return 2;
    }
  }

  const clock = createStationClock(options.clockStart);
  // A fleet worker's event keeps the time of the worker's clock when it happened (emitAt).
  let stamp: string | undefined;
  const output = createCliOutput({
    json: options.json,
    stdout: io.stdout,
    stderr: io.stderr,
    now: () => stamp ?? clock.nowIso(),
    prefixStationId: options.count > 1,
  });
  const events = mark ? markingSink(output, mark) : output;
  const emitAt = (event: Parameters<CliEventSink['emit']>[0], time?: string) => {
    stamp = time;
    try {
      events.emit(event);
    } finally {
      stamp = undefined;
    }
  };
  const resources: {
    csms?: TestCsms;
    store?: StationDatabase;
    station?: SimulatedStation | CliFleet | WorkerFleet;
    observation?: CliObservation | CliFleetObservation;
    replay?: Visualizer;
  } = {};
  let finish!: (code: number, reason: string) => void;
  const finished = new Promise<{ code: number; reason: string }>((resolve) => {
    let done = false;
    finish = (code, reason) => {
      if (done) return;
      done = true;
      resolve({ code, reason });
    };
  });
  const fatal = (error: unknown) => {
    events.emit({
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
      fatal: true,
      code: describeError(error).code,
    });
    finish(1, 'fatal error');
  };

  const stopListening = io.onSignal?.((signal) => finish(0, signal));
  let meterTimer: NodeJS.Timeout | undefined;
  let lines: { close(): void } | undefined;
  let inspector: CliInspector | undefined;
  let stopProgress: (() => void) | undefined;
  let behaviourRunner: BehaviourRunner | undefined;
  try {
    if (options.inspectUrl !== undefined) {
      inspector = await startInspector(options.inspectUrl);
      events.emit({ type: 'inspect', url: options.inspectUrl });
    }
    if (options.replayFile !== undefined) {
      // --replay: no station, no CSMS, no database; the page shows the recording until quit or a signal.
      resources.replay = await replayRecording({
        file: options.replayFile,
        port: options.visualizePort ?? 0,
        events,
      });
      lines = readReplayLines(io.stdin, events, () => finish(0, 'quit'));
    } else {
      let csmsUrl = options.csmsUrl;
      if (csmsUrl === undefined) {
        // The embedded CSMS: the package's strict ocpp-rpc test CSMS, answering every station message
        // with its default (BootNotification Accepted), so a new user sees a boot with no setup.
        // Imported only when used: a CLI given --csms does not load ocpp-rpc (cold start, issue 9).
        const { startTestCsms } = await import('../testing/test-csms.js');
        resources.csms = await startTestCsms();
        csmsUrl = resources.csms.url;
        events.emit({ type: 'csms', state: 'listening', url: csmsUrl });
      }
      // The database is opened by the branch that runs the stations: with --workers each worker opens
      // a file of its own (fleet-shard.ts, workerDbPath) and the main thread none.
      const common = {
        csmsUrl,
        overrides: startupOverrides(options),
        clock,
        onQuit: () => finish(0, 'quit'),
        onFatal: fatal,
        signingMeter: options.signingMeter,
        masterPassUi: options.masterPassUi,
        ...(options.firmwareDuringTx ? { firmwareDuringTx: options.firmwareDuringTx } : {}),
        ...(inspector ? { inspect: inspector.inspect } : {}),
        certificates: options,
      };
      let station: SimulatedStation | CliFleet | WorkerFleet;
      const range = processRange(options.count, options.shard);
      const inWorkers = options.count > 1 && (options.workers ?? 1) > 1;
      // One `behaviour` event and one seed for the run; with --workers each worker runs the stations
      // it owns (the draws depend on the seed and the station id only, not on the split).
      const seed = behaviour ? announceBehaviour(behaviour, options.seed, events) : undefined;
      if (behaviour && seed !== undefined && !inWorkers)
        behaviourRunner = startBehaviour(behaviour, { clock, seed, events });
      if (inWorkers) {
        // --workers: the stations run in worker threads, one database file each (fleet-workers.ts).
        const fleet = WorkerFleet.create({
          pattern: options.stationId,
          count: options.count,
          range,
          workers: options.workers ?? 1,
          rate: options.rate,
          dbPath: options.dbPath,
          csmsUrl,
          overrides: common.overrides,
          clockStart: options.clockStart,
          human: !options.json,
          signingMeter: options.signingMeter,
          masterPassUi: options.masterPassUi,
          ...(options.firmwareDuringTx ? { firmwareDuringTx: options.firmwareDuringTx } : {}),
          certificates: options,
          ...(behaviour && seed !== undefined ? { behaviour: { spec: behaviour, seed } } : {}),
          emit: emitAt,
          onQuit: common.onQuit,
          onFatal: fatal,
        });
        resources.station = station = fleet;
        if (io.stdout.isTTY === true && !options.json)
          stopProgress = showProgress(() => fleet.counts(), io.stdout);
        lines = readLines(io.stdin, fleet, events);
      } else if (options.count > 1) {
        // --visualize: one page, every station of the fleet in its station picker.
        const observation =
          options.visualizePort === undefined
            ? undefined
            : await observeFleet({ events, visualizePort: options.visualizePort });
        if (observation) resources.observation = observation;
        resources.store = await openStationDatabase(options.dbPath);
        const fleet = await CliFleet.create({
          ...common,
          store: resources.store,
          pattern: options.stationId,
          count: options.count,
          range,
          rate: options.rate,
          events,
          human: !options.json,
          ...(observation ? { sourceFor: observation.sourceFor } : {}),
          ...(behaviourRunner ? { onStarted: behaviourRunner.attach.bind(behaviourRunner) } : {}),
        });
        observation?.announce();
        resources.station = station = fleet;
        if (io.stdout.isTTY === true && !options.json)
          stopProgress = showProgress(() => fleet.counts(), io.stdout);
        // The ramp runs on while console lines are read and signals are heard; a station that fails
        // to start is reported as an error event of that station, the others run on.
        void fleet.start();
        lines = readLines(io.stdin, fleet, events);
      } else {
        mark?.('options');
        resources.store = await openStationDatabase(options.dbPath);
        mark?.('database');
        const stationEvents = withStationId(events, options.stationId);
        resources.observation = await observeStation({
          stationId: options.stationId,
          clock,
          events: stationEvents,
          visualizePort: options.visualizePort,
        });
        station = await SimulatedStation.create({
          ...common,
          store: resources.store,
          stationId: options.stationId,
          events: stationEvents,
          source: resources.observation.source,
        });
        resources.station = station;
        await station.start();
        behaviourRunner?.attach(options.stationId, station);
        lines = readLines(io.stdin, station, events);
      }

      // Keeps the meters' registers on disk while EVs charge; also keeps the process alive after
      // stdin closes while the station is offline (nothing else may be pending then).
      meterTimer = setInterval(() => void station.flushMeters(), METER_FLUSH_MS);
    }
  } catch (error) {
    fatal(error);
  }

  const { code, reason } = await finished;
  behaviourRunner?.stop();
  if (meterTimer) clearInterval(meterTimer);
  lines?.close();
  stopListening?.();
  stopProgress?.();
  try {
    // The summary counts what ran, before the stations stop (workers count it themselves, then stop).
    const { station } = resources;
    const before = station instanceof CliFleet ? station.counts() : undefined;
    await station?.stop();
    const summary = station instanceof WorkerFleet ? station.counts() : before;
    // Lines queued before quit (typed or --behaviour's) still run before a station stops: the
    // transactions they start or end are counted too.
    if (summary && station instanceof CliFleet) {
      const after = station.counts();
      summary.transactionsStarted = after.transactionsStarted;
      summary.transactionsEnded = after.transactionsEnded;
    }
    await inspector?.stop();
    await resources.observation?.close();
    await resources.replay?.close();
    if (summary) events.emit({ type: 'fleet', state: 'summary', ...summary });
    await resources.store?.close();
    if (resources.csms) {
      await resources.csms.close();
      events.emit({ type: 'csms', state: 'closed', url: resources.csms.url });
    }
  } catch (error) {
    events.emit({
      type: 'error',
      message: `while stopping: ${error instanceof Error ? error.message : String(error)}`,
      fatal: false,
    });
  }
  events.emit({ type: 'exit', code, reason });
  return code;
}

/** Console lines from stdin, in order, into the station's queue; stdin's end does not stop the station. */
function readLines(stdin: Readable, station: { submit(line: string): Promise<void> }, events: CliEventSink) {
  const rl = createInterface({ input: stdin, crlfDelay: Infinity, terminal: false });
  let closedByUs = false;
  rl.on('line', (line) => void station.submit(line));
  rl.on('close', () => {
    if (!closedByUs) events.emit({ type: 'input', state: 'closed' });
  });
  return {
    close() {
      closedByUs = true;
      rl.close();
    },
  };
}

/** `--replay`: stdin only ends the program (`quit`); there is no station to command. */
function readReplayLines(stdin: Readable, events: CliEventSink, quit: () => void) {
  const rl = createInterface({ input: stdin, crlfDelay: Infinity, terminal: false });
  rl.on('line', (raw) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (line.toLowerCase() === 'quit') {
      events.emit({ type: 'command', line, command: 'quit', ok: true, message: 'quit' });
      quit();
    } else
      events.emit({ type: 'command', line, ok: false, message: 'no station runs with --replay: only quit' });
  });
  return { close: () => rl.close() };
}

/**
 * The database file of each of this process's stations: `--db`, or with `--workers` each worker's
 * own file (workerDbPath); only this process's `--shard` block.
 */
function stationDatabases(options: CliOptions): Array<{ dbPath: string; ids: string[] }> {
  if (options.count === 1) return [{ dbPath: options.dbPath, ids: [options.stationId] }];
  const range = processRange(options.count, options.shard);
  const workers = Math.max(1, Math.min(options.workers ?? 1, range.last - range.first + 1));
  return Array.from({ length: workers }, (_, k) => {
    const block = workers > 1 ? blockOf(range, k, workers) : range;
    return {
      dbPath: workers > 1 ? workerDbPath(options.dbPath, k, workers) : options.dbPath,
      ids: Array.from({ length: block.last - block.first + 1 }, (_, i) =>
        fleetIdentity(options.stationId, options.count, block.first + i),
      ),
    };
  });
}

/** The identities this run's stations have (`--behaviour` scripts name them). */
function runStationIds(options: CliOptions): Set<string> {
  if (options.count === 1) return new Set([options.stationId]);
  return new Set(
    Array.from({ length: options.count }, (_, i) => fleetIdentity(options.stationId, options.count, i + 1)),
  );
}

/**
 * Device-model values for every start: `--password`, the clock source for `--clock`, then each
 * `--set` in order (a later value for the same attribute wins).
 */
function startupOverrides(options: CliOptions): Array<{ ref: VariableRef; value: string }> {
  const byPath = new Map<string, { ref: VariableRef; value: string }>();
  const add = (ref: VariableRef, value: string) =>
    byPath.set(formatVariablePath({ attribute: 'Actual', ...ref }), { ref, value });
  if (options.password !== undefined) add(VARIABLES.basicAuthPassword, options.password);
  // --clock: the CSMS's time (BootNotification/Heartbeat currentTime) must not move the clock (B01.FR.06 / G02.FR.06 apply to a Heartbeat time source only).
  if (options.clockStart !== undefined) add(VARIABLES.timeSource, 'RealTimeClock');
  for (const set of options.sets) add(set.ref, set.value);
  return [...byPath.values()];
}
