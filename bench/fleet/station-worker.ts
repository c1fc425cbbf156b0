/**
 * A worker thread of the `station-workers` fleet load (bench/fleet/station-workers.ts): runs the
 * `station` load on the SQLite file it was given, boots the stations the main thread hands it, and
 * reports its own heap after GC on request. The process runs with --expose-gc, which a worker shares.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadKinds, type BenchStation } from './load-kinds.js';
import type { FromStationWorker, StationWorkerData, ToStationWorker } from './station-workers.js';

const port = parentPort;
if (port === null) throw new Error('bench/fleet/station-worker.ts runs as a worker thread');
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('bench/fleet/station-worker.ts needs node --expose-gc');
const post = (message: FromStationWorker) => port.postMessage(message);

const load = await loadKinds.station(workerData as StationWorkerData);
// Booted stations are kept, as the single-thread load keeps them, so that idle memory counts them.
const stations: BenchStation[] = [];

port.on('message', (m: ToStationWorker) => {
  if (m.type === 'boot') {
    load.boot(m.identity).then(
      (station) => {
        stations.push(station);
        post({ type: 'booted', seq: m.seq });
      },
      // The stack (and with it the error's code in its first line) goes with the message.
      (error: unknown) =>
        post({
          type: 'failed',
          seq: m.seq,
          message: error instanceof Error ? (error.stack ?? String(error)) : String(error),
        }),
    );
    return;
  }
  void (async () => {
    // As the load process settles its own heap: a few rounds, finalizers free more on the next one.
    for (let i = 0; i < 4; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    post({ type: 'settled', seq: m.seq, memory: { heapUsed, heapTotal, external, arrayBuffers } });
  })();
});
post({ type: 'ready' });
