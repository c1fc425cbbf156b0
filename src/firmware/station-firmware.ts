/**
 * The station's side of firmware updates (L01–L04): it builds the firmware actor's effects from the
 * running station (queue, clock, station actor, device model, host callbacks), knows the trusted
 * ManufacturerRootCertificates, and answers what the handlers ask (TriggerMessage, UpdateFirmware).
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Actor } from 'xstate';
import {
  FIRMWARE_INSTALL_TAG,
  type FirmwareContext,
  type FirmwareDuringTransaction,
  type FirmwareReply,
  type FirmwareRequest,
  type InstallOutcome,
} from '../../machines/firmware.js';
import type { stationMachine } from '../../machines/station.js';
import type { ChargePointCallbacks } from '../callbacks.js';
import type { StationClock } from '../clock.js';
import type { BootReasonEnumType, FirmwareStatusEnumType } from '../generated/ocpp-types.js';
import type { MessageQueue } from '../queue/message-queue.js';
import type { DeviceModelPort } from '../runtime/ports.js';
import type { TimerScheduler } from '../runtime/timers.js';
import { FIRMWARE_ACTOR_ID } from './firmware-persistence.js';
import type { FirmwareEffects, ResumedInstall } from './provide-firmware.js';
import { LazyMap } from '../lazy-collections.js';
import { InFlight } from '../in-flight.js';

export type { FirmwareDuringTransaction } from '../../machines/firmware.js';

/** Firmware and file transfer settings of a station (ChargePointOptions.firmware). */
export interface FirmwareOptions {
  /**
   * Directory for downloaded firmware files (created when needed). Default: next to the database
   * file (`<database>.firmware/<stationId>/`), or a directory under the OS temp dir for an in-memory database.
   */
  directory?: string;
  /** PEM ManufacturerRootCertificates that firmware signing certificates must chain to (L01.FR.21). */
  manufacturerRootCertificates?: readonly string[];
  /** Extra trusted roots (PEM) for https downloads and uploads; default: `tls.ca`. */
  fileTransferCa?: readonly string[];
  /**
   * What the station can do while a transaction runs (L01.FR.06/33, Part 6 TC_L_16): `none`, the
   * download waits for the transactions to end; `download` (default), it downloads and verifies,
   * and installs once they have ended; `all`, it also installs during a transaction (a reboot that
   * activates the new firmware still waits for them, L01.FR.33). docs/firmware.md.
   */
  duringTransaction?: FirmwareDuringTransaction;
  /**
   * Revocation of a firmware signing certificate (UpdateFirmwareStatus RevokedCertificate): called
   * with the request's `signingCertificate` (PEM, leaf first) once its chain was verified, before
   * the UpdateFirmware is answered. Resolve `true` when a CRL or OCSP answer the host has says it is
   * revoked (e.g. from `station.getCertificateStatus()`, the M06 path), else `false`. Absent: no
   * revocation check (the station has no CRL/OCSP source of its own). docs/firmware.md.
   */
  signingCertificateRevoked?: (signingCertificate: string) => boolean | Promise<boolean>;
}

/** The firmware capabilities during a transaction, in order. */
export const FIRMWARE_DURING_TRANSACTION: readonly FirmwareDuringTransaction[] = ['none', 'download', 'all'];

/** What the station gives. */
export interface StationFirmwarePorts {
  stationId: string;
  databaseFile: string;
  options: FirmwareOptions;
  tlsCa: readonly string[] | undefined;
  /** Every extra root trusted for https/ftps (default: `fileTransferCa`, else `tlsCa`). */
  transferCa?: () => readonly string[] | undefined;
  clock: StationClock;
  timers: TimerScheduler;
  queue: MessageQueue;
  callbacks: ChargePointCallbacks;
  deviceModel: DeviceModelPort;
  bootReason: BootReasonEnumType;
  station(): Actor<typeof stationMachine> | null;
  flushed(): Promise<void>;
  recordBootReason(reason: BootReasonEnumType): Promise<void>;
  messageTimeoutS(): number;
  connected(): boolean;
  securityEvent(type: string, techInfo: string): void;
  reportError(error: unknown): void;
  /** ManufacturerRootCertificates the CSMS installed (InstallCertificate, M05). */
  installedManufacturerRoots?: () => readonly string[];
}

const ALLOW_NEW_SESSIONS = { component: 'ChargingStation', variable: 'AllowNewSessionsPendingFirmwareUpdate' };

/**
 * @example
 * const firmware = new StationFirmware(ports);
 * createStationActor({ ...effects, firmware: firmware.effects(resumed) }, input, observers);
 */
