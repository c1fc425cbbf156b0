/**
 * The client certificate and private key a host gives for security profile 3 (`tls.cert`/`tls.key`,
 * the CLI's `--client-cert`/`--client-key`): checked before the first connection, so that an
 * encrypted key, a file that is no key, or a key of another certificate is a precise error naming
 * the option, not a TLS failure at every connection attempt. Unencrypted PKCS#8
 * (`BEGIN PRIVATE KEY`), SEC1 (`BEGIN EC PRIVATE KEY`, e.g. P-256) and PKCS#1 (`BEGIN RSA PRIVATE
 * KEY`) PEM are read. No message ever carries the key's text (docs/security.md, Secrets).
 */
import { createPrivateKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { CertificateFormatError, parsePemChain } from './pem.js';

/** How the two inputs are named in messages, e.g. `tls.key` or `--client-key cs.key`. */
export interface ClientKeyNames {
  cert: string;
  key: string;
  /** The passphrase of an encrypted key, e.g. `tls.passphrase` (never its value). */
  passphrase?: string;
}

/**
 * Reads a PEM private key, unencrypted or (with `passphrase`) encrypted; throws a {@link CertificateFormatError} naming `name`.
 *
 * @example
 * readClientPrivateKey(readFileSync('cs.key', 'utf8'), '--client-key cs.key').asymmetricKeyType; // 'ec'
 */
export function readClientPrivateKey(
  text: string,
  name: string,
  passphrase?: { value: string; name: string },
): KeyObject {
  const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(text);
  if (encrypted && passphrase === undefined)
    throw new CertificateFormatError(
      `${name}: the key is encrypted; give it unencrypted (PKCS#8 or SEC1 PEM)`,
    );
  if (!encrypted && !/-----BEGIN (EC |RSA )?PRIVATE KEY-----/.test(text))
    throw new CertificateFormatError(
      `${name}: not a PEM private key (expected -----BEGIN PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)`,
    );
  try {
    return createPrivateKey({
      key: text,
      format: 'pem',
      ...(encrypted && passphrase ? { passphrase: passphrase.value } : {}),
    });
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'parse error';
    // An encrypted key that does not open: the passphrase is wrong (or the key damaged).
    if (encrypted && passphrase)
      throw new CertificateFormatError(
        `${name}: the key cannot be decrypted with ${passphrase.name} (${code})`,
      );
    throw new CertificateFormatError(`${name}: the private key cannot be read (${code})`);
  }
}

/**
 * Checks a client certificate (leaf first, then its chain) and its key: both readable and the key
 * the leaf's (an encrypted key only with `passphrase`). Throws a {@link CertificateFormatError} naming the input at fault.
 *
 * @example
 * checkClientKeyPair(certPem, keyPem, { cert: 'tls.cert', key: 'tls.key' });
 */
export function checkClientKeyPair(
  certPem: string,
  keyPem: string,
  names: ClientKeyNames,
  passphrase?: string,
): void {
  const [leaf] = parsePemChain(certPem, names.cert);
  const key = readClientPrivateKey(
    keyPem,
    names.key,
    passphrase === undefined ? undefined : { value: passphrase, name: names.passphrase ?? 'the passphrase' },
  );
  if (!(leaf as X509Certificate).checkPrivateKey(key))
    throw new CertificateFormatError(
      `${names.key}: does not match the certificate of ${names.cert} (the first certificate of the file is the leaf)`,
    );
}
