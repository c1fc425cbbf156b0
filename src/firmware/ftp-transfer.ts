/**
 * FTP and explicit FTPS (AUTH TLS, RFC 4217) transfers with basic-ftp: a firmware download (L01/L02,
 * RETR into a local file) and a log upload (N01, STOR of the log's content). Passive mode, as the
 * spec asks ("FTP needs to be able to use Passive FTP"). `ftp://user:password@host:port/path`: the
 * user and password (percent-decoded) log in, anonymous without them; the path is relative to the
 * login directory (RFC 1738; `%2F` makes it absolute). FTPS trusts what https trusts: node's bundled
 * roots plus the given extra roots, and checks the host name.
 */
import { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { Client } from 'basic-ftp';
import { TransferError } from './transfer-error.js';

/** What an FTP(S) transfer takes (the same settings as an http(s) one). */
export interface FtpTransferOptions {
  /** Extra trusted roots (PEM) for ftps, added to node's defaults. */
  ca?: readonly string[] | undefined;
  /** Stops the transfer (closes the connection). */
  signal?: AbortSignal | undefined;
  /** Gives up when the server stays silent this long (ms); default 30 000. */
  idleTimeoutMs?: number | undefined;
  /** Told the bytes received so far and the size the server announced (null when unknown). */
  onProgress?: ((bytes: number, total: number | null) => void) | undefined;
}

/**
 * The remote path named by an ftp(s) URL.
 *
 * @example
 * ftpPath(new URL('ftp://h/logs/a%20b.txt')); // 'logs/a b.txt'
 */
export function ftpPath(url: URL): string {
  return decodeURIComponent(url.pathname.replace(/^\//, ''));
}

/** Logs in to the server of `url` (AUTH TLS first for ftps); the client closes on abort. */
async function open(url: URL, options: FtpTransferOptions): Promise<Client> {
  const client = new Client(options.idleTimeoutMs ?? 30_000);
  const { signal } = options;
  if (signal?.aborted) throw new TransferError(url.toString(), 'cancelled');
  signal?.addEventListener('abort', () => client.close(), { once: true });
  const secure = url.protocol === 'ftps:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  try {
    await client.access({
      host,
      port: url.port ? Number(url.port) : 21,
      user: url.username ? decodeURIComponent(url.username) : 'anonymous',
      password: url.username ? decodeURIComponent(url.password) : 'anonymous@',
      secure,
      ...(secure && options.ca && options.ca.length > 0 ? { secureOptions: { ca: [...options.ca, ...rootCertificates] } } : {}),
    });
  } catch (error) {
    client.close();
    throw error;
  }
  return client;
}

function failure(url: URL, error: unknown, signal: AbortSignal | undefined): TransferError {
  if (error instanceof TransferError) return error;
  if (signal?.aborted) return new TransferError(url.toString(), 'cancelled', { cause: error });
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  // FTPError carries the reply code (550 ...) in its message; network errors a string code.
  const reason = typeof code === 'string' ? code : message;
  return new TransferError(url.toString(), reason, { cause: error });
}

/**
 * Downloads the file an ftp:// or ftps:// URL names into `file` (replaced); resolves with the
 * number of bytes. Rejects with a TransferError (login refused, 550, TLS, timeout, wrong length).
 *
 * @example
 * const bytes = await ftpDownload(new URL('ftps://fw:pw@files.example/fw.bin'), '/var/lib/station/fw/7.bin', { ca: [rootPem] });
 */
export async function ftpDownload(url: URL, file: string, options: FtpTransferOptions = {}): Promise<number> {
  let client: Client | undefined;
  try {
    client = await open(url, options);
    const remote = ftpPath(url);
    // SIZE is optional (RFC 3659): without it the length is not checked.
    const total = await client.size(remote).catch(() => null);
    let bytes = 0;
    client.trackProgress((info) => {
      bytes = info.bytes;
      options.onProgress?.(info.bytes, total);
    });
    await client.downloadTo(file, remote);
    client.trackProgress();
    if (total !== null && bytes !== total) throw new TransferError(url.toString(), `incomplete: ${bytes} of ${total} bytes`);
    return bytes;
  } catch (error) {
    throw failure(url, error, options.signal);
  } finally {
    client?.close();
  }
}

/**
 * Stores `content` on the server of an ftp:// or ftps:// URL. A path ending in `/` (or none) is a
 * directory: the file goes there as `filename`; any other path names the file itself.
 *
 * @example
 * await ftpUpload(new URL('ftp://logs:pw@files.example/incoming/'), 'CS-1-SecurityLog-7.jsonl', content);
 */
export async function ftpUpload(url: URL, filename: string, content: Buffer, options: FtpTransferOptions = {}): Promise<void> {
  let client: Client | undefined;
  try {
    client = await open(url, options);
    const path = ftpPath(url);
    const remote = path === '' || path.endsWith('/') ? `${path}${filename}` : path;
    await client.uploadFrom(Readable.from([content]), remote);
  } catch (error) {
    throw failure(url, error, options.signal);
  } finally {
    client?.close();
  }
}
