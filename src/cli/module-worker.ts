/**
 * A worker thread on a module of this package, built (`.js`) or run from its TypeScript sources
 * (`.ts`: tests, `npm start`, the benches). On Node.js 20 the main thread's `--import tsx` hooks do
 * not load a worker's `.ts` entry, so a source entry gets tsx registered in the thread first.
 */
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on `entry` with `workerData`.
 *
 * @example
 * const entry = new URL(import.meta.url.endsWith('.ts') ? './fleet-worker.ts' : './fleet-worker.js', import.meta.url);
 * const worker = startModuleWorker(entry, { range, dbPath });
 */
export function startModuleWorker(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  // Only reached from sources, where tsx (a dev dependency) is installed.
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}
