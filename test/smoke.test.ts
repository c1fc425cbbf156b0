import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, createMachine } from 'xstate';

test('toolchain runs TypeScript tests with xstate', () => {
  const actor = createActor(createMachine({ initial: 'a', states: { a: { on: { GO: 'b' } }, b: {} } }));
  actor.start();
  actor.send({ type: 'GO' });
  assert.equal(actor.getSnapshot().value, 'b');
});
