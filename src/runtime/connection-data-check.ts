/**
 * Does a NetworkConnectionProfile make sense (B09.FR.02: "validate the content")? The schema only
 * says which fields are there and their types; a profile can still be unusable: a messageTimeout of
 * -5 fails every CALL, a URL that is not ws:// or wss://, or whose scheme does not fit the security
 * profile (A00.FR.003), never connects.
 */
import type { NetworkConnectionProfileType } from '../generated/ocpp-types.js';
import { MAX_TIMER_S } from './setting-rules.js';

/**
 * What is wrong with a profile's connectionData, or undefined when it can be used.
 *
 * @example
 * connectionDataProblem({ ...data, messageTimeout: -5 }); // 'messageTimeout -5 s: must be 1 to 2147483 s'
 */
export function connectionDataProblem(data: NetworkConnectionProfileType): string | undefined {
  const { messageTimeout, securityProfile, ocppCsmsUrl } = data;
  if (!Number.isInteger(messageTimeout) || messageTimeout < 1 || messageTimeout > MAX_TIMER_S) {
    return `messageTimeout ${messageTimeout} s: must be 1 to ${MAX_TIMER_S} s`;
  }
  if (![1, 2, 3].includes(securityProfile)) {
    return `securityProfile ${securityProfile}: this station supports security profiles 1, 2 and 3`;
  }
  if (data.ocppTransport !== 'JSON')
    return `ocppTransport ${data.ocppTransport}: only OCPP-J (JSON) is supported`;
  let url: URL;
  try {
    url = new URL(ocppCsmsUrl);
  } catch {
    return 'ocppCsmsUrl is not a URL';
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    return `ocppCsmsUrl must use ws:// or wss://, not ${url.protocol}//`;
  }
  if (url.hash !== '') return 'ocppCsmsUrl must not contain a #fragment';
  // A00.FR.003: profile 1 is unsecured transport, 2 and 3 are TLS.
  const tls = securityProfile !== 1;
  if (tls !== (url.protocol === 'wss:')) {
    return `security profile ${securityProfile} needs ${tls ? 'wss://' : 'ws://'}, not ${url.protocol}//`;
  }
  return undefined;
}

/**
 * The message timeout of a connection (ms): the profile's, or `fallbackS` (OCPPCommCtrlr.MessageTimeout)
 * when the profile's cannot be used. Never 0, negative or too long for a timer.
 *
 * @example
 * messageTimeoutMs({ ...data, messageTimeout: -5 }, 30); // 30000
 */
export function messageTimeoutMs(data: NetworkConnectionProfileType, fallbackS: number): number {
  const own = data.messageTimeout;
  const usable = Number.isInteger(own) && own >= 1 && own <= MAX_TIMER_S;
  return (usable ? own : Math.min(Math.max(1, fallbackS), MAX_TIMER_S)) * 1000;
}
