/**
 * The error of a failed file transfer (firmware download L01/L02, log upload N01) and the URL
 * redaction every message about a transfer goes through: `user:password@` in a location must never
 * reach a log, an event or an error.
 */

/**
 * The URL without its password.
 *
 * @example
 * redactUrl('ftp://u:secret@files.example/fw.bin'); // 'ftp://u:***@files.example/fw.bin'
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unreadable URL)';
  }
}

/**
 * A transfer that failed: `reason` says why in a few words (HTTP 404, ECONNREFUSED, 550 ..., ...);
 * the message names the URL with its password redacted.
 *
 * @example
 * throw new TransferError('ftp://u:pw@127.0.0.1/fw.bin', '550 not found'); // "transfer of ftp://u:***@127.0.0.1/fw.bin failed: 550 not found"
 */
export class TransferError extends Error {
  override readonly name = 'TransferError';
  readonly code = 'ERR_TRANSFER';
  /** The URL, password redacted (the error may be logged or serialized whole). */
  readonly url: string;
  constructor(
    url: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`transfer of ${redactUrl(url)} failed: ${reason}`, options);
    this.url = redactUrl(url);
  }
}
