/**
 * The connection URL of Part 4 §3.1.1: the OCPP-J endpoint URL (NetworkConnectionProfile.ocppCsmsUrl)
 * with "/" and the percent-encoded Charging Station identity appended to its path.
 */
import { TransportConfigError } from './errors.js';

/** Part 4 §3.1.1: "The maximum length of the Charging Station identity is: 48". */
export const MAX_IDENTITY_LENGTH = 48;

/**
 * Checks a Charging Station identity: 1-48 characters and no ":" (Part 4 §3.1.1, A00.FR.204: it is
 * the Basic auth user name). Throws {@link TransportConfigError} naming SecurityCtrlr.Identity.
 *
 * @example
 * assertValidIdentity('CS001'); // ok
 * assertValidIdentity('a:b'); // throws: SecurityCtrlr.Identity must not contain ":"
 */
export function assertValidIdentity(identity: string): void {
  if (typeof identity !== 'string' || identity.length === 0) {
    throw new TransportConfigError('SecurityCtrlr.Identity', 'must be a non-empty string');
  }
  if (identity.length > MAX_IDENTITY_LENGTH) {
    throw new TransportConfigError(
      'SecurityCtrlr.Identity',
      `must be at most ${MAX_IDENTITY_LENGTH} characters, got ${identity.length}`,
    );
  }
  if (identity.includes(':')) {
    throw new TransportConfigError(
      'SecurityCtrlr.Identity',
      'must not contain ":" (it is the HTTP Basic auth user name)',
    );
  }
}

/**
 * Builds the connection URL: `ws://csms.example.com/ocpp` + `RDAM 123` -> `ws://csms.example.com/ocpp/RDAM%20123`.
 * A trailing "/" on the endpoint does not double; a query string is kept.
 *
 * @example
 * buildConnectionUrl('wss://csms.example.com/ocppj/', 'RDAM 123'); // 'wss://csms.example.com/ocppj/RDAM%20123'
 */
export function buildConnectionUrl(csmsUrl: string, identity: string): URL {
  assertValidIdentity(identity);
  let url: URL;
  try {
    url = new URL(csmsUrl);
  } catch {
    throw new TransportConfigError(
      'NetworkConnectionProfile.ocppCsmsUrl',
      `is not a valid URL: ${JSON.stringify(csmsUrl)}`,
    );
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new TransportConfigError(
      'NetworkConnectionProfile.ocppCsmsUrl',
      `must use ws:// or wss://, got ${url.protocol}//`,
    );
  }
  if (url.hash)
    throw new TransportConfigError('NetworkConnectionProfile.ocppCsmsUrl', 'must not contain a #fragment');
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(identity)}`;
  return url;
}
