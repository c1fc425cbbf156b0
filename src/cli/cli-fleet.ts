/**
 * `--count N`: N simulated stations in one process on one database, sharing one loaded device-model
 * configuration (src/fleet/station-fleet.ts). Starts ramp at `--rate` per second; console lines go
 * to one station (`@CP00002 plug 1`) or to every station (no prefix); every event carries its
 * `stationId`. Counts what a progress line and the summary show.
 */
import { deviceModelComponents } from '../charge-point-device-model.js';
import type { StationClock } from '../clock.js';
import type { FirmwareDuringTransaction } from '../firmware/station-firmware.js';
import type { VariableRef } from '../runtime/ports.js';
import type { StationDatabase } from '../store/database.js';
import type { TransactionEventEnumType } from '../generated/ocpp-types.js';
import { withStationId, type CliEventBody, type CliEventSink } from './cli-events.js';
import { fleetIdentity } from './fleet-ids.js';
import { DEFAULT_EVSES, SimulatedStation } from './simulated-station.js';
import type { ChargePointSource } from '../visualizer/charge-point-source.js';
import type { CliCertificateOptions } from './cli-certificate-options.js';

export interface CliFleetOptions {
  /** `--id` pattern and `--count`. */
  pattern: string;
  count: number;
  /**
   * The station numbers this fleet runs (1-based, inclusive): a `--shard` or worker block
   * (src/cli/fleet-shard.ts). Default: all of `1..count`.
   */
  range?: { first: number; last: number };
  /** Starts per second; undefined = as fast as the starts complete (bounded by {@link START_WINDOW}). */
  rate: number | undefined;
  store: StationDatabase;
  csmsUrl: string;
  overrides: Array<{ ref: VariableRef; value: string }>;
  clock: StationClock;
  /** Where events go (stationId added per station). */
  events: CliEventSink;
  /** Show each station event to people? Only errors and command results are, in a fleet. */
  human: boolean;
  onQuit: () => void;
  onFatal: (error: unknown) => void;
  signingMeter: boolean;
  masterPassUi: boolean;
  /** `--visualize`: the source each station reports its frames and actors to (src/cli/cli-visualizer.ts). */
  sourceFor?: (stationId: string) => ChargePointSource;
  /** `--firmware-during-tx` (default `download`). */
  firmwareDuringTx?: FirmwareDuringTransaction;
  /** `--install-cert`, `--client-cert`/`--client-key`, `--security-profile`: the same for every station. */
  certificates?: CliCertificateOptions;
  /** A station has started (first start only): `--behaviour` begins there. */
  onStarted?: (stationId: string, station: SimulatedStation) => void;
}

/** What the progress line and the summary show. */
export interface FleetCounts {
  stations: number;
  started: number;
  connected: number;
  booted: number;
  charging: number;
  /** TransactionEvents Started / Ended the stations decided (queued; offline ones included). */
  transactionsStarted: number;
  transactionsEnded: number;
  errors: number;
  /** OCPP frames both ways since the start. */
  messages: number;
}

/** Most station starts in progress at once (a listen backlog and a CSMS are finite). */
const START_WINDOW = 200;

/**
 * @example
 * const fleet = await CliFleet.create({ pattern: 'CP%05d', count: 100, rate: 20, store, csmsUrl, overrides: [], clock, events, human: false, onQuit, onFatal, signingMeter: false, masterPassUi: false });
 * await fleet.start();
 * await fleet.submit('@CP00007 plug 1');
 * await fleet.stop();
 */
export class CliFleet {
  private readonly connected = new Set<string>();
  private readonly booted = new Set<string>();
  private errors = 0;
  private messages = 0;
  private transactionsStarted = 0;
  private transactionsEnded = 0;
  /** Stations whose start has been run (successfully), in start order. */
  private readonly startedIds = new Set<string>();
  private stopping = false;

  private constructor(
    private readonly options: CliFleetOptions,
    readonly stations: ReadonlyMap<string, SimulatedStation>,
  ) {}

