/**
 * The certificate and security-profile options of `ocpp-station` (docs/cli.md, contract):
 * `--install-cert <certificateType>=<PEM file>` (repeatable), `--client-cert <PEM file>`,
 * `--client-key <PEM file>` and `--security-profile <1|2|3>`. The files are read and checked here,
 * while the command line is parsed, so that every bad file stops the CLI with exit code 2 and a
 * message naming the option and the file (never the content of a key).
 */
import { createPrivateKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChargePointOptions } from '../charge-point-options.js';
import type { InstallCertificateUseEnumType } from '../generated/ocpp-types.js';
import { CertificateFormatError, parsePemChain } from '../security/pem.js';

/** The root types of InstallCertificate (M05), the `<certificateType>` of `--install-cert`. */
export const INSTALL_CERT_TYPES: readonly InstallCertificateUseEnumType[] = [
  'CSMSRootCertificate',
  'ManufacturerRootCertificate',
  'V2GRootCertificate',
  'MORootCertificate',
];

/** What the certificate options give the station; each field is present only when given. */
export interface CliCertificateOptions {
  /** `--install-cert`: roots installed at every start, as InstallCertificate would (M05). */
  installCertificates?: Array<{ type: InstallCertificateUseEnumType; file: string; pem: string }>;
  /**
   * `--client-cert`/`--client-key`: the ChargingStationCertificate (leaf, then its chain) and its
   * private key for security profile 3, until a CertificateSigned replaces them (A02).
   */
  clientCertificate?: { certFile: string; keyFile: string; cert: string; key: string };
  /** `--security-profile`: the securityProfile of the `--csms` slot. */
  securityProfile?: 1 | 2 | 3;
}

/** The parseArgs entries of these options (spread into the CLI's option table). */
export const CERTIFICATE_PARSE_OPTIONS = {
  'install-cert': { type: 'string', multiple: true },
  'client-cert': { type: 'string' },
  'client-key': { type: 'string' },
  'security-profile': { type: 'string' },
} as const;

/** Lines of the CLI's `--help` for these options. */
export const CERTIFICATE_USAGE = `  --install-cert <type>=<PEM file>
                         Install a root at start as InstallCertificate would, and keep it; repeatable.
                         type: ${INSTALL_CERT_TYPES.join(', ')}.
                         A CSMSRootCertificate is the trust anchor of a wss:// --csms.
  --client-cert <PEM file>
                         ChargingStationCertificate (leaf, then its chain) for security profile 3,
                         used until a CertificateSigned replaces it. Needs --client-key.
  --client-key <PEM file>
                         Its unencrypted private key (PKCS#8 or SEC1 PEM).
  --security-profile <1|2|3>
                         Security profile of --csms: 1 ws:// (Basic auth), 2 wss:// (TLS + Basic auth),
                         3 wss:// (mutual TLS, needs --client-cert). Default: 1 for ws://, 2 for wss://.`;

/** The raw values of these options as parseArgs gives them. */
export interface CertificateArgValues {
  'install-cert'?: string[];
  'client-cert'?: string;
  'client-key'?: string;
  'security-profile'?: string;
}

/**
 * Checks the certificate options against each other and the CSMS URL (`undefined`: the embedded
 * ws:// CSMS) and reads their files (relative to `baseDir`). `fail` builds the CLI's usage error.
 *
 * @example
 * const certs = parseCertificateOptions({ 'security-profile': '2' }, 'wss://csms.example/ocpp', process.cwd(), (m) => new Error(m));
 * certs.securityProfile; // 2
 */
