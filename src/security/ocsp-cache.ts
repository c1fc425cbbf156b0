/**
 * M06: the station requests and caches the OCSP status of its V2G certificates (M06.FR.06), so the
 * ISO 15118 stack can hand the EV an OCSPResponse within the protocol's timeouts. Cached: the V2G
 * certificate in use and each sub-CA of its chain (errata 2025-06 on TC_M_24_CS), one
 * GetCertificateStatus per certificate (M06 remark). Refreshed when a week has passed since the last
 * answer (M06.FR.10) and for every certificate of the chain after a new V2G certificate was
 * installed (M06.FR.07). Entries are kept in station_state (`ocspCache`), so the refresh deadlines
 * survive restarts; the next one is an absolute deadline re-armed at start.
 *
 * A certificate without an OCSP responder URL (authorityInfoAccess) cannot be asked for: OCPP
 * requires responderURL (M06 remark), so it is left out. A self-signed root has no OCSP status.
 */
import type { X509Certificate } from 'node:crypto';
import type { GetCertificateStatusResponse, OCSPRequestDataType } from '../generated/ocpp-types.js';
import type { StationClock } from '../clock.js';
import { NotDeliveredError } from '../queue/queue-types.js';
import { waitUntil } from '../runtime/deadline.js';
import type { TimerScheduler } from '../runtime/timers.js';
import { certificateHashData, findIssuer } from './certificate-hash.js';
import type { CertificateManager, KeyValuePort } from './certificate-manager.js';

/** M06.FR.10: cached OCSP data is refreshed at least once a week. */
export const OCSP_REFRESH_DAYS = 7;
/**
 * A request that could not be delivered (offline) is tried again after this. Before registration
 * nothing is asked: the refresh starts when BootNotification is Accepted.
 */
export const OCSP_NOT_DELIVERED_RETRY_S = 60;
/** The CSMS could not get the status (Failed, M06.FR.04): asked again after this. */
export const OCSP_FAILED_RETRY_S = 3600;

const DAY_MS = 86_400_000;
const STATE_KEY = 'ocspCache';

/** One cached certificate status. */
export interface OcspCacheEntry {
  /** What GetCertificateStatus asks for (SHA256 hash data and the responder URL). */
  request: OCSPRequestDataType;
  /** The certificate's subject (e.g. `CN=CPO Sub-CA 1`), for people. */
  subject: string;
  /** `leaf` for the V2G certificate, `subCA` for a certificate of its chain. */
  role: 'leaf' | 'subCA';
  /** The OCSPResponse (DER, base64) of the last Accepted answer (M06.FR.03). */
  ocspResult?: string;
  /** When that answer arrived (ISO 8601, station clock). */
  fetchedAt?: string;
  /** The last request and how it ended. */
  attemptedAt?: string;
  lastStatus?: 'Accepted' | 'Failed' | 'NotDelivered';
  /** M06.FR.07: a refresh is owed whatever the age of `fetchedAt` (a new V2G certificate). */
  refreshRequested?: boolean;
}

export interface OcspCacheOptions {
  certificates: CertificateManager;
  state: KeyValuePort;
  clock: StationClock;
  timers: TimerScheduler;
  /** Sends GetCertificateStatus through the queue; rejects when it cannot be delivered. */
  send(payload: { ocspRequestData: OCSPRequestDataType }): Promise<unknown>;
  reportError(error: unknown): void;
}

/** The responder URL of a certificate's authorityInfoAccess (`OCSP - URI:...`), if any. */
function responderUrl(cert: X509Certificate): string | undefined {
  const url = /^OCSP - URI:(.+)$/m.exec(cert.infoAccess ?? '')?.[1]?.trim();
  return url !== undefined && url.length > 0 && url.length <= 512 ? url : undefined;
}

const keyOf = (r: OCSPRequestDataType) => `${r.issuerKeyHash}:${r.serialNumber}`;

/**
 * When an entry is next due (ms): a week after its last answer, or after the retry wait of a
 * failed attempt, whichever is later; at once when it was never answered or a refresh is owed.
 */
function dueAt(entry: OcspCacheEntry): number {
  const fresh =
    entry.fetchedAt !== undefined && entry.refreshRequested !== true
      ? Date.parse(entry.fetchedAt) + OCSP_REFRESH_DAYS * DAY_MS
      : -Infinity;
  const retryS = entry.lastStatus === 'Failed' ? OCSP_FAILED_RETRY_S : OCSP_NOT_DELIVERED_RETRY_S;
  const retry =
    entry.attemptedAt !== undefined && entry.lastStatus !== 'Accepted'
      ? Date.parse(entry.attemptedAt) + retryS * 1000
      : -Infinity;
  return Math.max(fresh, retry);
}

/**
 * @example
 * const ocsp = new OcspCache({ certificates, state, clock, timers, send, reportError });
 * await ocsp.start();
 * (await ocsp.entries()).map((e) => e.ocspResult); // for the ISO 15118 stack
 */
export class OcspCache {
  private wait: AbortController | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private started = false;
  /**
   * Is the station registered (BootNotification Accepted)? Until it is, the queue sends nothing but
   * BootNotification (B02.FR.02/B03.FR.02), so a GetCertificateStatus would only fail.
   */
  private registered = false;

  constructor(private readonly options: OcspCacheOptions) {}

