/**
 * ChargePoint: the public facade. It opens the store, loads the device model, starts the station
 * runtime and turns the host's hardware events into statechart events. Callbacks and handler names
 * follow EVerest libocpp's `ocpp::v2::ChargePoint` in camelCase (docs/callbacks.md).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InspectionEvent } from 'xstate';
import type { ChargePointCallbacks } from './callbacks.js';
import { createStationClock, type StationClock } from './clock.js';
import {
  DeviceModel,
  DeviceModelWarning,
  loadComponentConfig,
  type LoadedComponent,
} from './device-model/index.js';
import type {
  BootReasonEnumType,
  ConnectorStatusEnumType,
  GetCompositeScheduleRequest,
  GetCompositeScheduleResponse,
  NotifyEVChargingNeedsRequest,
} from './generated/ocpp-types.js';
import type { EvseStructure } from './handlers/handler-context.js';
import type { RegistrationStatus } from '../machines/boot.js';
import type { VariableRef } from './runtime/ports.js';
import { bootReasonOfStart, type BootReasonOfStart } from './runtime/boot-reason.js';
import { configurationProblems } from './runtime/configuration-check.js';
import { deriveStationValues } from './runtime/derived-values.js';
import { applyCsmsUrl, networkSettingsValidator } from './runtime/network-profiles.js';
import { settingsValidator } from './runtime/setting-rules.js';
import type { TlsMaterial } from './runtime/session.js';
import { VARIABLES } from './runtime/settings.js';
import { StationRuntime } from './runtime/station-runtime.js';
import type { CompositeScheduleDetails } from './smart-charging/index.js';
import type { ExternalLimit, ExternalLimitSource } from './smart-charging/external-limits.js';
import type {
  EvChargingNeedsResult,
  EvChargingScheduleInput,
  EvChargingScheduleResult,
} from './smart-charging/iso15118-sessions.js';
import type { ExternalLimitResult } from './smart-charging/external-limit-control.js';
import type {
  CompositeSchedulesOptions,
  SmartChargingRuntimeOptions,
} from './smart-charging/station-smart-charging.js';
import { openStationDatabase, type StationDatabase } from './store/database.js';
import type { LocalAuthorizationPort } from './authorization/authorize-token.js';
import type { AuthorizationData } from './authorization/authorization-data.js';
import { TokenPresentation, type MasterPassChoice } from './authorization/token-presentation.js';
import type { TimerScheduler } from './runtime/timers.js';
import { HostEvents } from './transactions/host-events.js';
import { ChargePointSessions } from './charge-point-sessions.js';
import type { ReservationInfo } from './reservations/reservation-port.js';

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
  callbacks?: ChargePointCallbacks;
  clock?: StationClock;
  tls?: TlsMaterial;
  /** Observer of every actor (Stately inspector or any `(event) => void`). */
  inspect?: (event: InspectionEvent) => void;
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
}

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
export class ChargePoint extends ChargePointSessions {
  readonly clock: StationClock;
  private store: StationDatabase | null = null;
  private ownsStore = false;
  private model: DeviceModel | null = null;
  private runtime: StationRuntime | null = null;
  private boot: BootReasonOfStart | null = null;
  private starting: Promise<void> | null = null;
  protected readonly host: HostEvents;
  protected readonly presentation: TokenPresentation;

