/**
 * The certificate store: where the station keeps its trusted roots, its own certificates and their
 * private keys (the role of libocpp's EvseSecurity). The library computes hash data and verifies
 * chains itself from the PEM text; a store only keeps things and makes keys. The default is
 * {@link FileCertificateStore} (src/security/file-certificate-store.ts); a host with an HSM or TPM
 * supplies its own through ChargePointOptions.certificates.store.
 */
import type {
  CertificateSigningUseEnumType,
  InstallCertificateUseEnumType,
} from '../generated/ocpp-types.js';

/** Trusted roots (M05) and the station's own certificates (A02/A03). */
export type StoredCertificateType = InstallCertificateUseEnumType | CertificateSigningUseEnumType;

export interface StoredCertificate {
  /** Stable id in the store (the default store uses the SHA-256 fingerprint of the leaf). */
  id: string;
  type: StoredCertificateType;
  /** PEM: one certificate for a root; the leaf followed by its chain for the station's own. */
  pem: string;
  /** When it was stored (ISO 8601). */
  storedAt: string;
}

/** What goes into a CSR (A02.FR.03, A00 "Certificate Properties"). */
export interface CsrSubject {
  /** CN: the station's identity, or the SECC id for a V2G certificate. */
  commonName: string;
  /** O: SecurityCtrlr.OrganizationName. */
  organization: string;
  /** C: ISO 3166 country code, when configured. */
  country?: string;
}

/** The station's own certificate and its private key, for TLS (security profile 3). */
export interface ClientCredentials {
  /** Leaf followed by its chain (PEM). */
  cert: string;
  /** Private key (PEM). Never logged, never sent. */
  key: string;
}

export interface CertificateStore {
  /** Every stored certificate. */
  list(): Promise<StoredCertificate[]>;
  /** Stores a root; storing the same certificate again replaces it (M05.FR.17). */
  addRoot(type: InstallCertificateUseEnumType, pem: string): Promise<StoredCertificate>;
  /** Removes a certificate (and the key of an own certificate); false when it was not there. */
  remove(id: string): Promise<boolean>;
  /**
   * A02.FR.02/03: makes a new key pair for `use`, keeps the private key (A02.FR.05: it never leaves
   * the store) and returns a PEM CSR (PKCS#10) signed with it, and an id for the key.
   */
  createCsr(
    use: CertificateSigningUseEnumType,
    subject: CsrSubject,
  ): Promise<{ csrPem: string; keyId: string }>;
  /** Stores a signed certificate (leaf + chain) for the key `keyId` made by createCsr. */
  addSigned(use: CertificateSigningUseEnumType, chainPem: string, keyId: string): Promise<StoredCertificate>;
  /** The public key (SPKI PEM) of a key made by createCsr, or undefined when it is not kept. */
  publicKey(keyId: string): Promise<string | undefined>;
  /** Forgets a key made by createCsr that will not be used (a refused or abandoned CSR). */
  discardKey(keyId: string): Promise<void>;
  /** The certificate `id` (an own certificate) with its private key, for TLS. */
  credentials(id: string): Promise<ClientCredentials | undefined>;
}
