/**
 * The station's certificates at run time: the installed roots and own certificates (parsed from the
 * {@link CertificateStore}), the TLS material of each connection attempt, and the M03/M04/M05 rules.
 *
 * Which certificates a connection uses:
 * - CSMS roots: every installed CSMSRootCertificate plus the host's `tls.ca`. M05.FR.12–14: with
 *   AdditionalRootCertificateCheck the replaced root is kept as a fallback; a server certificate the
 *   new root does not verify makes the next attempt use the fallback, and the first connection
 *   made with the new root removes the fallback (M05.FR.13).
 * - Client certificate (profile 3): the newest valid ChargingStationCertificate by notBefore, else
 *   the host's `tls.cert`/`tls.key`. A02.FR.28 (errata): while a renewed and an old one are both
 *   kept, a failed connection makes the next attempt alternate; A02.FR.10: the first connection
 *   removes the one not in use, and A02.FR.29 reports DiscardedRenewedClientCertificate when that is
 *   the new one.
 */
import type { X509Certificate } from 'node:crypto';
import type {
  CertificateHashDataChainType,
  CertificateHashDataType,
  DeleteCertificateStatusEnumType,
  GetCertificateIdUseEnumType,
  InstallCertificateStatusEnumType,
  InstallCertificateUseEnumType,
} from '../generated/ocpp-types.js';
import type { DeviceModelPort } from '../runtime/ports.js';
import type { TlsMaterial } from '../runtime/session.js';
import { TransportError } from '../transport/errors.js';
import type { CertificateStore, ClientCredentials } from './certificate-store.js';
import {
  findByHash,
  findChainMember,
  v2gDependants,
  installedHashData,
  leafOf,
  parseInstalled,
  type InstalledCertificate,
} from './installed-certificates.js';
import { CertificateFormatError, isValidAt, parsePemChain } from './pem.js';
import { LazyMap } from '../lazy-collections.js';

const ADDITIONAL_ROOT_CHECK = { component: 'SecurityCtrlr', variable: 'AdditionalRootCertificateCheck' };
const CERTIFICATE_ENTRIES = { component: 'SecurityCtrlr', variable: 'CertificateEntries' };
const SECURITY_PROFILE = { component: 'SecurityCtrlr', variable: 'SecurityProfile' };

/** Small persisted facts (station_state). */
export interface KeyValuePort {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface CertificateManagerOptions {
  store: CertificateStore;
  deviceModel: DeviceModelPort;
  nowMs(): number;
  state: KeyValuePort;
  /** Certificates the host gave in ChargePointOptions.tls: used alongside the store's. */
  hostTls?: TlsMaterial;
  securityEvent(type: string, techInfo?: string, critical?: boolean): void;
  reportError(error: unknown): void;
}

/** The fallback CSMS root of M05.FR.12, by store id. */
const FALLBACK_ROOT_KEY = 'csmsRootFallback';

/** An install verdict, with why (for statusInfo). */
export interface InstallResult {
  status: InstallCertificateStatusEnumType;
  reason?: string;
}

/**
 * @example
 * const certificates = new CertificateManager({ store, deviceModel, nowMs, state, securityEvent, reportError });
 * await certificates.load();
 * openSession({ ..., tls: certificates.tls(3) });
 */
export class CertificateManager {
  private installed: InstalledCertificate[] = [];
  private credentials = new LazyMap<string, ClientCredentials>();
  private fallbackRootId: string | undefined;
  private useFallbackRoot = false;
  private preferOlderClient = false;
  /** What the last attempt offered: the client certificate's id and whether the fallback root was used. */
  private offered: { clientId: string | undefined; fallback: boolean; securityProfile: number } | null = null;

  constructor(private readonly options: CertificateManagerOptions) {}

  get store(): CertificateStore {
    return this.options.store;
  }

