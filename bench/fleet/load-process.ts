/**
 * One load of the fleet bench, in its own process (started with --expose-gc by bench/fleet.ts):
 * N stations of one kind boot against the bench CSMS, then idle memory and heartbeat round trips
 * are measured. Kinds: `ws` (bare ws clients, hand-written frames: the limit), `ocpp-rpc` (ocpp-rpc
 * RPCClient in strict mode), `station` (ocpp-station ChargePoints, 2 EVSEs, one SQLite file) and
 * `station-workers` (the same over worker threads, bench/fleet/station-workers.ts).
 *
 * Arguments: --kind K --csms URL --stations N --window W --heartbeat-s S --db FILE
 * [--csms-pid PID] (the CSMS's CPU during the boot storm is read from /proc, see process-cpu.ts)
 * [--workers W] (threads of the station-workers kind; default: one per core; it measures no heartbeats)
 * [--heap-snapshot PREFIX] [--built] (the station kind runs `dist/`, see LoadSetup.built)
 * [--dist DIR] (the station kind runs that built dist directory, for A/B of two builds).
 * Sends one {@link LoadResult} to the parent over IPC, then exits.
 * With --heap-snapshot, V8 heap snapshots are written after GC before any station
 * (`PREFIX-base.heapsnapshot`) and with every station booted and idle (`PREFIX-idle.heapsnapshot`),
 * for bench/fleet/heap-attribution.ts.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { loadKinds, type LoadKind, type BenchStation } from './load-kinds.js';
import { processCpuMs, threadCpuMs } from './process-cpu.js';

export interface LoadResult {
  kind: LoadKind;
  stations: number;
  bootSeconds: number;
  bootsPerSecond: number;
  /** Memory after GC, before any station (imports done) and with every station booted and idle. */
  baseline: Memory;
  idle: Memory;
  rssPerStation: number;
  heapPerStation: number;
  /** Per station: V8 heap reserved (heapTotal), memory outside the heap (external, array buffers). */
  heapTotalPerStation: number;
  externalPerStation: number;
  arrayBuffersPerStation: number;
  /** CPU time (user + system) of the load process per station boot: steadier than rates on a busy machine. */
  cpuMsPerBoot: number;
  /**
   * CPU time of the CSMS process per station boot over the same window (with --csms-pid on Linux):
   * the other half of what the boot storm's rate is bounded by when the cores are shared.
   */
  csmsCpuMsPerBoot?: number;
  /**
   * CPU time of the load's main thread alone per boot (Linux /proc; without V8's helper threads and,
   * for station-workers, without the workers): what one JavaScript thread's boot storm is bound by.
   */
  mainThreadCpuMsPerBoot?: number;
  heartbeat?: {
    perSecond: number;
    p50Ms: number;
    p99Ms: number;
    inFlight: number;
    count: number;
    /**
     * CPU time (user + system) of the load process per round trip during the measured window: the
     * A/B figure of the heartbeat path on a busy machine, where rates swing by ±30 % between runs.
     */
    cpuUsPerRoundTrip: number;
  };
  errors: number;
}

/** process.memoryUsage() after GC: RSS, the V8 heap used and reserved, memory held outside it. */
export interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

const { values } = parseArgs({
  options: {
    kind: { type: 'string' },
    csms: { type: 'string' },
    stations: { type: 'string', default: '1000' },
    window: { type: 'string', default: '200' },
    'heartbeat-s': { type: 'string', default: '3' },
    'in-flight': { type: 'string', default: '50' },
    db: { type: 'string' },
    'heap-snapshot': { type: 'string' },
    built: { type: 'boolean', default: false },
    dist: { type: 'string' },
    'csms-pid': { type: 'string' },
    workers: { type: 'string' },
  },
});
const kind = values.kind as LoadKind;
const csmsUrl = values.csms ?? '';
const count = Number(values.stations);
const window = Number(values.window);
const heartbeatSeconds = Number(values['heartbeat-s']);
const inFlight = Number(values['in-flight']);
const csmsPid = values['csms-pid'] === undefined ? undefined : Number(values['csms-pid']);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('bench/fleet/load-process.ts needs node --expose-gc');

