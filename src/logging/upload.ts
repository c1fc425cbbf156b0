/**
 * Uploading a log file to GetLogRequest.log.remoteLocation (N01.FR.14/18/19): an HTTP(S) POST of
 * multipart/form-data with one part `uploadfile` (Content-Type application/octet-stream,
 * Content-Disposition with the file name). Basic authorization from `user:password@` in the URL
 * (N01.FR.17). ftp:// and ftps:// (explicit, AUTH TLS) store the file with basic-ftp
 * (src/firmware/ftp-transfer.ts); any other scheme fails with a TransferError naming it.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { ftpUpload } from '../firmware/ftp-transfer.js';
import { TransferError } from '../firmware/transfer-error.js';

export interface UploadOptions {
  /** Extra trusted roots for https and ftps (N01.FR.15), with node's bundled ones (N01.FR.16). */
  ca?: readonly string[] | undefined;
  signal?: AbortSignal;
  /** Gives up when the server stays silent this long (ms); default 30 000. */
  idleTimeoutMs?: number;
}

/**
 * The multipart body of one file.
 *
 * @example
 * const { body, contentType } = multipartBody('log.jsonl', Buffer.from('{}\n'));
 */
export function multipartBody(filename: string, content: Buffer): { body: Buffer; contentType: string } {
  const boundary = `----ocpp-station-${randomUUID()}`;
  const head =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="uploadfile"; filename="${filename.replace(/"/g, '')}"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  return {
    body: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/**
 * POSTs `content` as `filename` to an http(s) `url` (resolves on a 2xx answer), or stores it on the
 * server of an ftp(s) one (in the directory a path ending in `/` names); rejects with a
 * TransferError.
 *
 * @example
 * await uploadFile('https://logs.example/upload', 'CS-1-SecurityLog-7.jsonl', content, { ca: [rootPem] });
 */
export function uploadFile(url: string, filename: string, content: Buffer, options: UploadOptions = {}): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.reject(new TransferError(url, 'not a URL'));
  }
  if (parsed.protocol === 'ftp:' || parsed.protocol === 'ftps:') return ftpUpload(parsed, filename, content, options);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return Promise.reject(
      new TransferError(url, `unsupported scheme ${parsed.protocol.replace(':', '')} (supported: http, https, ftp, ftps)`),
    );
  }
  const { body, contentType } = multipartBody(filename, content);
  return new Promise<void>((resolve, reject) => {
    const auth = parsed.username ? `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}` : undefined;
    const request = (parsed.protocol === 'https:' ? https : http).request(
      parsed,
      {
        method: 'POST',
        headers: { 'content-type': contentType, 'content-length': body.length },
        ...(auth ? { auth } : {}),
        ...(parsed.protocol === 'https:' && options.ca && options.ca.length > 0 ? { ca: [...options.ca, ...rootCertificates] } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        response.on('end', () => (status >= 200 && status < 300 ? resolve() : reject(new TransferError(url, `HTTP ${status}`))));
        response.on('error', (error) => reject(new TransferError(url, error.message, { cause: error })));
      },
    );
    request.setTimeout(options.idleTimeoutMs ?? 30_000, () => request.destroy(new TransferError(url, 'timed out')));
    request.on('error', (error) =>
      reject(error instanceof TransferError ? error : new TransferError(url, (error as { code?: string }).code ?? error.message, { cause: error })),
    );
    request.end(body);
  });
}
