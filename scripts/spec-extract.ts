/**
 * Parsers for the Markdown conversion of the OCPP 2.0.1 Edition 3 specification (part 2, its
 * errata, part 5 and part 6). The conversion was made by OCR, so ids come with look-alike
 * characters (`001` for O01, `102` for I02, `ld` for Id); every parser repairs those from
 * context (the functional block a line sits in) and checks its result, throwing an Error that
 * names the file and the id when the text does not have the expected shape.
 *
 * Used by scripts/extract-requirements.ts.
 */

/** One functional block of part 2, with the heading text the spec uses for it. */
export interface Block {
  letter: string;
  name: string;
  slug: string;
}

export const BLOCKS: readonly Block[] = [
  { letter: 'A', name: 'Security', slug: 'a-security' },
  { letter: 'B', name: 'Provisioning', slug: 'b-provisioning' },
  { letter: 'C', name: 'Authorization', slug: 'c-authorization' },
  { letter: 'D', name: 'LocalAuthorizationList Management', slug: 'd-local-authorization-list' },
  { letter: 'E', name: 'Transactions', slug: 'e-transactions' },
  { letter: 'F', name: 'RemoteControl', slug: 'f-remote-control' },
  { letter: 'G', name: 'Availability', slug: 'g-availability' },
  { letter: 'H', name: 'Reservation', slug: 'h-reservation' },
  { letter: 'I', name: 'TariffAndCost', slug: 'i-tariff-and-cost' },
  { letter: 'J', name: 'MeterValues', slug: 'j-meter-values' },
  { letter: 'K', name: 'SmartCharging', slug: 'k-smart-charging' },
  { letter: 'L', name: 'FirmwareManagement', slug: 'l-firmware-management' },
  { letter: 'M', name: 'ISO 15118 CertificateManagement', slug: 'm-iso15118-certificate-management' },
  { letter: 'N', name: 'Diagnostics', slug: 'n-diagnostics' },
  { letter: 'O', name: 'DisplayMessage', slug: 'o-display-message' },
  { letter: 'P', name: 'DataTransfer', slug: 'p-data-transfer' },
];

export interface UseCase {
  id: string;
  title: string;
  block: string;
}

export type ErrataKind = 'changed' | 'added' | 'deleted';

export interface ErrataChange {
  /** Section number in the errata document, e.g. `2.9`. */
  section: string;
  kind: ErrataKind;
  id: string;
  precondition: string;
  definition: string;
  note: string;
}

export interface Requirement {
  id: string;
  /** `A01` ... `P02`, `A00` for the security-profile requirements, `GEN` for part 2 section 3. */
  useCase: string;
  precondition: string;
  definition: string;
  note: string;
  fromErrata: boolean;
  deleted: boolean;
  errata: ErrataChange[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Replaces HTML entities (`&amp;`, `&#x27;`, `&#39;`) by their characters.
 * @example decodeEntities('A &amp; B&#x27;s') // "A & B's"
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, code: string) => {
    if (code.startsWith('#x') || code.startsWith('#X'))
      return String.fromCodePoint(parseInt(code.slice(2), 16));
    if (code.startsWith('#')) return String.fromCodePoint(parseInt(code.slice(1), 10));
    return ENTITIES[code.toLowerCase()] ?? all;
  });
}

/**
 * The cells of every `<tr>` in an HTML fragment, tags removed, entities decoded, whitespace collapsed.
 * @example tableRows('<table><tr><td>A01.FR.01</td><td>x</td></tr></table>') // [["A01.FR.01", "x"]]
 */
