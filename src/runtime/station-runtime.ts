/**
 * The running station: the root actor with every effect provided, the outgoing queue, the RPC
 * session of the current connection and the device-model reactions. ChargePoint (the public facade)
 * owns one of these per start; a reboot builds a new one on the same store.
 */
import type { Actor } from 'xstate';
import type { BootContext, RegistrationStatus } from '../../machines/boot.js';
import type { ConnectionEvent } from '../../machines/connection.js';
import type { stationMachine, StationEvent } from '../../machines/station.js';
import type { TransactionContext, TxSettings } from '../../machines/transaction-rules.js';
import { guardNotificationCallbacks } from '../callbacks.js';
import type {
  ChargingProfileType,
  ConnectorStatusEnumType,
  IdTokenInfoType,
  IdTokenType,
} from '../generated/ocpp-types.js';
import type { AuthorizationVerdict } from '../authorization/authorize-token.js';
import { AuthorizationData } from '../authorization/authorization-data.js';
import { MessageQueue } from '../queue/message-queue.js';
import { MessageDiscardedError } from '../queue/queue-types.js';
import { RuntimeEvents } from '../events/runtime-events.js';
import { StationSmartCharging } from '../smart-charging/station-smart-charging.js';
import { operativeAt } from '../store/availability.js';
import { StationJournal } from '../store/journal.js';
import { StationMeters } from '../transactions/station-meters.js';
import type { AlignedMeterValues } from '../transactions/aligned-meter-values.js';
import { AvailabilityStateMirror } from './availability-state.js';
import { rebootedItself } from './boot-reason.js';
import { isClosingConsequence } from './closing-consequence.js';
import { NetworkProfileError, priorityList, readNetworkProfiles } from './network-profiles.js';
import { queueSettings, readSettings } from './settings.js';
import { bootSecurityEventType, sendSecurityEvent } from './security-event-sender.js';
import { reactToSettings } from './settings-reactions.js';
import { createStationActor, stationInput } from './station-actor.js';
import { StationLink } from './station-link.js';
import { LinkPorts, PersistencePorts, TransactionPorts } from './station-ports.js';
import type { StationTokens } from './station-tokens.js';
import { connectorStatusOf, openSessionOf, transactionActiveOn } from './station-queries.js';
import { StationPersistence } from './station-persistence.js';
import { stationCertificates, stationServices } from './station-services.js';
import {
  loadForStart,
  mirrorConnectorStatuses,
  resumeOnStart,
  startAlignedMeterValues,
  stationEffects,
} from './station-start.js';
import type { StationRuntimeOptions } from './station-runtime-options.js';
import { TransactionEffects } from './transaction-effects.js';
import { txSettingsByEvse } from './tx-settings.js';
import { reservationPort, type ReservationPort } from '../reservations/reservation-port.js';
import type { MonitoringService } from '../monitoring/monitoring-requests.js';
import type { StationUserInterface } from './station-user-interface.js';
import type { StationFirmware } from '../firmware/station-firmware.js';
import { StationLogs } from '../logging/station-logs.js';
import type { StationLogUpload } from '../logging/station-log-upload.js';
import { fileTransferServices } from './file-transfer-services.js';
import type { StationCertificates } from '../security/station-certificates.js';

