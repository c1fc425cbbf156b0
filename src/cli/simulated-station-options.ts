/**
 * What a simulated station is built with (simulated-station.ts): its EVSEs, store, CSMS, clock,
 * event sink and the CLI options that shape it.
 */
import type { InspectionEvent, Observer } from 'xstate';
import type { StationClock } from '../clock.js';
import type { TransactionEventEnumType } from '../generated/ocpp-types.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import type { LoadedComponent } from '../device-model/index.js';
import type { VariableRef } from '../runtime/ports.js';
import type { StationDatabase } from '../store/database.js';
import type { FirmwareDuringTransaction } from '../firmware/station-firmware.js';
import type { ChargePointSource } from '../visualizer/charge-point-source.js';
import type { CliEventSink } from './cli-events.js';
import type { CliCertificateOptions } from './cli-certificate-options.js';

/** The default simulated station: 2 EVSEs with 1 connector each (the shipped example device model). */
export const DEFAULT_EVSES: readonly EvseStructure[] = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

/** What a SimulatedStation (simulated-station.ts) runs with; the CLI fills it from its options. */
export interface SimulatedStationOptions {
  stationId: string;
  evses?: readonly EvseStructure[];
  /** The open station database (the CLI owns it; it stays open across reboots). */
  store: StationDatabase;
  csmsUrl: string;
  /** Device-model values applied at every start (`--set`, `--password`, `--clock`). */
  overrides: Array<{ ref: VariableRef; value: string }>;
  /** One clock for the whole process: it keeps running across reboots. */
  clock: StationClock;
  events: CliEventSink;
  /** Component config directory; default: the shipped example. */
  configDir?: string;
  /**
   * A fleet's loaded configuration (src/fleet/station-fleet.ts), shared by its stations instead
   * of each reading `configDir` at every boot.
   */
  components?: readonly LoadedComponent[];
  /** `quit` was executed: the host stops the process. */
  onQuit: () => void;
  /** A reboot failed: the station cannot run any more. */
  onFatal: (error: unknown) => void;
  /** `--signing-meter`: the meters sign their readings. */
  signingMeter?: boolean;
  /** `--master-pass-ui`: the station has a UI for the master pass (C16.FR.01). */
  masterPassUi?: boolean;
  /** `--inspect`: the observer of every actor (the Stately inspector's `inspector.inspect`). */
  inspect?: Observer<InspectionEvent>;
  /** Hears every ChargePoint's frames and actors (the `state` events, the visualizer). */
  source?: ChargePointSource;
  /** `--firmware-during-tx`: what the station can do while a transaction runs (default `download`). */
  firmwareDuringTx?: FirmwareDuringTransaction;
  /** `--install-cert`, `--client-cert`/`--client-key`, `--security-profile` (given at every boot). */
  certificates?: CliCertificateOptions;
  /** Hears each TransactionEvent the station decided (queued, also offline): a fleet's counts. */
  onTransaction?: (eventType: TransactionEventEnumType) => void;
}
