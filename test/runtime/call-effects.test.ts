/**
 * The OCPP calls of the charts as effects (src/runtime/call-effects.ts): the answer comes back as
 * `<call>.done` / `.error` with the call's id; an answer no longer awaited, or to a stopped actor, is
 * not sent; a synchronous failure is the call's error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assign, createActor, setup, type AnyActorRef } from 'xstate';
import { answer, callAction } from '../../src/runtime/call-effects.js';

/** An answer the chart took in. */
type Taken = { type: string; id: number; output?: unknown; error?: unknown };

/**
 * A chart awaiting call `callId` in `waiting`; records every answer that reaches it (no guard: a
 * stale answer sent to it would be taken, in `waiting` or `idle`).
 */
function chart(run: (params: { id: number }) => Promise<unknown>) {
  const taken: Taken[] = [];
  const record = ({ event }: { event: unknown }) => void taken.push(event as Taken);
  const machine = setup({
    types: {
      context: {} as { callId: number },
      events: {} as
        | { type: 'go' }
        | { type: 'leave' }
        | { type: 'call.done'; id: number; output: unknown }
        | { type: 'call.error'; id: number; error: unknown },
    },
    actions: { call: callAction<{ id: number }>('call', (params) => run(params)) },
  }).createMachine({
    context: { callId: 0 },
    initial: 'idle',
    on: { 'call.*': { actions: record } },
    states: {
      idle: { on: { go: 'waiting' } },
      waiting: {
        entry: { type: 'call', params: ({ context }) => ({ id: context.callId }) },
        exit: assign({ callId: ({ context }) => context.callId + 1 }),
        on: {
          leave: 'idle',
          'call.done': { target: 'idle', actions: record },
          'call.error': { target: 'idle', actions: record },
        },
      },
    },
  });
  return { actor: createActor(machine).start(), taken };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

test('the answer comes back as <call>.done with the output and the call id', async () => {
  const { actor, taken } = chart(async ({ id }) => `answer ${id}`);
  actor.send({ type: 'go' });
  await settle();
  assert.equal(actor.getSnapshot().value, 'idle');
  assert.deepEqual(
    taken.filter((e) => e.type.startsWith('call.')),
    [{ type: 'call.done', id: 0, output: 'answer 0' }],
  );
});

test('a failed call, also one that throws synchronously, comes back as <call>.error', async () => {
  for (const run of [
    async () => {
      throw new Error('CALLERROR');
    },
    () => {
      throw new Error('thrown');
    },
  ]) {
    const { actor, taken } = chart(run as () => Promise<unknown>);
    actor.send({ type: 'go' });
    await settle();
    const errors = taken.filter((e) => e.type === 'call.error');
    assert.equal(errors.length, 1);
    assert.ok(errors[0]?.error instanceof Error);
    assert.equal(actor.getSnapshot().value, 'idle');
  }
});

test('an answer to a call no longer awaited (state left, new call made) is not sent', async () => {
  const answers: Array<(value: string) => void> = [];
  const { actor, taken } = chart(() => new Promise((resolve) => answers.push(resolve)));
  actor.send({ type: 'go' });
  actor.send({ type: 'leave' });
  actor.send({ type: 'go' });
  answers[0]?.('late');
  await settle();
  assert.deepEqual(taken.filter((e) => e.type.startsWith('call.')), []);
  assert.equal(actor.getSnapshot().value, 'waiting');
  answers[1]?.('awaited');
  await settle();
  assert.deepEqual(
    taken.filter((e) => e.type.startsWith('call.')),
    [{ type: 'call.done', id: 1, output: 'awaited' }],
  );
});

test('a stopped actor gets no answer', async () => {
  let resolve: (value: string) => void = () => undefined;
  const { actor } = chart(() => new Promise((r) => (resolve = r)));
  actor.send({ type: 'go' });
  actor.stop();
  const sent: unknown[] = [];
  const spy = { getSnapshot: () => actor.getSnapshot(), send: (e: unknown) => sent.push(e) } as unknown as AnyActorRef;
  answer(spy, 'call', 0, Promise.resolve('after stop'));
  resolve('after stop');
  await settle();
  assert.deepEqual(sent, []);
});