  /** Reads the store again (after every change). */
  async load(): Promise<void> {
    this.installed = parseInstalled(await this.options.store.list(), (e) => this.options.reportError(e));
    this.fallbackRootId = await this.options.state.get<string>(FALLBACK_ROOT_KEY);
    if (this.fallbackRootId && !this.installed.some((c) => c.entry.id === this.fallbackRootId)) {
      this.fallbackRootId = undefined;
    }
    this.credentials.clear();
    for (const client of this.validOwn('ChargingStationCertificate').slice(0, 2)) {
      const creds = await this.options.store.credentials(client.entry.id);
      if (creds) this.credentials.set(client.entry.id, creds);
    }
    const dm = this.options.deviceModel;
    if (dm.has(CERTIFICATE_ENTRIES)) {
      const count = String(this.installed.length);
      if (dm.get(CERTIFICATE_ENTRIES) !== count) await dm.set(CERTIFICATE_ENTRIES, count, 'host');
    }
  }

  /**
   * Trusted roots of a type, valid now (firmware verification uses ManufacturerRootCertificate).
   *
   * @example
   * certificates.roots('ManufacturerRootCertificate'); // PEM strings
   */
  roots(type: InstallCertificateUseEnumType): string[] {
    return this.installed
      .filter((c) => c.entry.type === type && isValidAt(leafOf(c), this.options.nowMs()))
      .map((c) => c.entry.pem);
  }

  /** Parsed roots of a type, valid now. */
  rootCertificates(type: InstallCertificateUseEnumType): X509Certificate[] {
    const host = type === 'CSMSRootCertificate' ? this.hostRoots() : [];
    return [...this.installed.filter((c) => c.entry.type === type).map(leafOf), ...host].filter((c) =>
      isValidAt(c, this.options.nowMs()),
    );
  }

  /** Every certificate of every installed chain and root: where issuers are looked up. */
  certificatePool(): X509Certificate[] {
    return this.installed.flatMap((c) => c.chain);
  }

  /** Every installed certificate of a type (valid or not), e.g. to skip installing one again. */
  installedOfType(type: InstallCertificateUseEnumType): X509Certificate[] {
    return this.installed.filter((c) => c.entry.type === type).map(leafOf);
  }

  /** A05.FR.02: is there a valid CSMS root (installed or given by the host)? */
  hasCsmsRoot(): boolean {
    return this.rootCertificates('CSMSRootCertificate').length > 0;
  }

  /** A05.FR.03 / A00.FR.407: is there a valid client certificate with its key? */
  hasClientCertificate(): boolean {
    return this.credentials.size > 0 || Boolean(this.options.hostTls?.cert && this.options.hostTls.key);
  }

  /** Own certificates of a use that are valid now, newest first (by notBefore, A02.FR.09). */
  validOwn(use: 'ChargingStationCertificate' | 'V2GCertificate'): InstalledCertificate[] {
    return this.installed
      .filter((c) => c.entry.type === use && isValidAt(leafOf(c), this.options.nowMs()))
      .sort((a, b) => Date.parse(leafOf(b).validFrom) - Date.parse(leafOf(a).validFrom));
  }

  /**
   * The TLS material of the next connection attempt with `securityProfile`.
   *
   * @example
   * const tls = certificates.tls(3); // { ca: [...], cert, key }
   */
  tls(securityProfile: number): TlsMaterial | undefined {
    const host = this.options.hostTls;
    const csmsRoots = this.installed.filter((c) => c.entry.type === 'CSMSRootCertificate');
    const fallback = this.fallbackRootId;
    const useFallback = fallback !== undefined && this.useFallbackRoot;
    const roots = csmsRoots
      .filter((c) => (fallback === undefined ? true : useFallback === (c.entry.id === fallback)))
      .map((c) => c.entry.pem);
    const ca = [...roots, ...[host?.ca ?? []].flat()];
    const clients = this.validOwn('ChargingStationCertificate').filter((c) =>
      this.credentials.has(c.entry.id),
    );
    const client = (this.preferOlderClient ? clients[1] : undefined) ?? clients[0];
    const creds = client ? this.credentials.get(client.entry.id) : undefined;
    this.offered = { clientId: client?.entry.id, fallback: useFallback, securityProfile };
    const material: TlsMaterial = {
      ...(ca.length > 0 ? { ca } : {}),
      ...(creds
        ? { cert: creds.cert, key: creds.key }
        : host?.cert && host.key
          ? { cert: host.cert, key: host.key, ...(host.passphrase ? { passphrase: host.passphrase } : {}) }
          : {}),
    };
    return Object.keys(material).length > 0 ? material : undefined;
  }

