/**
 * The smart-charging service of a running station: it owns the installed charging profiles (SQLite
 * and memory), the running transactions and EV schedules as the engine sees them, and the
 * settings read from the device model; it answers the K messages of the CSMS, installs external
 * limits reported by the host (K11–K14), relays ISO 15118 charging needs and schedules (K15–K17),
 * and tells the host whenever the composite schedules change (docs/smart-charging.md, "Wiring").
 */
import type { Kysely } from 'kysely';
import type { ChargePointCallbacks } from '../callbacks.js';
import type { StationClock } from '../clock.js';
import type {
  ChargingProfileType,
  ChargingRateUnitEnumType,
  ClearChargingProfileRequest,
  ClearChargingProfileResponse,
  GetChargingProfilesRequest,
  GetCompositeScheduleRequest,
  GetCompositeScheduleResponse,
  SetChargingProfileRequest,
  SetChargingProfileResponse,
} from '../generated/ocpp-types.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import type { MessageQueue } from '../queue/message-queue.js';
import type { DeviceModelPort } from '../runtime/ports.js';
import type { Database } from '../store/schema.js';
import { clearChargingProfiles } from './clear-charging-profile.js';
import type { CompositeScheduleDetails } from './composite-schedule.js';
import { CompositeWatch } from './composite-watch.js';
import { ExternalLimits, type ExternalLimitResult } from './external-limit-control.js';
import type { ExternalLimit, ExternalLimitSource } from './external-limits.js';
import { chargingProfilesReport, type ChargingProfilesReport } from './get-charging-profiles.js';
import { answerGetCompositeSchedule } from './get-composite-schedule.js';
import { removeTransactionProfiles } from './install-charging-profile.js';
import { InstalledProfiles } from './installed-profiles.js';
import { Iso15118Sessions } from './iso15118-sessions.js';
import { toSetChargingProfileResponse, type ProfileValidationResult } from './profile-rejection.js';
import {
  feedsSmartChargingSettings,
  readSmartChargingSettings,
  type SmartChargingSettings,
} from './smart-charging-settings.js';
import { stationCompositeSchedules } from './station-composite-schedules.js';
import type { ActiveTransaction, InstalledChargingProfile, SmartChargingState } from './types.js';
import { validateChargingProfile, type ChargingProfileOrigin } from './validate-charging-profile.js';
import { LazySet } from '../lazy-collections.js';

/** What a ChargePoint may tune (the rest comes from the station). */
export type SmartChargingRuntimeOptions = Pick<
  StationSmartChargingOptions,
  'horizonS' | 'maxCheckIntervalMs' | 'maxProfilesPerReport'
>;

export interface StationSmartChargingOptions {
  stationId: string;
  db: Kysely<Database>;
  deviceModel: DeviceModelPort;
  clock: StationClock;
  callbacks: ChargePointCallbacks;
  queue: Pick<MessageQueue, 'send'>;
  evses: readonly EvseStructure[];
  reportError(error: unknown): void;
  /** How far ahead the host's composite schedules reach (s); default 86 400. */
  horizonS?: number;
  /** Longest wait between two checks of the limits in force (ms), so a clock change is caught; default 60 000. */
  maxCheckIntervalMs?: number;
  /** Profiles per ReportChargingProfilesRequest (K09); default: one report per EVSE and source. */
  maxProfilesPerReport?: number;
}

/** The window and unit of the host's composite schedules. */
export interface CompositeSchedulesOptions {
  /** Seconds from now; default the service's horizon (86 400). */
  duration?: number;
  /** Default: the first of SmartChargingCtrlr.RateUnit. */
  chargingRateUnit?: ChargingRateUnitEnumType;
}

/** The result of a RequestStartTransaction profile check (K05). */
export type RemoteStartProfileCheck = ProfileValidationResult | { status: 'Ignored' };

/**
 * Smart charging of one running station.
 *
 * @example
 * const smartCharging = new StationSmartCharging({ stationId, db, deviceModel, clock, callbacks, queue, evses, reportError });
 * await smartCharging.start();
 * const response = await smartCharging.setChargingProfile(request); // K01
 */
