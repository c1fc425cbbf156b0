import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { nextEvent, waitFor } from '../../src/testing/wait-for.js';

test('waitFor resolves at once when the probe already holds, else on the change that makes it hold', async () => {
  const changes = new EventTarget();
  const items: string[] = ['a'];
  assert.equal(await waitFor(changes, () => items[0], 'first item'), 'a');
  const second = waitFor(changes, () => items[1], 'second item');
  changes.dispatchEvent(new Event('change'));
  items.push('b');
  changes.dispatchEvent(new Event('change'));
  assert.equal(await second, 'b');
});

test('waitFor fails naming what it waited for', async () => {
  await assert.rejects(
    waitFor(new EventTarget(), () => undefined, 'the moon', 10),
    /timed out after 10 ms waiting for the moon/,
  );
});

test('nextEvent resolves with the next emission and unsubscribes', async () => {
  const emitter = new EventEmitter();
  const subscribe = (listener: (v: number) => void): (() => void) => {
    emitter.on('n', listener);
    return () => void emitter.off('n', listener);
  };
  const next = nextEvent(subscribe, 'n');
  emitter.emit('n', 7);
  emitter.emit('n', 8);
  assert.equal(await next, 7);
  assert.equal(emitter.listenerCount('n'), 0);
  await assert.rejects(
    nextEvent(subscribe, 'an n event', 10),
    /timed out after 10 ms waiting for an n event/,
  );
  assert.equal(emitter.listenerCount('n'), 0);
});

test('nextEvent copes with a source that emits during subscribe', async () => {
  let unsubscribed = false;
  const value = await nextEvent<string>((listener) => {
    listener('now');
    return () => void (unsubscribed = true);
  }, 'sync emission');
  assert.equal(value, 'now');
  await Promise.resolve();
  assert.equal(unsubscribed, true);
});