  /** The attempt offered by the last `tls()` failed: alternate fallbacks (M05.FR.14, A02.FR.28). */
  onConnectFailed(error: unknown): void {
    if (this.fallbackRootId && error instanceof TransportError && error.kind === 'tls-server-certificate') {
      this.useFallbackRoot = !this.useFallbackRoot;
    }
    if (this.offered?.securityProfile === 3 && this.credentials.size > 1) {
      this.preferOlderClient = !this.preferOlderClient;
    }
  }

  /** The attempt offered by the last `tls()` connected: drop what is no longer needed. */
  async onConnected(): Promise<void> {
    const offered = this.offered;
    if (!offered) return;
    let changed = false;
    // M05.FR.13: connected with the new root: the fallback goes.
    if (this.fallbackRootId && offered.securityProfile >= 2 && !offered.fallback) {
      await this.options.store.remove(this.fallbackRootId);
      await this.options.state.delete(FALLBACK_ROOT_KEY);
      this.useFallbackRoot = false;
      changed = true;
    }
    if (offered.securityProfile === 3 && offered.clientId !== undefined) {
      const inUse = this.installed.find((c) => c.entry.id === offered.clientId);
      for (const other of this.installed.filter(
        (c) => c.entry.type === 'ChargingStationCertificate' && c.entry.id !== offered.clientId,
      )) {
        // A02.FR.10: the client certificate not in use is discarded; A02.FR.29 when it was the renewed one.
        await this.options.store.remove(other.entry.id);
        changed = true;
        if (inUse && Date.parse(leafOf(other).validFrom) > Date.parse(leafOf(inUse).validFrom)) {
          this.options.securityEvent(
            'DiscardedRenewedClientCertificate',
            `renewed certificate serial ${leafOf(other).serialNumber} did not connect`,
          );
        }
      }
      this.preferOlderClient = false;
    }
    if (changed) await this.load();
  }

  /**
   * M05 InstallCertificate.
   *
   * @example
   * await certificates.install('CSMSRootCertificate', pem); // { status: 'Accepted' }
   */
  async install(type: InstallCertificateUseEnumType, pem: string): Promise<InstallResult> {
    let cert: X509Certificate;
    try {
      const chain = parsePemChain(pem, 'certificate');
      if (chain.length !== 1)
        return { status: 'Rejected', reason: `expected 1 certificate, got ${chain.length}` };
      cert = chain[0] as X509Certificate;
    } catch (error) {
      return { status: 'Rejected', reason: (error as Error).message };
    }
    // M05.FR.07: an invalid certificate (expired, not yet valid, not a CA) is Rejected.
    if (!isValidAt(cert, this.options.nowMs())) return { status: 'Rejected', reason: 'not valid now' };
    if (!cert.ca) return { status: 'Rejected', reason: 'not a CA certificate' };
    const same = this.installed.find(
      (c) => c.entry.type === type && leafOf(c).fingerprint256 === cert.fingerprint256,
    );
    const dm = this.options.deviceModel;
    // M05.FR.06: CertificateEntries' maxLimit, when configured, is the most certificates kept.
    const limit = dm.maxLimit?.(CERTIFICATE_ENTRIES);
    if (!same && limit !== undefined && this.installed.length >= limit) {
      return { status: 'Rejected', reason: `CertificateEntries limit ${limit} reached` };
    }
    const additionalCheck = type === 'CSMSRootCertificate' && dm.getBoolean(ADDITIONAL_ROOT_CHECK) === true;
    const previous = this.installed.filter((c) => c.entry.type === 'CSMSRootCertificate' && c !== same);
    let signer: InstalledCertificate | undefined;
    if (additionalCheck && !same && previous.length > 0) {
      // M05.FR.10/11: the new CSMS root must be signed by the one it replaces.
      signer = previous.find((c) => cert.checkIssued(leafOf(c)) && cert.verify(leafOf(c).publicKey));
      if (!signer)
        return {
          status: 'Rejected',
          reason: 'not signed by the installed CSMS root (AdditionalRootCertificateCheck)',
        };
    }
    try {
      await this.options.store.addRoot(type, cert.toString());
      if (signer) {
        // M05.FR.09/12: one root plus the replaced one as a temporary fallback.
        for (const old of previous) if (old !== signer) await this.options.store.remove(old.entry.id);
        await this.options.state.set(FALLBACK_ROOT_KEY, signer.entry.id);
        this.useFallbackRoot = false;
      }
      await this.load();
    } catch (error) {
      this.options.reportError(error);
      return {
        status: 'Failed',
        reason: error instanceof CertificateFormatError ? error.message : 'store failure',
      };
    }
    if (type === 'CSMSRootCertificate') {
      this.options.securityEvent('ReconfigurationOfSecurityParameters', `${type} installed`, false);
    }
    return { status: 'Accepted' };
  }

