/**
 * The running station: the root actor with every effect provided, the outgoing queue, the RPC
 * session of the current connection and the device-model reactions. ChargePoint (the public facade)
 * owns one of these per start; a reboot builds a new one on the same store.
 */
import { createActor, type Actor, type InspectionEvent } from 'xstate';
import type { RegistrationStatus } from '../../machines/boot.js';
import type { ConnectionEvent } from '../../machines/connection.js';
import { connectorMachine } from '../../machines/connector.js';
import { evseActorId, type stationMachine, type StationEvent } from '../../machines/station.js';
import { evseMachine, type EvseContext } from '../../machines/evse.js';
import { transactionActorId, transactionMachine } from '../../machines/transaction.js';
import type { TransactionContext, TxSettings } from '../../machines/transaction-rules.js';
import {
  guardNotificationCallbacks,
  type ChargePointCallbacks,
  type MessageDirection,
} from '../callbacks.js';
import type { StationClock } from '../clock.js';
import type {
  AuthorizeResponse,
  BootReasonEnumType,
  ChargingProfileType,
  ConnectorStatusEnumType,
  IdTokenInfoType,
  IdTokenType,
  SecurityEventNotificationRequest,
} from '../generated/ocpp-types.js';
import { connectorActorId } from '../../machines/evse.js';
import {
  authorizeToken,
  type AuthorizationVerdict,
  type LocalAuthorizationPort,
} from '../authorization/authorize-token.js';
import { AuthorizationData } from '../authorization/authorization-data.js';
import type { EvseStructure, HandlerContext } from '../handlers/handler-context.js';
import { MessageQueue } from '../queue/message-queue.js';
import {
  StationSmartCharging,
  type SmartChargingRuntimeOptions,
} from '../smart-charging/station-smart-charging.js';
import { operativeAt } from '../store/availability.js';
import type { StationDatabase } from '../store/database.js';
import { setPendingBootReason } from '../store/station-state.js';
import { StationJournal } from '../store/journal.js';
import { StationMeters } from '../transactions/station-meters.js';
import { AlignedMeterValues } from '../transactions/aligned-meter-values.js';
import { AvailabilityStateMirror } from './availability-state.js';
import { rebootedItself } from './boot-reason.js';
import { isClosingConsequence } from './closing-consequence.js';
import { ConnectionSecurityEvents } from './connection-security-events.js';
import { createCallDispatcher, registrationGate } from './incoming.js';
import { priorityList, readNetworkProfiles, type NetworkProfileSlot } from './network-profiles.js';
import type { DeviceModelPort } from './ports.js';
import { provideStationMachine } from './provide-machines.js';
import type { Session, TlsMaterial } from './session.js';
import type { SocketHost } from './socket-actor.js';
import { readSettings, VARIABLES } from './settings.js';
import { machineVersion } from './restorable.js';
import { loadRestoredState } from './restore-state.js';
import { availabilitySeed, StationPersistence } from './station-persistence.js';
import { REAL_TIMERS, type TimerScheduler } from './timers.js';
import { TransactionEffects } from './transaction-effects.js';
import { readTxSettings, resumeTransactionsOnBoot, TX_SETTING_COMPONENTS } from './tx-settings.js';
import { reservationMachine, reservationActorId } from '../../machines/reservation.js';
import { loadReservations } from '../reservations/restore-reservations.js';
import { readConnectorTypes, reservationPort, type ReservationPort } from '../reservations/reservation-port.js';

/** The version stored with EVSE snapshots: a snapshot of other machines is not restored. */
export const EVSE_MACHINE_VERSION = machineVersion(evseMachine, connectorMachine, transactionMachine);
/** The version stored with reservation snapshots (H01–H04). */
export const RESERVATION_MACHINE_VERSION = machineVersion(reservationMachine);

