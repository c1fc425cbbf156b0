/**
 * ChargePoint: the public facade. It opens the store, loads the device model, starts the station
 * runtime and turns the host's hardware events into statechart events. Callbacks and handler names
 * follow EVerest libocpp's `ocpp::v2::ChargePoint` in camelCase (docs/callbacks.md).
 */
import {
  deviceModelComponents,
  deviceModelOverrides,
  prepareDeviceModel,
} from './charge-point-device-model.js';
import type { ChargePointOptions } from './charge-point-options.js';
import { createStationClock, type StationClock } from './clock.js';
import { DeviceModel, DeviceModelWarning } from './device-model/index.js';
import type {
  ConnectorStatusEnumType,
  DataTransferRequest,
  DataTransferResponse,
  FirmwareStatusEnumType,
  UploadLogStatusEnumType,
} from './generated/ocpp-types.js';
import type { RegistrationStatus } from '../machines/boot.js';
import { bootReasonOfStart, type BootReasonOfStart } from './runtime/boot-reason.js';
import { StationRuntime } from './runtime/station-runtime.js';
import { openStationDatabase, type StationDatabase } from './store/database.js';
import type { AuthorizationData } from './authorization/authorization-data.js';
import type { TokenPresentation } from './authorization/token-presentation.js';
import { HostEvents } from './transactions/host-events.js';
import { describeError } from './events/error-catalogue.js';
import { StationEventBus } from './events/event-bus.js';
import { checkHostClientCertificate } from './charge-point-security.js';
import { stationRuntimeOptions } from './charge-point-runtime-options.js';
import { chargePointTokenPresentation } from './charge-point-token-presentation.js';
import { ChargePointSmartCharging } from './charge-point-smart-charging.js';
import type { ReservationInfo } from './reservations/reservation-port.js';
import type { ScreenContent } from './runtime/station-user-interface.js';
import type { InstallOutcome } from './firmware/firmware-install.js';

export { DEFAULT_CONFIG_DIR, type ChargePointOptions } from './charge-point-options.js';

/**
 * An OCPP 2.0.1 charging station.
 *
 * @example
 * const cp = new ChargePoint({
 *   stationId: 'CS-001',
 *   evses: [{ id: 1, connectors: [{ id: 1 }] }, { id: 2, connectors: [{ id: 1 }] }],
 *   database: 'station.db',
 *   csmsUrl: 'ws://127.0.0.1:9000/ocpp',
 *   callbacks: { resetCallback: () => process.exit(0) },
 * });
 * await cp.start();
 * cp.onSessionStarted(1, 1); // EV plugged into EVSE 1
 */
export class ChargePoint extends ChargePointSmartCharging {
  readonly clock: StationClock;
  private store: StationDatabase | null = null;
  private ownsStore = false;
  private model: DeviceModel | null = null;
  private runtime: StationRuntime | null = null;
  private boot: BootReasonOfStart | null = null;
  private starting: Promise<void> | null = null;
  protected readonly host: HostEvents;
  /** Made on the first presented token: an idle fleet station never needs it (issue 9). */
  private tokenPresentation: TokenPresentation | null = null;
  protected readonly events: StationEventBus;

  constructor(private readonly options: ChargePointOptions) {
    super();
    this.clock = options.clock ?? createStationClock();
    this.events = new StationEventBus(() => this.clock.nowIso());
    this.host = new HostEvents(() => this.station, options.evses);
  }

  /**
   * The token presentations of this station (C01, C09, C16, E07), one at a time; created on first
   * use so that a station nobody presents a token to keeps no closures for it.
   *
   * @example
   * await this.presentation.present({ idToken: 'ABC', type: 'ISO14443' }, 1);
   */
  protected get presentation(): TokenPresentation {
    this.tokenPresentation ??= chargePointTokenPresentation(this, this.options);
    return this.tokenPresentation;
  }

  /**
   * Opens the store, loads and validates the device model, then connects and boots.
   *
   * @example
   * await station.start(); // throws DeviceModelConfigError / StoreError naming the file on bad input
   */
  async start(): Promise<void> {
    if (this.runtime || this.starting) throw new Error('ChargePoint already started');
    this.starting = this.startOnce();
    try {
      await this.starting;
    } catch (error) {
      // The start failed: the station cannot run (DeviceModelConfigError, StoreError, ...).
      this.emitError(error, true);
      throw error;
    } finally {
      this.starting = null;
    }
  }