  /**
   * Starts the cache: what is due is asked for as soon as the station is registered
   * ({@link registrationChanged}), at once when it already is; then the next refresh is armed.
   */
  start(): Promise<void> {
    this.started = true;
    return this.registered ? this.refresh(false) : this.running;
  }

  /**
   * The registration status changed (B01–B03). On Accepted, what became due while the station was
   * not registered (at every start, a week passed while it was off) is asked for now, with no wait.
   *
   * @example
   * ocsp.registrationChanged(true); // BootNotificationResponse Accepted
   */
  registrationChanged(accepted: boolean): void {
    const was = this.registered;
    this.registered = accepted;
    if (accepted && !was && this.started && !this.stopped) void this.refresh(false);
  }

  stop(): void {
    this.stopped = true;
    this.wait?.abort();
    this.wait = null;
  }

  /** The cached statuses of the V2G certificate in use and its sub-CAs (answered or not yet). */
  async entries(): Promise<OcspCacheEntry[]> {
    await this.running;
    return Object.values((await this.options.state.get<Record<string, OcspCacheEntry>>(STATE_KEY)) ?? {});
  }

  /**
   * Resolves once the refreshes queued so far have ended (they never reject): the station's stop
   * waits for it, so no cache entry is written after the store may be closed.
   *
   * @example
   * ocsp.stop();
   * await ocsp.settled();
   */
  settled(): Promise<void> {
    return this.running;
  }

  /**
   * Asks the CSMS for the status of every certificate that is due; with `force` (M06.FR.07: a new
   * V2G certificate) for all of them. Runs one at a time.
   *
   * @example
   * await ocsp.refresh(true); // after CertificateSigned installed a V2GCertificate
   */
  refresh(force: boolean): Promise<void> {
    const run = this.running.then(() => this.refreshNow(force));
    this.running = run.catch((error: unknown) => this.options.reportError(error));
    return this.running;
  }

  /** The certificates to cache now: the newest valid V2G certificate and the sub-CAs of its chain. */
  private targets(): Array<Omit<OcspCacheEntry, 'request'> & { request: OCSPRequestDataType }> {
    const v2g = this.options.certificates.validOwn('V2GCertificate')[0];
    if (!v2g) return [];
    const pool = this.options.certificates.certificatePool();
    const out: Array<Omit<OcspCacheEntry, 'request'> & { request: OCSPRequestDataType }> = [];
    v2g.chain.forEach((cert, index) => {
      const issuer = findIssuer(cert, pool);
      const url = responderUrl(cert);
      if (!issuer || issuer === cert || url === undefined) return;
      out.push({
        request: { ...certificateHashData(cert, issuer, 'SHA256'), responderURL: url },
        subject: cert.subject.replaceAll('\n', ', '),
        role: index === 0 ? 'leaf' : 'subCA',
      });
    });
    return out;
  }

  private async refreshNow(force: boolean): Promise<void> {
    if (this.stopped) return;
    const storedRow = await this.options.state.get<Record<string, OcspCacheEntry>>(STATE_KEY);
    const stored = storedRow ?? {};
    const next: Record<string, OcspCacheEntry> = {};
    for (const target of this.targets()) {
      const key = keyOf(target.request);
      const entry: OcspCacheEntry = { ...stored[key], ...target };
      if (force) entry.refreshRequested = true;
      next[key] = entry;
      // Not registered: nothing could be delivered; registrationChanged(true) refreshes (a forced
      // refresh is kept as refreshRequested, so it is not lost meanwhile).
      if (!this.registered || dueAt(entry) > this.options.clock.nowMs()) continue;
      await this.ask(entry);
    }
    // Certificates no longer in use (replaced, deleted) are forgotten. Nothing stored and nothing to
    // cache (a station without a V2G certificate, at every boot) writes nothing (issue 9).
    if (storedRow !== undefined || Object.keys(next).length > 0) await this.options.state.set(STATE_KEY, next);
    if (this.registered) this.arm(Object.values(next));
  }

  private async ask(entry: OcspCacheEntry): Promise<void> {
    entry.attemptedAt = this.options.clock.nowIso();
    try {
      const response = (await this.options.send({
        ocspRequestData: entry.request,
      })) as GetCertificateStatusResponse;
      if (response.status === 'Accepted' && response.ocspResult !== undefined) {
        entry.ocspResult = response.ocspResult;
        entry.fetchedAt = entry.attemptedAt;
        entry.lastStatus = 'Accepted';
        delete entry.refreshRequested;
      } else {
        // M06.FR.04: the CSMS could not get it; the previous answer stays cached meanwhile.
        entry.lastStatus = 'Failed';
      }
    } catch (error) {
      entry.lastStatus = 'NotDelivered';
      // Offline or not registered yet is expected (tried again soon); anything else is reported.
      if (!(error instanceof NotDeliveredError)) this.options.reportError(error);
    }
  }

  private arm(entries: readonly OcspCacheEntry[]): void {
    this.wait?.abort();
    this.wait = null;
    if (this.stopped || entries.length === 0) return;
    const due = Math.min(...entries.map(dueAt));
    const controller = new AbortController();
    this.wait = controller;
    const until = new Date(Math.max(due, this.options.clock.nowMs())).toISOString();
    void waitUntil(this.options.clock, this.options.timers, until, controller.signal).then(() => {
      if (this.wait === controller) this.wait = null;
      if (!this.stopped) void this.refresh(false);
    });
  }
}
