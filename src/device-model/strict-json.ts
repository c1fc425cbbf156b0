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

/**
 * An open object or array of the scan. The path of a frame is built only for a duplicate (from its
 * parent's current key or index, which do not move while the frame is open): building it for every
 * object, and reading the text one string per character, made this scan most of a snapshot start's
 * configuration load (cold start, issue 9).
 */
interface Frame {
  parent: Frame | undefined;
  /** Keys seen so far, for an object; undefined for an array. */
  keys: Set<string> | undefined;
  expectKey: boolean;
  key: string;
  index: number;
}

/** The tokens that matter: a whole string, or a structural character (numbers, literals, spaces skipped). */
const TOKEN = /"(?:[^"\\]|\\.)*"|[{}[\],:]/g;

function pathOf(frame: Frame): string {
  const parent = frame.parent;
  if (parent === undefined) return '$';
  return parent.keys ? `${pathOf(parent)}.${parent.key}` : `${pathOf(parent)}[${parent.index}]`;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/**
 * Lists the duplicate keys of a JSON text that `JSON.parse` accepts (the scan assumes valid JSON).
 *
 * @example
 * findDuplicateKeys('{"a": 1, "a": 2}'); // [{ path: '$', key: 'a', line: 1 }]
 */
export function findDuplicateKeys(text: string): DuplicateKey[] {
  const duplicates: DuplicateKey[] = [];
  let top: Frame | undefined;
  // The regular expression walks the text natively: a loop per character runs in V8's interpreter
  // on a cold start (a snapshot keeps bytecode, not optimized code).
  const tokens = new RegExp(TOKEN.source, 'g');
  for (let match = tokens.exec(text); match !== null; match = tokens.exec(text)) {
    const token = match[0];
    switch (token) {
      case '{':
        top = { parent: top, keys: new Set(), expectKey: true, key: '', index: 0 };
        break;
      case '[':
        top = { parent: top, keys: undefined, expectKey: false, key: '', index: 0 };
        break;
      case '}':
      case ']':
        top = top?.parent;
        break;
      case ',':
        if (top?.keys) top.expectKey = true;
        else if (top) top.index++;
        break;
      case ':':
        if (top?.keys) top.expectKey = false;
        break;
      default:
        if (top?.keys && top.expectKey) {
          const key = token.includes('\\') ? (JSON.parse(token) as string) : token.slice(1, -1);
          if (top.keys.has(key)) duplicates.push({ path: pathOf(top), key, line: lineAt(text, match.index) });
          top.keys.add(key);
          top.key = key;
        }
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
