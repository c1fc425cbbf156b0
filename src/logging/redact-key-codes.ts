/**
 * C04.FR.04: "If an idToken of type keyCode is used, the Charging Station SHALL NOT show the IdToken
 * in any logging." Everything this station writes for people or log files (the CLI output, the
 * OCPP message log, the frames of the public event stream, `ocppMessagesCallback`) passes through
 * these functions, which replace the secret of every `{ idToken, type: 'KeyCode' }` object (an
 * IdTokenType anywhere in a payload: idToken, groupIdToken, a local list entry ...) by
 * {@link REDACTED}. Frames on the wire are never changed.
 */

/** What a KeyCode idToken is shown as. */
export const REDACTED = '<redacted>';

/**
 * A copy of `value` with every KeyCode idToken redacted; `value` itself (not copied) when it holds
 * none.
 *
 * @example
 * redactKeyCodes([2, 'm1', 'Authorize', { idToken: { idToken: '1234', type: 'KeyCode' } }]);
 * // [2, 'm1', 'Authorize', { idToken: { idToken: '<redacted>', type: 'KeyCode' } }]
 */
export function redactKeyCodes<T>(value: T): T {
  return redact(value) as T;
}

/**
 * `text` (an OCPP-J frame as sent or received) with every KeyCode idToken redacted. Text without the
 * word `"KeyCode"` is returned as it is without being parsed, so the common case costs one search;
 * text that is not JSON is returned as it is (it cannot hold a parsed idToken).
 *
 * @example
 * redactKeyCodesInText('[2,"m1","Authorize",{"idToken":{"idToken":"1234","type":"KeyCode"}}]');
 * // '[2,"m1","Authorize",{"idToken":{"idToken":"<redacted>","type":"KeyCode"}}]'
 */
export function redactKeyCodesInText(text: string): string {
  if (!text.includes('"KeyCode"')) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: a bad frame. It may still carry a key code as text; hide every quoted value
    // that follows an "idToken" key, which is the only place a key code can be.
    return text.replace(/("idToken"\s*:\s*)"(?:[^"\\]|\\.)*"/g, `$1"${REDACTED}"`);
  }
  const redacted = redact(parsed);
  return redacted === parsed ? text : JSON.stringify(redacted);
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    value.forEach((item, i) => {
      const next = redact(item);
      if (next !== item) {
        copy ??= [...value];
        copy[i] = next;
      }
    });
    return copy ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  if (record.type === 'KeyCode' && typeof record.idToken === 'string') {
    copy = { ...record, idToken: REDACTED };
  }
  for (const [key, item] of Object.entries(record)) {
    if (copy && key === 'idToken' && copy.idToken === REDACTED) continue;
    const next = redact(item);
    if (next !== item) {
      copy ??= { ...record };
      copy[key] = next;
    }
  }
  return copy ?? value;
}