async function settledMemory(): Promise<Memory> {
  // The load's worker threads first (their heaps are their own; RSS is the process's).
  const threads = await load.settle?.();
  // A few rounds: finalizers and weak references free more on the next collection.
  for (let i = 0; i < 4; i++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  return {
    rss,
    heapUsed: heapUsed + (threads?.heapUsed ?? 0),
    heapTotal: heapTotal + (threads?.heapTotal ?? 0),
    external: external + (threads?.external ?? 0),
    arrayBuffers: arrayBuffers + (threads?.arrayBuffers ?? 0),
  };
}

const load = await loadKinds[kind]({
  csmsUrl,
  built: values.built,
  ...(values.workers === undefined ? {} : { workers: Number(values.workers) }),
  ...(values.dist === undefined ? {} : { dist: values.dist }),
  ...(values.db === undefined ? {} : { dbPath: values.db }),
});
const baseline = await settledMemory();
const snapshotPrefix = values['heap-snapshot'];
if (snapshotPrefix !== undefined) {
  writeHeapSnapshot(`${snapshotPrefix}-base.heapsnapshot`);
  gc();
}

// Boot storm: every station connects, boots and has its 2 StatusNotifications answered; at most
// `window` of them in progress at once (a listen backlog is finite).
const stations: BenchStation[] = [];
let errors = 0;
const start = performance.now();
const cpuStart = process.cpuUsage();
const csmsCpuStart = csmsPid === undefined ? undefined : processCpuMs(csmsPid);
const mainCpuStart = threadCpuMs(process.pid, process.pid);
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(window, count) }, async () => {
    while (next < count) {
      const i = ++next;
      try {
        stations.push(await load.boot(`FLEET${String(i).padStart(5, '0')}`));
      } catch (error) {
        errors++;
        if (errors <= 3) console.error(`${kind} station ${i}:`, error);
      }
    }
  }),
);
const bootSeconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
const csmsCpuEnd = csmsPid === undefined ? undefined : processCpuMs(csmsPid);
const csmsCpuMs =
  csmsCpuStart === undefined || csmsCpuEnd === undefined ? undefined : csmsCpuEnd - csmsCpuStart;
const mainCpuEnd = threadCpuMs(process.pid, process.pid);
const mainCpuMs =
  mainCpuStart === undefined || mainCpuEnd === undefined ? undefined : mainCpuEnd - mainCpuStart;

// Idle: let late work finish (queued writes, timers armed at boot), then measure.
await new Promise((resolve) => setTimeout(resolve, 1000));
const idle = await settledMemory();
if (snapshotPrefix !== undefined) writeHeapSnapshot(`${snapshotPrefix}-idle.heapsnapshot`);

let heartbeat: LoadResult['heartbeat'];
if (heartbeatSeconds > 0 && stations.length > 0 && load.heartbeats !== false) {
  const senders = stations.slice(0, Math.min(inFlight, stations.length));
  const latencies: number[] = [];
  let measuring = false;
  let running = true;
  const loop = async (station: BenchStation) => {
    while (running) {
      const t = performance.now();
      await station.heartbeat();
      if (measuring) latencies.push(performance.now() - t);
    }
  };
  const loops = senders.map(loop);
  await new Promise((resolve) => setTimeout(resolve, 500)); // warm-up
  measuring = true;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, heartbeatSeconds * 1000));
  measuring = false;
  const elapsed = (performance.now() - t0) / 1000;
  const heartbeatCpu = process.cpuUsage(cpu0);
  running = false;
  await Promise.all(loops);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  heartbeat = {
    perSecond: latencies.length / elapsed,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    inFlight: senders.length,
    count: latencies.length,
    cpuUsPerRoundTrip: (heartbeatCpu.user + heartbeatCpu.system) / Math.max(1, latencies.length),
  };
}

const result: LoadResult = {
  kind,
  stations: stations.length,
  bootSeconds,
  bootsPerSecond: stations.length / bootSeconds,
  baseline,
  idle,
  cpuMsPerBoot: (cpu.user + cpu.system) / 1000 / Math.max(1, stations.length),
  ...(csmsCpuMs === undefined ? {} : { csmsCpuMsPerBoot: csmsCpuMs / Math.max(1, stations.length) }),
  ...(mainCpuMs === undefined ? {} : { mainThreadCpuMsPerBoot: mainCpuMs / Math.max(1, stations.length) }),
  rssPerStation: (idle.rss - baseline.rss) / Math.max(1, stations.length),
  heapPerStation: (idle.heapUsed - baseline.heapUsed) / Math.max(1, stations.length),
  heapTotalPerStation: (idle.heapTotal - baseline.heapTotal) / Math.max(1, stations.length),
  externalPerStation: (idle.external - baseline.external) / Math.max(1, stations.length),
  arrayBuffersPerStation: (idle.arrayBuffers - baseline.arrayBuffers) / Math.max(1, stations.length),
  ...(heartbeat ? { heartbeat } : {}),
  errors,
};
if (process.send) process.send(result, () => process.exit(0));
else {
  // Run by hand (e.g. under --cpu-prof): print it.
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
