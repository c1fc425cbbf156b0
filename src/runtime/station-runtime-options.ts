/**
 * What a StationRuntime (src/runtime/station-runtime.ts) is built from: the station's structure,
 * store, device model, clock and host callbacks, and the replaceable parts tests and hosts provide.
 */
import type { InspectionEvent, Observer } from 'xstate';
import type { TxSettings } from '../../machines/transaction-rules.js';
import type { LocalAuthorizationPort } from '../authorization/authorize-token.js';
import type { ChargePointCallbacks } from '../callbacks.js';
import type { StationClock } from '../clock.js';
import type { BootReasonEnumType } from '../generated/ocpp-types.js';
import type { StationEventSink } from '../events/station-event.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import type { SmartChargingRuntimeOptions } from '../smart-charging/station-smart-charging.js';
import type { StationDatabase } from '../store/database.js';
import type { CertificateStore } from '../security/certificate-store.js';
import type { StartupRoot } from '../security/startup-roots.js';
import type { DeviceModelPort } from './ports.js';
import type { TlsMaterial } from './session.js';
import type { TimerScheduler } from './timers.js';
import type { FirmwareOptions } from '../firmware/station-firmware.js';
import type { LogOptions } from '../logging/station-logs.js';

export interface StationRuntimeOptions {
  stationId: string;
  evses: readonly EvseStructure[];
  store: StationDatabase;
  deviceModel: DeviceModelPort;
  clock: StationClock;
  callbacks: ChargePointCallbacks;
  bootReason: BootReasonEnumType;
  /** Certificates given by the host, used alongside the certificate store's (not stored in it). */
  tls?: TlsMaterial;
  /** Where certificates and keys are kept; default: files next to the database (src/security/). */
  certificateStore?: CertificateStore;
  /** Roots installed at every start, as InstallCertificate would, before connecting (CLI `--install-cert`). */
  installRoots?: readonly StartupRoot[];
  /** Observer of every actor: a function or an xstate Observer (`inspector.inspect` of @statelyai/inspect). */
  inspect?: ((event: InspectionEvent) => void) | Observer<InspectionEvent>;
  /** Where the public events go (ChargePoint's bus, src/events/). */
  events?: StationEventSink;
  /** Where failures that reach nobody else are reported (default: console.error). */
  onError?: (error: unknown) => void;
  /** Random source for the reconnect back-off (Part 4 §5.3); replaceable in tests. */
  random?: () => number;
  /** Horizon and check interval of the host's composite schedules, report size (K). */
  smartCharging?: SmartChargingRuntimeOptions;
  /**
   * Seconds to wait before re-sending a BootNotification that got no answer (timeout, CALLERROR).
   * B01 error handling leaves the interval to the station; default 30.
   */
  bootRetryIntervalS?: number;
  /** Who starts and stops transactions: the library from TxStartPoint/TxStopPoint (default) or the host. */
  transactionControl?: TxSettings['control'];
  /** Timers of deadlines and retries; replaceable in tests. */
  timers?: TimerScheduler;
  /**
   * Replaces the station's own authorization cache and local list (`StationRuntime.authorization`)
   * as the port authorization consults and teaches (C10–C14).
   */
  localAuthorization?: LocalAuthorizationPort;
  /** L01–L04, N01: firmware directory, ManufacturerRootCertificates, file transfer trust. */
  firmware?: FirmwareOptions;
  /** N01: where the security and OCPP message logs are written, rotation. */
  logs?: LogOptions;
}