export { EVSE_MACHINE_VERSION, RESERVATION_MACHINE_VERSION } from './machine-versions.js';
export type { StationRuntimeOptions } from './station-runtime-options.js';

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
  /** N02–N08: the variable monitors (src/monitoring). */
  readonly monitoring: MonitoringService;
  /** O display messages, I tariff and cost (src/runtime/station-user-interface.ts). */
  readonly userInterface: StationUserInterface;
  /** L01–L04: firmware updates (src/firmware/station-firmware.ts). */
  readonly firmware: StationFirmware;
  /** N01: the security and OCPP message logs, and GetLog uploads (src/logging/). */
  readonly logs: StationLogs;
  readonly logUpload: StationLogUpload;
  /** Installed certificates, keys, CSRs (A02–A05, M01–M06; src/security/). */
  readonly certificates: StationCertificates;
  /** @internal The station's write journal (read by src/runtime/station-ports.ts). */
  readonly journal: StationJournal;
  private readonly transactionEffects: TransactionEffects;
  /** @internal Token verdicts and lookups (src/runtime/station-tokens.ts). */
  readonly tokens: StationTokens;
  private alignedMeterValues: AlignedMeterValues | null = null;
  private actor: Actor<typeof stationMachine> | null = null;
  /** The link to the CSMS: the socket actor's host, the current session (src/runtime/station-link.ts). */
  private readonly link: StationLink;
  private readonly unsubscribe: Array<() => void> = [];
  /** Device-model AvailabilityState variables follow the statecharts. */
  private availabilityState: AvailabilityStateMirror | null = null;
  /** Once stopped, the consequences of our own closing are not reported; other failures still are. */
  private stopped = false;
  /** @internal The public events of this run (src/events/runtime-events.ts). */
  readonly events: RuntimeEvents;
  /**
   * reportError and securityEvent as one function each, handed to every part that takes them
   * (a closure per part cost ~56 B each per station; issue 9). @internal onError: also the
   * handler context's, built per incoming CALL (src/runtime/station-ports.ts).
   */
  readonly onError = (error: unknown): void => this.reportError(error);
  private readonly onSecurityEvent = (type: string, techInfo?: string, critical?: boolean): void =>
    void this.securityEvent(type, techInfo, critical);

  readonly options: StationRuntimeOptions;

  constructor(options: StationRuntimeOptions) {
    // Host callbacks run inside actions and socket listeners: a throwing one is reported, not fatal.
    this.logs = new StationLogs({
      stationId: options.stationId,
      databaseFile: options.store.file,
      options: options.logs ?? {},
      clock: options.clock,
      reportError: this.onError,
    });
    this.options = {
      ...options,
      callbacks: guardNotificationCallbacks(this.logs.wrap(options.callbacks), this.onError),
    };
    const dm = options.deviceModel;
    this.events = new RuntimeEvents(
      options.events,
      (slot) => this.link.profiles.find((p) => p.configurationSlot === slot)?.connectionData.ocppCsmsUrl,
    );
    this.queue = new MessageQueue({
      db: options.store.db,
      stationId: options.stationId,
      clock: options.clock,
      settings: () => queueSettings(dm),
      onError: this.onError,
      onDiscarded: (action, _payload, error, message) => {
        this.events.queueDrop({ action, ...message, error });
        this.reportError(new MessageDiscardedError(action, message.messageId, message.attempts, error));
      },
      onOwnedSettled: (message, outcome) => this.transactionEffects.settled(message, outcome),
    });
    this.certificates = stationCertificates(this, options, this.onSecurityEvent);
    this.link = new StationLink(new LinkPorts(this));
    this.journal = new StationJournal(options.store, options.stationId, () => options.clock.nowIso());
    this.persistence = new StationPersistence(new PersistencePorts(this));
    ({ firmware: this.firmware, logUpload: this.logUpload } = fileTransferServices({
      options: this.options,
      installedManufacturerRoots: () => this.certificates.manager.roots('ManufacturerRootCertificate'),
      installedCsmsRoots: () => this.certificates.manager.roots('CSMSRootCertificate'),
      logs: this.logs,
      queue: this.queue,
      station: () => this.actor,
      flushed: () => this.persistence.flushed(),
      connected: () => this.connected && !this.stopped,
      securityEvent: this.onSecurityEvent,
      reportError: this.onError,
    }));
    this.reservations = reservationPort(() => this.actor?.getSnapshot().context, this.options.callbacks);
    this.meters = new StationMeters(
      dm,
      {
        insert: (transactionId, meterValue) =>
          this.persistence.meterValue({ kind: 'insert', transactionId, meterValueJson: JSON.stringify(meterValue) }),
        deleteAll: (transactionId) => this.persistence.meterValue({ kind: 'deleteAll', transactionId }),
      },
      this.onError,
    );
    this.smartCharging = new StationSmartCharging({
      stationId: options.stationId,
      db: options.store.db,
      deviceModel: dm,
      clock: options.clock,
      callbacks: this.options.callbacks,
      queue: this.queue,
      evses: options.evses,
      reportError: this.onError,
      ...options.smartCharging,
    });
    this.authorization = new AuthorizationData({
      stationId: options.stationId,
      db: options.store.db,
      deviceModel: dm,
      clock: options.clock,
      reportError: this.onError,
    });
    ({ monitoring: this.monitoring, tokens: this.tokens, userInterface: this.userInterface } = stationServices(this));
    // The user interface hears of every TransactionEvent and its answer (I02–I06, O02.FR.02).
    this.transactionEffects = new TransactionEffects(
      new TransactionPorts(this, this.userInterface.hearTransactions(this.options.callbacks)),
    );
  }

  /** Who starts and stops transactions (ChargePointOptions.transactionControl). */
  get transactionControl(): TxSettings['control'] {
    return this.options.transactionControl ?? 'library';
  }

  /** OCPP status of a connector (G01), from its actor. */
  connectorStatus(evseId: number, connectorId: number): ConnectorStatusEnumType | undefined {
    return connectorStatusOf(this.actor, evseId, connectorId);
  }

  /** C01: the verdict on a token (cache/list seam, AuthorizeRequest, offline rules). */
  async authorize(idToken: IdTokenType): Promise<AuthorizationVerdict> {
    const verdict = await this.tokens.authorize(idToken);
    this.userInterface.authorized(idToken, verdict); // I01/I04
    return verdict;
  }

  /** What the local list or the cache says of a token, without asking the CSMS (src/runtime/station-tokens.ts). */
  knownToken(idToken: IdTokenType): IdTokenInfoType | undefined {
    return this.tokens.known(idToken);
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
    return txSettingsByEvse(this.options.deviceModel, this.options.evses, control);
  }

  /** Is a transaction running on this EVSE (or on any, when undefined)? Read from the EVSE actors. */
  hasActiveTransaction(evseId?: number): boolean {
    return transactionActiveOn(this.actor, evseId);
  }

  /** The open session of an EVSE (its context), if any. */
  openSession(evseId: number): TransactionContext | undefined {
    return openSessionOf(this.actor, evseId);
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
    return this.link.connected;
  }

  /** @internal The root actor, or null before start (src/runtime/station-ports.ts). */
  get rootActor(): Actor<typeof stationMachine> | null {
    return this.actor;
  }

  /** @internal Has stop() begun? */
  get isStopped(): boolean {
    return this.stopped;
  }

  async start(): Promise<void> {
    const { options } = this;
    const dm = options.deviceModel;
    const settings = readSettings(dm);
    this.link.profiles = readNetworkProfiles(dm);
    const priority = priorityList(dm, this.link.profiles);
    if (priority.length === 0) {
      throw new NetworkProfileError(
        'no network connection profile: set InternalCtrlr.NetworkConnectionProfiles',
      );
    }
    const loaded = await loadForStart(this);
    const { restored } = loaded;
    const availability = restored.availability;
    const txSettings = this.txSettings();
    this.availabilityState = new AvailabilityStateMirror(dm, options.evses, this.onError, {
      stationOperative: operativeAt(availability, 0, 0),
      evseOperative: new Map(options.evses.map((e) => [e.id, operativeAt(availability, e.id, 0)])),
    });

    const effects = stationEffects(this, {
      socketHost: this.link.socketHost(),
      availabilityState: () => this.availabilityState,
      securityEvent: this.onSecurityEvent,
      transactionEffects: this.transactionEffects,
      firmware: this.firmware.effects(loaded.firmware.resumed),
    });
    this.actor = createStationActor(
      effects,
      stationInput({
        deviceModel: dm,
        evses: options.evses,
        restored,
        reservations: loaded.reservations.reservations,
        txSettings,
        settings,
        priority,
        bootReason: options.bootReason,
        ...(options.bootRetryIntervalS === undefined ? {} : { bootRetryIntervalS: options.bootRetryIntervalS }),
        ...(loaded.firmware.restore === undefined ? {} : { firmware: { restore: loaded.firmware.restore } }),
        ...(loaded.logUpload.restore === undefined ? {} : { logUpload: { restore: loaded.logUpload.restore } }),
      }),
      {
        persistence: this.persistence,
        inspect: options.inspect,
        derive: (e) => this.events.inspect(e),
        reportError: this.onError,
      },
    );
    this.unsubscribe.push(
      reactToSettings({
        deviceModel: dm,
        evses: options.evses,
        send: (event) => this.send(event),
        txSettings: () => this.txSettings(),
        alignedSettingsChanged: () => this.alignedMeterValues?.settingsChanged(),
        heartbeatIntervalS: () =>
          (this.actor?.system.get('boot')?.getSnapshot() as { context: BootContext } | undefined)?.context.heartbeatIntervalS,
      }),
      // MaxEnergyOnInvalidId (E05.FR.03) counts the energy of a session that is being limited.
      this.meters.onReading((evseId) => this.forwardEnergy(evseId)),
    );
    this.actor.start();
    mirrorConnectorStatuses(this, this.availabilityState);
    this.alignedMeterValues = startAlignedMeterValues(this);
    await this.monitoring.start();
    resumeOnStart(this, txSettings);
    // A04: every boot is a security event (TC_A_*: StartupOfTheDevice or ResetOrReboot).
    void this.securityEvent(bootSecurityEventType(options.bootReason), `boot reason ${options.bootReason}`);
    this.actor.system.get('connection')?.send({
      type: 'connection.start',
      afterOwnClose: rebootedItself(options.bootReason),
    } satisfies ConnectionEvent);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.unsubscribe.splice(0)) off();
    this.alignedMeterValues?.stop();
    await this.monitoring.stop();
    this.userInterface.stop();
    this.certificates.stop();
    // What the actors decided is stored before they stop (a later start resumes from it).
    await this.persistence.stop();
    this.events.stopped();
    this.actor?.stop();
    // A download aborted by the stop still makes its directory or removes its partial file, and a
    // discard runs on: once stop() resolves the station touches no file (a host removes them next).
    await this.firmware.settled();
    await this.journal.stop();
    await this.smartCharging.stop();
    await this.authorization.flushed();
    await this.queue.stop();
    this.link.close();
    // A certificate renewal or retry running at the stop (key generation, its files and state) ends
    // before the caller may close the store; with the queue stopped and the link closed, a CSR it
    // was sending fails at once instead of waiting for an answer.
    await this.certificates.settled();
    // Writes of the mirror in flight must land before the caller closes the store.
    await this.availabilityState?.flushed();
    // The logs' pending lines are written; the files stay open to the fleet's other stations.
    this.logs.close();
  }

  /** Sends an event to the root actor (hardware events, offline/online, ...). */
  send(event: StationEvent): void {
    this.actor?.send(event);
  }

  /** A04: a security event, recorded and, when critical, sent (src/runtime/security-event-sender.ts). */
  securityEvent(type: string, techInfo?: string, critical = true): Promise<void> {
    const { callbacks, clock } = this.options;
    const ports = { callbacks, clock, queue: this.queue, reportError: this.onError };
    return sendSecurityEvent(ports, type, techInfo, critical);
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

  /** @internal Reports an error to the host (onError) and the public events; quiet about our own closing. */
  reportError(error: unknown): void {
    if (this.stopped && isClosingConsequence(error)) return;
    this.events.error(error);
    (this.options.onError ?? ((e: unknown) => console.error('[ocpp-station]', e)))(error);
  }
}