export class StationSmartCharging {
  private settings: SmartChargingSettings;
  private readonly installedProfiles: InstalledProfiles;
  private transactions: ActiveTransaction[] = [];
  private readonly iso: Iso15118Sessions;
  private readonly externalLimits: ExternalLimits;
  private readonly listeners = new LazySet<(schedules: CompositeScheduleDetails[]) => void>();
  private readonly warned = new LazySet<string>();
  private readonly watch: CompositeWatch<CompositeScheduleDetails>;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly options: StationSmartChargingOptions) {
    this.settings = this.readSettings();
    this.installedProfiles = new InstalledProfiles({
      db: options.db,
      stationId: options.stationId,
      deviceModel: options.deviceModel,
      reportError: (e) => options.reportError(e),
      // K01.FR.07 / K10: re-evaluate and tell the host.
      changed: () => {
        this.guard(() => this.options.callbacks.setChargingProfilesCallback?.());
        this.publish();
      },
    });
    this.externalLimits = new ExternalLimits({
      installed: this.installedProfiles,
      queue: options.queue,
      state: () => this.state(),
      reportError: (e) => options.reportError(e),
    });
    this.iso = new Iso15118Sessions({
      clock: options.clock,
      queue: options.queue,
      evses: options.evses,
      state: () => this.state(),
      changed: () => this.publish(),
    });
    this.watch = new CompositeWatch({
      compute: () => this.computeSchedules(),
      now: () => options.clock.nowMs(),
      notify: (schedules) => this.notifyHost(schedules),
      maxCheckIntervalMs: options.maxCheckIntervalMs ?? 60_000,
    });
  }

  /** SmartChargingCtrlr.Available and Enabled: the station handles the K messages (K01.FR.29). */
  get supported(): boolean {
    return this.settings.supported;
  }

  /** What the engine reads now. */
  state(): SmartChargingState {
    return {
      station: this.settings.station,
      profiles: this.installedProfiles.list,
      // An EV that sent its charging needs makes the transaction an ISO 15118 one (K01.FR.34, K15.FR.17).
      transactions: this.transactions.map((t) =>
        this.iso.chargingNeedsSent(t.evseId) ? { ...t, iso15118: { chargingNeedsSent: true } } : t,
      ),
      evChargingSchedules: this.iso.schedules(),
    };
  }

  /** Installed profiles, in installation order. */
  installed(): readonly InstalledChargingProfile[] {
    return this.installedProfiles.list;
  }

  /**
   * Loads the stored profiles and validates them again against the current configuration (an EVSE
   * removed, RateUnit or ProfileStackLevel changed, ...): those that no longer pass, and those whose
   * purpose is configured not to persist (ChargingProfilePersistence), are deleted and reported.
   * Then follows device-model changes and tells the host the composite schedules.
   */
  async start(): Promise<void> {
    await this.installedProfiles.restore(this.settings, this.options.clock.nowIso());
    this.externalLimits.restored();
    this.unsubscribe = this.options.deviceModel.onChange((change) => {
      // Only a variable that feeds the settings reads them again: AvailabilityState and the other
      // EVSE and station variables written at every boot and status change do not (issue 9).
      if (!feedsSmartChargingSettings(change.ref)) return;
      this.settings = this.readSettings();
      this.publish();
    });
    this.publish();
  }

  /**
   * Stops the boundary timer and the device-model subscription, then waits for a profile change in
   * progress so the caller can close the store safely.
   */
  async stop(): Promise<void> {
    this.watch.stop();
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.installedProfiles.serial(async () => undefined);
  }

  /** K01: validates, stores (before answering) and applies a SetChargingProfileRequest. */
  setChargingProfile(request: SetChargingProfileRequest): Promise<SetChargingProfileResponse> {
    return this.installedProfiles.serial(async () => {
      const now = this.options.clock.nowIso();
      const result = validateChargingProfile(request.chargingProfile, {
        ...this.state(),
        evseId: request.evseId,
        origin: 'SetChargingProfile',
        now,
      });
      if (result.status === 'Accepted') {
        await this.installedProfiles.install(
          {
            evseId: request.evseId,
            profile: request.chargingProfile,
            chargingLimitSource: 'CSO',
            installedAt: now,
          },
          result.replaces,
        );
        // K16.FR.02: an ISO 15118 EV already charging on a schedule must renegotiate.
        this.iso.profileChanged(request.evseId, (evseId) =>
          this.options.callbacks.renegotiateChargingScheduleCallback?.(evseId),
        );
      }
      return toSetChargingProfileResponse(result);
    });
  }

  /** K09: the GetChargingProfilesResponse and the ReportChargingProfilesRequests to send after it. */
  chargingProfilesReport(request: GetChargingProfilesRequest): ChargingProfilesReport {
    const { maxProfilesPerReport } = this.options;
    return chargingProfilesReport(
      this.installedProfiles.list,
      request,
      maxProfilesPerReport === undefined ? {} : { maxProfilesPerReport },
    );
  }

  /** K10: removes (from the store first) what a ClearChargingProfileRequest selects. */
  clearChargingProfile(request: ClearChargingProfileRequest): Promise<ClearChargingProfileResponse> {
    return this.installedProfiles.serial(async () => {
      const { response, clear } = clearChargingProfiles(this.installedProfiles.list, request);
      if (clear.length > 0) await this.installedProfiles.remove(clear);
      return response;
    });
  }

  /** K08: the GetCompositeScheduleResponse, from now. */
  getCompositeSchedule(request: GetCompositeScheduleRequest): GetCompositeScheduleResponse {
    return answerGetCompositeSchedule(request, this.state(), this.options.clock.nowIso());
  }

  /** The composite schedule of EVSE 0 and of every EVSE from now: what the host applies. */
  compositeSchedules(options: CompositeSchedulesOptions = {}): CompositeScheduleDetails[] {
    const state = this.state();
    return stationCompositeSchedules(state, {
      startTime: this.options.clock.nowIso(),
      duration: options.duration ?? this.options.horizonS ?? 86_400,
      chargingRateUnit: options.chargingRateUnit ?? state.station.supportedRateUnits[0] ?? 'A',
    });
  }

  /** Subscribes to composite-schedule changes (as compositeSchedulesChangedCallback); returns the unsubscribe. */
  onCompositeSchedulesChanged(listener: (schedules: CompositeScheduleDetails[]) => void): () => void {
    const first = !this.listening();
    this.listeners.add(listener);
    // The watch was idle while nobody listened: the first listener is told the schedules now.
    if (first && this.unsubscribe !== null) this.publish();
    return () => {
      this.listeners.delete(listener);
      if (!this.listening()) this.watch.pause();
    };
  }

  /**
   * K11/K12: installs a limit of an external system and tells the CSMS when it changed
   * significantly ({@link ExternalLimits.set}).
   */
  setExternalLimit(limit: ExternalLimit): Promise<ExternalLimitResult> {
    return this.installedProfiles.serial(() =>
      this.externalLimits.set(limit, this.settings, this.options.clock.nowIso()),
    );
  }

  /** K13: the external system released its limit ({@link ExternalLimits.clear}); false when there was none. */
  clearExternalLimit(evseId: number, source: ExternalLimitSource = 'EMS'): Promise<boolean> {
    return this.installedProfiles.serial(() => this.externalLimits.clear(evseId, source));
  }

  /** ISO 15118 sessions: charging needs (K15/K17) and the EV's schedules (K15–K17). */
  get iso15118(): Iso15118Sessions {
    return this.iso;
  }

  /** A transaction started on an EVSE (Relative profiles start here; TxProfiles may now be set). */
  transactionStarted(transaction: ActiveTransaction): void {
    if (!this.options.evses.some((evse) => evse.id === transaction.evseId)) {
      throw new RangeError(
        `transaction ${transaction.transactionId}: the station has no EVSE ${transaction.evseId}`,
      );
    }
    this.transactions = [
      ...this.transactions.filter((t) => t.evseId !== transaction.evseId),
      { ...transaction },
    ];
    this.publish();
  }

  /** K02.FR.05: the transaction ended: its TxProfiles are deleted and its EV schedule dropped. */
  transactionEnded(transactionId: string): Promise<void> {
    return this.installedProfiles.serial(async () => {
      const transaction = this.transactions.find((t) => t.transactionId === transactionId);
      this.transactions = this.transactions.filter((t) => t.transactionId !== transactionId);
      if (transaction !== undefined) this.iso.sessionEnded(transaction.evseId);
      const installed = this.installedProfiles.list;
      const kept = removeTransactionProfiles(installed, transactionId);
      const removed = installed.filter((entry) => !kept.includes(entry)).map((entry) => entry.profile.id);
      if (removed.length > 0) await this.installedProfiles.remove(removed);
      else this.publish();
    });
  }

  /**
   * K05: checks the chargingProfile of a RequestStartTransactionRequest before the transaction
   * exists. Ignored when smart charging is not supported (K05.FR.04); a rejection carries
   * InvalidProfile or InvalidSchedule (K05.FR.05, via toSetChargingProfileResponse).
   */
  checkRemoteStartProfile(evseId: number, profile: ChargingProfileType): RemoteStartProfileCheck {
    if (!this.settings.supported) return { status: 'Ignored' };
    return this.validate(profile, evseId, 'RequestStartTransaction', this.options.clock.nowIso());
  }

  /** K05.FR.03: installs the checked RequestStartTransaction profile for the transaction it started. */
  installRemoteStartProfile(
    evseId: number,
    profile: ChargingProfileType,
    transactionId: string,
  ): Promise<void> {
    return this.installedProfiles.serial(async () => {
      const now = this.options.clock.nowIso();
      const result = this.validate(profile, evseId, 'RequestStartTransaction', now);
      if (result.status === 'Rejected') {
        throw new RangeError(
          `RequestStartTransaction profile ${profile.id}: ${result.requirement} ${result.additionalInfo ?? ''}`,
        );
      }
      await this.installedProfiles.install(
        { evseId, profile: { ...profile, transactionId }, chargingLimitSource: 'CSO', installedAt: now },
        result.replaces,
      );
    });
  }

  private validate(
    profile: ChargingProfileType,
    evseId: number,
    origin: ChargingProfileOrigin,
    now: string,
  ): ProfileValidationResult {
    return validateChargingProfile(profile, { ...this.state(), evseId, origin, now });
  }

  /** Tells the host (and listeners) the composite schedules; the watch re-arms its timer. */
  private publish(): void {
    // A fleet's idle station has nobody to tell: no computation and no boundary timer (issue 9).
    if (this.listening()) this.watch.publish();
    else this.watch.pause();
  }

  /** Is anyone told of composite-schedule changes (a listener or compositeSchedulesChangedCallback)? */
  private listening(): boolean {
    return this.listeners.size > 0 || this.options.callbacks.compositeSchedulesChangedCallback !== undefined;
  }

  private computeSchedules(): CompositeScheduleDetails[] | undefined {
    try {
      return this.compositeSchedules();
    } catch (error) {
      this.warn(`composite schedules cannot be computed: ${(error as Error).message}`);
      return undefined;
    }
  }

  private notifyHost(schedules: CompositeScheduleDetails[]): void {
    for (const listener of this.listeners) this.guard(() => listener(schedules));
    this.guard(() => this.options.callbacks.compositeSchedulesChangedCallback?.(schedules));
  }

  private readSettings(): SmartChargingSettings {
    return readSmartChargingSettings(this.options.deviceModel, this.options.evses, (message) =>
      this.warn(message),
    );
  }

  /** Reports a configuration problem once (settings are read again after every change). */
  private warn(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.options.reportError(new Error(message));
  }

  /** A throwing host callback never breaks the station: it is reported. */
  private guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.options.reportError(error);
    }
  }
}
