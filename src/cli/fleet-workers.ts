/**
 * `--workers W`: the main thread's side of a fleet split over W worker threads
 * (src/cli/fleet-worker.ts), each running a contiguous block of the station numbers on a SQLite file
 * of its own (src/cli/fleet-shard.ts). The main thread reads the console, routes `@id` lines to the
 * worker that owns the station and other lines to every worker, prints every event (one line each,
 * in the order each worker sent them), adds up the counts for the progress line and the summary,
 * and stops every worker cleanly. A worker that fails is reported as an `error` event; the others
 * run on.
 *
 * Threads, not processes: a thread starts without a second Node.js boot, shares the process's
 * signals (SIGINT/SIGTERM reach the main thread alone, which stops every worker) and its stdio, and
 * a message port keeps each worker's events in order.
 */
import type { Worker } from 'node:worker_threads';
import type { CliEventBody } from './cli-events.js';
import type { FleetCounts } from './cli-fleet.js';
import { fleetIdentity } from './fleet-ids.js';
import { startModuleWorker } from './module-worker.js';
import { blockOf, workerDbPath, type StationRange } from './fleet-shard.js';
import type {
  FleetStationSettings,
  FleetWorkerData,
  FromFleetWorker,
  ToFleetWorker,
} from './fleet-worker-protocol.js';

export interface WorkerFleetOptions extends FleetStationSettings {
  /** The station numbers this process runs (all, or its `--shard` block). */
  range: StationRange;
  /** Worker threads; at most one per station of `range`. */
  workers: number;
  /** `--rate` for this process: each worker ramps at its share of it. */
  rate: number | undefined;
  /** `--db`: worker k uses {@link workerDbPath}(dbPath, k, workers). */
  dbPath: string;
  /** Prints an event with the time it happened (the worker's station clock); undefined: now. */
  emit: (event: CliEventBody & { stationId?: string }, time?: string) => void;
  onQuit: () => void;
  /** A station's fatal error (its `code`, the error catalogue's, kept), or every worker failed. */
  onFatal: (error: Error) => void;
}

/** The worker thread: the built fleet-worker.js beside this file, or fleet-worker.ts from sources. */
function startWorker(workerData: FleetWorkerData): Worker {
  const entry = import.meta.url.endsWith('.ts') ? './fleet-worker.ts' : './fleet-worker.js';
  return startModuleWorker(new URL(entry, import.meta.url), workerData);
}

/** How long a stopping worker may take before it is terminated. */
const STOP_TIMEOUT_MS = 30_000;

interface Slot {
  index: number;
  range: StationRange;
  worker: Worker;
  counts: FleetCounts;
  state: 'running' | 'stopping' | 'stopped' | 'failed';
  exited: Promise<void>;
}

const noCounts = (stations: number): FleetCounts => ({
  stations,
  started: 0,
  connected: 0,
  booted: 0,
  charging: 0,
  errors: 0,
  messages: 0,
  transactionsStarted: 0,
  transactionsEnded: 0,
});

/**
 * @example
 * const fleet = WorkerFleet.create({ pattern: 'CP%05d', count: 1000, range: { first: 1, last: 1000 }, workers: 2, rate: 100, dbPath: '/data/fleet.db', csmsUrl, overrides: [], clockStart: undefined, human: false, signingMeter: false, masterPassUi: false, emit, onQuit, onFatal });
 * await fleet.submit('@CP00007 plug 1'); // to worker 0 (CP00001 .. CP00500)
 * await fleet.stop();
 * fleet.counts(); // the summary: every worker's counts added up
 */
export class WorkerFleet {
  private readonly slots: Slot[] = [];
  /** Station identity → index of the worker that runs it. */
  private readonly owner = new Map<string, number>();
  private readonly firstId: string;
  private readonly lastId: string;

  private constructor(private readonly options: WorkerFleetOptions) {
    const { range, pattern, count } = options;
    this.firstId = fleetIdentity(pattern, count, range.first);
    this.lastId = fleetIdentity(pattern, count, range.last);
  }

  /** Starts the worker threads; each starts its stations at once (ramped by its share of `rate`). */
  static create(options: WorkerFleetOptions): WorkerFleet {
    const fleet = new WorkerFleet(options);
    const size = options.range.last - options.range.first + 1;
    const workers = Math.max(1, Math.min(options.workers, size));
    for (let index = 0; index < workers; index++) {
      const range = blockOf(options.range, index, workers);
      for (let n = range.first; n <= range.last; n++)
        fleet.owner.set(fleetIdentity(options.pattern, options.count, n), index);
      fleet.spawn(index, workers, range);
    }
    return fleet;
  }

