/**
 * The `station-workers` load of the fleet bench: the `station` load split over worker threads, one
 * SQLite file each, as the CLI's `--workers W` runs a fleet (src/cli/fleet-workers.ts). One load
 * process runs every station's JavaScript on one thread; this load shows the rate a fleet reaches on
 * the machine's cores.
 *
 * The main thread hands each boot to the next live worker in turn and waits for its answer; the
 * workers (bench/fleet/station-worker.ts) boot the stations and report their own heap on request,
 * which the load process adds to its own (`process.memoryUsage()` of a thread covers its own heap;
 * RSS is the process's). The figures include the harness's message-port round trip per boot.
 * Heartbeats are not measured here: each would cross the port both ways, a cost of the harness.
 * A worker that fails or exits fails what it was asked, and is asked nothing more.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../src/cli/module-worker.js';
import type { BenchStation, HeapMemory, Load, LoadSetup } from './load-kinds.js';

/** Main thread → worker. */
export type ToStationWorker =
  { type: 'boot'; seq: number; identity: string } | { type: 'settle'; seq: number };

/** Worker → main thread. */
export type FromStationWorker =
  | { type: 'ready' }
  | { type: 'booted'; seq: number }
  | { type: 'failed'; seq: number; message: string }
  | { type: 'settled'; seq: number; memory: HeapMemory };

/** What a worker is started with: the station load's setup, its own SQLite file. */
export type StationWorkerData = LoadSetup;

const STATION_WORKER = new URL('./station-worker.ts', import.meta.url);

interface Thread {
  worker: Worker;
  /** Requests sent and not answered, by seq. */
  waiting: Map<number, { resolve: (m: FromStationWorker) => void; reject: (e: Error) => void }>;
  /** Why the worker cannot answer any more (it failed or exited); undefined while it runs. */
  gone?: Error;
}

/** Starts one worker; resolves once it is ready, rejects if it fails or exits first. */
function startThread(entry: URL, data: StationWorkerData, k: number): Promise<Thread> {
  const thread: Thread = { worker: startModuleWorker(entry, data), waiting: new Map() };
  return new Promise<Thread>((resolve, reject) => {
    const fail = (error: Error) => {
      thread.gone ??= error;
      for (const pending of thread.waiting.values()) pending.reject(thread.gone);
      thread.waiting.clear();
      reject(thread.gone); // before ready: the load fails to start; after: no effect
    };
    thread.worker.on('error', (error) => fail(new Error(`station worker ${k} failed: ${error.message}`)));
    thread.worker.on('exit', (code) => fail(new Error(`station worker ${k} exited with code ${code}`)));
    thread.worker.on('message', (m: FromStationWorker) => {
      if (m.type === 'ready') return resolve(thread);
      const pending = thread.waiting.get(m.seq);
      thread.waiting.delete(m.seq);
      if (m.type === 'failed') pending?.reject(new Error(m.message));
      else pending?.resolve(m);
    });
  });
}

/**
 * W worker threads, each with its own SQLite file (`<db>.w<k>`); boots go to the live ones in turn.
 * `entry` is the worker's module (tests give one of their own).
 *
 * @example
 * const load = await stationWorkers({ csmsUrl, dbPath: '/tmp/fleet.db', built: true }, 2);
 * await load.boot('FLEET00001'); // booted on worker 0
 */
export async function stationWorkers(
  setup: LoadSetup,
  workers: number,
  entry = STATION_WORKER,
): Promise<Load> {
  const dbPath = setup.dbPath;
  if (dbPath === undefined) throw new Error('the station-workers load needs --db');
  const threads = await Promise.all(
    Array.from({ length: Math.max(1, workers) }, (_, k) =>
      startThread(entry, { ...setup, dbPath: `${dbPath}.w${k}` }, k),
    ),
  );
  let seq = 0;
  const ask = (thread: Thread, message: ToStationWorker) =>
    new Promise<FromStationWorker>((resolve, reject) => {
      if (thread.gone) return reject(thread.gone);
      thread.waiting.set(message.seq, { resolve, reject });
      thread.worker.postMessage(message);
    });
  let next = 0;
  const live = () => threads.filter((t) => t.gone === undefined);
  return {
    heartbeats: false,
    async boot(identity): Promise<BenchStation> {
      const running = live();
      const thread = running[next++ % Math.max(1, running.length)] ?? threads[0]!;
      await ask(thread, { type: 'boot', seq: ++seq, identity });
      return {
        heartbeat: () => Promise.reject(new Error('the station-workers load measures no heartbeats')),
      };
    },
    async close(): Promise<void> {
      await Promise.all(threads.map((t) => t.worker.terminate()));
    },
    async settle(): Promise<HeapMemory> {
      // A thread that is gone has no heap left to count; the live ones are asked.
      const answers = await Promise.all(live().map((t) => ask(t, { type: 'settle', seq: ++seq })));
      const sum: HeapMemory = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
      for (const answer of answers) {
        if (answer.type !== 'settled') continue;
        for (const key of Object.keys(sum) as (keyof HeapMemory)[]) sum[key] += answer.memory[key];
      }
      return sum;
    },
  };
}
