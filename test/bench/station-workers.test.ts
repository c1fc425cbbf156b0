import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stationWorkers } from '../../bench/fleet/station-workers.js';

const SCRIPTED = new URL('./fixtures/scripted-station-worker.ts', import.meta.url);
const setup = { csmsUrl: 'ws://127.0.0.1:9', dbPath: '/nonexistent/fleet.db' };

test('boots go to the workers in turn; a failed boot rejects with the worker’s message', async (t) => {
  const load = await stationWorkers(setup, 2, SCRIPTED);
  t.after(() => load.close!());
  assert.equal(load.heartbeats, false);
  const station = await load.boot('A1');
  await assert.rejects(station.heartbeat(), /measures no heartbeats/);
  await assert.rejects(load.boot('FAIL1'), /no boot for FAIL1/);
  await load.boot('A2');
  // Both workers answer the settle: the heaps add up.
  assert.deepEqual(await load.settle!(), {
    heapUsed: 2000,
    heapTotal: 2000,
    external: 2000,
    arrayBuffers: 2000,
  });
});

test('a worker that throws fails its boot, not the load; the next boots go to the live worker', async (t) => {
  const load = await stationWorkers(setup, 2, SCRIPTED);
  t.after(() => load.close!());
  await load.boot('A1'); // worker 0
  await assert.rejects(load.boot('THROW1'), /station worker 1 failed: thrown for THROW1/); // worker 1
  for (const id of ['B1', 'B2', 'B3']) await load.boot(id); // all on worker 0
  assert.deepEqual(await load.settle!(), {
    heapUsed: 1000,
    heapTotal: 1000,
    external: 1000,
    arrayBuffers: 1000,
  });
});

test('a worker that exits fails its boot with the exit code; with none left a boot fails at once', async (t) => {
  const load = await stationWorkers(setup, 1, SCRIPTED);
  t.after(() => load.close!());
  await assert.rejects(load.boot('EXIT1'), /station worker 0 exited with code 3/);
  await assert.rejects(load.boot('A1'), /station worker 0 exited with code 3/);
  assert.deepEqual(await load.settle!(), { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 });
});