export class StationFirmware {
  private readonly pendingInstalls = new LazyMap<number, (outcome: InstallOutcome) => void>();
  /** The firmware actor's work on files not finished yet (downloads, discards): {@link settled} waits for it. */
  private readonly fileWork = new InFlight();
  /** The last step a host-run update reported (hostStatus). */
  private hostLast: { status: FirmwareStatusEnumType; requestId?: number } | null = null;

  constructor(private readonly ports: StationFirmwarePorts) {}

  /**
   * The ManufacturerRootCertificates firmware signing certificates are checked against (L01.FR.21):
   * those the host passed in the options and those the CSMS installed (M05).
   */
  manufacturerRoots(): readonly string[] {
    return [
      ...(this.ports.options.manufacturerRootCertificates ?? []),
      ...(this.ports.installedManufacturerRoots?.() ?? []),
    ];
  }

  /**
   * Is the signing certificate revoked, as far as the host knows (FirmwareOptions
   * .signingCertificateRevoked)? A hook that throws is reported and counts as not revoked (a
   * revocation source that cannot answer does not block updates: soft fail, as OCSP clients do).
   *
   * @example
   * if (await firmware.signingCertificateRevoked(pem)) return { status: 'RevokedCertificate' };
   */
  async signingCertificateRevoked(signingCertificate: string): Promise<boolean> {
    const check = this.ports.options.signingCertificateRevoked;
    if (!check) return false;
    try {
      return (await check(signingCertificate)) === true;
    } catch (error) {
      this.ports.reportError(error);
      return false;
    }
  }

  /** What the station can do while a transaction runs (FirmwareOptions.duringTransaction). */
  get duringTransaction(): FirmwareDuringTransaction {
    return this.ports.options.duringTransaction ?? 'download';
  }

  /** Where downloaded files go. */
  get directory(): string {
    const { options, databaseFile, stationId } = this.ports;
    if (options.directory) return options.directory;
    // Per station: the stations of a fleet share the database file, and a CSMS campaign often gives
    // every station the same requestId (the file's name).
    if (databaseFile && databaseFile !== ':memory:')
      return path.join(`${databaseFile}.firmware`, encodeURIComponent(stationId));
    return path.join(tmpdir(), 'ocpp-station', stationId.replace(/[^A-Za-z0-9._-]/g, '_'), 'firmware');
  }

  /** The firmware actor's context (undefined before start). */
  context(): FirmwareContext | undefined {
    return this.ports.station()?.system.get(FIRMWARE_ACTOR_ID)?.getSnapshot().context as FirmwareContext | undefined;
  }

  /**
   * L01.FR.25/26: what a triggered FirmwareStatusNotification says: Idle when no update runs and the
   * last status was Installed (or none was sent), else the last status sent, with its requestId.
   *
   * @example
   * firmware.triggeredStatus(); // { status: 'Downloading', requestId: 7 }
   */
  triggeredStatus(): { status: FirmwareStatusEnumType; requestId?: number } {
    const snapshot = this.ports.station()?.system.get(FIRMWARE_ACTOR_ID)?.getSnapshot() as
      | { value?: unknown; context?: FirmwareContext }
      | undefined;
    const context = snapshot?.context;
    if (!context?.lastStatus || context.lastRequestId === null) {
      return this.hostLast && this.hostLast.status !== 'Installed' ? { ...this.hostLast } : { status: 'Idle' };
    }
    if (snapshot?.value === 'idle' && context.lastStatus === 'Installed') return { status: 'Idle' };
    return { status: context.lastStatus, requestId: context.lastRequestId };
  }

  /**
   * The answer the firmware actor gives `request` now, and `start`, which hands it over: called
   * after the UpdateFirmwareResponse is sent, so that the first FirmwareStatusNotification follows
   * the response (Part 6 TC_L_01).
   *
   * @example
   * const { status, start } = firmware.update(request); // 'Accepted'
   * ctx.afterResponse(start);
   */
  update(request: FirmwareRequest): { status: FirmwareReply; start(): void } {
    const station = this.ports.station();
    // The firmware actor starts at the first request (issue 9: an idle fleet station runs none).
    if (station && station.system.get(FIRMWARE_ACTOR_ID) === undefined) {
      station.send({ type: 'service.start', service: 'firmware' });
    }
    const actor = station?.system.get(FIRMWARE_ACTOR_ID);
    const snapshot = actor?.getSnapshot() as { matches(value: unknown): boolean; hasTag(tag: string): boolean } | undefined;
    if (!actor || !snapshot) return { status: 'Rejected', start: () => undefined };
    // The chart's own decision (machines/firmware.ts), read before the event is sent.
    const status: FirmwareReply =
      snapshot.hasTag(FIRMWARE_INSTALL_TAG)
        ? 'Rejected'
        : snapshot.matches('idle')
          ? 'Accepted'
          : 'AcceptedCanceled';
    return {
      status,
      start: () => {
        if (status !== 'Rejected') actor.send({ type: 'firmware.update', request });
      },
    };
  }

