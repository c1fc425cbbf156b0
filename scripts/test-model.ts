/**
 * `npm run test:model [-- --report]`: runs the model-based tests (test/models/*.test.ts) and, with
 * `--report`, prints per production machine its states and transitions, the paths run and the
 * transition coverage they reached, measured in the runtime through the inspection stream
 * (src/testing/model-coverage.ts), then every transition that never fired.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bootMachine } from '../machines/boot.js';
import { connectionMachine } from '../machines/connection.js';
import { connectorMachine } from '../machines/connector.js';
import { evseMachine } from '../machines/evse.js';
import { reservationMachine } from '../machines/reservation.js';
import { transactionMachine } from '../machines/transaction.js';
import {
  TransitionCoverage,
  formatCoverage,
  mergeCoverage,
  type MachineCoverage,
} from '../src/testing/index.js';
import { COVERAGE_DIR_VARIABLE } from '../test/models/coverage-sink.js';

const args = process.argv.slice(2);
const report = args.includes('--report');
/**
 * The longest files first: two run at once, and the transaction walk alone takes about as long as
 * all the others together; started last, it would run on by itself at the end.
 */
const LONGEST_FIRST = ['transaction.model.test.ts', 'tx-points.model.test.ts'];
const rank = (f: string) => {
  const i = LONGEST_FIRST.indexOf(f);
  return i === -1 ? LONGEST_FIRST.length : i;
};
const files = readdirSync('test/models')
  .filter((f) => f.endsWith('.test.ts'))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  .map((f) => path.join('test/models', f));
const dir = mkdtempSync(path.join(tmpdir(), 'ocpp-model-coverage-'));
try {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', ...args.filter((a) => a !== '--report'), ...files],
    { stdio: 'inherit', env: { ...process.env, [COVERAGE_DIR_VARIABLE]: dir } },
  );
  if (report) {
    const reports = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as MachineCoverage[]);
    // Every machine the model tests cover, in this order, also when no test reported it.
    const machines = [
      bootMachine,
      connectionMachine,
      connectorMachine,
      evseMachine,
      transactionMachine,
      reservationMachine,
    ];
    const none = new TransitionCoverage(machines).report();
    const merged = mergeCoverage([...none, ...reports]).filter((r) =>
      machines.some((m) => m.id === r.machine),
    );
    console.log(
      `\nTransition coverage of the production machines (fired in the runtime, ${files.length} model test files)\n`,
    );
    console.log(formatCoverage(merged));
  }
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
