/**
 * The certificate side of one running station: the store (the host's, or the default files next to
 * the database), the {@link CertificateManager} and the A02/A03 {@link CertificateSigning}.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StationClock } from '../clock.js';
import type { MessageQueue } from '../queue/message-queue.js';
import type { DeviceModelPort } from '../runtime/ports.js';
import type { TlsMaterial } from '../runtime/session.js';
import type { TimerScheduler } from '../runtime/timers.js';
import type { StationDatabase } from '../store/database.js';
import type { CertificateStore } from './certificate-store.js';
import { CertificateManager, type KeyValuePort } from './certificate-manager.js';
import { StationStateCache } from './station-state-cache.js';
import { CertificateSigning } from './certificate-signing.js';
import { FileCertificateStore } from './file-certificate-store.js';
import { OcspCache } from './ocsp-cache.js';
import { restorePncAfterReboot, suspendPnc } from './pnc-suspension.js';
import { installStartupRoots, type StartupRoot } from './startup-roots.js';

export interface StationCertificatesOptions {
  stationId: string;
  store: StationDatabase;
  deviceModel: DeviceModelPort;
  clock: StationClock;
  timers: TimerScheduler;
  queue: Pick<MessageQueue, 'send'>;
  certificateStore?: CertificateStore;
  hostTls?: TlsMaterial;
  /** Roots installed at every start before the first connection (CLI `--install-cert`). */
  installRoots?: readonly StartupRoot[];
  securityEvent(type: string, techInfo?: string, critical?: boolean): void;
  /** Close the connection and connect again (with the new client certificate). */
  reconnect(): void;
  /** The active security profile (the client certificate matters under 3). */
  securityProfile(): number;
  reportError(error: unknown): void;
}

/**
 * Where the default store keeps a station's files: `<database file>.certificates/<stationId>`, or a
 * directory under the OS temp directory for an in-memory database (nothing else of it outlives the
 * process either).
 *
 * @example
 * defaultCertificateDirectory('/var/lib/station.db', 'CS001'); // '/var/lib/station.db.certificates/CS001'
 */
export function defaultCertificateDirectory(databaseFile: string, stationId: string): string {
  const base =
    databaseFile === ':memory:' || databaseFile === ''
      ? path.join(tmpdir(), `ocpp-station-certificates-${process.pid}`)
      : `${path.resolve(databaseFile)}.certificates`;
  return path.join(base, encodeURIComponent(stationId));
}

/**
 * @example
 * const certificates = new StationCertificates({ stationId, store, deviceModel, clock, timers, queue, ... });
 * await certificates.start();
 */
export class StationCertificates {
  readonly manager: CertificateManager;
  readonly signing: CertificateSigning;
  /** M06: the cached OCSP statuses of the V2G certificate and its sub-CAs. */
  readonly ocsp: OcspCache;

  constructor(private readonly options: StationCertificatesOptions) {
    const state = new StationStateCache(options.store.db, options.stationId, () => options.clock.nowIso());
    const store =
      options.certificateStore ??
      new FileCertificateStore(defaultCertificateDirectory(options.store.file, options.stationId));
    this.state = state;
    this.manager = new CertificateManager({
      store,
      deviceModel: options.deviceModel,
      nowMs: () => options.clock.nowMs(),
      state,
      ...(options.hostTls ? { hostTls: options.hostTls } : {}),
      securityEvent: options.securityEvent,
      reportError: options.reportError,
    });
    this.signing = new CertificateSigning({
      certificates: this.manager,
      deviceModel: options.deviceModel,
      clock: options.clock,
      timers: options.timers,
      state,
      identity: () =>
        options.deviceModel.get({ component: 'SecurityCtrlr', variable: 'Identity' }) || options.stationId,
      send: (payload, triggered) => options.queue.send('SignCertificate', payload, { triggered }),
      securityEvent: options.securityEvent,
      reportError: options.reportError,
      // A02.FR.21: no V2G certificate, no Plug & Charge until the station reboots.
      refused: async (use) => {
        if (use === 'V2GCertificate') await suspendPnc(options.deviceModel, state);
      },
    });
    this.ocsp = new OcspCache({
      certificates: this.manager,
      state,
      clock: options.clock,
      timers: options.timers,
      send: (payload) => options.queue.send('GetCertificateStatus', payload),
      reportError: options.reportError,
    });
    this.clientCertificateInstalled = () => {
      if (options.securityProfile() === 3) options.reconnect();
    };
  }

  /**
   * A02.FR.08 (errata): a new ChargingStationCertificate is used by reconnecting (under security
   * profile 3; otherwise it is used once the station moves to profile 3). Call it after the
   * CertificateSignedResponse is out.
   */
  readonly clientCertificateInstalled: () => void;

  /** M06.FR.07: a new V2G certificate: the OCSP data of its whole chain is requested again. */
  v2gCertificateInstalled(): void {
    void this.ocsp.refresh(true);
  }

  /**
   * The registration status changed (B01–B03): the OCSP refresh (M06) starts once it is Accepted.
   *
   * @example
   * certificates.registrationChanged('Accepted');
   */
  registrationChanged(status: string): void {
    this.ocsp.registrationChanged(status === 'Accepted');
  }

  async start(): Promise<void> {
    await this.manager.load();
    // A02.FR.21: this start is the reboot that ends a PnC suspension.
    await restorePncAfterReboot(this.options.deviceModel, this.state);
    // Before the station connects: a CSMS root given here is the trust anchor of the first wss://.
    if (this.options.installRoots) await installStartupRoots(this.manager, this.options.installRoots);
    await this.signing.start();
    // M06: not awaited; what is due is asked for once BootNotification is Accepted
    // (registrationChanged), not before: the queue would refuse it.
    void this.ocsp.start();
    // Appendix 1: a change of the security profile in use (A05.FR.06) is a security event.
    this.unsubscribe = this.options.deviceModel.onChange((change) => {
      const { component, variable } = change.ref;
      if (component !== 'SecurityCtrlr' || variable !== 'SecurityProfile' || change.previous === change.value)
        return;
      this.options.securityEvent(
        'ReconfigurationOfSecurityParameters',
        `SecurityProfile ${change.previous ?? 'unset'} -> ${change.value}`,
        false,
      );
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.signing.stop();
    this.ocsp.stop();
  }

  /**
   * Resolves once the certificate work running at {@link stop} has ended (a renewal's key file, an
   * installation's files, their state, an OCSP refresh's cache entry): the station's stop waits for
   * it before the store may be closed.
   *
   * @example
   * certificates.stop();
   * await certificates.settled();
   */
  async settled(): Promise<void> {
    await Promise.all([this.signing.settled(), this.ocsp.settled()]);
  }

  private unsubscribe: (() => void) | undefined;
  private readonly state: KeyValuePort;
}