export interface StationRuntimeOptions {
  stationId: string;
  evses: readonly EvseStructure[];
  store: StationDatabase;
  deviceModel: DeviceModelPort;
  clock: StationClock;
  callbacks: ChargePointCallbacks;
  bootReason: BootReasonEnumType;
  tls?: TlsMaterial;
  inspect?: (event: InspectionEvent) => void;
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
}

/** Boot reasons after which the station reports ResetOrReboot instead of StartupOfTheDevice. */
const RESET_REASONS: ReadonlySet<BootReasonEnumType> = new Set([
  'RemoteReset',
  'ScheduledReset',
  'LocalReset',
  'Triggered',
  'FirmwareUpdate',
  'ApplicationReset',
  'Watchdog',
]);

/**
 * @example
 * const runtime = new StationRuntime({ stationId, evses, store, deviceModel, clock, callbacks, bootReason: 'PowerUp' });
 * await runtime.start();
 */
export class StationRuntime {
  readonly queue: MessageQueue;
  readonly smartCharging: StationSmartCharging;
  readonly meters: StationMeters;
  readonly persistence: StationPersistence;
  /** The Authorization Cache and Local Authorization List (C10/C11, D01/D02), stored in SQLite. */
  readonly authorization: AuthorizationData;
  /** H01–H04: the active reservations and the token checks (src/reservations/reservation-port.ts). */
  readonly reservations: ReservationPort;
  private readonly journal: StationJournal;
  private readonly transactionEffects: TransactionEffects;
  private alignedMeterValues: AlignedMeterValues | null = null;
  private actor: Actor<typeof stationMachine> | null = null;
  private session: Session | null = null;
  private profiles: NetworkProfileSlot[] = [];
  /** performance.now() when the link went down: offline time is measured on a monotonic clock. */
  private lastDisconnectAt: number | null = null;
  private readonly connectionEvents = new ConnectionSecurityEvents();
  private readonly unsubscribe: Array<() => void> = [];
  /** Device-model AvailabilityState variables follow the statecharts. */
  private availabilityState: AvailabilityStateMirror | null = null;
  /** Once stopped, the consequences of our own closing are not reported; other failures still are. */
  private stopped = false;

  readonly options: StationRuntimeOptions;

  constructor(options: StationRuntimeOptions) {
    // Host callbacks run inside actions and socket listeners: a throwing one is reported, not fatal.
    this.options = {
      ...options,
      callbacks: guardNotificationCallbacks(options.callbacks, (e) => this.reportError(e)),
    };
    const dm = options.deviceModel;
    this.queue = new MessageQueue({
      db: options.store.db,
      stationId: options.stationId,
      clock: options.clock,
      settings: () => {
        const s = readSettings(dm);
        return {
          transactionAttempts: s.transactionAttempts,
          transactionAttemptIntervalS: s.transactionAttemptIntervalS,
          queueAllMessages: s.queueAllMessages,
        };
      },
      onError: (e) => this.reportError(e),
      onDiscarded: (action, _payload, error) =>
        this.reportError(new Error(`${action} discarded: ${String(error)}`)),
      onOwnedSettled: (message, outcome) => this.transactionEffects.settled(message, outcome),
    });
    const timers = options.timers ?? REAL_TIMERS;
    this.journal = new StationJournal(options.store, options.stationId, () => options.clock.nowIso());
    this.persistence = new StationPersistence({
      journal: this.journal,
      adopt: (messages) => this.queue.adopt(messages),
      evseIds: options.evses.map((e) => e.id),
      evse: (evseId) => this.actor?.system.get(evseActorId(evseId)),
      stationOperative: () => this.actor?.getSnapshot().context.stationOperative,
      machineVersion: EVSE_MACHINE_VERSION,
      nowIso: () => options.clock.nowIso(),
      reportError: (e) => this.reportError(e),
      timers,
      reservation: (id) => this.actor?.system.get(reservationActorId(id)),
      reservationMachineVersion: RESERVATION_MACHINE_VERSION,
    });
    this.reservations = reservationPort(() => this.actor?.getSnapshot().context, this.options.callbacks);
    this.meters = new StationMeters(
      dm,
      {
        insert: (transactionId, meterValue) =>
          this.persistence.meterValue({ kind: 'insert', transactionId, meterValueJson: JSON.stringify(meterValue) }),
        deleteAll: (transactionId) => this.persistence.meterValue({ kind: 'deleteAll', transactionId }),
      },
      (e) => this.reportError(e),
    );
    this.smartCharging = new StationSmartCharging({
      stationId: options.stationId,
      db: options.store.db,
      deviceModel: dm,
      clock: options.clock,
      callbacks: this.options.callbacks,
      queue: this.queue,
      evses: options.evses,
      reportError: (e) => this.reportError(e),
      ...options.smartCharging,
    });
    this.authorization = new AuthorizationData({
      stationId: options.stationId,
      db: options.store.db,
      deviceModel: dm,
      clock: options.clock,
      reportError: (e) => this.reportError(e),
    });
    this.transactionEffects = new TransactionEffects({
      persistence: this.persistence,
      meters: this.meters,
      callbacks: this.options.callbacks,
      smartCharging: this.smartCharging,
      clock: options.clock,
      connected: () => this.session !== null,
      actor: (systemId) => this.actor?.system.get(systemId),
      reportError: (e) => this.reportError(e),
      hostControl: () => this.transactionControl === 'host',
      // C10.FR.05: the TransactionEventResponse's idTokenInfo updates the cache.
      onIdTokenInfo: (request, response) => {
        if (request.idToken && response.idTokenInfo) this.localAuthorization.learned(request.idToken, response.idTokenInfo);
      },
    });
  }