export function parseCertificateOptions(
  values: CertificateArgValues,
  csmsUrl: string | undefined,
  baseDir: string,
  fail: (message: string) => Error,
): CliCertificateOptions {
  const out: CliCertificateOptions = {};
  /** `what` names the option and the file: `--client-cert certs/cs.pem`. */
  const read = (what: string, file: string): string => {
    if (file.trim() === '') throw fail(`${what}: the file name is empty`);
    try {
      return readFileSync(path.resolve(baseDir, file), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EACCES'
            ? 'permission denied'
            : code === 'EISDIR'
              ? 'is a directory'
              : (code ?? 'unreadable');
      throw fail(`${what}: cannot read the file (${why})`);
    }
  };
  const certificates = (what: string, text: string): X509Certificate[] => {
    try {
      return parsePemChain(text, what);
    } catch (error) {
      if (error instanceof CertificateFormatError)
        throw fail(`${error.message} (expected a PEM certificate: -----BEGIN CERTIFICATE-----)`);
      throw error;
    }
  };

  for (const arg of values['install-cert'] ?? []) {
    const eq = arg.indexOf('=');
    const type = eq < 0 ? arg : arg.slice(0, eq);
    const file = eq < 0 ? '' : arg.slice(eq + 1);
    const option = `--install-cert ${arg}`;
    if (eq < 0) throw fail(`${option}: expected <certificateType>=<PEM file>`);
    if (!(INSTALL_CERT_TYPES as readonly string[]).includes(type))
      throw fail(
        `${option}: unknown certificateType ${JSON.stringify(type)} (expected one of ${INSTALL_CERT_TYPES.join(', ')})`,
      );
    const text = read(option, file);
    const chain = certificates(option, text);
    if (chain.length !== 1) throw fail(`${option}: expected one certificate, the file has ${chain.length}`);
    // M05.FR.07: InstallCertificate refuses a certificate that is not a CA (validity is checked at
    // start, against the station clock that --clock may move).
    if (!(chain[0] as X509Certificate).ca)
      throw fail(`${option}: not a CA certificate (InstallCertificate installs roots)`);
    (out.installCertificates ??= []).push({
      type: type as InstallCertificateUseEnumType,
      file: path.resolve(baseDir, file),
      pem: text,
    });
  }

  const certFile = values['client-cert'];
  const keyFile = values['client-key'];
  if (certFile !== undefined && keyFile === undefined)
    throw fail(`--client-cert ${certFile}: needs --client-key <PEM file> (its private key)`);
  if (keyFile !== undefined && certFile === undefined)
    throw fail(`--client-key ${keyFile}: needs --client-cert <PEM file> (the certificate of that key)`);
  if (certFile !== undefined && keyFile !== undefined) {
    const cert = read(`--client-cert ${certFile}`, certFile);
    const [leaf] = certificates(`--client-cert ${certFile}`, cert);
    const key = read(`--client-key ${keyFile}`, keyFile);
    const keyObject = privateKey(keyFile, key, fail);
    if (!(leaf as X509Certificate).checkPrivateKey(keyObject))
      throw fail(
        `--client-key ${keyFile}: does not match the certificate of --client-cert ${certFile} (the first certificate of the file is the leaf)`,
      );
    out.clientCertificate = {
      certFile: path.resolve(baseDir, certFile),
      keyFile: path.resolve(baseDir, keyFile),
      cert,
      key,
    };
  }

  const given = values['security-profile'];
  if (given !== undefined) {
    if (!/^[123]$/.test(given)) throw fail(`--security-profile ${JSON.stringify(given)}: expected 1, 2 or 3`);
    out.securityProfile = Number(given) as 1 | 2 | 3;
  }
  const tls = csmsUrl?.startsWith('wss:') ?? false;
  const where = csmsUrl === undefined ? 'the embedded CSMS (ws://)' : `--csms ${csmsUrl}`;
  if (out.securityProfile !== undefined && out.securityProfile >= 2 && !tls)
    throw fail(
      `--security-profile ${out.securityProfile}: security profile ${out.securityProfile} uses TLS and needs a wss:// --csms URL, not ${where}`,
    );
  if (out.securityProfile === 1 && tls)
    throw fail(`--security-profile 1: security profile 1 is unsecured ws://, but ${where} is wss://`);
  // A00.FR.407 / A05.FR.03: profile 3 authenticates the station with its client certificate.
  if (out.securityProfile === 3 && out.clientCertificate === undefined)
    throw fail(
      '--security-profile 3: security profile 3 needs a client certificate: give --client-cert <PEM file> and --client-key <PEM file>',
    );
  return out;
}

/** An unencrypted PKCS#8 or SEC1 (or PKCS#1 RSA) PEM private key; the error never shows the text. */
function privateKey(file: string, text: string, fail: (message: string) => Error): KeyObject {
  const option = `--client-key ${file}`;
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(text))
    throw fail(`${option}: the key is encrypted; give it unencrypted (PKCS#8 or SEC1 PEM)`);
  if (!/-----BEGIN (EC |RSA )?PRIVATE KEY-----/.test(text))
    throw fail(
      `${option}: not a PEM private key (expected -----BEGIN PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)`,
    );
  try {
    return createPrivateKey({ key: text, format: 'pem' });
  } catch (error) {
    throw fail(
      `${option}: the private key cannot be read (${(error as { code?: string }).code ?? 'parse error'})`,
    );
  }
}

/**
 * The ChargePoint options for the parsed certificate options: the client certificate as the host's
 * `tls.cert`/`tls.key` (a certificate from CertificateSigned takes precedence over it), the roots as
 * `certificates.install`, the profile as `csmsSecurityProfile`.
 *
 * @example
 * new ChargePoint({ stationId, evses, database, csmsUrl, ...chargePointCertificateOptions(options) });
 */
export function chargePointCertificateOptions(
  options: CliCertificateOptions | undefined,
): Pick<ChargePointOptions, 'tls' | 'certificates' | 'csmsSecurityProfile'> {
  if (!options) return {};
  const client = options.clientCertificate;
  const roots = options.installCertificates;
  return {
    ...(client ? { tls: { cert: client.cert, key: client.key } } : {}),
    ...(roots?.length
      ? { certificates: { install: roots.map((r) => ({ type: r.type, pem: r.pem, source: r.file })) } }
      : {}),
    ...(options.securityProfile === undefined ? {} : { csmsSecurityProfile: options.securityProfile }),
  };
}
