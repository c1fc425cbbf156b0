/**
 * A reader for the small block-YAML subset the example manifests are written in (the project has
 * no YAML dependency): nested mappings by indentation, `- ` sequences of scalars or mappings,
 * `#` comments, plain scalars, double-quoted scalars (JSON escapes), `{}` and `[]`. Anything else
 * (flow collections with content, anchors, multi-line scalars, tabs) is refused with the line
 * number, so a manifest that drifts out of the subset fails its test instead of being misread.
 */

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

interface Line {
  indent: number;
  text: string;
  number: number;
}

/**
 * @example
 * parseMiniYaml('a:\n  - "x"\n  - y: 1\n'); // { a: ['x', { y: 1 }] }
 */
export function parseMiniYaml(source: string): Value {
  const lines: Line[] = [];
  source.split('\n').forEach((raw, i) => {
    if (raw.includes('\t')) throw new Error(`line ${i + 1}: tabs are not in the subset`);
    const text = stripComment(raw).trimEnd();
    if (text.trim() === '') return;
    lines.push({ indent: text.length - text.trimStart().length, text: text.trim(), number: i + 1 });
  });
  let at = 0;

  function block(indent: number): Value {
    const first = lines[at];
    if (first === undefined || first.indent !== indent) throw new Error(`line ${first?.number}: bad indentation`);
    return first.text.startsWith('- ') || first.text === '-' ? sequence(indent) : mapping(indent);
  }

  function sequence(indent: number): Value[] {
    const out: Value[] = [];
    while (at < lines.length && (lines[at] as Line).indent === indent && (lines[at] as Line).text.startsWith('- ')) {
      const line = lines[at] as Line;
      const rest = line.text.slice(2).trim();
      if (/^[^"]*?:(\s|$)/.test(rest)) {
        // `- key: value`: a mapping whose keys sit at the column after "- ".
        lines[at] = { indent: indent + 2, text: rest, number: line.number };
        out.push(mapping(indent + 2));
      } else {
        at++;
        out.push(scalar(rest, line.number));
      }
    }
    return out;
  }

  function mapping(indent: number): { [key: string]: Value } {
    const out: { [key: string]: Value } = {};
    while (at < lines.length && (lines[at] as Line).indent === indent) {
      const line = lines[at] as Line;
      const match = /^([A-Za-z0-9_.-]+):(?:\s+(.*))?$/.exec(line.text);
      if (match === null) throw new Error(`line ${line.number}: expected "key: value", got ${line.text}`);
      const [, key = '', rest] = match;
      if (key in out) throw new Error(`line ${line.number}: duplicate key ${key}`);
      at++;
      if (rest !== undefined && rest !== '') out[key] = scalar(rest, line.number);
      else {
        const next = lines[at];
        if (next === undefined || next.indent < indent || (next.indent === indent && !next.text.startsWith('- ')))
          out[key] = null;
        else out[key] = block(next.indent);
      }
    }
    return out;
  }

  const value = block(0);
  if (at !== lines.length) throw new Error(`line ${(lines[at] as Line).number}: unexpected indentation`);
  return value;
}

function stripComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"' && line[i - 1] !== '\\') quoted = !quoted;
    if (!quoted && line[i] === '#' && (i === 0 || line[i - 1] === ' ')) return line.slice(0, i);
  }
  return line;
}

function scalar(text: string, number: number): Value {
  if (text.startsWith('"')) return JSON.parse(text) as string;
  if (text === '{}') return {};
  if (text === '[]') return [];
  if (/^[[{&*!|>'%@`]/.test(text)) throw new Error(`line ${number}: ${text} is not in the subset`);
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null' || text === '~') return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}
