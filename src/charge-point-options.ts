/**
 * What a ChargePoint (src/charge-point.ts) is created with, and the example device model it uses
 * when given none.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InspectionEvent, Observer } from 'xstate';
import type { LocalAuthorizationPort } from './authorization/authorize-token.js';
import type { ChargePointCallbacks } from './callbacks.js';
import type { StationClock } from './clock.js';
import type { LoadedComponent } from './device-model/index.js';
import type { BootReasonEnumType } from './generated/ocpp-types.js';
import type { EvseStructure } from './handlers/handler-context.js';
import type { VariableRef } from './runtime/ports.js';
import type { TlsMaterial } from './runtime/session.js';
import type { CertificateStore } from './security/certificate-store.js';
import type { StartupRoot } from './security/startup-roots.js';
import type { TimerScheduler } from './runtime/timers.js';
import type { SmartChargingRuntimeOptions } from './smart-charging/station-smart-charging.js';
import type { StationDatabase } from './store/database.js';
import type { FirmwareOptions } from './firmware/station-firmware.js';
import type { LogOptions } from './logging/station-logs.js';

/**
 * The example device model shipped with the package (2 EVSEs × 1 connector). As the default (no
 * `deviceModel.configDir`) it is a template: its EVSE and Connector components follow `evses`.
 */
export const DEFAULT_CONFIG_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  fileURLToPath(import.meta.url).includes(`${path.sep}dist${path.sep}`)
    ? '../../config/component-config'
    : '../config/component-config',
);

export interface ChargePointOptions {
  /** The station's identity (SecurityCtrlr.Identity, the last segment of the CSMS URL); keys its rows in the database. */
  stationId: string;
  /** EVSEs and their connectors, ids from 1. */
  evses: EvseStructure[];
  /** A SQLite file path, or an open database shared by a fleet. */
  database: string | StationDatabase;
  deviceModel?: {
    /**
     * Component config directory (`standardized/` + `custom/`); its EVSE/Connector components must
     * fit `evses`. Default: the shipped example, whose EVSE/Connector components follow `evses`.
     */
    configDir?: string;
    /** Components given in memory instead of (or on top of) a directory. */
    components?: LoadedComponent[];
    /** Values applied at start as configuration, ReadOnly ones included (CLI `--set`). */
    overrides?: Array<{ ref: VariableRef; value: string }>;
  };
  /** CSMS websocket URL for the first network profile slot (shortcut for overriding NetworkConnectionProfiles). */
  csmsUrl?: string;
  /**
   * The securityProfile of slot 1 with `csmsUrl` (CLI `--security-profile`): 1 needs ws://, 2 and 3
   * wss://. Default: 1 for ws://, 2 for wss:// (3 when slot 1 already has 3).
   */
  csmsSecurityProfile?: 1 | 2 | 3;
  callbacks?: ChargePointCallbacks;
  clock?: StationClock;
  /**
   * Certificates the host provides (CSMS root(s) for profiles 2/3; client certificate and key for 3).
   * They are used alongside the certificate store's and are not written to it; a certificate from
   * CertificateSigned (A02/A03) takes precedence over `cert`/`key` (docs/security.md).
   */
  tls?: TlsMaterial;
  /**
   * Where installed roots, the station's own certificates and their private keys are kept.
   * `store`: the host's own (HSM, TPM: src/security/certificate-store.ts); `directory`: the default
   * file store's directory. Default: `<database>.certificates/<stationId>` (docs/security.md).
   */
  certificates?: {
    store?: CertificateStore;
    directory?: string;
    /**
     * Roots installed at every start before the first connection, as an InstallCertificate would
     * install them (M05 rules; the same certificate again is skipped); one that is refused stops the
     * start with CertificateInstallError. The CLI's `--install-cert`.
     */
    install?: readonly StartupRoot[];
  };
  /**
   * Observer of every actor: `inspector.inspect` of @statelyai/inspect (docs/inspector.md) or any
   * `(event) => void`. Actors are named by their systemId (station, connection, boot, evse:1, ...).
   */
  inspect?: ((event: InspectionEvent) => void) | Observer<InspectionEvent>;
  /** Boot reason of this start; default: the one recorded before a reset, else PowerUp. */
  bootReason?: BootReasonEnumType;
  /** Failures that reach nobody else (default: console.error). */
  onError?: (error: unknown) => void;
  /** Composite schedules given to the host: horizon (s, default 86 400), re-check interval; report size. */
  smartCharging?: SmartChargingRuntimeOptions;
  /** Seconds before a BootNotification that got no answer (timeout, CALLERROR) is sent again; default 30. */
  bootRetryIntervalS?: number;
  /**
   * Who starts and stops transactions: 'library' (default) from TxStartPoint/TxStopPoint and the
   * hardware events, or 'host' with onTransactionStarted/onTransactionFinished (as with libocpp).
   */
  transactionControl?: 'library' | 'host';
  /**
   * Replaces the station's own authorization cache and local list (stored in `database`) as what
   * authorization consults and teaches (C10–C14). ClearCache/SendLocalList still act on the station's own.
   */
  localAuthorization?: LocalAuthorizationPort;
  /** Timers of the deadlines (tests pass a simulated clock's). */
  timers?: TimerScheduler;
  /**
   * Firmware updates (L01/L02, docs/firmware.md): where downloads go, the ManufacturerRootCertificates
   * (PEM) signed firmware must chain to, extra roots trusted for https file transfers.
   */
  firmware?: FirmwareOptions;
  /**
   * N01 (docs/logs.md): the security log and the OCPP message log GetLog uploads: directory (default
   * `<database>.logs/`), rotation size and file count; `ocppMessages: false` turns the message log off.
   */
  logs?: LogOptions;
}
