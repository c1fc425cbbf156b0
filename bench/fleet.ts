/**
 * Fleet figures (issue 9), each next to baselines measured in the same run, with the CSMS in
 * another process (bench/fleet/csms-process.ts: ocpp-rpc strict, loopback) and every load in a
 * process of its own (bench/fleet/load-process.ts), so memory per station is the load's alone:
 * - boot storm: connect → BootNotification Accepted → 2 StatusNotifications answered, N stations,
 *   with the CPU per boot of the load and of the CSMS (Linux /proc), and the goal as a CPU budget;
 * - idle RSS and heap per station after GC (at N, and with `--large M` also at M, and the marginal
 *   cost per station between them);
 * - validated Heartbeat round trips/s with 50 in flight (one per station, OCPP-J) and p99 latency;
 * - cold start of the built CLI to BootNotification on the wire, median of 5, against `node -e 0`.
 * Loads: bare `ws` clients (the limit), ocpp-rpc clients (strict), ocpp-station ChargePoints, and
 * on request the ChargePoints over worker threads (`station-workers`, no heartbeat figures).
 *
 * Run: `npm run bench -- fleet [--stations 1000] [--large 10000] [--kinds ws,ocpp-rpc,station[,station-workers]]
 * [--heartbeat-s 3] [--no-cold] [--no-build] [--built] [--dist DIR] [--workers W]`
 * (W: threads of station-workers, default one per core). Writes bench/results/fleet.json.
 * With --built the station load runs the built package (`dist/`, built first unless --no-build);
 * with --dist DIR it runs that built dist directory (another checkout's build, for A/B).
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { LoadResult } from './fleet/load-process.js';
import type { LoadKind } from './fleet/load-kinds.js';
import { coresBudgetMs, coresBusy, threadBudgetMs, type BootCost } from './fleet/boot-budget.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const KB = 1024;

interface Csms {
  url: string;
  child: ChildProcess;
}

export async function startCsms(): Promise<Csms> {
  const child = fork(path.join(here, 'fleet/csms-process.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench CSMS exited with ${code}`)));
    child.on('message', (m: { port?: number }) => {
      if (m.port !== undefined) resolve(m.port);
    });
  });
  return { url: `ws://127.0.0.1:${port}`, child };
}

async function runLoad(
  kind: LoadKind,
  csms: Csms,
  stations: number,
  dir: string,
  heartbeatS: number,
  built: boolean,
  dist: string | undefined,
  workers?: number,
): Promise<LoadResult> {
  const child = fork(
    path.join(here, 'fleet/load-process.ts'),
    [
      ...['--kind', kind, '--csms', csms.url, '--stations', String(stations)],
      ...['--heartbeat-s', String(heartbeatS), '--db', path.join(dir, `${kind}-${stations}.db`)],
      ...(built ? ['--built'] : []),
      ...(dist === undefined ? [] : ['--dist', dist]),
      ...(workers === undefined ? [] : ['--workers', String(workers)]),
      ...(csms.child.pid === undefined ? [] : ['--csms-pid', String(csms.child.pid)]),
    ],
    {
      execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=8192'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  return new Promise<LoadResult>((resolve, reject) => {
    let result: LoadResult | undefined;
    child.on('message', (m: LoadResult) => (result = m));
    child.once('error', reject);
    child.once('exit', (code) =>
      result ? resolve(result) : reject(new Error(`${kind} load (${stations}) exited with ${code}`)),
    );
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** ms from spawn to exit of `node -e 0`, and from spawn to BootNotification at the CSMS of the built CLI. */
async function coldStart(
  csms: Csms,
  dir: string,
  runs = 5,
): Promise<{ nodeMs: number; cliMs: number; all: number[] }> {
  const nodeRuns: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await new Promise((resolve) => spawn(process.execPath, ['-e', '0']).once('exit', resolve));
    nodeRuns.push(performance.now() - t);
  }
  const cliRuns: number[] = [];
  for (let i = 0; i < runs; i++) {
    const identity = `COLD${i}`;
    const booted = new Promise<void>((resolve) => {
      const listener = (m: { boot?: string }) => {
        if (m.boot !== identity) return;
        csms.child.off('message', listener);
        resolve();
      };
      csms.child.on('message', listener);
    });
    const t = performance.now();
    const cli = spawn(
      process.execPath,
      [
        path.join(root, 'dist/src/cli/main.js'),
        '--csms',
        csms.url,
        '--id',
        identity,
        '--db',
        path.join(dir, `${identity}.db`),
        '--json',
      ],
      { stdio: ['pipe', 'ignore', 'inherit'] },
    );
    await booted;
    cliRuns.push(performance.now() - t);
    const exited = new Promise((resolve) => cli.once('exit', resolve));
    cli.kill('SIGTERM');
    await exited;
  }
  return { nodeMs: median(nodeRuns), cliMs: median(cliRuns), all: cliRuns };
}

