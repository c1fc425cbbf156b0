import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InFlight } from '../../src/in-flight.js';

/** A promise and the functions that settle it. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

test('InFlight: track passes the result or the rejection through; settled waits for every piece, even one started while waiting', async () => {
  const work = new InFlight();
  await work.settled(); // nothing ran: resolves at once
  const a = deferred<number>();
  const b = deferred<number>();
  const tracked = work.track(() => a.promise);
  const failing = work.track(() => b.promise);
  assert.equal(work.size, 2);
  let settled = false;
  const waiting = work.settled().then(() => (settled = true));
  a.resolve(7);
  assert.equal(await tracked, 7);
  // A piece started while settled() waits is waited for too.
  const c = deferred<void>();
  void work.track(() => c.promise);
  b.reject(new Error('disk full'));
  await assert.rejects(failing, /disk full/);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(settled, false, 'c is still running');
  assert.equal(work.size, 1);
  c.resolve();
  await waiting;
  assert.equal(work.size, 0);
  assert.deepEqual(work.pending, []);
});
