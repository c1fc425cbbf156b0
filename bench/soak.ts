/**
 * Soak (issue 9): N ocpp-station ChargePoints of one fleet (one SQLite file) run accelerated against
 * a strict ocpp-rpc CSMS in another process — heartbeats at a short interval, and on every EVSE
 * session after session (plug, token, energy with periodic meter data, token, unplug) — for a
 * bounded time, with RSS and heap after GC sampled between cycles (every EVSE one session per
 * cycle, every queue empty): bench/soak/soak-process.ts. Prints the samples and the trend over the
 * second half (the first is warm-up): RSS and heap slopes, heap left per session. No growth is the
 * expectation; test/fault/fleet-soak.test.ts asserts it on a small fleet.
 *
 * Run: `npm run bench -- soak [--stations 1000] [--seconds 300] [--min-cycles 4] [--step-s 3]
 * [--heartbeat-s 2]`. Writes bench/results/soak.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runSoak } from './soak/run-soak.js';
import { secondHalfTrend } from './soak/trend.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const MB = 1024 * 1024;
const fmt = (n: number, digits = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function run(): Promise<void> {
  // bench/run.ts leaves everything from the first --option on to the benches.
  const first = process.argv.findIndex((a, i) => i >= 2 && a.startsWith('--'));
  const { values } = parseArgs({
    args: first === -1 ? [] : process.argv.slice(first),
    strict: false,
    options: {
      stations: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '300' },
      'min-cycles': { type: 'string', default: '4' },
      'step-s': { type: 'string', default: '3' },
      'heartbeat-s': { type: 'string', default: '2' },
    },
  });
  const options = {
    stations: Number(values.stations),
    seconds: Number(values.seconds),
    minCycles: Number(values['min-cycles']),
    stepSeconds: Number(values['step-s']),
    heartbeatSeconds: Number(values['heartbeat-s']),
  };
  console.log(
    `soak: ${options.stations} stations (2 EVSEs), ${options.seconds} s and at least ${options.minCycles} cycles, ` +
      `a session step every ~${options.stepSeconds} s per EVSE, heartbeat every ${options.heartbeatSeconds} s; CSMS ocpp-rpc strict in another process`,
  );
  const result = await runSoak(options);
  console.log('\n      t (s)  cycle    RSS (MB)   heap (MB)');
  for (const s of result.samples) {
    console.log(
      `  ${fmt(s.t).padStart(9)}  ${String(s.cycle).padStart(5)}  ${fmt(s.rss / MB).padStart(10)}  ${fmt(s.heapUsed / MB, 2).padStart(10)}`,
    );
  }
  const trend = secondHalfTrend(result.samples);
  const sessions = options.stations * 2;
  console.log(
    `\n  ${result.cycles} cycles, ${result.transactions} transactions, ${result.csms.calls} CALLs answered, ` +
      `${result.csms.rejected} refused by strict validation, ${result.errors} station errors ` +
      `(and ${result.bootErrors} while booting: connect attempts retried)`,
  );
  console.log(
    `  second half (${trend.samples} samples over ${fmt(trend.spanSeconds)} s): RSS ${fmt((trend.rssSlope * 60) / 1024)} KB/min ` +
      `(${fmt(trend.rssGrowth / MB, 2)} MB), heap ${fmt((trend.heapSlope * 60) / 1024)} KB/min ` +
      `(${fmt(trend.heapGrowth / MB, 2)} MB, ${fmt(trend.heapPerCycle / sessions / 1024, 2)} KB per session)`,
  );
  if (result.firstErrors.length > 0) console.log(`  first errors: ${result.firstErrors.join('; ')}`);
  await mkdir(path.join(here, 'results'), { recursive: true });
  await writeFile(
    path.join(here, 'results', 'soak.json'),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, options, trend, ...result }, null, 2)}\n`,
  );
  console.log('\n  written: bench/results/soak.json');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
