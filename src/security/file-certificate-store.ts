/**
 * The default certificate store: files under one directory, with the modes a user expects of key
 * material (directories 0700, private keys 0600, certificates 0644):
 *
 *   <dir>/roots/<type>/<fingerprint>.pem      trusted roots (M05)
 *   <dir>/own/<use>/<fingerprint>.pem         the station's certificates, leaf + chain (A02/A03)
 *   <dir>/own/<use>/<fingerprint>.key         their private keys
 *   <dir>/pending/<keyId>.key                 keys of CSRs not answered yet
 *
 * Files are written to a temporary name and renamed, so a power loss leaves either the old or the
 * new file.
 */
import type { X509Certificate } from 'node:crypto';
import { createPublicKey, randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type {
  CertificateSigningUseEnumType,
  InstallCertificateUseEnumType,
} from '../generated/ocpp-types.js';
import type {
  CertificateStore,
  ClientCredentials,
  CsrSubject,
  StoredCertificate,
  StoredCertificateType,
} from './certificate-store.js';
import { createKeyAndCsr } from './csr.js';
import { CertificateFormatError, parsePemChain } from './pem.js';

const ROOT_TYPES: readonly InstallCertificateUseEnumType[] = [
  'CSMSRootCertificate',
  'ManufacturerRootCertificate',
  'MORootCertificate',
  'V2GRootCertificate',
];
const OWN_TYPES: readonly CertificateSigningUseEnumType[] = ['ChargingStationCertificate', 'V2GCertificate'];

/** The store's id of a certificate: the SHA-256 fingerprint, hex without colons. */
function fingerprintId(cert: X509Certificate): string {
  return cert.fingerprint256.replaceAll(':', '').toLowerCase();
}

/**
 * @example
 * const store = new FileCertificateStore('/var/lib/station/certs');
 * await store.addRoot('CSMSRootCertificate', pem);
 */
export class FileCertificateStore implements CertificateStore {
  constructor(readonly directory: string) {}

  async list(): Promise<StoredCertificate[]> {
    const out: StoredCertificate[] = [];
    // Each level is listed once and only the folders that exist are read (issue 9): a fleet station
    // without certificates costs one readdir of its missing folder, not one per certificate type.
    const present = async (dir: string) => new Set(await readdir(dir).catch(() => [] as string[]));
    // A missing folder (every new fleet station) is told by one stat that throws nothing: a failed
    // readdir costs a rejected promise and an error object built with its stack, ~10x the CPU.
    if (!folderMayExist(this.directory)) return out;
    const top = await present(this.directory);
    const scan = async (sub: string, types: readonly StoredCertificateType[]) => {
      if (!top.has(sub)) return;
      const listed = await present(path.join(this.directory, sub));
      for (const type of types) {
        if (!listed.has(type)) continue;
        const dir = path.join(this.directory, sub, type);
        const names = await readdir(dir).catch(() => [] as string[]);
        for (const name of names.filter((n) => n.endsWith('.pem')).sort()) {
          const file = path.join(dir, name);
          const [pem, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
          out.push({ id: name.slice(0, -4), type, pem, storedAt: info.mtime.toISOString() });
        }
      }
    };
    await scan('roots', ROOT_TYPES);
    await scan('own', OWN_TYPES);
    return out;
  }

  async addRoot(type: InstallCertificateUseEnumType, pem: string): Promise<StoredCertificate> {
    const [cert] = parsePemChain(pem, type);
    const id = fingerprintId(cert as X509Certificate);
    const file = await this.write(['roots', type], `${id}.pem`, (cert as X509Certificate).toString(), 0o644);
    return {
      id,
      type,
      pem: (cert as X509Certificate).toString(),
      storedAt: (await stat(file)).mtime.toISOString(),
    };
  }

  async remove(id: string): Promise<boolean> {
    for (const entry of await this.list()) {
      if (entry.id !== id) continue;
      const sub = (ROOT_TYPES as readonly string[]).includes(entry.type) ? 'roots' : 'own';
      const base = path.join(this.directory, sub, entry.type, id);
      await rm(`${base}.pem`, { force: true });
      await rm(`${base}.key`, { force: true });
      return true;
    }
    return false;
  }

  async createCsr(
    _use: CertificateSigningUseEnumType,
    subject: CsrSubject,
  ): Promise<{ csrPem: string; keyId: string }> {
    const made = await createKeyAndCsr(subject);
    const keyId = randomBytes(12).toString('hex');
    await this.write(['pending'], `${keyId}.key`, made.privateKeyPem, 0o600);
    return { csrPem: made.csrPem, keyId };
  }

  async addSigned(
    use: CertificateSigningUseEnumType,
    chainPem: string,
    keyId: string,
  ): Promise<StoredCertificate> {
    const chain = parsePemChain(chainPem, 'certificateChain');
    const pending = this.pendingKeyFile(keyId);
    const key = await readFile(pending, 'utf8').catch(() => {
      throw new CertificateFormatError(`no pending key ${keyId} in ${path.dirname(pending)}`);
    });
    const id = fingerprintId(chain[0] as X509Certificate);
    const pem = chain.map((c) => c.toString()).join('');
    // The key first: a certificate is never stored without the key it belongs to.
    await this.write(['own', use], `${id}.key`, key, 0o600);
    const file = await this.write(['own', use], `${id}.pem`, pem, 0o644);
    await rm(pending, { force: true });
    return { id, type: use, pem, storedAt: (await stat(file)).mtime.toISOString() };
  }

  async publicKey(keyId: string): Promise<string | undefined> {
    const key = await readFile(this.pendingKeyFile(keyId), 'utf8').catch(() => undefined);
    if (key === undefined) return undefined;
    return createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  }

  async discardKey(keyId: string): Promise<void> {
    await rm(this.pendingKeyFile(keyId), { force: true });
  }

  async credentials(id: string): Promise<ClientCredentials | undefined> {
    for (const use of OWN_TYPES) {
      const base = path.join(this.directory, 'own', use, id);
      const cert = await readFile(`${base}.pem`, 'utf8').catch(() => undefined);
      if (cert === undefined) continue;
      const key = await readFile(`${base}.key`, 'utf8').catch(() => undefined);
      return key === undefined ? undefined : { cert, key };
    }
    return undefined;
  }

  private pendingKeyFile(keyId: string): string {
    // keyId comes from createCsr (hex); anything else cannot name a file of ours.
    if (!/^[0-9a-f]{8,64}$/.test(keyId))
      throw new CertificateFormatError(`invalid key id ${JSON.stringify(keyId)}`);
    return path.join(this.directory, 'pending', `${keyId}.key`);
  }

  /** Writes a file atomically under `dirs` (created 0700) with `mode`; returns its path. */
  private async write(dirs: string[], name: string, content: string, mode: number): Promise<string> {
    let dir = this.directory;
    for (const part of ['', ...dirs]) {
      dir = path.join(dir, part);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o700);
    }
    const file = path.join(dir, name);
    const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, content, { mode });
    await chmod(temp, mode);
    await rename(temp, file);
    return file;
  }
}

/**
 * Whether `dir` may be listed: false when it is missing, or when stat fails at all (a file in the
 * way, ENOTDIR; no permission, EACCES), which lists nothing, as a failing readdir always did.
 */
function folderMayExist(dir: string): boolean {
  try {
    return statSync(dir, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}
