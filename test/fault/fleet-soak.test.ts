/**
 * Soak (issue 9, "Fault tests"), the short bounded one: a fleet of ChargePoints on one SQLite file
 * (bench/soak/soak-process.ts, a child process with --expose-gc) against a strict ocpp-rpc CSMS in
 * another process, run accelerated — heartbeats every second, and on every EVSE session after session
 * (plug, token, energy with periodic meter data, token, unplug) — with heap and RSS sampled after GC
 * between cycles (every EVSE one whole session per cycle, every queue empty at the sample).
 *
 * Tolerance (no growth trend): over the second half of the samples (the first is warm-up: boot,
 * caches, JIT, SQLite pages), the least-squares slope of heap-after-GC per cycle, divided by the
 * sessions of a cycle, stays under {@link MAX_HEAP_PER_SESSION} bytes, and the growth it amounts to
 * over that half under {@link MAX_HALF_GROWTH} of the mean heap. A station in a fleet idles at ~55 KB of
 * heap (docs/fleet.md, Figures), so 8 KB left behind per session would double its heap within ~7 sessions. The
 * limit is that coarse because a short run is still warming up: on 2 busy cores the second half
 * still grows 1-3 KB per session, nearly all of it V8's compiled code (heap snapshots compared: code,
 * deopt data, relocation info). The detection is checked on synthetic series below. The 1,000-station soak is
 * `npm run bench -- soak` (it prints the trend; a bench, not a test, because it runs for minutes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSoak } from '../../bench/soak/run-soak.js';
import { secondHalfTrend, type SoakSample } from '../../bench/soak/trend.js';

const STATIONS = 20;
const SESSIONS_PER_CYCLE = STATIONS * 2;
const MAX_HEAP_PER_SESSION = 8 * 1024;
const MAX_HALF_GROWTH = 0.05;

/** Whether a run's samples show growth beyond the tolerance; the figures for the message. */
function growthBeyondTolerance(samples: readonly SoakSample[]) {
  const trend = secondHalfTrend(samples);
  const perSession = trend.heapPerCycle / SESSIONS_PER_CYCLE;
  const growthShare = trend.heapGrowth / trend.heapMean;
  return {
    trend,
    perSession,
    growthShare,
    failed: perSession > MAX_HEAP_PER_SESSION || growthShare > MAX_HALF_GROWTH,
  };
}

/** Synthetic samples: a heap of 40 MB, `leak` bytes per session, ±`noise` bytes alternating. */
function synthetic(leak: number, noise: number): SoakSample[] {
  return Array.from({ length: 12 }, (_, i) => ({
    t: i * 5,
    cycle: i + 1,
    rss: 200e6,
    heapUsed: 40e6 + i * leak * SESSIONS_PER_CYCLE + (i % 2 === 0 ? noise : -noise),
  }));
}

test('the soak tolerance flags a leak of 10 KB per session and passes a flat, noisy heap', () => {
  assert.equal(growthBeyondTolerance(synthetic(0, 300_000)).failed, false, 'flat with ±300 KB noise');
  assert.equal(growthBeyondTolerance(synthetic(3 * 1024, 100_000)).failed, false, '3 KB per session');
  assert.equal(growthBeyondTolerance(synthetic(10 * 1024, 100_000)).failed, true, '10 KB per session');
  assert.equal(growthBeyondTolerance(synthetic(50 * 1024, 0)).failed, true, '50 KB per session');
});

test(`soak: ${STATIONS} stations, accelerated heartbeats and sessions, no heap growth trend after GC`, async (t) => {
  const run = await runSoak({
    stations: STATIONS,
    seconds: 20,
    minCycles: 8,
    stepSeconds: 0.05,
    heartbeatSeconds: 1,
  });
  const { trend, perSession, growthShare, failed } = growthBeyondTolerance(run.samples);
  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(2)} MB`;
  t.diagnostic(
    `${run.cycles} cycles, ${run.transactions} transactions, ${run.csms.calls} CALLs at the CSMS; heap after GC ` +
      run.samples.map((s) => mb(s.heapUsed)).join(' → '),
  );
  t.diagnostic(
    `second half: heap ${(perSession / 1024).toFixed(2)} KB per session (limit ${MAX_HEAP_PER_SESSION / 1024} KB), ` +
      `growth ${(growthShare * 100).toFixed(2)} % of ${mb(trend.heapMean)} (limit ${MAX_HALF_GROWTH * 100} %); ` +
      `RSS ${(trend.rssSlope / 1024).toFixed(1)} KB/s`,
  );
  assert.equal(run.errors, 0, `errors: ${run.firstErrors.join('; ')}`);
  assert.equal(run.csms.rejected, 0, 'every CALL passed strict validation');
  assert.equal(run.transactions, run.cycles * SESSIONS_PER_CYCLE, 'every session ran');
  assert.ok(trend.samples >= 4, `enough samples in the second half (${trend.samples})`);
  assert.equal(failed, false, 'heap after GC grows beyond the tolerance: a leak per session?');
});
