/**
 * The messages between the CLI's main thread and its fleet worker threads (`--workers`): what a
 * worker is given at start, the console lines and the stop it receives, the events, counts and
 * requests it sends back. Everything here crosses a thread by structured clone: plain data only.
 */
import type { FirmwareDuringTransaction } from '../firmware/station-firmware.js';
import type { VariableRef } from '../runtime/ports.js';
import type { BehaviourSpec } from './behaviour-runner.js';
import type { CliCertificateOptions } from './cli-certificate-options.js';
import type { CliEventBody } from './cli-events.js';
import type { FleetCounts } from './cli-fleet.js';
import type { StationRange } from './fleet-shard.js';

/** `workerData` of a fleet worker. */
export interface FleetWorkerData {
  /** 0-based worker index, and how many workers the process runs. */
  index: number;
  workers: number;
  /** `--id` pattern, `--count` (the whole fleet), and the station numbers this worker runs. */
  pattern: string;
  count: number;
  range: StationRange;
  /** This worker's share of `--rate` (starts per second), undefined = no ramp. */
  rate: number | undefined;
  /** The worker's own SQLite file (`workerDbPath`). */
  dbPath: string;
  csmsUrl: string;
  overrides: Array<{ ref: VariableRef; value: string }>;
  clockStart: string | undefined;
  human: boolean;
  signingMeter: boolean;
  masterPassUi: boolean;
  /** `--firmware-during-tx`; the certificate options (plain data, parsed once in the main thread). */
  firmwareDuringTx?: FirmwareDuringTransaction;
  certificates?: CliCertificateOptions;
  /** `--behaviour` with the run's seed (the main thread announced it): the worker runs it for its stations. */
  behaviour?: { spec: BehaviourSpec; seed: number };
}

/** Main thread → worker. */
export type ToFleetWorker = { type: 'line'; line: string } | { type: 'stop' };

/** Worker → main thread. Port messages keep their order, so events come before `stopped`. */
export type FromFleetWorker =
  /** A station event, with the time of the worker's station clock when it happened. */
  | { type: 'event'; event: CliEventBody & { stationId?: string }; time: string }
  /** The worker's counts, sent when they change (at most twice a second). */
  | { type: 'counts'; counts: FleetCounts }
  /** A station ran `quit`: the whole process stops. */
  | { type: 'quit' }
  /** A station cannot go on (e.g. its reboot failed): the whole process stops with exit code 1. */
  | { type: 'fatal'; message: string; code?: string }
  /** Stopped cleanly; `counts` were taken just before the stations stopped (the summary's). */
  | { type: 'stopped'; counts: FleetCounts };