export function tableRows(html: string): string[][] {
  const rows: string[][] = [];
  for (const row of html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) {
    const cells = [...(row[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) =>
      decodeEntities((cell[1] ?? '').replace(/<[^>]+>/g, ' '))
        .replace(/\s+/g, ' ')
        .trim(),
    );
    rows.push(cells);
  }
  return rows;
}

/** OCR confuses O with 0 and I with 1 or l in the first character of an id. */
function repairIdLetter(letter: string): string {
  if (letter === '0') return 'O';
  if (letter === '1' || letter === 'l') return 'I';
  return letter;
}

/**
 * Normalizes a requirement id as printed in the spec (`001.FR.03`, `E06.FR. 05`) to `O01.FR.03`;
 * returns undefined when the text is not a requirement id.
 * @example normalizeRequirementId('001.FR.03') // "O01.FR.03"
 */
export function normalizeRequirementId(text: string): string | undefined {
  // The errata marks some ids as "B10.FR.10 (new)".
  const compact = text.replace(/\s+/g, '').replace(/\(new\)$/i, '');
  const generic = /^FR\.(\d{2})$/.exec(compact);
  if (generic) return `FR.${generic[1]}`;
  const match = /^([A-P0-9l])(\d{2})\.FR\.(\d{2,3})$/.exec(compact);
  if (!match) return undefined;
  return `${repairIdLetter(match[1] ?? '')}${match[2]}.FR.${match[3]}`;
}

/** OCR misreadings in use case titles: `Groupld` for GroupId, `ld` for Id. */
function repairTitle(title: string): string {
  return title
    .replace(/\bGroupld\b/g, 'GroupId')
    .replace(/\bld\b/g, 'Id')
    .replace(/\.$/, '')
    .trim();
}

/**
 * Every use case of part 2 in spec order. The table of contents is complete (119 entries) but
 * squeezes spaces ("Station-Pending"); section headings are spaced correctly but three are
 * missing (H03, H04, I05). So the heading title is used where there is one, the contents entry
 * otherwise. Throws when a block's ids are not numbered 01..n without gaps.
 * @example extractUseCases(part2Text).find((u) => u.id === 'B06')?.title // "Get Variables"
 */
export function extractUseCases(part2: string): UseCase[] {
  const tocEnd = part2.indexOf('\n# Disclaimer');
  if (tocEnd < 0) throw new Error('part 2: "# Disclaimer" heading (end of the table of contents) not found');
  const fromToc = new Map<string, UseCase>();
  let block: Block | undefined;
  for (const line of part2.slice(0, tocEnd).split('\n')) {
    const blockMatch = /^([A-P])\. (.+?)\s+\d+\s*$/.exec(line.trim());
    if (blockMatch) {
      block = BLOCKS.find((b) => b.letter === blockMatch[1]);
      continue;
    }
    const uc = /^([A-P0-9l])(\d{2}) - (.+?)\.?\s+\d+\s*$/.exec(line.trim());
    if (!uc || !block) continue;
    if (repairIdLetter(uc[1] ?? '') !== block.letter) {
      throw new Error(`part 2 contents: use case "${line.trim()}" is listed under block ${block.letter}`);
    }
    const id = `${block.letter}${uc[2]}`;
    fromToc.set(id, { id, title: repairTitle(uc[3] ?? ''), block: block.letter });
  }
  const headings = new Map<string, string>();
  block = undefined;
  for (const line of part2.slice(tocEnd).split('\n')) {
    const blockMatch = /^# ([A-P])\. (.+)$/.exec(line);
    if (blockMatch) {
      block = BLOCKS.find((b) => b.letter === blockMatch[1] && b.name === blockMatch[2]?.trim());
      continue;
    }
    const heading = /^# ([A-P0-9l])(\d{2}) - (.+)$/.exec(line);
    // "H03 - Use a reserved EVSE - Requirements" is a sub-heading, not the title.
    if (heading && /-\s*(Requirements|Example)\s*$|\bRequirements$/.test(heading[3] ?? '')) continue;
    if (!heading || !block || repairIdLetter(heading[1] ?? '') !== block.letter) continue;
    const id = `${block.letter}${heading[2]}`;
    if (!headings.has(id)) headings.set(id, heading[3] ?? '');
  }
  const useCases = [...fromToc.values()].map((uc) => {
    const heading = headings.get(uc.id);
    return heading === undefined ? uc : { ...uc, title: repairTitle(heading) };
  });
  for (const b of BLOCKS) {
    const ids = useCases.filter((u) => u.block === b.letter).map((u) => Number(u.id.slice(1)));
    if (ids.length === 0) throw new Error(`part 2: no use cases found for block ${b.letter}. ${b.name}`);
    ids.forEach((n, i) => {
      if (n !== i + 1)
        throw new Error(`part 2: block ${b.letter} use case numbering jumps to ${b.letter}${n}`);
    });
  }
  return useCases;
}

function useCaseOf(id: string): string {
  return id.startsWith('FR.') ? 'GEN' : id.slice(0, 3);
}

/**
 * Every requirement row (first cell a requirement id) of every table in part 2, in spec order.
 * Throws on a duplicate id.
 * @example extractRequirements(part2Text).find((r) => r.id === 'B06.FR.01')?.useCase // "B06"
 */
export function extractRequirements(part2: string): Requirement[] {
  const out = new Map<string, Requirement>();
  for (const cells of tableRows(part2)) {
    const id = normalizeRequirementId(cells[0] ?? '');
    if (!id) continue;
    if (out.has(id)) throw new Error(`part 2: requirement ${id} appears twice`);
    out.set(id, {
      id,
      useCase: useCaseOf(id),
      precondition: cells[1] ?? '',
      definition: cells[2] ?? '',
      note: cells[3] ?? '',
      fromErrata: false,
      deleted: false,
      errata: [],
    });
  }
  return [...out.values()];
}

const KIND_WORDS: readonly [RegExp, ErrataKind][] = [
  [/\b(delete|deleted|remove|removed)\b/i, 'deleted'],
  [/\b(new|added|add)\b/i, 'added'],
  [/\b(changed|change|updated|improved)\b/i, 'changed'],
];

function kindFromWords(text: string): ErrataKind | undefined {
  return KIND_WORDS.find(([re]) => re.test(text))?.[1];
}

/**
 * The requirement changes of the errata's "Part 2" chapter, in document order. A row is either
 * labelled (`Old text` / `New text` / `New requirement` / `Delete` in a first column) or bare
 * (under a line such as "New requirements"); bare rows take their kind from the nearest text
 * line above the table, then from the section title, then from whether part 2 has the id.
 * `Old` rows are not returned: the matching `New` row carries the text that now applies.
 * @example extractErrataChanges(errataText, new Set(['E06.FR.05'])).find((c) => c.id === 'E06.FR.05')?.kind // "deleted"
 */
export function extractErrataChanges(errata: string, knownIds: ReadonlySet<string>): ErrataChange[] {
  const start = errata.indexOf('\n# 2. Part 2');
  const end = errata.indexOf('\n# 3. Part 3');
  if (start < 0 || end < start) throw new Error('errata: chapters "# 2. Part 2" / "# 3. Part 3" not found');
  const changes: ErrataChange[] = [];
  const sections = errata
    .slice(start, end)
    .split(/\n(?=# 2\.\d+\. )/)
    .slice(1);
  for (const text of sections) {
    const header = /^# (2\.\d+)\. (.*)$/m.exec(text);
    if (!header) continue;
    const [, section = '', title = ''] = header;
    const oldIds = new Set<string>();
    let lastProse = '';
    for (const part of text.split(/(<table>[\s\S]*?<\/table>)/)) {
      if (!part.startsWith('<table>')) {
        const lines = part.split('\n').map((l) => l.trim());
        const prose = lines.filter((l) => l && !l.startsWith('#') && !l.startsWith('!') && kindFromWords(l));
        if (prose.length > 0) lastProse = prose[prose.length - 1] ?? '';
        continue;
      }
      let previous: ErrataChange | undefined;
      for (const cells of tableRows(part)) {
        const bareId = normalizeRequirementId(cells[0] ?? '');
        const labelledId = bareId ? undefined : normalizeRequirementId(cells[1] ?? '');
        if (!bareId && !labelledId) {
          // A row-spanning precondition continues on a row of its own (B09.FR.31).
          if (previous && cells.length === 1) previous.precondition += ` ${cells[0] ?? ''}`;
          continue;
        }
        const [label, id, pre, def, note] = bareId ? ['', bareId, ...cells.slice(1)] : [...cells];
        if (!id) continue;
        const lower = (label ?? '').toLowerCase();
        let kind: ErrataKind | undefined;
        if (lower.startsWith('old')) {
          oldIds.add(id);
          previous = undefined;
          continue;
        } else if (/delet|remov/.test(lower)) kind = 'deleted';
        else if (/^(new requirement|added|add)/.test(lower)) kind = 'added';
        else if (lower.startsWith('new')) kind = oldIds.has(id) || knownIds.has(id) ? 'changed' : 'added';
        else if (/^(changed|updated)/.test(lower)) kind = 'changed';
        else
          kind = kindFromWords(lastProse) ?? kindFromWords(title) ?? (knownIds.has(id) ? 'changed' : 'added');
        if (kind === 'added' && knownIds.has(id)) kind = 'changed';
        // A02.FR.09 / A03.FR.09: the "new text" of a change is "<Requirement removed>".
        if (/^<?requirement removed>?$/i.test((def ?? '').trim())) kind = 'deleted';
        previous = { section, kind, id, precondition: pre ?? '', definition: def ?? '', note: note ?? '' };
        changes.push(previous);
      }
    }
  }
  return changes;
}

/**
 * Applies errata changes to the part 2 requirements: changed rows take the new text, added rows
 * are appended, deleted rows are flagged. Returns the merged list sorted by id.
 * @example applyErrata(reqs, changes).find((r) => r.id === 'E06.FR.05')?.deleted // true
 */
export function applyErrata(
  requirements: readonly Requirement[],
  changes: readonly ErrataChange[],
): Requirement[] {
  const byId = new Map(requirements.map((r) => [r.id, { ...r, errata: [...r.errata] }]));
  for (const change of changes) {
    const existing = byId.get(change.id);
    if (!existing) {
      byId.set(change.id, {
        id: change.id,
        useCase: useCaseOf(change.id),
        precondition: change.precondition,
        definition: change.definition,
        note: change.note,
        fromErrata: true,
        deleted: change.kind === 'deleted',
        errata: [change],
      });
      continue;
    }
    const sameSectionAdd = existing.errata.some((c) => c.section === change.section && c.kind === 'added');
    if (change.kind === 'deleted') existing.deleted = true;
    else if (sameSectionAdd) {
      // The errata sometimes prints one id twice for two different requirements (C16.FR.07).
      existing.definition += ` [the errata gives this id a second time: ${change.precondition} -> ${change.definition}]`;
      continue;
    } else {
      existing.deleted = false;
      existing.precondition = change.precondition;
      existing.definition = change.definition;
      if (change.note) existing.note = change.note;
    }
    existing.errata.push(change);
  }
  return [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
}

/**
 * Orders requirement ids by use case, then number (`B01.FR.2` before `B01.FR.10`, `FR.01` last).
 * @example ['B01.FR.10', 'B01.FR.02'].sort(compareIds) // ["B01.FR.02", "B01.FR.10"]
 */
export function compareIds(a: string, b: string): number {
  const key = (id: string): [string, number] => {
    const parts = id.split('.FR.');
    return parts.length === 2 ? [parts[0] ?? '', Number(parts[1])] : ['~', Number(id.slice(3))];
  };
  const [ua, na] = key(a);
  const [ub, nb] = key(b);
  return ua === ub ? na - nb : ua < ub ? -1 : 1;
}