  /** Who starts and stops transactions (ChargePointOptions.transactionControl). */
  get transactionControl(): TxSettings['control'] {
    return this.options.transactionControl ?? 'library';
  }

  /** OCPP status of a connector (G01), from its actor. */
  connectorStatus(evseId: number, connectorId: number): ConnectorStatusEnumType | undefined {
    const actor = this.actor?.system.get(connectorActorId(evseId, connectorId));
    return (actor?.getSnapshot() as { value?: { status?: ConnectorStatusEnumType } } | undefined)?.value?.status;
  }

  /** The cache and list authorization uses: the `localAuthorization` option, else the station's own. */
  private get localAuthorization(): LocalAuthorizationPort {
    return this.options.localAuthorization ?? this.authorization;
  }

  /** C01: the verdict on a token (cache/list seam, AuthorizeRequest, offline rules). */
  authorize(idToken: IdTokenType): Promise<AuthorizationVerdict> {
    return authorizeToken(
      {
        deviceModel: this.options.deviceModel,
        authorize: async (request) => (await this.queue.send('Authorize', request)) as AuthorizeResponse,
        online: () => this.session !== null && this.registration === 'Accepted',
        registration: () => this.registration,
        local: this.localAuthorization,
      },
      idToken,
    );
  }

  /**
   * What the local list (first, C13.FR.01) or the cache says of a token, without asking the CSMS
   * (C09.FR.07 group stops, C16.FR.04/05 master pass).
   */
  knownToken(idToken: IdTokenType): IdTokenInfoType | undefined {
    const local = this.options.localAuthorization;
    // The station's own data looks without counting a use of a cache entry.
    if (!local) return this.authorization.localEntry(idToken)?.info;
    return local.localListEntry(idToken) ?? local.cacheEntry(idToken);
  }

  /**
   * E05.FR.11 / E09.FR.03: the cable kept locked for this idToken is released (unlockConnectorCallback);
   * the EVSE and connector, or undefined when the token holds no cable.
   */
  async releaseHeldCable(idToken: IdTokenType): Promise<{ evseId: number; connectorId: number } | undefined> {
    const held = this.transactionEffects.takeHeldCable(idToken);
    if (!held) return undefined;
    await this.options.callbacks.unlockConnectorCallback?.(held.evseId, held.connectorId);
    return held;
  }

