/**
 * The `station-workers` load of the fleet bench: the `station` load split over worker threads, one
 * SQLite file each, as the CLI's `--workers W` runs a fleet (src/cli/fleet-workers.ts). One load
 * process runs every station's JavaScript on one thread, so its boot storm is bounded by that thread
 * even with cores to spare; this load shows the rate a fleet reaches on the machine's cores.
 *
 * The main thread hands each boot to the next worker in turn and waits for its answer; the workers
 * (bench/fleet/station-worker.ts) boot the stations and report their own heap on request, which the
 * load process adds to its own (`process.memoryUsage()` of a thread covers its own heap; RSS is the
 * process's). Heartbeats are not measured here: each would cross a message port both ways, a cost
 * of the harness, not of the station.
 */
import { Worker } from 'node:worker_threads';
import type { BenchStation, HeapMemory, Load, LoadSetup } from './load-kinds.js';

/** Main thread → worker. */
export type ToStationWorker = { type: 'boot'; seq: number; identity: string } | { type: 'settle'; seq: number };

/** Worker → main thread. */
export type FromStationWorker =
  | { type: 'ready' }
  | { type: 'booted'; seq: number }
  | { type: 'failed'; seq: number; message: string }
  | { type: 'settled'; seq: number; memory: HeapMemory };

/** What a worker is started with: the station load's setup, its own SQLite file. */
export type StationWorkerData = LoadSetup;

/**
 * A worker running bench/fleet/station-worker: its .ts source through tsx when the bench runs from
 * sources (on Node 20 the main thread's `--import tsx` hooks do not load a worker's .ts entry).
 */
function startWorker(workerData: StationWorkerData): Worker {
  const entry = new URL('./station-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

/**
 * W worker threads, each with its own SQLite file (`<db>.w<k>`); boots go to them in turn.
 *
 * @example
 * const load = await stationWorkers({ csmsUrl, dbPath: '/tmp/fleet.db', built: true }, 2);
 * await load.boot('FLEET00001'); // booted on worker 0
 */
export async function stationWorkers(setup: LoadSetup, workers: number): Promise<Load> {
  if (setup.dbPath === undefined) throw new Error('the station-workers load needs --db');
  const waiting = new Map<number, { resolve: (m: FromStationWorker) => void; reject: (e: Error) => void }>();
  let seq = 0;
  const threads = await Promise.all(
    Array.from({ length: Math.max(1, workers) }, (_, k) => {
      const worker = startWorker({ ...setup, dbPath: `${setup.dbPath}.w${k}` });
      worker.unref();
      return new Promise<Worker>((resolve, reject) => {
        worker.once('error', reject);
        worker.on('message', (m: FromStationWorker) => {
          if (m.type === 'ready') return resolve(worker);
          const pending = waiting.get(m.seq);
          waiting.delete(m.seq);
          if (m.type === 'failed') pending?.reject(new Error(m.message));
          else pending?.resolve(m);
        });
      });
    }),
  );
  const ask = (worker: Worker, message: ToStationWorker) =>
    new Promise<FromStationWorker>((resolve, reject) => {
      waiting.set(message.seq, { resolve, reject });
      worker.postMessage(message);
    });
  let next = 0;
  return {
    async boot(identity): Promise<BenchStation> {
      const worker = threads[next++ % threads.length]!;
      await ask(worker, { type: 'boot', seq: ++seq, identity });
      return {
        heartbeat: () => Promise.reject(new Error('the station-workers load measures no heartbeats')),
      };
    },
    async settle(): Promise<HeapMemory> {
      const answers = await Promise.all(threads.map((w) => ask(w, { type: 'settle', seq: ++seq })));
      const sum: HeapMemory = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
      for (const answer of answers) {
        if (answer.type !== 'settled') continue;
        for (const key of Object.keys(sum) as (keyof HeapMemory)[]) sum[key] += answer.memory[key];
      }
      return sum;
    },
  };
}
