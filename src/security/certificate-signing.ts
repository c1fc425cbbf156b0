/**
 * A02/A03: the station's own certificates. A CSR for a new key pair goes out in SignCertificate
 * (TriggerMessage SignChargingStationCertificate/SignV2GCertificate, or a certificate that expires
 * within {@link RENEWAL_MARGIN_DAYS} days); CertificateSigned is verified and installed.
 *
 * The wait for CertificateSigned is a persisted deadline (station_state `certSigning:<use>`): after a
 * restart the same CSR is sent again when it expires. A02.FR.17–19: CertSigningWaitMinimum, doubled
 * after each retry, CertSigningRepeatTimes retries, then the station waits for a TriggerMessage.
 * A02.FR.20: after a refused certificate, no retries.
 */
import { createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';
import type {
  CertificateSignedRequest,
  CertificateSigningUseEnumType,
  SignCertificateResponse,
} from '../generated/ocpp-types.js';
import type { StationClock } from '../clock.js';
import { waitUntil } from '../runtime/deadline.js';
import type { DeviceModelPort } from '../runtime/ports.js';
import type { TimerScheduler } from '../runtime/timers.js';
import type { CertificateManager, KeyValuePort } from './certificate-manager.js';
import { CertificateFormatError, parsePemChain } from './pem.js';
import { verifyChain } from './verify-chain.js';
import { InFlight } from '../in-flight.js';
import { LazyMap } from '../lazy-collections.js';

/** A03.FR.02: a certificate is renewed when it expires within one month. */
export const RENEWAL_MARGIN_DAYS = 30;
const DAY_MS = 86_400_000;

const SECURITY = (variable: string) => ({ component: 'SecurityCtrlr', variable });
const ISO15118 = (variable: string) => ({ component: 'ISO15118Ctrlr', variable });

/** A CSR waiting for its CertificateSigned (persisted). */
export interface PendingSigning {
  keyId: string;
  csr: string;
  commonName: string;
  /** Retries sent so far (A02.FR.18). */
  attempt: number;
  /** Has the CSMS received this CSR at least once? Sends that did not get through are not counted. */
  delivered?: boolean;
  /** When the next SignCertificate goes out (ISO), or null once the retries are spent. */
  deadline: string | null;
}

export interface CertificateSigningOptions {
  certificates: CertificateManager;
  deviceModel: DeviceModelPort;
  clock: StationClock;
  timers: TimerScheduler;
  state: KeyValuePort;
  identity(): string;
  /** Sends SignCertificate through the queue (triggered: may pass while Pending). */
  send(
    payload: { csr: string; certificateType: CertificateSigningUseEnumType },
    triggered: boolean,
  ): Promise<unknown>;
  securityEvent(type: string, techInfo?: string, critical?: boolean): void;
  reportError(error: unknown): void;
  /** The CSMS answered SignCertificate with Rejected (A02.FR.21 for a V2GCertificate). */
  refused?(use: CertificateSigningUseEnumType): Promise<unknown>;
}

const USES: readonly CertificateSigningUseEnumType[] = ['ChargingStationCertificate', 'V2GCertificate'];
const stateKey = (use: CertificateSigningUseEnumType) => `certSigning:${use}`;

/**
 * @example
 * const signing = new CertificateSigning({ certificates, deviceModel, clock, timers, state, identity, send, ... });
 * await signing.start();
 * await signing.request('ChargingStationCertificate', true); // after TriggerMessage
 */
export class CertificateSigning {
  private readonly waits = new LazyMap<string, AbortController>();
  private stopped = false;
  /** Requests and retries running (key generation, files, the CSR's send): {@link settled} waits for them. */
  private readonly work = new InFlight();

  constructor(private readonly options: CertificateSigningOptions) {}

  /** Re-arms the persisted waits and the renewal checks. */
  async start(): Promise<void> {
    for (const use of USES) {
      const pending = await this.options.state.get<PendingSigning>(stateKey(use));
      if (pending?.deadline) this.arm(`retry:${use}`, pending.deadline, () => this.retry(use));
    }
    this.scheduleRenewal();
  }

  stop(): void {
    this.stopped = true;
    for (const controller of this.waits.values()) controller.abort();
    this.waits.clear();
  }

  /**
   * Resolves once the requests and retries running at {@link stop} have ended (issue 9: a station
   * touches no file after its stop). A renewal started just before the stop is still generating its
   * key: its key file is removed again, and no CSR is sent.
   *
   * @example
   * signing.stop();
   * await signing.settled(); // then the store can be closed and the directory removed
   */
  settled(): Promise<void> {
    return this.work.settled();
  }

  /** The CSR waiting for a certificate of `use`, if any. */
  pending(use: CertificateSigningUseEnumType): Promise<PendingSigning | undefined> {
    return this.options.state.get<PendingSigning>(stateKey(use));
  }

  /**
   * A02.FR.02/03 (A03.FR.02/03): a new key pair and CSR, sent in SignCertificate. A request in
   * progress for the same use is replaced.
   */
  request(use: CertificateSigningUseEnumType, triggered: boolean): Promise<void> {
    // A TriggerMessage's follow-up can run after the stop: it starts nothing then.
    if (this.stopped) return Promise.resolve();
    return this.work.track(() => this.requestNow(use, triggered));
  }

  private async requestNow(use: CertificateSigningUseEnumType, triggered: boolean): Promise<void> {
    const subject = this.subject(use);
    const { csrPem, keyId } = await this.options.certificates.store.createCsr(use, subject);
    // Stopped while the key was made: nothing is sent, the new key is not left behind, and a CSR
    // already waiting keeps its key and its stored state (it is retried after the next start).
    if (this.stopped) return this.options.certificates.store.discardKey(keyId);
    const previous = await this.pending(use);
    if (previous) await this.options.certificates.store.discardKey(previous.keyId);
    const pending: PendingSigning = {
      keyId,
      csr: csrPem,
      commonName: subject.commonName,
      attempt: 0,
      deadline: null,
    };
    await this.options.state.set(stateKey(use), pending);
    await this.sendCsr(use, pending, triggered);
  }

  /**
   * A02.FR.06/07 (A03.FR.06/07): CertificateSigned is checked (size, the key of the pending CSR,
   * validity now, subject, chain to an installed root) and installed, or Rejected with an
   * InvalidChargingStationCertificate security event.
   */
  signed(request: CertificateSignedRequest): Promise<{ status: 'Accepted' | 'Rejected'; reason?: string }> {
    // Its files and state land before the station's stop resolves.
    return this.work.track(() => this.signedNow(request));
  }

  private async signedNow(
    request: CertificateSignedRequest,
  ): Promise<{ status: 'Accepted' | 'Rejected'; reason?: string }> {
    const use = request.certificateType ?? 'ChargingStationCertificate';
    const pending = await this.pending(use);
    const problem = await this.problem(request, use, pending);
    if (problem !== undefined || !pending) {
      const reason = problem ?? 'no CSR is waiting for a certificate';
      // A02.FR.07: discard it and raise the event; A02.FR.20: no retries until triggered again.
      if (pending) {
        await this.options.certificates.store.discardKey(pending.keyId);
        await this.options.state.delete(stateKey(use));
        this.waits.get(`retry:${use}`)?.abort();
      }
      this.options.securityEvent('InvalidChargingStationCertificate', `${use}: ${reason}`);
      return { status: 'Rejected', reason };
    }
    await this.options.certificates.store.addSigned(use, request.certificateChain, pending.keyId);
    await this.options.state.delete(stateKey(use));
    this.waits.get(`retry:${use}`)?.abort();
    await this.options.certificates.load();
    this.scheduleRenewal();
    return { status: 'Accepted' };
  }

  /** Why the certificate of a CertificateSigned cannot be installed, or undefined when it can. */
  private async problem(
    request: CertificateSignedRequest,
    use: CertificateSigningUseEnumType,
    pending: PendingSigning | undefined,
  ): Promise<string | undefined> {
    const dm = this.options.deviceModel;
    const maxSize = dm.getInteger(SECURITY('MaxCertificateChainSize'));
    // A02.FR.16: a chain longer than MaxCertificateChainSize is Rejected.
    if (maxSize !== undefined && request.certificateChain.length > maxSize) {
      return `certificate chain of ${request.certificateChain.length} characters exceeds MaxCertificateChainSize ${maxSize}`;
    }
    if (!pending) return undefined;
    let chain: X509Certificate[];
    try {
      chain = parsePemChain(request.certificateChain, 'certificateChain');
    } catch (error) {
      if (error instanceof CertificateFormatError) return error.message;
      throw error;
    }
    const leaf = chain[0] as X509Certificate;
    const expectedKey = await this.options.certificates.store.publicKey(pending.keyId);
    const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' }).toString('hex');
    if (!expectedKey || spki(leaf.publicKey) !== spki(createPublicKey(expectedKey))) {
      return 'the certificate is not for the key pair of the pending CSR';
    }
    const commonName = /(?:^|\n)CN=([^\n]*)/.exec(leaf.subject)?.[1];
    if (commonName !== pending.commonName) {
      return `subject CN ${JSON.stringify(commonName ?? '')} is not ${JSON.stringify(pending.commonName)}`;
    }
    const rootType = use === 'V2GCertificate' ? 'V2GRootCertificate' : 'CSMSRootCertificate';
    const verdict = verifyChain(
      chain,
      this.options.certificates.rootCertificates(rootType),
      this.options.clock.nowMs(),
    );
    return verdict.ok ? undefined : verdict.reason;
  }

  /** CN/O/C of a CSR (A02 prerequisites: OrganizationName; SeccId for a V2G certificate). */
  private subject(use: CertificateSigningUseEnumType) {
    const dm = this.options.deviceModel;
    const organization =
      (use === 'V2GCertificate' ? dm.get(ISO15118('OrganizationName')) : undefined) ||
      dm.get(SECURITY('OrganizationName'));
    if (!organization)
      throw new Error('SecurityCtrlr.OrganizationName is not set: no CSR can be made (A02 prerequisite)');
    const commonName =
      (use === 'V2GCertificate' ? dm.get(ISO15118('SeccId')) : undefined) || this.options.identity();
    const country = use === 'V2GCertificate' ? dm.get(ISO15118('CountryName')) : undefined;
    return { commonName, organization, ...(country ? { country } : {}) };
  }

  private async sendCsr(
    use: CertificateSigningUseEnumType,
    pending: PendingSigning,
    triggered: boolean,
  ): Promise<void> {
    let delivered = true;
    try {
      const response = (await this.options.send(
        { csr: pending.csr, certificateType: use },
        triggered,
      )) as SignCertificateResponse;
      if (response.status !== 'Accepted') {
        await this.options.certificates.store.discardKey(pending.keyId);
        await this.options.state.delete(stateKey(use));
        await this.options.refused?.(use);
        return;
      }
    } catch (error) {
      // Not delivered (offline, not Accepted yet, timeout): tried again after the minimum wait,
      // without counting as a retry.
      delivered = false;
      this.options.reportError(error);
    }
    // A02.FR.17/18: wait CertSigningWaitMinimum, doubled after each retry.
    const waitS = Math.max(1, this.options.deviceModel.getInteger(SECURITY('CertSigningWaitMinimum')) ?? 30);
    const attempt = delivered || !pending.delivered ? pending.attempt : pending.attempt - 1;
    const waitMs = waitS * 1000 * (delivered ? 2 ** attempt : 1);
    const deadline = new Date(this.options.clock.nowMs() + waitMs).toISOString();
    const next: PendingSigning = {
      ...pending,
      attempt,
      delivered: delivered || pending.delivered === true,
      deadline,
    };
    await this.options.state.set(stateKey(use), next);
    this.arm(`retry:${use}`, deadline, () => this.retry(use));
  }

  /** The wait for CertificateSigned expired: send the CSR again, or stop (A02.FR.19). */
  private async retry(use: CertificateSigningUseEnumType): Promise<void> {
    const pending = await this.pending(use);
    if (!pending?.deadline) return;
    if (!pending.delivered) {
      await this.sendCsr(use, pending, false);
      return;
    }
    // A02.FR.18/19: CertSigningRepeatTimes counts the doublings of the wait, so the CSR is sent
    // again RepeatTimes + 1 times (Part 6 TC_A_23_CS: RepeatTimes 1 → sent after W and after 2W).
    const repeatTimes = this.options.deviceModel.getInteger(SECURITY('CertSigningRepeatTimes')) ?? 0;
    if (pending.attempt > repeatTimes) {
      await this.options.state.set(stateKey(use), { ...pending, deadline: null });
      return;
    }
    await this.sendCsr(use, { ...pending, attempt: pending.attempt + 1 }, false);
  }

  /** A03.FR.02: renew the certificates in use {@link RENEWAL_MARGIN_DAYS} days before they expire. */
  private scheduleRenewal(): void {
    for (const use of USES) {
      const current = this.options.certificates.validOwn(use)[0];
      if (!current) continue;
      const due = Date.parse(current.chain[0]?.validTo ?? '') - RENEWAL_MARGIN_DAYS * DAY_MS;
      if (!Number.isFinite(due)) continue;
      this.arm(`renew:${use}`, new Date(due).toISOString(), async () => {
        if (await this.pending(use)) return;
        await this.request(use, false);
      });
    }
  }

  private arm(name: string, until: string, work: () => Promise<void>): void {
    this.waits.get(name)?.abort();
    if (this.stopped) return;
    const controller = new AbortController();
    this.waits.set(name, controller);
    void waitUntil(this.options.clock, this.options.timers, until, controller.signal).then(() => {
      if (this.waits.get(name) === controller) this.waits.delete(name);
      if (!this.stopped) this.work.track(work).catch((e: unknown) => this.options.reportError(e));
    });
  }
}
