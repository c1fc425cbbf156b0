/**
 * Writes docs/requirements/ (one Markdown file per functional block, listing every requirement
 * id of OCPP 2.0.1 part 2 with the errata 2025-09 applied) from the Markdown spec.
 *
 *   npx tsx scripts/extract-requirements.ts [--spec <dir>] [--out <dir>] [--check] [--init-status <file>]
 *
 * --spec         directory holding the OCPP 2.0.1 Edition 3 Markdown files
 *                (default: $OCPP201_SPEC_DIR or /work/shared/ocpp201/spec)
 * --out          output directory (default: docs/requirements)
 * --check        write nothing; exit 1 and name the files that a fresh run would change
 * --init-status  also write a fresh docs/STATUS.md skeleton to <file>; refuses to overwrite,
 *                because STATUS.md is maintained by hand once it exists
 *
 * The Status column of the generated tables is the only hand-edited part: a re-run keeps the
 * status of every id already listed.
 */
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import {
  BLOCKS,
  applyErrata,
  extractErrataChanges,
  extractRequirements,
  extractUseCases,
  type Block,
  type Requirement,
  type UseCase,
} from './spec-extract.js';
import { extractProfileCoverage, type ProfileCoverage } from './spec-profiles.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const SPEC_FILES = {
  part2: 'OCPP-2.0.1_edition3_part2_specification.md',
  errata: 'OCPP-2.0.1_edition3_errata_2025-09.md',
  part5: 'OCPP-2.0.1_edition3_part5_certification_profiles.md',
  part6: 'OCPP-2.0.1_edition3_part6-testcases.md',
} as const;

/**
 * Use cases that no Charging Station test case of part 6 exercises, but that part 5 Table 1
 * ("Certification profiles") names among a profile's functions.
 */
const PROFILE_BY_TABLE_1: Record<string, string> = {
  A03: 'Advanced Security', // "Update Charging Station Certificate"
  A04: 'Core', // "Security Event Notification"
  C08: 'ISO 15118 Support', // "Authorization using External Identification Means"
  I01: 'Advanced User Interface', // "Show EV Driver-specific Tariff Information"
  I04: 'Advanced User Interface', // "Configure Fallback Tariff Information & Total Cost Message"
  I05: 'Advanced User Interface',
  I06: 'Advanced User Interface', // "Update Tariff Information During Transaction"
  J03: 'ISO 15118 Support', // "ISO 15118 signed meter values"
  K16: 'ISO 15118 Support', // "Renegotiating a Charging Schedule"
};

const STATUS_VALUES = ['Not started', 'Partial', 'Done', 'Not applicable'] as const;

const STATUS_MEANING: Record<(typeof STATUS_VALUES)[number], string> = {
  'Not started': 'nothing of it is implemented yet.',
  Partial: 'some of its requirements are implemented and tested; Notes say what is missing.',
  Done: 'every Charging Station requirement is implemented and tested through the real path.',
  'Not applicable':
    'the station does not need it (e.g. a CSMS-only or Local Controller use case); Notes say why.',
};

type Actor = 'CS' | 'CSMS' | 'LC' | 'other';

/**
 * Who a requirement binds, from the subjects of its SHALL/SHOULD/MAY/MUST clauses.
 * @example actorsOf('The CSMS SHALL respond with ...') // ["CSMS"]
 */
