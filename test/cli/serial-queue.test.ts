import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SerialQueue } from '../../src/cli/serial-queue.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test('tasks run one at a time in the order pushed, even when an earlier one is slower', async () => {
  const queue = new SerialQueue((e) => assert.fail(String(e)));
  const log: string[] = [];
  const gate = deferred();
  void queue.push(async () => {
    log.push('a start');
    await gate.promise;
    log.push('a end');
  });
  void queue.push(() => void log.push('b'));
  void queue.push(async () => void log.push('c'));
  await Promise.resolve();
  assert.deepEqual(log, ['a start']);
  assert.equal(queue.size, 3);
  gate.resolve();
  await queue.drained();
  assert.deepEqual(log, ['a start', 'a end', 'b', 'c']);
  assert.equal(queue.size, 0);
});

test('a failing task is reported and the next ones still run', async () => {
  const errors: unknown[] = [];
  const queue = new SerialQueue((e) => errors.push(e));
  const log: string[] = [];
  const failed = queue.push(() => {
    throw new Error('boom');
  });
  void queue.push(async () => {
    await Promise.reject(new Error('async boom'));
  });
  void queue.push(() => void log.push('after'));
  await failed; // settles, never rejects
  await queue.drained();
  assert.deepEqual(
    errors.map((e) => (e as Error).message),
    ['boom', 'async boom'],
  );
  assert.deepEqual(log, ['after']);
});

test('a task pushed by a running task runs after everything already queued; drained waits for it', async () => {
  const queue = new SerialQueue((e) => assert.fail(String(e)));
  const log: string[] = [];
  void queue.push(() => {
    log.push('first');
    void queue.push(() => void log.push('pushed by first'));
  });
  void queue.push(() => void log.push('second'));
  await queue.drained();
  assert.deepEqual(log, ['first', 'second', 'pushed by first']);
});

test('a burst of 1000 tasks loses none and keeps the order', async () => {
  const queue = new SerialQueue((e) => assert.fail(String(e)));
  const seen: number[] = [];
  for (let i = 0; i < 1000; i += 1) {
    void queue.push(async () => {
      if (i % 7 === 0) await new Promise((r) => setImmediate(r));
      seen.push(i);
    });
  }
  await queue.drained();
  assert.deepEqual(
    seen,
    Array.from({ length: 1000 }, (_, i) => i),
  );
});