  /**
   * libocpp's on_firmware_update_status_notification: the host, which carries out the update itself
   * (updateFirmwareRequestCallback without installFirmwareCallback), reports a step. It is sent as a
   * durable FirmwareStatusNotification, remembered for TriggerMessage (L01.FR.26), and the security
   * events of L01.FR.03 (InvalidSignature) and L01.FR.31 (Installed) follow.
   *
   * @example
   * firmware.hostStatus(7, 'Downloading');
   */
  hostStatus(requestId: number, status: FirmwareStatusEnumType): void {
    const { ports } = this;
    const payload = requestId < 0 ? { status } : { status, requestId };
    this.hostLast = { ...payload };
    ports.queue
      .send('FirmwareStatusNotification', payload, { durable: true })
      .catch((error: unknown) => ports.reportError(error));
    if (status === 'InvalidSignature') ports.securityEvent('InvalidFirmwareSignature', `requestId ${requestId}`);
    if (status === 'Installed') ports.securityEvent('FirmwareUpdated', `requestId ${requestId}`);
  }

  /** The host reports the outcome of an installation it started (ChargePoint.onFirmwareInstalled). */
  installed(requestId: number, outcome: InstallOutcome): boolean {
    const resolve = this.pendingInstalls.get(requestId);
    if (!resolve) return false;
    resolve(outcome);
    return true;
  }

  /**
   * Resolves once the firmware actor's work on files has ended. The station's stop awaits it after
   * stopping the actors (which aborts a download): once stop() resolves, no download makes its
   * directory or removes its partial file, so the host may remove or move the directory.
   *
   * @example
   * actor.stop();
   * await firmware.settled();
   */
  async settled(): Promise<void> {
    await this.fileWork.settled();
  }

  /** The effects of the firmware actor. */
  effects(resumed: ResumedInstall | null): FirmwareEffects {
    const { ports } = this;
    return {
      clock: ports.clock,
      timers: ports.timers,
      queue: ports.queue,
      callbacks: ports.callbacks,
      directory: this.directory,
      ca: () => (ports.transferCa ? ports.transferCa() : (ports.options.fileTransferCa ?? ports.tlsCa)),
      bootReason: ports.bootReason,
      resumed: { value: resumed },
      hold: async () => this.hold(),
      release: () => this.release(),
      transactionsRunning: () => (this.ports.station()?.getSnapshot().context.activeEvses.length ?? 0) > 0,
      transactionsIdle: (signal) => this.transactionsIdle(signal),
      flushed: () => ports.flushed(),
      recordBootReason: (reason) => ports.recordBootReason(reason),
      delivered: (sent) => this.delivered(sent),
      pendingInstalls: this.pendingInstalls,
      fileWork: (work) => this.fileWork.track(work),
      securityEvent: (type, techInfo) => ports.securityEvent(type, techInfo),
      reportError: (error) => ports.reportError(error),
    };
  }

  /**
   * L01.FR.07: unless AllowNewSessionsPendingFirmwareUpdate is true, the station goes Inoperative
   * for the update: idle EVSEs at once, the others when their transaction ends (G04.FR.06). Only an
   * operative station is held (and later released): one the CSMS made Inoperative stays so.
   */
  private hold(): boolean {
    const station = this.ports.station();
    if (!station) return false;
    if (this.ports.deviceModel.getBoolean(ALLOW_NEW_SESSIONS) === true) return false;
    if (!station.getSnapshot().context.stationOperative) return false;
    station.send({ type: 'csms.changeAvailability', evseId: 0, operative: false });
    return true;
  }

  private release(): void {
    this.ports.station()?.send({ type: 'csms.changeAvailability', evseId: 0, operative: true });
  }

  private transactionsIdle(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const station = this.ports.station();
      if (!station) return;
      const idle = () => station.getSnapshot().context.activeEvses.length === 0;
      if (idle()) return resolve();
      const subscription = station.subscribe((snapshot) => {
        if (snapshot.context.activeEvses.length !== 0) return;
        subscription.unsubscribe();
        resolve();
      });
      signal.addEventListener('abort', () => subscription.unsubscribe());
    });
  }

  /** Waits (at most MessageTimeout, and only while connected) for the last status to be answered. */
  private async delivered(sent: Promise<unknown>): Promise<void> {
    if (!this.ports.connected()) return;
    let handle: unknown = null;
    await Promise.race([
      sent,
      new Promise<void>((resolve) => {
        handle = this.ports.timers.setTimeout(resolve, this.ports.messageTimeoutS() * 1000);
      }),
    ]);
    if (handle !== null) this.ports.timers.clearTimeout(handle);
  }
}