  private spawn(index: number, workers: number, range: StationRange): void {
    const o = this.options;
    const stations = range.last - range.first + 1;
    // Everything but the main thread's callbacks and this process's split crosses as it is.
    const {
      emit: _emit,
      onQuit: _onQuit,
      onFatal: _onFatal,
      range: _range,
      workers: _workers,
      rate: _rate,
      dbPath: _dbPath,
      ...settings
    } = o;
    const data: FleetWorkerData = {
      ...settings,
      index,
      workers,
      range,
      // Each worker ramps at its share, so the process as a whole starts `rate` stations per second.
      rate: o.rate === undefined ? undefined : (o.rate * stations) / (o.range.last - o.range.first + 1),
      dbPath: workerDbPath(o.dbPath, index, workers),
    };
    const worker = startWorker(data);
    const slot: Slot = {
      index,
      range,
      worker,
      counts: noCounts(stations),
      state: 'running',
      exited: new Promise((resolve) => worker.once('exit', () => resolve())),
    };
    this.slots.push(slot);
    worker.on('message', (message: FromFleetWorker) => this.receive(slot, message));
    worker.on('error', (error) => this.failed(slot, error.message));
    worker.on('exit', (code) => {
      if (slot.state === 'running') this.failed(slot, `the thread exited with code ${code}`);
      else if (slot.state === 'stopping') slot.state = 'stopped';
    });
  }

  private receive(slot: Slot, message: FromFleetWorker): void {
    switch (message.type) {
      case 'event':
        this.options.emit(message.event, message.time);
        break;
      case 'counts':
        slot.counts = message.counts;
        break;
      case 'stopped':
        slot.counts = message.counts;
        break;
      case 'quit':
        this.options.onQuit();
        break;
      case 'fatal':
        this.options.onFatal(
          Object.assign(new Error(message.message), message.code === undefined ? {} : { code: message.code }),
        );
        break;
    }
  }

  /** A worker ended unexpectedly: its stations are gone; the others run on. */
  private failed(slot: Slot, reason: string): void {
    if (slot.state === 'failed' || slot.state === 'stopped') return;
    slot.state = 'failed';
    slot.counts = { ...slot.counts, connected: 0, booted: 0, charging: 0, errors: slot.counts.errors + 1 };
    this.options.emit({
      type: 'error',
      message: `worker ${slot.index} (${this.idOf(slot.range.first)} .. ${this.idOf(slot.range.last)}) failed: ${reason}; its stations are not running, the other workers run on`,
      fatal: false,
    });
    if (this.slots.every((s) => s.state === 'failed'))
      this.options.onFatal(new Error(`every fleet worker failed (the last: ${reason})`));
  }

  private idOf(n: number): string {
    return fleetIdentity(this.options.pattern, this.options.count, n);
  }

  private send(slot: Slot, message: ToFleetWorker): void {
    slot.worker.postMessage(message);
  }

  /**
   * A console line: `@<stationId> <command>` goes to the worker that runs the station; a line
   * without `@` to every running worker (`quit` stops the process).
   *
   * @example
   * await fleet.submit('@CP00002 plug 1');
   */
  async submit(line: string): Promise<void> {
    const text = line.trim();
    const match = /^@(\S+)/.exec(text);
    const running = this.slots.filter((s) => s.state === 'running');
    if (match === null) {
      if (running.length === 0) {
        if (text === 'quit') this.options.onQuit();
        else this.answer(text, 'no station is running (every worker failed)');
        return;
      }
      for (const slot of running) this.send(slot, { type: 'line', line: text });
      return;
    }
    const id = match[1] as string;
    const index = this.owner.get(id);
    if (index === undefined) {
      this.answer(
        text,
        // As the single-thread fleet's answer; with --shard the range is this process's block.
        `no station ${JSON.stringify(id)} in this fleet (${this.firstId} .. ${this.lastId})`,
      );
      return;
    }
    const slot = this.slots[index] as Slot;
    if (slot.state !== 'running') {
      this.answer(text, `station ${id} is not running: its worker ${slot.index} ${slot.state}`);
      return;
    }
    this.send(slot, { type: 'line', line: text });
    await Promise.resolve();
  }

  private answer(line: string, message: string): void {
    this.options.emit({ type: 'command', line, ok: false, message });
  }

  /** Workers write their meters themselves (each on its own timer). */
  async flushMeters(): Promise<void> {}

  /** Stops every worker (each stops its stations and closes its database) and waits for them. */
  async stop(): Promise<void> {
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot.state === 'running') {
          slot.state = 'stopping';
          this.send(slot, { type: 'stop' });
          const timer = setTimeout(() => void slot.worker.terminate(), STOP_TIMEOUT_MS);
          await slot.exited;
          clearTimeout(timer);
        }
      }),
    );
  }

  /** Every worker's counts added up (after {@link stop}: those taken just before the stations stopped). */
  counts(): FleetCounts {
    const total = noCounts(0);
    for (const { counts } of this.slots)
      for (const key of Object.keys(total) as Array<keyof FleetCounts>) total[key] += counts[key];
    return total;
  }
}