/** A load's boot storm as the budget needs it, when the CSMS's CPU was read. */
function costOf(r: LoadResult): BootCost | undefined {
  return r.csmsCpuMsPerBoot === undefined
    ? undefined
    : { rate: r.bootsPerSecond, loadMs: r.cpuMsPerBoot, csmsMs: r.csmsCpuMsPerBoot };
}

/** The share of the storm's wall time the load's main thread was on a core (1.0: bound by it). */
function mainThreadBusy(r: LoadResult): number | undefined {
  return r.mainThreadCpuMsPerBoot === undefined ? undefined : (r.mainThreadCpuMsPerBoot * r.bootsPerSecond) / 1000;
}

/**
 * The boot storm goal (≥ 1.4× ocpp-rpc's rate and ≥ 1,000 /s) as the station load's CPU per
 * boot: its main thread's against one thread's budget, its process's (every thread) against the
 * budget of every core of this machine beside the CSMS (bench/fleet/boot-budget.ts).
 */
function printBudget(rpc: LoadResult | undefined, station: LoadResult | undefined): void {
  const ours = station && costOf(station);
  const main = station?.mainThreadCpuMsPerBoot;
  if (!rpc || !ours || main === undefined) return;
  const target = Math.max(1.4 * rpc.bootsPerSecond, 1000);
  const thread = threadBudgetMs(target);
  const cores = availableParallelism();
  const all = coresBudgetMs(target, cores, ours.csmsMs);
  const onCores =
    all > 0
      ? `≤ ${fmt(all, 2)} ms of the process on all ${cores} cores beside the CSMS (now ${fmt(ours.loadMs, 2)} ms, ${ratio(ours.loadMs, all)})`
      : `none on ${cores} cores: the CSMS's ${fmt(ours.csmsMs, 2)} ms per boot alone exceeds them`;
  console.log(
    `  boot storm goal (${fmt(target)} /s) as the station's CPU per boot: ≤ ${fmt(thread, 2)} ms of the main thread ` +
      `(now ${fmt(main, 2)} ms, ${ratio(main, thread)}); ${onCores}`,
  );
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b === 0 ? '—' : `${(a / b).toFixed(2)}×`;

export async function run(): Promise<void> {
  // bench/run.ts leaves everything from the first --option on to the benches.
  const first = process.argv.findIndex((a, i) => i >= 2 && a.startsWith('--'));
  const { values } = parseArgs({
    args: first === -1 ? [] : process.argv.slice(first),
    strict: true,
    options: {
      stations: { type: 'string', default: '1000' },
      large: { type: 'string' },
      kinds: { type: 'string', default: 'ws,ocpp-rpc,station' },
      'heartbeat-s': { type: 'string', default: '3' },
      'no-cold': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      built: { type: 'boolean', default: false },
      dist: { type: 'string' },
      workers: { type: 'string' },
    },
  });
  const stations = Number(values.stations);
  const large = values.large === undefined ? undefined : Number(values.large);
  const kinds = String(values.kinds).split(',') as LoadKind[];
  const heartbeatS = Number(values['heartbeat-s']);
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  const dist = values.dist === undefined ? undefined : path.resolve(values.dist);
  const built = values.built || dist !== undefined;
  // The station load on the built package (what users run; tsx adds ~40 KB of closure names per station).
  if (built && dist === undefined && !values['no-build'])
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });

  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-fleet-bench-'));
  const csms = await startCsms();
  const results: Record<string, { small?: LoadResult; large?: LoadResult }> = {};
  try {
    console.log(`fleet: ${stations} stations per load, CSMS (ocpp-rpc strict) in another process, loopback`);
    // The CSMS's code is compiled while it serves: a first load would pay the CSMS's warm-up in the
    // CSMS figures. A load of bare clients first, not measured, warms it.
    await runLoad('ws', csms, Math.min(500, stations), dir, 0, false, undefined);
    for (const kind of kinds) {
      const small = await runLoad(kind, csms, stations, dir, heartbeatS, built, dist, workers);
      results[kind] = { small };
      if (large !== undefined) results[kind].large = await runLoad(kind, csms, large, dir, 0, built, dist, workers);
    }
    let cold: Awaited<ReturnType<typeof coldStart>> | undefined;
    if (!values['no-cold']) {
      if (!values['no-build'] && !built)
        execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
      cold = await coldStart(csms, dir);
    }

    const row = (label: string, get: (r: LoadResult) => number | undefined, unit: string, digits = 0) => {
      const cells = kinds.map((k) => {
        const v = results[k]?.small ? get(results[k].small!) : undefined;
        return (v === undefined ? '—' : `${fmt(v, digits)} ${unit}`).padStart(16);
      });
      const ours = results.station?.small ? get(results.station.small) : undefined;
      const vsRpc = results['ocpp-rpc']?.small ? get(results['ocpp-rpc'].small) : undefined;
      const vsWs = results.ws?.small ? get(results.ws.small) : undefined;
      console.log(
        `  ${label.padEnd(34)}${cells.join('')}   ${ratio(ours, vsRpc).padStart(7)} ${ratio(ours, vsWs).padStart(7)}`,
      );
    };
    console.log(`\n  ${''.padEnd(34)}${kinds.map((k) => k.padStart(16)).join('')}   vs rpc   vs ws`);
    row('boot storm', (r) => r.bootsPerSecond, '/s');
    row('CPU per boot (load process)', (r) => r.cpuMsPerBoot, 'ms', 2);
    row('  of it the main thread', (r) => r.mainThreadCpuMsPerBoot, 'ms', 2);
    row('  main thread busy in the storm', (r) => mainThreadBusy(r), '', 2);
    row('CPU per boot (CSMS process)', (r) => r.csmsCpuMsPerBoot, 'ms', 2);
    row('cores busy in the storm (both)', (r) => costOf(r) && coresBusy(costOf(r)!), '', 2);
    row(`idle RSS per station (${stations})`, (r) => r.rssPerStation / KB, 'KB', 1);
    row(`idle heap per station (${stations})`, (r) => r.heapPerStation / KB, 'KB', 1);
    row('  heap reserved (heapTotal)', (r) => r.heapTotalPerStation / KB, 'KB', 1);
    // external includes the array buffers (Node.js process.memoryUsage()).
    row('  external (array buffers incl.)', (r) => r.externalPerStation / KB, 'KB', 1);
    row('heartbeat round trips (50 in flight)', (r) => r.heartbeat?.perSecond, '/s');
    row('heartbeat p99', (r) => r.heartbeat?.p99Ms, 'ms', 2);
    row('CPU per heartbeat round trip', (r) => r.heartbeat?.cpuUsPerRoundTrip, 'µs');
    printBudget(results['ocpp-rpc']?.small, results.station?.small);
    if (large !== undefined) {
      console.log(`\n  marginal idle cost per station from ${stations} to ${large}:`);
      for (const kind of kinds) {
        const { small, large: big } = results[kind] ?? {};
        if (!small || !big) continue;
        const n = big.stations - small.stations;
        const rss = (big.idle.rss - big.baseline.rss - (small.idle.rss - small.baseline.rss)) / n / KB;
        const marginal = (field: 'heapUsed' | 'heapTotal' | 'external' | 'arrayBuffers') =>
          (big.idle[field] - big.baseline[field] - (small.idle[field] - small.baseline[field])) / n / KB;
        console.log(
          `    ${kind.padEnd(10)} RSS ${fmt(rss, 1)} KB, heap ${fmt(marginal('heapUsed'), 1)} KB ` +
            `(reserved ${fmt(marginal('heapTotal'), 1)} KB, external ${fmt(marginal('external'), 1)} KB, ` +
            `array buffers ${fmt(marginal('arrayBuffers'), 1)} KB; boot storm at ${large}: ${fmt(big.bootsPerSecond)} /s)`,
        );
      }
    }
    if (cold) {
      console.log(
        `\n  cold start, built CLI to BootNotification on the wire (median of 5): ${fmt(cold.cliMs)} ms; node -e 0: ${fmt(cold.nodeMs)} ms; ratio ${ratio(cold.cliMs, cold.nodeMs)}`,
      );
    }
    for (const kind of kinds) {
      const e = (results[kind]?.small?.errors ?? 0) + (results[kind]?.large?.errors ?? 0);
      if (e > 0) console.log(`  ${kind}: ${e} stations failed to boot`);
    }
    await mkdir(path.join(here, 'results'), { recursive: true });
    await writeFile(
      path.join(here, 'results', 'fleet.json'),
      `${JSON.stringify({ date: new Date().toISOString(), node: process.version, stations, large, built, dist, results, cold }, null, 2)}\n`,
    );
    console.log('\n  written: bench/results/fleet.json');
  } finally {
    csms.child.disconnect();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