  /** K05/F01.FR.10: a RequestStartTransaction profile, installed once its transaction starts. */
  remoteStartProfile(transactionId: string, evseId: number, profile: ChargingProfileType): void {
    this.transactionEffects.remoteStartProfile(transactionId, evseId, profile);
  }

  /** Transaction settings of every EVSE now (device model), by EVSE id. */
  txSettings(): Record<string, TxSettings> {
    const control = this.options.transactionControl ?? 'library';
    return Object.fromEntries(
      this.options.evses.map((evse) => [String(evse.id), readTxSettings(this.options.deviceModel, evse, control)]),
    );
  }

  /**
   * Is a transaction running on this EVSE (or on any, when undefined)? Read from the EVSE actors,
   * which own the fact.
   */
  hasActiveTransaction(evseId?: number): boolean {
    const active = this.actor?.getSnapshot().context.activeEvses ?? [];
    return evseId === undefined ? active.length > 0 : active.includes(evseId);
  }

  /** The open session of an EVSE (its context), if any. */
  openSession(evseId: number): TransactionContext | undefined {
    const evse = this.actor?.system.get(evseActorId(evseId));
    const sessionId = (evse?.getSnapshot() as { context?: EvseContext } | undefined)?.context?.session;
    if (!sessionId) return undefined;
    return (this.actor?.system.get(transactionActorId(sessionId))?.getSnapshot() as { context?: TransactionContext } | undefined)
      ?.context;
  }

  /** Every open session, EVSE by EVSE. */
  openSessions(): TransactionContext[] {
    return this.options.evses.map((e) => this.openSession(e.id)).filter((s): s is TransactionContext => s !== undefined);
  }

  /** The root actor (inspect it, or read children with `station.system.get(id)`). */
  get station(): Actor<typeof stationMachine> {
    if (!this.actor) throw new Error('station not started');
    return this.actor;
  }

  get registration(): RegistrationStatus {
    return this.actor?.getSnapshot().context.registration ?? 'Unknown';
  }

  get connected(): boolean {
    return this.session !== null;
  }

