/**
 * Fetching a file named by a URL from the CSMS (UpdateFirmwareRequest.firmware.location, L01/L02)
 * into a local file: http and https with node:http / node:https, ftp and ftps (explicit, AUTH TLS)
 * with basic-ftp (src/firmware/ftp-transfer.ts). OCPPCommCtrlr.FileTransferProtocols announces
 * these (src/firmware/transfer-protocols.ts). Any other scheme fails with a {@link TransferError}
 * naming it, which the firmware actor reports as DownloadFailed after its retries.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';
import { rootCertificates } from 'node:tls';
import { ftpDownload } from './ftp-transfer.js';
import { TransferError } from './transfer-error.js';

export { redactUrl, TransferError } from './transfer-error.js';

export interface TransferOptions {
  /** Extra trusted roots (PEM) for https and ftps, added to node's defaults. */
  ca?: readonly string[] | undefined;
  /** Stops the transfer (the request was cancelled, the station stops). */
  signal?: AbortSignal;
  /** Gives up when no byte arrives for this long (ms); default 30 000. */
  idleTimeoutMs?: number;
  /** Told every received chunk: bytes so far and the announced total (null when unknown). */
  onProgress?: (bytes: number, total: number | null) => void;
}

const MAX_REDIRECTS = 5;

/**
 * Downloads `url` into `file` (replaced); resolves with the number of bytes. Rejects with a
 * TransferError (unsupported scheme, HTTP status other than 2xx, FTP reply, network error,
 * timeout); a partial file is removed.
 *
 * @example
 * const bytes = await downloadFile('https://127.0.0.1:8443/fw.bin', '/var/lib/station/fw/7.bin', { ca: [rootPem] });
 */
export async function downloadFile(url: string, file: string, options: TransferOptions = {}): Promise<number> {
  try {
    return await fetchTo(url, file, options, 0);
  } catch (error) {
    await rm(file, { force: true });
    throw error instanceof TransferError ? error : new TransferError(url, describe(error), { cause: error });
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

function fetchTo(url: string, file: string, options: TransferOptions, redirects: number): Promise<number> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.reject(new TransferError(url, 'not a URL'));
  }
  if (parsed.protocol === 'ftp:' || parsed.protocol === 'ftps:') return ftpDownload(parsed, file, options);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return Promise.reject(
      new TransferError(url, `unsupported scheme ${parsed.protocol.replace(':', '')} (supported: http, https, ftp, ftps)`),
    );
  }
  return new Promise<number>((resolve, reject) => {
    const auth = parsed.username ? `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}` : undefined;
    const request = (parsed.protocol === 'https:' ? https : http).get(
      parsed,
      {
        ...(auth ? { auth } : {}),
        ...(parsed.protocol === 'https:' && options.ca && options.ca.length > 0
          ? { ca: [...options.ca, ...rootCertificates] }
          : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (status >= 300 && status < 400 && location) {
          response.resume();
          if (redirects >= MAX_REDIRECTS) return reject(new TransferError(url, 'too many redirects'));
          const next = new URL(location, parsed).toString();
          fetchTo(next, file, options, redirects + 1).then(resolve, reject);
          return;
        }
        if (status < 200 || status >= 300) {
          response.resume();
          return reject(new TransferError(url, `HTTP ${status}`));
        }
        const totalHeader = Number(response.headers['content-length']);
        const total = Number.isFinite(totalHeader) ? totalHeader : null;
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          options.onProgress?.(bytes, total);
        });
        pipeline(response, createWriteStream(file)).then(() => {
          if (total !== null && bytes !== total) reject(new TransferError(url, `incomplete: ${bytes} of ${total} bytes`));
          else resolve(bytes);
        }, reject);
      },
    );
    request.setTimeout(options.idleTimeoutMs ?? 30_000, () => request.destroy(new TransferError(url, 'timed out')));
    request.on('error', reject);
  });
}