  /** Loads the configuration once, then each station's simulated hardware. */
  static async create(options: CliFleetOptions): Promise<CliFleet> {
    const components = await deviceModelComponents({ evses: [...DEFAULT_EVSES] });
    const stations = new Map<string, SimulatedStation>();
    // The fleet counts its stations' events; it exists once they are all created.
    const made: { fleet?: CliFleet } = {};
    const counting = (id: string): CliEventSink => {
      const tagged = withStationId(options.events, id);
      return {
        emit: (event) => {
          made.fleet?.count(id, event);
          // People see errors and command results; of the behaviour's steps only those refused.
          const shown =
            event.type === 'error' || (event.type === 'command' && !(event.behaviour === true && event.ok));
          if (!options.human || shown) tagged.emit(event);
        },
      };
    };
    const { first, last } = options.range ?? { first: 1, last: options.count };
    for (let n = first; n <= last; n++) {
      const stationId = fleetIdentity(options.pattern, options.count, n);
      stations.set(
        stationId,
        await SimulatedStation.create({
          stationId,
          store: options.store,
          csmsUrl: options.csmsUrl,
          overrides: options.overrides,
          clock: options.clock,
          events: counting(stationId),
          components,
          onQuit: options.onQuit,
          onFatal: options.onFatal,
          signingMeter: options.signingMeter,
          masterPassUi: options.masterPassUi,
          ...(options.sourceFor ? { source: options.sourceFor(stationId) } : {}),
          ...(options.firmwareDuringTx ? { firmwareDuringTx: options.firmwareDuringTx } : {}),
          ...(options.certificates ? { certificates: options.certificates } : {}),
          onTransaction: (eventType) => made.fleet?.countTransaction(eventType),
        }),
      );
    }
    made.fleet = new CliFleet(options, stations);
    return made.fleet;
  }

  /** Starts every station, at most `rate` per second; resolves once all have started (or failed). */
  async start(): Promise<void> {
    const queue = [...this.stations];
    const t0 = Date.now();
    let next = 0;
    const { rate } = this.options;
    const worker = async () => {
      while (next < queue.length && !this.stopping) {
        const index = next++;
        const [stationId, station] = queue[index] as [string, SimulatedStation];
        if (rate !== undefined) {
          // The ramp: station i starts no earlier than i / rate seconds after the first.
          const due = t0 + (index / rate) * 1000;
          if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
        }
        if (this.stopping) return;
        try {
          await station.start();
          this.startedIds.add(stationId);
          this.options.onStarted?.(stationId, station);
        } catch (error) {
          this.errors++;
          withStationId(this.options.events, stationId).emit({
            type: 'error',
            message: error instanceof Error ? error.message : String(error),
            fatal: false,
          });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(START_WINDOW, queue.length) }, worker));
  }

  /**
   * A console line: `@<stationId> <command>` runs on that station; a line without `@` runs on
   * every station (`quit` then stops the process).
   */
  async submit(line: string): Promise<void> {
    const text = line.trim();
    const match = /^@(\S+)\s*(.*)$/.exec(text);
    if (match === null) {
      if (text === 'quit' && this.startedIds.size === 0) {
        this.options.onQuit();
        return;
      }
      // Every station that has started; `quit` also stops the process (through onQuit).
      await Promise.all([...this.startedIds].map((id) => this.stations.get(id)?.submit(text)));
      return;
    }
    const [, id = '', command = ''] = match;
    const station = this.stations.get(id);
    if (station === undefined) {
      const ids = [...this.stations.keys()];
      this.options.events.emit({
        type: 'command',
        line: text,
        ok: false,
        message: `no station ${JSON.stringify(id)} in this fleet (${ids[0]} .. ${ids.at(-1)})`,
      });
      return;
    }
    if (!this.startedIds.has(id)) {
      this.options.events.emit({
        type: 'command',
        line: text,
        ok: false,
        message: `station ${id} has not started yet (the --rate ramp)`,
      });
      return;
    }
    await station.submit(command);
  }

  /** Writes the moving meters of every station. */
  async flushMeters(): Promise<void> {
    await Promise.all([...this.stations.values()].map((station) => station.flushMeters()));
  }

  /** Stops every station; the database stays open. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.stations.values()].map((station) => station.stop()));
  }

  counts(): FleetCounts {
    let charging = 0;
    for (const station of this.stations.values()) if (station.hardware.charging) charging++;
    return {
      stations: this.stations.size,
      started: this.startedIds.size,
      connected: this.connected.size,
      booted: this.booted.size,
      charging,
      transactionsStarted: this.transactionsStarted,
      transactionsEnded: this.transactionsEnded,
      errors: this.errors,
      messages: this.messages,
    };
  }

  private countTransaction(eventType: TransactionEventEnumType): void {
    if (eventType === 'Started') this.transactionsStarted++;
    else if (eventType === 'Ended') this.transactionsEnded++;
  }

  private count(stationId: string, event: CliEventBody): void {
    switch (event.type) {
      case 'ocpp':
        this.messages++;
        break;
      case 'connection':
        if (event.connected) this.connected.add(stationId);
        else this.connected.delete(stationId);
        break;
      case 'registration':
        if (event.status === 'Accepted') this.booted.add(stationId);
        else this.booted.delete(stationId);
        break;
      case 'station':
        if (event.state === 'stopping') this.booted.delete(stationId);
        break;
      case 'error':
        this.errors++;
        break;
      default:
        break;
    }
  }
}