  constructor(private readonly options: ChargePointOptions) {
    super();
    this.clock = options.clock ?? createStationClock();
    this.host = new HostEvents(() => this.station, options.evses);
    this.presentation = new TokenPresentation({
      evses: options.evses,
      session: (evseId) => this.station.openSession(evseId),
      connectorStatus: (evseId, connectorId) => this.station.connectorStatus(evseId, connectorId),
      authorize: (idToken) => this.station.authorize(idToken),
      send: (event) => this.station.send(event),
      nowIso: () => this.clock.nowIso(),
      energyWh: (evseId) => this.station.meters.energyWh(evseId),
      releaseHeldCable: (idToken) => this.station.releaseHeldCable(idToken),
      known: (idToken) => this.station.knownToken(idToken),
      masterPassGroupId: () =>
        this.station.options.deviceModel.get({ component: 'AuthCtrlr', variable: 'MasterPassGroupId' }) || undefined,
      ...(options.callbacks?.masterPassUiCallback
        ? { showMasterPassUi: (choice: MasterPassChoice) => this.station.options.callbacks.masterPassUiCallback?.(choice) }
        : {}),
      reservations: {
        check: (evseId, idToken, groupIdToken) => this.station.reservations.check(evseId, idToken, groupIdToken),
        reservedEvseFor: (idToken, groupIdToken) => this.station.reservations.reservedEvseFor(idToken, groupIdToken),
      },
    });
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
    } finally {
      this.starting = null;
    }
  }

  private async startOnce(): Promise<void> {
    const { options } = this;
    if (typeof options.database === 'string') {
      this.store = await openStationDatabase(options.database);
      this.ownsStore = true;
    } else {
      this.store = options.database;
    }
    const report = options.onError ?? ((e: unknown) => console.error('[ocpp-station]', e));
    try {
      const components = [
        ...(options.deviceModel?.components === undefined || options.deviceModel.configDir !== undefined
          ? await loadComponentConfig(options.deviceModel?.configDir ?? DEFAULT_CONFIG_DIR, options.evses, {
              // The shipped default follows `evses`; a user's own config must agree with them.
              evseStructure: options.deviceModel?.configDir === undefined ? 'adapt' : 'strict',
            })
          : []),
        ...(options.deviceModel?.components ?? []),
      ];
      this.model = await DeviceModel.open({
        store: this.store,
        stationId: options.stationId,
        components,
        overrides: [...this.builtInOverrides(), ...(options.deviceModel?.overrides ?? [])],
        now: () => this.clock.nowIso(),
        // Stored CSMS/host values the configuration no longer allows are dropped, and reported.
        onWarning: (message) => report(new DeviceModelWarning(message)),
      });
      // ClockCtrlr.DateTime, ChargingStation.Model/VendorName, InternalCtrlr.ChargePointId are facts.
      deriveStationValues(this.model, { clock: this.clock, stationId: options.stationId });
      // B10.FR.02: a SetVariables cannot point the station at slots without a valid profile.
      this.model.addValidator(networkSettingsValidator(this.model));
      // B05.FR.07/08: nor write a value that would break it (src/runtime/setting-rules.ts).
      this.model.addValidator(settingsValidator);
      // Slot 1's URL only, as a host write: profiles the CSMS stored in other slots (B09.FR.01) and
      // its NetworkConfigurationPriority survive the restart (B10.FR.04).
      if (options.csmsUrl !== undefined) await applyCsmsUrl(this.model, options.csmsUrl);
      // Stored values that would: the readers clamp or fall back, and this says so once.
      for (const problem of configurationProblems(this.model)) report(problem);
      // B01.FR.09: the recorded reason is forgotten only once a BootNotification is Accepted.
      this.boot = await bootReasonOfStart({
        db: this.store.db,
        stationId: options.stationId,
        callbacks: options.callbacks ?? {},
        onError: report,
        ...(options.bootReason === undefined ? {} : { given: options.bootReason }),
      });
      this.runtime = new StationRuntime({
        stationId: options.stationId,
        evses: options.evses,
        store: this.store,
        deviceModel: this.model,
        clock: this.clock,
        callbacks: this.boot.callbacks,
        bootReason: this.boot.reason,
        ...(options.tls ? { tls: options.tls } : {}),
        ...(options.inspect ? { inspect: options.inspect } : {}),
        ...(options.onError ? { onError: options.onError } : {}),
        ...(options.smartCharging ? { smartCharging: options.smartCharging } : {}),
        ...(options.bootRetryIntervalS === undefined
          ? {}
          : { bootRetryIntervalS: options.bootRetryIntervalS }),
        ...(options.transactionControl ? { transactionControl: options.transactionControl } : {}),
        ...(options.localAuthorization ? { localAuthorization: options.localAuthorization } : {}),
        ...(options.timers ? { timers: options.timers } : {}),
      });
      await this.runtime.start();
    } catch (error) {
      await this.teardown();
      throw error;
    }
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
   * The composite schedule of the grid connection (EVSE 0) and of every EVSE from now, with the
   * source of each period: the limits the host applies (libocpp get_all_composite_schedules). The
   * host is told of every change through compositeSchedulesChangedCallback.
   *
   * @example
   * for (const { schedule } of station.getCompositeSchedules({ duration: 3600, chargingRateUnit: 'A' })) {
   *   hardware.setLimit(schedule.evseId, schedule.chargingSchedulePeriod[0].limit);
   * }
   */
  getCompositeSchedules(options: CompositeSchedulesOptions = {}): CompositeScheduleDetails[] {
    return this.station.smartCharging.compositeSchedules(options);
  }

  /**
   * K08: a composite schedule as GetCompositeSchedule computes it (libocpp get_composite_schedule).
   *
   * @example
   * station.getCompositeSchedule({ evseId: 1, duration: 600, chargingRateUnit: 'A' }).schedule?.chargingSchedulePeriod;
   */
  getCompositeSchedule(request: GetCompositeScheduleRequest): GetCompositeScheduleResponse {
    return this.station.smartCharging.getCompositeSchedule(request);
  }

  /**
   * K11/K12: an external system (EMS, SO, Other) set or changed a limit on the station (evseId 0) or
   * one EVSE. It caps the composite schedules and, when it changed by more than
   * LimitChangeSignificance, is sent to the CSMS in NotifyChargingLimitRequest. Beyond libocpp.
   *
   * @example
   * await station.onExternalLimit({ evseId: 0, source: 'SO', limit: 40, unit: 'A', isGridCritical: true });
   */
  onExternalLimit(limit: ExternalLimit): Promise<ExternalLimitResult> {
    return this.station.smartCharging.setExternalLimit(limit);
  }

  /**
   * K13: the external system released its limit; ClearedChargingLimitRequest is sent. Beyond libocpp.
   *
   * @example
   * await station.onExternalLimitCleared(0, 'SO'); // true: it was set and is now released
   */
  onExternalLimitCleared(evseId: number, source: ExternalLimitSource = 'EMS'): Promise<boolean> {
    return this.station.smartCharging.clearExternalLimit(evseId, source);
  }

  /**
   * K15/K17: the EV's ISO 15118 charging needs (ChargeParameterDiscoveryReq) for the CSMS (libocpp on_ev_charging_needs).
   *
   * @example
   * const { status } = await station.onEvChargingNeeds({ evseId: 1, chargingNeeds: { requestedEnergyTransfer: 'DC', dcChargingParameters: { evMaxCurrent: 125, evMaxVoltage: 450 } } });
   */
  onEvChargingNeeds(request: NotifyEVChargingNeedsRequest): Promise<EvChargingNeedsResult> {
    return this.station.smartCharging.iso15118.chargingNeeds(request);
  }

  /**
   * K15–K17: the schedule the EV chose (PowerDeliveryReq): checked, applied, sent. Beyond libocpp.
   *
   * @example
   * const result = await station.onEvChargingSchedule({ evseId: 1, chargingSchedule: evProfile });
   * if (result.status === 'OutOfBounds') iso15118.rejectPowerDelivery(); // K15.FR.09
   */
  onEvChargingSchedule(input: EvChargingScheduleInput): Promise<EvChargingScheduleResult> {
    return this.station.smartCharging.iso15118.chargingSchedule(input);
  }

  /** stationId becomes configuration of the device model. */
  private builtInOverrides(): Array<{ ref: VariableRef; value: string }> {
    return [{ ref: VARIABLES.identity, value: this.options.stationId }];
  }
}