export function actorsOf(definition: string): Actor[] {
  const found = new Set<Actor>();
  // The subject directly precedes the keyword (one adverb allowed): "the CSMS and SHALL send"
  // names the CSMS as an object, not a subject.
  const subject =
    /\b(Charging Station Operator|Charging Station(?:\/| or | and )(?:the )?CSMS|Charging Stations?|CSMS|Local Controller|EV Driver|EV|CSO|Certificate Authority)(?:'s \w+|,)?(?:\s+(?:also|then|only|still|again|itself|always|first|never))?\s+(?:SHALL|MUST|SHOULD|MAY|shall|must|should)\b/g;
  const recommended = /RECOMMENDED (?:for|that) (?:the )?(Charging Station|CSMS|Local Controller)\b/g;
  // "... delivery to the EV SHALL be allowed": a noun after a preposition is not the subject.
  const afterPreposition = /\b(to|from|for|with|by|of|on|at|in|into|than|towards)\s+(the\s+|an?\s+)?$/i;
  for (const m of [...definition.matchAll(subject), ...definition.matchAll(recommended)]) {
    const who = m[1] ?? '';
    if (m[0].startsWith(who) && afterPreposition.test(definition.slice(0, m.index))) continue;
    if (/^Charging Station.+CSMS$/.test(who)) found.add('CS').add('CSMS');
    else if (who === 'Charging Station' || who === 'Charging Stations') found.add('CS');
    else if (who === 'CSMS') found.add('CSMS');
    else if (who === 'Local Controller') found.add('LC');
    else found.add('other');
  }
  return (['CS', 'CSMS', 'LC', 'other'] as const).filter((a) => found.has(a));
}

/**
 * The first requirement keyword of a definition (SHALL, SHALL NOT, SHOULD, MAY, ...), or "-".
 * @example levelOf('The Charging Station SHALL NOT send ...') // "SHALL NOT"
 */
export function levelOf(definition: string): string {
  const m = /\b(SHALL NOT|SHALL|MUST NOT|MUST|SHOULD NOT|SHOULD|NOT RECOMMENDED|RECOMMENDED|MAY)\b/i.exec(
    definition,
  );
  return m?.[1]?.toUpperCase() ?? '-';
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 20)).trimEnd()} …`;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

function defaultStatus(req: Requirement, actors: readonly Actor[]): string {
  if (req.deleted) return 'Not applicable';
  if (actors.length > 0 && !actors.includes('CS')) return 'Not applicable';
  return 'Not started';
}

/** Reads `| <id> | ... | <status> |` rows of an earlier run, so hand-set statuses survive. */
function previousStatuses(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of markdown.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const id = cells[1] ?? '';
    const status = cells[cells.length - 2] ?? '';
    if (/^([A-P]\d{2}\.)?FR\.\d+$/.test(id) && status) out.set(id, status);
  }
  return out;
}

interface Spec {
  useCases: UseCase[];
  requirements: Requirement[];
  coverage: ProfileCoverage;
}

/**
 * Reads and parses the four spec files.
 * @example const spec = await loadSpec('/work/shared/ocpp201/spec'); spec.useCases.length // 119
 */
export async function loadSpec(specDir: string): Promise<Spec> {
  const read = async (file: string): Promise<string> => {
    const full = path.join(specDir, file);
    try {
      return await readFile(full, 'utf8');
    } catch (error) {
      throw new Error(`cannot read ${full}: ${(error as Error).message}`, { cause: error });
    }
  };
  const [part2, errata, part5, part6] = await Promise.all([
    read(SPEC_FILES.part2),
    read(SPEC_FILES.errata),
    read(SPEC_FILES.part5),
    read(SPEC_FILES.part6),
  ]);
  const base = extractRequirements(part2);
  const changes = extractErrataChanges(errata, new Set(base.map((r) => r.id)));
  return {
    useCases: extractUseCases(part2),
    requirements: applyErrata(base, changes),
    coverage: extractProfileCoverage(part5, part6),
  };
}

function sectionTitle(useCase: string, useCases: readonly UseCase[]): string {
  if (useCase === 'A00') return 'A00 - Security profiles and other requirements of section A.1 (no use case)';
  if (useCase === 'GEN') return 'Generic requirements (part 2 section 3)';
  const uc = useCases.find((u) => u.id === useCase);
  if (!uc) throw new Error(`requirement prefix ${useCase} matches no use case of part 2`);
  return `${uc.id} - ${uc.title}`;
}

function renderTable(reqs: readonly Requirement[], old: ReadonlyMap<string, string>): string[] {
  const lines = [
    '| Id | Applies to | Level | Requirement (shortened excerpt) | Errata | Status |',
    '|---|---|---|---|---|---|',
  ];
  for (const req of reqs) {
    const actors = actorsOf(req.definition);
    const text = req.precondition
      ? `${shorten(req.precondition, 110)} → ${shorten(req.definition, 190)}`
      : shorten(req.definition, 240);
    const errata = req.errata.map((c) => `${c.kind} (${c.section})`).join(', ');
    const status = old.get(req.id) ?? defaultStatus(req, actors);
    const shown = req.deleted ? `~~${cell(text)}~~` : cell(text);
    lines.push(
      `| ${req.id} | ${actors.join(', ') || '-'} | ${levelOf(req.definition)} | ${shown} | ${errata} | ${cell(status)} |`,
    );
  }
  return lines;
}

/**
 * The Markdown of one block file (or of the generic requirements when `block` is undefined).
 * @example renderBlock(spec, BLOCKS[0], new Map()).startsWith('# A. Security') // true
 */
export function renderBlock(spec: Spec, block: Block | undefined, old: ReadonlyMap<string, string>): string {
  const prefix = block?.letter;
  const reqs = spec.requirements.filter((r) =>
    prefix ? r.useCase.startsWith(prefix) && r.useCase !== 'GEN' : r.useCase === 'GEN',
  );
  const groups = [...new Set(reqs.map((r) => r.useCase))];
  const onStation = reqs.filter((r) => !r.deleted && actorsOf(r.definition).includes('CS')).length;
  const out = [
    block ? `# ${block.letter}. ${block.name}: requirements` : '# Generic requirements',
    '',
    'Generated by `npx tsx scripts/extract-requirements.ts` from OCPP 2.0.1 Edition 3 part 2 with the',
    'errata 2025-09 applied. Edit only the Status column (a re-run keeps it); see [README](README.md).',
    '',
    `${reqs.length} requirement ids; ${onStation} bind the Charging Station; ${reqs.filter((r) => r.deleted).length} deleted by the errata.`,
  ];
  for (const group of groups) {
    out.push('', `## ${sectionTitle(group, spec.useCases)}`, '');
    const tests = [...(spec.coverage.testsByUseCase.get(group) ?? [])].sort();
    if (tests.length > 0) out.push(`Part 6 Charging Station test cases: ${tests.join(', ')}.`, '');
    out.push(
      ...renderTable(
        reqs.filter((r) => r.useCase === group),
        old,
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

function profilesOf(spec: Spec, useCase: string): { profiles: string[]; fromTable1: boolean } {
  const tested = [...(spec.coverage.byUseCase.get(useCase) ?? [])].sort();
  if (tested.length > 0) return { profiles: tested, fromTable1: false };
  const named = PROFILE_BY_TABLE_1[useCase];
  return { profiles: named ? [named] : [], fromTable1: named !== undefined };
}

/**
 * The docs/STATUS.md skeleton: one table per block, every use case `Not started`.
 * @example renderStatus(spec).includes('| B06 | Get Variables | Not started |') // true
 */
export function renderStatus(spec: Spec): string {
  const out = [
    '# Implementation status: OCPP 2.0.1 use cases',
    '',
    'One row per use case of OCPP 2.0.1 Edition 3 part 2 (ids and titles as the spec prints them).',
    'The lead updates a row when a feature lands. Requirement-level lists: [requirements/](requirements/README.md).',
    '',
    'Status legend:',
    '',
    ...STATUS_VALUES.map((s) => `- **${s}**: ${STATUS_MEANING[s]}`),
    '',
    '"Profile" in Notes is the certification profile of part 5 whose Charging Station test cases',
    '(part 6) exercise the use case; "(Table 1)" marks profiles that part 5 only names in its',
    'profile overview, without a Charging Station test case.',
    '',
    '## Cross-cutting',
    '',
    'Requirements that belong to no numbered use case but that every profile relies on.',
    '',
    '| Use case | Title | Status | Tests | Notes |',
    '|---|---|---|---|---|',
    `| A00 | Security profiles 1-3: Basic Authentication, TLS, client certificates (part 2 section A.1) | Not started |  | Profile: ${profilesOf(spec, 'A00').profiles.join(', ')}; [requirements](requirements/a-security.md) |`,
    '| GEN | Generic requirements: time format, message timeouts, CALLRESULT / CALLERROR (part 2 section 3) | Not started |  | [requirements](requirements/general.md) |',
    '| OCPP-J | RPC framework, WebSocket connection, reconnection back-off (part 4) | Not started |  | Part 4 has no requirement ids |',
  ];
  for (const block of BLOCKS) {
    const useCases = spec.useCases.filter((u) => u.block === block.letter);
    const byProfile = new Map<string, string[]>();
    for (const uc of useCases) {
      for (const p of profilesOf(spec, uc.id).profiles)
        byProfile.set(p, [...(byProfile.get(p) ?? []), uc.id]);
    }
    const none = useCases.filter((u) => profilesOf(spec, u.id).profiles.length === 0).map((u) => u.id);
    const summary = [...byProfile].map(([p, ids]) => `${p} (${ids.join(', ')})`);
    if (none.length > 0) summary.push(`no Charging Station test case in any profile (${none.join(', ')})`);
    out.push(
      '',
      `## ${block.letter}. ${block.name}`,
      '',
      `Certification profiles: ${summary.join('; ')}.`,
      '',
    );
    out.push('| Use case | Title | Status | Tests | Notes |', '|---|---|---|---|---|');
    for (const uc of useCases) {
      const { profiles, fromTable1 } = profilesOf(spec, uc.id);
      const note =
        profiles.length === 0
          ? 'No part 5 test case'
          : `Profile: ${profiles.join(', ')}${fromTable1 ? ' (Table 1)' : ''}`;
      out.push(`| ${uc.id} | ${cell(uc.title)} | Not started |  | ${note} |`);
    }
  }
  return `${out.join('\n')}\n`;
}

function renderReadme(spec: Spec, unresolved: readonly string[]): string {
  const rows = BLOCKS.map((b) => {
    const reqs = spec.requirements.filter((r) => r.useCase.startsWith(b.letter) && r.useCase !== 'GEN');
    const cs = reqs.filter((r) => !r.deleted && actorsOf(r.definition).includes('CS')).length;
    const changed = reqs.filter((r) => r.errata.length > 0).length;
    return `| [${b.letter}. ${b.name}](${b.slug}.md) | ${reqs.length} | ${cs} | ${changed} |`;
  });
  const generic = spec.requirements.filter((r) => r.useCase === 'GEN').length;
  return `${[
    '# Requirement lists',
    '',
    'Generated by `npx tsx scripts/extract-requirements.ts` (parsers in `scripts/spec-extract.ts` and',
    '`scripts/spec-profiles.ts`) from the Markdown conversion of OCPP 2.0.1 Edition 3: part 2 (every',
    'table row whose first cell is a requirement id), the errata 2025-09 (chapter "Part 2": changed,',
    'added and deleted requirements, applied in document order), part 5 and part 6 (test cases).',
    '',
    '| Block | Requirement ids | Bind the Charging Station | Touched by errata |',
    '|---|---|---|---|',
    ...rows,
    `| [Generic requirements](general.md) | ${generic} | | |`,
    '',
    'Columns:',
    '',
    '- **Applies to**: subjects of the SHALL / SHOULD / MAY / MUST clauses: CS (Charging Station),',
    '  CSMS, LC (Local Controller), other (EV, EV Driver, CSO, CA); `-` when the text names none.',
    '  Found by pattern matching: read the spec before relying on it.',
    '- **Level**: the first requirement keyword of the definition.',
    '- **Requirement**: precondition → definition, excerpts of the spec text cut to one line (`…`).',
    '  The spec (© Open Charge Alliance, CC BY-ND 4.0) is the reference; these lines only identify',
    '  the requirement.',
    '- **Errata**: `changed`, `added` or `deleted` with the errata section number. Changed and added',
    '  rows show the errata text; deleted rows are struck through.',
    '- **Status**: the same values as [STATUS.md](../STATUS.md). The first run sets `Not applicable` for',
    '  deleted requirements and for those that bind only the CSMS or a Local Controller,',
    '  `Not started` for the rest. Edit it by hand; a re-run keeps it.',
    '',
    'Repairs of the OCR text: ids with look-alike characters (`001.FR.01` → O01.FR.01, `102` → I02,',
    '`Groupld` → GroupId), test case ids of part 5 (`TC_L_01` in the Tariff list is TC_I_01) and',
    'part 6 (`TC_0_06_CS` → TC_O_06_CS; the caption wins over the id cell for TC_C_58_CS).',
    '',
    'Known gaps: the errata to parts 5 and 6 are not applied (e.g. TC_B_14_CS added to Core).',
    'The spec itself numbers some requirements with gaps (C01.FR.14-16 do not exist); ids are listed',
    'as printed. The errata prints C16.FR.07 twice for two requirements; both texts are kept under that id.',
    unresolved.length > 0 ? `Part 5 test cases without a part 6 description: ${unresolved.join(', ')}.` : '',
  ].join('\n')}\n`;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function main(argv: readonly string[]): Promise<number> {
  const option = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
    return value;
  };
  const specDir = option('--spec') ?? process.env['OCPP201_SPEC_DIR'] ?? '/work/shared/ocpp201/spec';
  const outDir = path.resolve(option('--out') ?? path.join(root, 'docs', 'requirements'));
  const statusFile = option('--init-status');
  const check = argv.includes('--check');
  const spec = await loadSpec(specDir);

  // Output goes through the repository's prettier settings, so `npm run format` leaves it as is
  // and --check stays meaningful.
  const formatted = async (file: string, text: string): Promise<string> =>
    prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
  const files = new Map<string, string>();
  const previous = async (file: string): Promise<Map<string, string>> =>
    (await exists(file)) ? previousStatuses(await readFile(file, 'utf8')) : new Map();
  for (const block of BLOCKS) {
    const file = path.join(outDir, `${block.slug}.md`);
    files.set(file, await formatted(file, renderBlock(spec, block, await previous(file))));
  }
  const general = path.join(outDir, 'general.md');
  files.set(general, await formatted(general, renderBlock(spec, undefined, await previous(general))));
  const readme = path.join(outDir, 'README.md');
  files.set(readme, await formatted(readme, renderReadme(spec, spec.coverage.unresolved)));

  if (check) {
    const stale: string[] = [];
    for (const [file, text] of files) {
      if (!(await exists(file)) || (await readFile(file, 'utf8')) !== text)
        stale.push(path.relative(root, file));
    }
    if (stale.length > 0)
      console.error(`out of date (run npx tsx scripts/extract-requirements.ts): ${stale.join(', ')}`);
    return stale.length > 0 ? 1 : 0;
  }
  await mkdir(outDir, { recursive: true });
  for (const [file, text] of files) await writeFile(file, text);
  console.log(
    `wrote ${files.size} files to ${path.relative(root, outDir) || '.'}: ${spec.useCases.length} use cases, ${spec.requirements.length} requirement ids`,
  );
  if (statusFile) {
    if (await exists(statusFile))
      throw new Error(`${statusFile} exists: STATUS.md is maintained by hand, not regenerated`);
    await writeFile(statusFile, await formatted(statusFile, renderStatus(spec)));
    console.log(`wrote ${statusFile}`);
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
