/**
 * JSON parsing that refuses duplicate object keys. `JSON.parse` silently keeps the last of two equal
 * keys; in a configuration file that hides an edit, so the loader rejects such files instead.
 */

/** A key that occurs twice in one JSON object. */
export interface DuplicateKey {
  /** Path of the object holding the key, e.g. `$.properties.HeartbeatInterval`. */
  path: string;
  key: string;
  /** 1-based line of the second occurrence. */
  line: number;
}

type Frame =
  | { kind: 'object'; path: string; keys: Set<string>; expectKey: boolean; key: string }
  | { kind: 'array'; path: string; index: number };

/**
 * Lists the duplicate keys of a JSON text that `JSON.parse` accepts (the scan assumes valid JSON).
 *
 * @example
 * findDuplicateKeys('{"a": 1, "a": 2}'); // [{ path: '$', key: 'a', line: 1 }]
 */
export function findDuplicateKeys(text: string): DuplicateKey[] {
  const duplicates: DuplicateKey[] = [];
  const stack: Frame[] = [];
  let line = 1;
  const childPath = (): string => {
    const top = stack.at(-1);
    if (top === undefined) return '$';
    return top.kind === 'object' ? `${top.path}.${top.key}` : `${top.path}[${top.index}]`;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    else if (ch === '{')
      stack.push({ kind: 'object', path: childPath(), keys: new Set(), expectKey: true, key: '' });
    else if (ch === '[') stack.push({ kind: 'array', path: childPath(), index: 0 });
    else if (ch === '}' || ch === ']') stack.pop();
    else if (ch === ',') {
      const top = stack.at(-1);
      if (top?.kind === 'object') top.expectKey = true;
      else if (top?.kind === 'array') top.index++;
    } else if (ch === ':') {
      const top = stack.at(-1);
      if (top?.kind === 'object') top.expectKey = false;
    } else if (ch === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (top?.kind === 'object' && top.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) duplicates.push({ path: top.path, key, line });
        top.keys.add(key);
        top.key = key;
      }
      i = end;
    }
  }
  return duplicates;
}

/**
 * Parses JSON text, throwing a `SyntaxError` for invalid JSON and for duplicate keys (naming the
 * key, the object path and the line).
 *
 * @example
 * parseJsonStrict('{"name": "TxCtrlr"}'); // { name: 'TxCtrlr' }
 * parseJsonStrict('{"a": 1, "a": 2}'); // throws SyntaxError: duplicate key 'a' in $ (line 1)
 */
export function parseJsonStrict(text: string): unknown {
  const value: unknown = JSON.parse(text);
  const duplicates = findDuplicateKeys(text);
  if (duplicates.length > 0) {
    throw new SyntaxError(
      duplicates.map((d) => `duplicate key '${d.key}' in ${d.path} (line ${d.line})`).join('; '),
    );
  }
  return value;
}