  async start(): Promise<void> {
    const { options } = this;
    const dm = options.deviceModel;
    const settings = readSettings(dm);
    this.profiles = readNetworkProfiles(dm);
    const priority = priorityList(dm, this.profiles);
    if (priority.length === 0) {
      throw new Error('no network connection profile: set InternalCtrlr.NetworkConnectionProfiles');
    }
    await this.queue.load();
    await this.authorization.load();
    await this.smartCharging.start();
    const restored = await loadRestoredState(
      options.store.db,
      options.stationId,
      options.evses,
      EVSE_MACHINE_VERSION,
      (e) => this.reportError(e),
    );
    const availability = restored.availability;
    this.persistence.seed({
      snapshots: restored.seed.snapshots,
      transactions: restored.seed.transactions,
      availability: availabilitySeed(availability),
    });
    for (const [transactionId, values] of restored.meterValues) this.meters.restore(transactionId, values);
    const reservations = await loadReservations(options.store.db, options.stationId, RESERVATION_MACHINE_VERSION, (e) =>
      this.reportError(e),
    );
    this.persistence.reservationWrites.seed(reservations.seed);
    const txSettings = this.txSettings();
    this.availabilityState = new AvailabilityStateMirror(dm, options.evses, (e) => this.reportError(e), {
      stationOperative: operativeAt(availability, 0, 0),
      evseOperative: new Map(options.evses.map((e) => [e.id, operativeAt(availability, e.id, 0)])),
    });

    const machine = provideStationMachine({
      deviceModel: dm,
      clock: options.clock,
      callbacks: options.callbacks,
      queue: this.queue,
      socketHost: this.socketHost(),
      availabilityState: () => this.availabilityState,
      securityEvent: (type, techInfo, critical) => void this.securityEvent(type, techInfo, critical),
      reportError: (e) => this.reportError(e),
      random: options.random ?? Math.random,
      timers: options.timers ?? REAL_TIMERS,
      timeZone: () => dm.get({ component: 'ClockCtrlr', variable: 'TimeZone' }) || undefined,
      transactionEvent: (params) => this.transactionEffects.transactionEvent(params),
      transactionEffect: (params) => this.transactionEffects.transactionEffect(params),
      flushed: () => this.persistence.flushed(),
      messagesPending: () => this.persistence.messagesPending(),
      beforeReset: () => this.transactionMessagesDelivered(),
      recordBootReason: (reason) =>
        setPendingBootReason(options.store.db, options.stationId, reason, options.clock.nowIso()),
    });
    this.actor = createActor(machine, {
      input: {
        evses: options.evses.map((evse) => {
          const state = restored.evses.get(evse.id);
          return {
            evseId: evse.id,
            connectorIds: evse.connectors.map((c) => c.id),
            evseOperative: operativeAt(availability, evse.id, 0),
            connectorOperative: Object.fromEntries(
              evse.connectors.map((c) => [String(c.id), operativeAt(availability, evse.id, c.id)]),
            ),
            txSettings: txSettings[String(evse.id)] as TxSettings,
            ...(state?.restore !== undefined ? { restore: state.restore } : {}),
            ...(state?.sessions && state.sessions.length > 0 ? { sessions: state.sessions } : {}),
          };
        }),
        activeEvses: options.evses.filter((e) => restored.evses.get(e.id)?.transactionActive).map((e) => e.id),
        connectorTypes: readConnectorTypes(dm, options.evses),
        reservations: reservations.reservations,
        stationOperative: operativeAt(availability, 0, 0),
        offlineThresholdS: settings.offlineThresholdS,
        boot: {
          reason: options.bootReason,
          heartbeatIntervalS: settings.heartbeatIntervalS,
          defaultRetryIntervalS: options.bootRetryIntervalS ?? 30,
        },
        connection: {
          priority,
          attemptsPerSlot: settings.networkProfileConnectionAttempts,
          backOffRepeatTimes: settings.retryBackOffRepeatTimes,
        },
      },
      inspect: (event: InspectionEvent) => {
        // Every change of an EVSE, connector or session (or the station's own availability) is
        // written after the run of transitions that made it (src/runtime/station-persistence.ts).
        if (event.type === '@xstate.snapshot') {
          this.persistence.actorChanged(
            (event.actorRef as { systemId?: string }).systemId,
            event.snapshot,
            event.actorRef.sessionId === event.rootId,
          );
        }
        options.inspect?.(event);
      },
    });
    // One bad event never takes the station down: actor errors are reported, not thrown.
    this.actor.subscribe({ error: (error) => this.reportError(error) });
    this.unsubscribe.push(
      dm.onChange((change) => {
        const same = (ref: { component: string; variable: string }) =>
          ref.component === change.ref.component && ref.variable === change.ref.variable;
        const seconds = Number(change.value);
        if (same(VARIABLES.heartbeatInterval) && Number.isInteger(seconds)) {
          this.send({ type: 'settings.heartbeatInterval', seconds });
        }
        if (same(VARIABLES.offlineThreshold) && Number.isInteger(seconds)) {
          this.send({ type: 'settings.offlineThreshold', seconds });
        }
        if (change.ref.component === 'AlignedDataCtrlr' || change.ref.component === 'ClockCtrlr') {
          this.alignedMeterValues?.settingsChanged();
        }
        if (TX_SETTING_COMPONENTS.has(change.ref.component)) {
          const settings = this.txSettings();
          for (const evse of options.evses) {
            this.send({ type: 'tx.settings', evseId: evse.id, settings: settings[String(evse.id)] as TxSettings });
          }
        }
      }),
      // MaxEnergyOnInvalidId (E05.FR.03) counts the energy of a session that is being limited.
      this.meters.onReading((evseId) => this.forwardEnergy(evseId)),
    );
    this.actor.start();
    this.alignedMeterValues = new AlignedMeterValues({
      deviceModel: dm,
      meters: this.meters,
      clock: options.clock,
      timers: options.timers ?? REAL_TIMERS,
      evseIds: options.evses.map((e) => e.id),
      hasActiveTransaction: (evseId) => this.hasActiveTransaction(evseId),
      send: (request) => this.queue.send('MeterValues', request),
      reportError: (e) => this.reportError(e),
    });
    this.alignedMeterValues.start();
    // Restored sessions learn that the station started again (and with which settings); restored
    // connectors report their status to the new connection (B01.FR.05).
    this.send({
      type: 'resumed',
      at: options.clock.nowIso(),
      resumeTransactions: resumeTransactionsOnBoot(dm),
      settings: txSettings,
    });
    for (const session of this.openSessions()) {
      if (session.started && !session.ended) {
        try {
          this.smartCharging.transactionStarted({
            evseId: session.evseId,
            transactionId: session.transactionId,
            startTime: session.startedAt ?? options.clock.nowIso(),
          });
        } catch (error) {
          this.reportError(error);
        }
      }
    }
    // A04: every boot is a security event (TC_A_*: StartupOfTheDevice or ResetOrReboot).
    void this.securityEvent(
      RESET_REASONS.has(options.bootReason) ? 'ResetOrReboot' : 'StartupOfTheDevice',
      `boot reason ${options.bootReason}`,
    );
    this.actor.system.get('connection')?.send({
      type: 'connection.start',
      afterOwnClose: rebootedItself(options.bootReason),
    } satisfies ConnectionEvent);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.unsubscribe.splice(0)) off();
    this.alignedMeterValues?.stop();
    // What the actors decided is stored before they stop (a later start resumes from it).
    await this.persistence.stop();
    this.actor?.stop();
    await this.journal.stop();
    await this.smartCharging.stop();
    await this.authorization.flushed();
    await this.queue.stop();
    this.session?.close();
    this.session = null;
    // Writes of the mirror in flight must land before the caller closes the store.
    await this.availabilityState?.flushed();
  }

  /**
   * Everything decided is stored; then, while the CSMS is reachable and deliveries progress, waits
   * until no transaction-related message is queued. An unanswered message ends the wait when it
   * times out (it is not waited for again); OCPPCommCtrlr.MessageTimeout bounds it. A reset called
   * with the Ended event still in flight made the next run send it again (Part 6 TC_B_21/22 saw a
   * second Ended with the same message id).
   */
  private async transactionMessagesDelivered(): Promise<void> {
    await this.persistence.flushed();
    const deadline = Date.now() + readSettings(this.options.deviceModel).messageTimeoutS * 1000;
    for (;;) {
      const waiting = this.queue.pendingDurable(true).length;
      const remaining = deadline - Date.now();
      if (waiting === 0 || !this.connected || this.stopped || remaining <= 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.queue.idle(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, remaining);
          timer.unref();
        }),
      ]);
      clearTimeout(timer);
      await new Promise<void>((resolve) => setImmediate(resolve));
      await this.persistence.flushed();
      // Nothing was delivered (a retry waits for its timer, or the queue is gated): do not wait for it.
      if (this.queue.pendingDurable(true).length >= waiting) return;
    }
  }

  /** Sends an event to the root actor (hardware events, offline/online, ...). */
  send(event: StationEvent): void {
    this.actor?.send(event);
  }

  /**
   * A04: records a security event (securityEventCallback, A04.FR.04) and, when critical, sends it
   * to the CSMS with guaranteed delivery (A04.FR.01/02).
   */
  async securityEvent(type: string, techInfo?: string, critical = true): Promise<void> {
    this.options.callbacks.securityEventCallback?.(type, techInfo);
    if (!critical) return;
    const payload: SecurityEventNotificationRequest = {
      type,
      timestamp: this.options.clock.nowIso(),
      ...(techInfo === undefined ? {} : { techInfo: techInfo.slice(0, 255) }),
    };
    await this.queue
      .send('SecurityEventNotification', payload, { durable: true })
      .catch((e: unknown) => this.reportError(e));
  }

  /** Sends the newest energy register to a session that counts energy (MaxEnergyOnInvalidId). */
  private forwardEnergy(evseId: number): void {
    const session = this.openSession(evseId);
    const limit = session?.invalidId;
    if (!session || !limit || limit.suspended || limit.untilWh === null) return;
    const energyWh = this.meters.energyWh(evseId);
    if (energyWh === undefined) return;
    this.send({ type: 'hw.energy', evseId, at: this.options.clock.nowIso(), energyWh });
  }

  private reportError(error: unknown): void {
    if (this.stopped && isClosingConsequence(error)) return;
    (this.options.onError ?? ((e: unknown) => console.error('[ocpp-station]', e)))(error);
  }

  private handlerContext(afterResponse: HandlerContext['afterResponse']): HandlerContext {
    const { options } = this;
    return {
      stationId: options.stationId,
      evses: options.evses,
      deviceModel: options.deviceModel,
      db: options.store.db,
      queue: this.queue,
      clock: options.clock,
      callbacks: options.callbacks,
      smartCharging: this.smartCharging,
      station: this.station,
      registration: () => this.registration,
      afterResponse,
      hasActiveTransaction: (evseId) => this.hasActiveTransaction(evseId),
      runtime: this,
      authorization: this.authorization,
      reportError: (e) => this.reportError(e),
      securityEvent: (type, techInfo, critical) => void this.securityEvent(type, techInfo, critical),
      // A deliberate reconnect waits the back-off like a lost connection (machines/connection.ts).
      reconnect: () =>
        this.actor?.system
          .get('connection')
          ?.send({ type: 'connection.reconnect' } satisfies ConnectionEvent),
    };
  }

  /** The `socket` actor's view of this station (src/runtime/socket-actor.ts). */
  private socketHost(): SocketHost {
    const { options } = this;
    return {
      stationId: options.stationId,
      deviceModel: options.deviceModel,
      callbacks: options.callbacks,
      ...(options.tls ? { tls: options.tls } : {}),
      profile: (slot) => this.profiles.find((p) => p.configurationSlot === slot),
      createDispatch: () => createCallDispatcher((after) => this.handlerContext(after)),
      gate: (action) => registrationGate(this.registration)(action),
      ...(options.callbacks.ocppMessagesCallback
        ? {
            onFrame: (message: string, direction: MessageDirection) => {
              // Nothing is reported after stop(): the frames of our own closing are not news.
              if (!this.stopped) options.callbacks.ocppMessagesCallback?.(message, direction);
            },
          }
        : {}),
      linkUp: (session) => {
        this.session = session;
        this.connectionEvents.onConnected();
        this.queue.attach((action, payload, messageId) => session.call(action, payload, messageId));
        // B04: how long the station was offline decides which statuses are reported again.
        return this.lastDisconnectAt === null
          ? null
          : Math.round((performance.now() - this.lastDisconnectAt) / 1000);
      },
      linkDown: () => {
        this.session = null;
        this.lastDisconnectAt = performance.now();
        this.queue.attach(null);
      },
      connectFailed: (error) => {
        const event = this.connectionEvents.onConnectFailed(error);
        if (event) void this.securityEvent(event.type, event.techInfo, event.critical);
      },
      // Appendix 1: InvalidMessages (not critical: logged through securityEventCallback only).
      invalidFrame: (description) => void this.securityEvent('InvalidMessages', description, false),
      reportError: (e) => this.reportError(e),
    };
  }
}
