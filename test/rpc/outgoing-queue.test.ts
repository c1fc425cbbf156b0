import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutgoingCall, OutgoingQueue } from '../../src/rpc/outgoing-queue.js';
import { RpcConnectionClosedError, RpcTimeoutError } from '../../src/rpc/errors.js';

function setup(timeoutMs = 1_000) {
  const sent: string[] = [];
  const onSent: string[] = [];
  const queue = new OutgoingQueue({
    send: (t) => void sent.push(t),
    messageTimeoutMs: () => timeoutMs,
    onSent: (t) => void onSent.push(t),
  });
  const add = (id: string, signal?: AbortSignal): Promise<unknown> =>
    new Promise((resolve, reject) =>
      queue.enqueue(
        new OutgoingCall('Heartbeat', id, `frame-${id}`, resolve, reject, signal, (c) => queue.abort(c)),
      ),
    );
  return { queue, sent, onSent, add };
}

test('one call in flight; take() frees the slot, pump() sends the next', async () => {
  const { queue, sent, onSent, add } = setup();
  const a = add('a');
  const b = add('b');
  assert.deepEqual(sent, ['frame-a']);
  assert.deepEqual(onSent, ['frame-a']);
  assert.equal(queue.size, 2);
  assert.ok(queue.has('a') && queue.has('b') && !queue.has('c'));
  assert.equal(queue.take('b'), undefined, 'only the call in flight can be taken');
  queue.take('a')?.succeed('A');
  queue.pump();
  assert.equal(await a, 'A');
  assert.deepEqual(sent, ['frame-a', 'frame-b']);
  queue.take('b')?.fail(new Error('B'));
  await assert.rejects(b, /B/);
  assert.equal(queue.size, 0);
});

test('a call settles once: a late succeed after a fail changes nothing', async () => {
  const { queue, add } = setup();
  const a = add('a');
  const call = queue.take('a');
  call?.fail(new Error('first'));
  call?.succeed('second');
  await assert.rejects(a, /first/);
  assert.equal(call?.settled, true);
});

test('the timeout frees the slot for the next call', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { sent, add } = setup(250);
  const a = add('a');
  const b = add('b');
  t.mock.timers.tick(250);
  await assert.rejects(a, (e: unknown) => e instanceof RpcTimeoutError && e.timeoutMs === 250);
  assert.deepEqual(sent, ['frame-a', 'frame-b']);
  t.mock.timers.tick(250);
  await assert.rejects(b, RpcTimeoutError);
});

test('close() rejects all and refuses new calls', async () => {
  const { queue, add } = setup();
  const a = add('a');
  const b = add('b');
  queue.close();
  await assert.rejects(a, (e: unknown) => e instanceof RpcConnectionClosedError && e.sent);
  await assert.rejects(b, (e: unknown) => e instanceof RpcConnectionClosedError && !e.sent);
  await assert.rejects(add('c'), (e: unknown) => e instanceof RpcConnectionClosedError && !e.sent);
});
