/**
 * No secret ever reaches a log (issue 10, A04): passwords, passphrases and private keys are replaced
 * by `***` before a line is written. Recognised: object keys that name a secret (`password`,
 * `basicAuthPassword`, `passphrase`, `privateKey`, `key` with a PEM private key), a SetVariables /
 * GetVariables entry of a variable whose name contains "Password", a PEM private key anywhere in a
 * string, and the password part of a URL (`user:secret@host`).
 */

const SECRET_KEY = /password|passphrase|privatekey|secret|^key$/i;
const PEM_PRIVATE = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^@\s/]+@/gi;
/**
 * Text without any of these cannot hold what {@link redact} masks: a secret-naming key (a
 * password variable's name too), a PEM private key, a URL with a password, or an escape.
 */
const MAY_HOLD_SECRET = /password|passphrase|privatekey|secret|key"|private key|:\/\/|\\/i;

/**
 * `text` with PEM private keys and URL passwords masked.
 *
 * @example
 * redactText('https://u:pw@host/x'); // 'https://u:***@host/x'
 */
export function redactText(text: string): string {
  return text.replace(PEM_PRIVATE, '***').replace(URL_PASSWORD, '$1***@');
}

/**
 * A deep copy of `value` whose strings have URL passwords masked (nothing else): for the public
 * `frame` events, where an UpdateFirmware or GetLog location may carry `user:password@`.
 *
 * @example
 * redactUrlPasswords({ location: 'ftp://u:pw@host/fw.bin' }); // { location: 'ftp://u:***@host/fw.bin' }
 */
export function redactUrlPasswords(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(URL_PASSWORD, '$1***@');
  if (Array.isArray(value)) return value.map(redactUrlPasswords);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactUrlPasswords(v)]),
  );
}

function isPasswordVariable(value: Record<string, unknown>): boolean {
  const variable = value.variable as { name?: unknown } | undefined;
  return typeof variable?.name === 'string' && /password/i.test(variable.name);
}

/**
 * A deep copy of `value` with every secret masked.
 *
 * @example
 * redact({ setVariableData: [{ attributeValue: 'x', variable: { name: 'BasicAuthPassword' }, component: { name: 'SecurityCtrlr' } }] });
 * // -> attributeValue '***'
 */
export function redact(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const passwordVariable = isPasswordVariable(record);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) {
    if (typeof item === 'string' && (SECRET_KEY.test(key) || (passwordVariable && /value$/i.test(key)))) {
      out[key] = '***';
    } else {
      out[key] = redact(item);
    }
  }
  return out;
}

/**
 * An OCPP-J frame (text) with its secrets masked; text that is not JSON is masked as text.
 *
 * @example
 * redactFrame('[2,"1","SetVariables",{...}]');
 */
export function redactFrame(frame: string): unknown {
  // Most frames (Heartbeat, StatusNotification, ...) hold nothing redact() would mask: they are
  // parsed without the deep copy (issue 9: the message log was a sixth of a heartbeat's CPU). A
  // backslash may hide a key or URL behind escapes, so such a frame always takes the full path.
  if (!MAY_HOLD_SECRET.test(frame)) {
    try {
      return JSON.parse(frame) as unknown;
    } catch {
      return redactText(frame);
    }
  }
  try {
    return redact(JSON.parse(frame));
  } catch {
    return redactText(frame);
  }
}

/**
 * An OCPP-J frame as the JSON text of a log line's `frame` value, secrets masked: the same value as
 * `JSON.stringify(redactFrame(frame))` gives. A frame that cannot hold a secret (the cheap test
 * {@link redactFrame} uses) and has no line break is its own JSON text: it is neither parsed nor
 * stringified (issue 9: the parse and stringify per frame were most of the message log's share of a
 * heartbeat). `serialized` says the text came from this station's JSON.stringify (a frame it sent),
 * so it is JSON; a received frame is parsed once to be sure, since text spliced into a line must
 * not break it (or add keys to it).
 *
 * @example
 * frameLogJson('[2,"1","Heartbeat",{}]', true); // '[2,"1","Heartbeat",{}]'
 * frameLogJson('not json', false); // '"not json"'
 */
export function frameLogJson(frame: string, serialized: boolean): string {
  if (!MAY_HOLD_SECRET.test(frame) && !frame.includes('\n') && !frame.includes('\r')) {
    if (serialized) return frame;
    try {
      JSON.parse(frame);
      return frame;
    } catch {
      return JSON.stringify(redactText(frame));
    }
  }
  return JSON.stringify(redactFrame(frame));
}