  private async startOnce(): Promise<void> {
    const { options } = this;
    // A00.FR.407: the host's client certificate and key, checked before anything connects.
    checkHostClientCertificate(options.tls);
    if (typeof options.database === 'string') {
      this.store = await openStationDatabase(options.database);
      this.ownsStore = true;
    } else {
      this.store = options.database;
    }
    const onError = options.onError ?? ((e: unknown) => console.error('[ocpp-station]', e));
    const report = (error: unknown) => {
      this.emitError(error);
      onError(error);
    };
    try {
      this.model = await DeviceModel.open({
        store: this.store,
        stationId: options.stationId,
        components: await deviceModelComponents(options),
        overrides: deviceModelOverrides(options),
        now: () => this.clock.nowIso(),
        // Stored CSMS/host values the configuration no longer allows are dropped, and reported.
        onWarning: (message) => report(new DeviceModelWarning(message)),
      });
      await prepareDeviceModel(this.model, options, this.clock, report);
      // B01.FR.09: the recorded reason is forgotten only once a BootNotification is Accepted.
      this.boot = await bootReasonOfStart({
        db: this.store.db,
        stationId: options.stationId,
        callbacks: options.callbacks ?? {},
        onError: report,
        ...(options.bootReason === undefined ? {} : { given: options.bootReason }),
      });
      this.runtime = new StationRuntime(
        stationRuntimeOptions(options, {
          store: this.store,
          deviceModel: this.model,
          clock: this.clock,
          boot: this.boot,
          events: this.events,
        }),
      );
      await this.runtime.start();
    } catch (error) {
      await this.teardown();
      throw error;
    }
  }

  /** An `error` event (docs/errors.md) for a failure reported while starting. */
  private emitError(error: unknown, fatal = false): void {
    this.events.emit({ type: 'error', ...describeError(error, { fatal }), cause: error });
  }

  /**
   * Disconnects and stops every actor; durable messages stay queued in the store.
   *
   * @example
   * await station.stop();
   */
  async stop(): Promise<void> {
    // A stop during start waits for the start to finish (or fail) so nothing is left running.
    await this.starting?.catch(() => undefined);
    await this.teardown();
  }

  private async teardown(): Promise<void> {
    await this.runtime?.stop();
    this.runtime = null;
    await this.boot?.settled();
    this.boot = null;
    if (this.ownsStore) await this.store?.close();
    this.store = null;
    this.model = null;
  }

  /**
   * Registration status from the last BootNotificationResponse ('Unknown' before the first).
   *
   * @example
   * if (station.registrationStatus === 'Accepted') console.log('registered');
   */
  get registrationStatus(): RegistrationStatus {
    return this.runtime?.registration ?? 'Unknown';
  }

  /**
   * Is the websocket to the CSMS open?
   *
   * @example
   * station.isConnected; // true once the websocket is up
   */
  get isConnected(): boolean {
    return this.runtime?.connected ?? false;
  }

  /**
   * The device model (read variables, or write them as the host).
   *
   * @example
   * station.deviceModel.getInteger({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' });
   */
  get deviceModel(): DeviceModel {
    if (!this.model) throw new Error('ChargePoint not started');
    return this.model;
  }

  /**
   * The running station (root actor and queue); for inspection and tests.
   *
   * @example
   * station.station.station.system.get('connector:1:1')?.getSnapshot();
   */
  protected get running(): StationRuntime | null {
    return this.runtime;
  }

  get station(): StationRuntime {
    if (!this.runtime) throw new Error('ChargePoint not started');
    return this.runtime;
  }

  /**
   * The station's Authorization Cache and Local Authorization List (C10/C11, D01/D02): sizes,
   * version, lookups without side effects (`localEntry`). Throws when not started.
   *
   * @example
   * station.authorizationData.localEntry({ idToken: '04A2B3C4', type: 'ISO14443' })?.info.groupIdToken;
   */
  get authorizationData(): AuthorizationData {
    return this.station.authorization;
  }

  /**
   * The version of the Local Authorization List as GetLocalListVersion reports it (D02: 0 when
   * disabled or never sent); 0 when not started.
   *
   * @example
   * station.localListVersion(); // 3
   */
  localListVersion(): number {
    return this.runtime?.authorization.localListVersion() ?? 0;
  }

