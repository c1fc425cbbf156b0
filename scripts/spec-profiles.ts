/**
 * Which certification profile of OCPP 2.0.1 part 5 covers which use case of part 2.
 *
 * Part 5 lists, per profile, the test case ids (TC_B_01 ...) and whether a Charging Station must
 * pass them; part 6 gives, per test case (TC_B_01_CS ...), the use cases it exercises. Joining
 * the two gives use case -> profiles. The OCR'd text confuses I, L and 1 and O and 0 in test case
 * ids (part 5 prints the Tariff test TC_I_01 as TC_L_01, part 6 prints TC_O_06_CS as TC_0_06_CS):
 * part 6 ids are repaired from the block section they sit in, part 5 ids by trying the
 * look-alike letters and keeping the part 6 test case whose name contains the part 5 scenario.
 */
import { decodeEntities, tableRows } from './spec-extract.js';

export interface ProfileCoverage {
  /** use case id -> profile names */
  byUseCase: Map<string, Set<string>>;
  /** use case id -> ids of the Charging Station test cases (part 6) that exercise it */
  testsByUseCase: Map<string, Set<string>>;
  /** part 5 test case ids with a Charging Station entry that part 6 does not describe */
  unresolved: string[];
}

interface Part6Case {
  name: string;
  useCases: string[];
}

const normalizeName = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Use case ids named in a part 6 "Use case Id(s)" cell, e.g. `A02 &amp; F06`, `E01(S3) AND F02`. */
function useCaseIds(cell: string): string[] {
  return [...decodeEntities(cell).matchAll(/\b([A-P0-9])(\d{2})\b/g)].map(
    (m) => `${m[1] === '0' ? 'O' : m[1] === '1' ? 'I' : m[1]}${m[2]}`,
  );
}

/**
 * The Charging Station test cases of part 6 (chapter 2), keyed by repaired id (`TC_O_06_CS`).
 * @example parsePart6(part6Text).get('TC_B_01_CS')?.useCases // ["B01"]
 */
export function parsePart6(part6: string): Map<string, Part6Case> {
  const start = part6.indexOf('\n# 2.2. A ');
  const end = part6.indexOf('\n# 2.18. Reusable states');
  if (start < 0 || end < start) throw new Error('part 6: chapter 2 (Charging Station test cases) not found');
  const cases = new Map<string, Part6Case>();
  for (const section of part6.slice(start, end).split(/\n(?=# 2\.\d+\. [A-P] )/)) {
    const letter = /^\s*# 2\.\d+\. ([A-P]) /.exec(section)?.[1];
    if (!letter) continue;
    // Each test case follows a caption "Table N. Test Case Id: TC_X_nn_CS"; the caption is
    // authoritative (the TC_C_58_CS table repeats "TC_C_28_CS" in its id cell).
    const chunks = section.split(/Test Case I[dl]: *TC_[A-Z0-9]_(\d+)_CS\b/);
    for (let i = 1; i + 1 < chunks.length; i += 2) {
      const body = chunks[i + 1] ?? '';
      const name = /Test case name<\/td><td[^>]*>([^<]*)</.exec(body)?.[1];
      const useCases = /Use case [Il]d\(s\)<\/td><td[^>]*>([^<]*)</.exec(body)?.[1];
      if (name === undefined || useCases === undefined) {
        throw new Error(`part 6: test case TC_${letter}_${chunks[i]}_CS has no name or use case cell`);
      }
      const id = `TC_${letter}_${chunks[i]}_CS`;
      if (cases.has(id)) throw new Error(`part 6: test case ${id} is described twice`);
      cases.set(id, { name: decodeEntities(name).trim(), useCases: useCaseIds(useCases) });
    }
  }
  if (cases.size === 0) throw new Error('part 6: no Charging Station test case tables found');
  return cases;
}

const LOOK_ALIKES: Record<string, string[]> = {
  '0': ['O'],
  O: ['O'],
  '1': ['I', 'L'],
  I: ['I', 'L'],
  L: ['L', 'I'],
};

/**
 * Use case -> certification profiles, from the Charging Station column of part 5's test case
 * lists joined with part 6.
 * @example extractProfileCoverage(part5Text, part6Text).byUseCase.get('D01') // Set {"Local Authorization List Management"}
 */
export function extractProfileCoverage(part5: string, part6: string): ProfileCoverage {
  const part6Cases = parsePart6(part6);
  const start = part5.indexOf('\n# 4. List of test cases');
  const end = part5.indexOf('\n# 5. ');
  if (start < 0 || end < start) throw new Error('part 5: chapter "4. List of test cases" not found');
  const coverage: ProfileCoverage = { byUseCase: new Map(), testsByUseCase: new Map(), unresolved: [] };
  const sections = part5.slice(start, end).split(/\n(?=(?:# )?4\.\d\. Test Cases )/);
  for (const section of sections) {
    const profile = /^\s*(?:# )?4\.\d\. Test Cases (.+?)\.?\s*$/m.exec(section)?.[1];
    if (!profile) continue;
    let group = '';
    for (const cells of tableRows(section)) {
      const tc = /^TC_([A-Z0-9])_(\d+)$/.exec(cells[0] ?? '');
      if (!tc) {
        if ((cells[0] ?? '') === '' && cells[1]) group = cells[1];
        continue;
      }
      if (!cells[2]) continue; // no Charging Station conformance test
      const scenario = normalizeName(cells[1] ?? '');
      const candidates = (LOOK_ALIKES[tc[1] ?? ''] ?? [tc[1] ?? ''])
        .map((letter) => `TC_${letter}_${tc[2]}_CS`)
        .filter((id) => part6Cases.has(id));
      const byName = candidates.filter((id) => {
        const name = normalizeName(part6Cases.get(id)?.name ?? '');
        return name.includes(scenario) || name.includes(normalizeName(group) + scenario);
      });
      const id = byName[0] ?? candidates[0];
      const testCase = id === undefined ? undefined : part6Cases.get(id);
      if (id === undefined || testCase === undefined) {
        coverage.unresolved.push(`${cells[0]} (${profile})`);
        continue;
      }
      for (const uc of testCase.useCases) {
        if (!coverage.byUseCase.has(uc)) coverage.byUseCase.set(uc, new Set());
        if (!coverage.testsByUseCase.has(uc)) coverage.testsByUseCase.set(uc, new Set());
        coverage.byUseCase.get(uc)?.add(profile);
        coverage.testsByUseCase.get(uc)?.add(id);
      }
    }
  }
  return coverage;
}
