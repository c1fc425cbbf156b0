/**
 * Where the model tests leave their coverage for `npm run test:model -- --report`
 * (scripts/test-model.ts): one JSON file per test file in $OCPP_MODEL_COVERAGE_DIR, when set.
 * Under plain `npm test` the variable is unset and nothing is written.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MachineCoverage } from '../../src/testing/index.js';

/** The variable scripts/test-model.ts sets to a temporary directory. */
export const COVERAGE_DIR_VARIABLE = 'OCPP_MODEL_COVERAGE_DIR';

/**
 * Leaves `reports` (of the test file `name`) for the report, if one is being made.
 *
 * @example
 * after(() => publishCoverage('availability', mergeCoverage(reports)));
 */
export function publishCoverage(name: string, reports: readonly MachineCoverage[]): void {
  const dir = process.env[COVERAGE_DIR_VARIABLE];
  if (!dir) return;
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(reports));
}