  /**
   * Entries in the Authorization Cache (C10); 0 when not started.
   *
   * @example
   * station.authCacheSize(); // 12
   */
  authCacheSize(): number {
    return this.runtime?.authorization.cacheSize() ?? 0;
  }

  /**
   * Current OCPP status of a connector (G01).
   *
   * @example
   * station.connectorStatus(1, 1); // 'Available'
   */
  connectorStatus(evseId: number, connectorId: number): ConnectorStatusEnumType | undefined {
    return this.runtime?.connectorStatus(evseId, connectorId);
  }

  /**
   * H01: the active reservations (owned by the station's `reservation:<id>` actors), by id; empty
   * before start.
   *
   * @example
   * for (const r of station.reservations()) console.log(r.id, r.evseId ?? 'any EVSE', r.expiryDateTime);
   */
  reservations(): ReservationInfo[] {
    return this.runtime?.reservations.list() ?? [];
  }

  /**
   * L01/L02: the host reports how an installation it started (installFirmwareCallback resolved with
   * nothing) ended. Returns false when no installation of `requestId` is waiting for its outcome.
   *
   * @example
   * station.onFirmwareInstalled(7, 'RebootRequired'); // InstallRebooting, then a reboot into it
   */
  onFirmwareInstalled(requestId: number, outcome: InstallOutcome): boolean {
    return this.runtime?.firmware.installed(requestId, outcome) ?? false;
  }

  /**
   * libocpp's on_firmware_update_status_notification: a host that carries out firmware updates
   * itself (updateFirmwareRequestCallback without installFirmwareCallback) reports each step; it is
   * sent as FirmwareStatusNotification (without requestId when `requestId` is -1). Throws when not started.
   *
   * @example
   * station.onFirmwareUpdateStatusNotification(7, 'Downloading');
   */
  onFirmwareUpdateStatusNotification(requestId: number, status: FirmwareStatusEnumType): void {
    this.station.firmware.hostStatus(requestId, status);
  }

  /**
   * libocpp's on_log_status_notification: a host that uploads logs itself (getLogRequestCallback)
   * reports each step; sent as LogStatusNotification. Throws when not started.
   *
   * @example
   * station.onLogStatusNotification('Uploaded', 3);
   */
  onLogStatusNotification(status: UploadLogStatusEnumType, requestId: number): void {
    this.station.logUpload.hostStatus(status, requestId);
  }

  /**
   * A security event detected by the host (A04): logged through securityEventCallback and, when
   * critical, sent to the CSMS with guaranteed delivery.
   *
   * @example
   * await station.onSecurityEvent('TamperDetectionActivated', 'cover opened');
   */
  onSecurityEvent(eventType: string, techInfo?: string, critical = true): Promise<void> {
    return this.station.securityEvent(eventType, techInfo, critical);
  }

  /**
   * Closes the websocket and stays offline until `connectWebsocket` (libocpp disconnect_websocket).
   *
   * @example
   * station.disconnectWebsocket();
   */
  disconnectWebsocket(): void {
    this.runtime?.send({ type: 'connection.goOffline' });
  }

  /**
   * Connects now (after `disconnectWebsocket`, or skipping a back-off wait).
   *
   * @example
   * station.connectWebsocket();
   */
  connectWebsocket(): void {
    this.runtime?.send({ type: 'connection.goOnline' });
  }

  /**
   * P02: sends a DataTransferRequest to the CSMS and resolves with its DataTransferResponse (libocpp
   * data_transfer_req). Rejects with NotDeliveredError when it cannot be sent now (offline, not
   * Accepted; unless QueueAllMessages), with the CALLERROR the CSMS answered, or on timeout.
   *
   * @example
   * const { status, data } = await station.dataTransfer({ vendorId: 'com.example', messageId: 'ping' });
   */
  async dataTransfer(request: DataTransferRequest): Promise<DataTransferResponse> {
    return (await this.station.queue.send('DataTransfer', request)) as DataTransferResponse;
  }

  /**
   * What the station's screen shows now (library-owned display messages, O01–O06; tariff and cost, I01–I06):
   * the messages within their time window and the station's state, in display order, and the latest
   * tariff and cost texts. Empty before start.
   *
   * @example
   * for (const m of station.screen().messages) console.log(m.priority, m.message.content);
   */
  screen(): ScreenContent {
    return this.runtime?.userInterface.screen() ?? { messages: [], tariffCost: {} };
  }
}