  /**
   * M03 GetInstalledCertificateIds.
   *
   * @example
   * certificates.installedIds(['V2GCertificateChain']);
   */
  installedIds(types: readonly GetCertificateIdUseEnumType[]): CertificateHashDataChainType[] {
    return installedHashData(this.installed, types);
  }

  /**
   * M04 DeleteCertificate.
   *
   * @example
   * await certificates.delete(request.certificateHashData); // 'Accepted' | 'Failed' | 'NotFound'
   */
  async delete(hashData: CertificateHashDataType): Promise<DeleteCertificateStatusEnumType> {
    const target = findByHash(this.installed, hashData);
    if (!target) return this.deleteChainMember(hashData);
    // M04.FR.06: the Charging Station certificate is managed by A02/A03 only.
    if (target.entry.type === 'ChargingStationCertificate') return 'Failed';
    if (target.entry.type === 'CSMSRootCertificate' && this.lastCsmsRootInUse(target)) return 'Failed';
    // M04.FR.08: the V2G certificates that depended on a deleted root or sub-CA go with it.
    const dependants = v2gDependants(this.installed, leafOf(target)).filter((c) => c !== target);
    try {
      if (!(await this.options.store.remove(target.entry.id))) return 'NotFound';
      if (target.entry.id === this.fallbackRootId) await this.options.state.delete(FALLBACK_ROOT_KEY);
      for (const dependant of dependants) await this.options.store.remove(dependant.entry.id);
      await this.load();
    } catch (error) {
      this.options.reportError(error);
      return 'Failed';
    }
    if (target.entry.type === 'CSMSRootCertificate') {
      this.options.securityEvent('ReconfigurationOfSecurityParameters', 'CSMSRootCertificate deleted', false);
    }
    return 'Accepted';
  }

  /**
   * M04.FR.02/08: the hash data names a sub-CA of an installed V2G chain (a child certificate of
   * GetInstalledCertificateIds): the chain cannot be used without it, so the V2G certificate that
   * holds it is deleted.
   */
  private async deleteChainMember(
    hashData: CertificateHashDataType,
  ): Promise<DeleteCertificateStatusEnumType> {
    const found = findChainMember(this.installed, hashData);
    if (!found) return 'NotFound';
    try {
      if (!(await this.options.store.remove(found.owner.entry.id))) return 'NotFound';
      await this.load();
    } catch (error) {
      this.options.reportError(error);
      return 'Failed';
    }
    return 'Accepted';
  }

  /**
   * M04.FR.03 note: the station refuses to delete the last CSMS root while a TLS profile (2, 3)
   * needs it and the host gave none.
   */
  private lastCsmsRootInUse(target: InstalledCertificate): boolean {
    const profile = this.options.deviceModel.getInteger(SECURITY_PROFILE) ?? 1;
    if (profile < 2 || this.hostRoots().length > 0) return false;
    const others = this.installed.filter(
      (c) =>
        c.entry.type === 'CSMSRootCertificate' && c !== target && isValidAt(leafOf(c), this.options.nowMs()),
    );
    return others.length === 0;
  }

  private hostRoots(): X509Certificate[] {
    const ca = this.options.hostTls?.ca;
    if (ca === undefined) return [];
    try {
      return [ca].flat().flatMap((pem) => parsePemChain(pem, 'tls.ca'));
    } catch (error) {
      this.options.reportError(error);
      return [];
    }
  }
}
