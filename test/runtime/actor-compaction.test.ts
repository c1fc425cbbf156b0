/**
 * src/runtime/actor-compaction.ts: an actor compacted from its inspection stream behaves as before
 * (subscribe, on/emit, tags, persisted snapshots, stop), and a station's actors are all compacted
 * (this fails when an xstate upgrade renames the fields, so the saving is not lost unnoticed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assign,
  createActor,
  createMachine,
  emit,
  spawnChild,
  stopChild,
  type AnyActorRef,
  type InspectionEvent,
} from 'xstate';
import { LazyMap, LazySet } from '../../src/lazy-collections.js';
import { compactInspected } from '../../src/runtime/actor-compaction.js';
import { registered } from '../integration/csms-helpers.js';
import { startHarness } from '../integration/station-harness.js';

const child = createMachine({
  id: 'child',
  initial: 'idle',
  states: { idle: { on: { go: 'busy' } }, busy: { tags: ['busy'] } },
});

const parent = createMachine({
  types: {} as { context: { n: number }; input: { n: number }; emitted: { type: 'counted'; n: number } },
  id: 'parent',
  context: ({ input }) => ({ n: input.n }),
  invoke: { src: child, id: 'kid', systemId: 'kid' },
  initial: 'idle',
  states: {
    idle: {
      on: {
        count: {
          actions: [
            assign({ n: ({ context }) => context.n + 1 }),
            emit(({ context }) => ({ type: 'counted' as const, n: context.n })),
          ],
        },
        finish: 'done',
      },
    },
    done: { type: 'final' },
  },
});

interface Internals {
  options: { constructor: { name: string }; input?: unknown; systemId?: unknown; id?: unknown };
  eventListeners: unknown;
  observers: unknown;
  _deferred: unknown[];
}

function compacted(input: { n: number }) {
  const actors: AnyActorRef[] = [];
  const actor = createActor(parent, {
    input,
    systemId: 'root',
    inspect: (event: InspectionEvent) => {
      compactInspected(event);
      if (event.type === '@xstate.actor') actors.push(event.actorRef as AnyActorRef);
    },
  });
  return { actor, actors };
}

test('compacted actors: shared options shape, lazy listeners and observers, shared empty tags', () => {
  const a = compacted({ n: 1 });
  const b = compacted({ n: 2 });
  a.actor.start();
  b.actor.start();
  for (const actor of [...a.actors, ...b.actors]) {
    const x = actor as unknown as Internals;
    assert.equal(x.options.constructor.name, 'CompactOptions');
    assert.ok(x.eventListeners instanceof LazyMap);
    assert.ok(x.observers instanceof LazySet || (x.observers as Set<unknown>).size > 0);
    assert.equal(x._deferred.length, 0);
  }
  const root = a.actor as unknown as Internals;
  assert.deepEqual(root.options.input, { n: 1 });
  assert.equal(root.options.systemId, 'root');
  assert.equal((a.actor.system.get('kid') as unknown as Internals).options.id, 'kid');
  // Tags: an untagged state's set is shared; a tagged state's set is its own.
  const kid = a.actor.system.get('kid') as AnyActorRef;
  const otherKid = b.actor.system.get('kid') as AnyActorRef;
  assert.equal(
    (kid.getSnapshot() as { tags: unknown }).tags,
    (otherKid.getSnapshot() as { tags: unknown }).tags,
  );
  assert.equal(kid.getSnapshot().hasTag('busy'), false);
  const history = (r: AnyActorRef) => (r.getSnapshot() as { historyValue: unknown }).historyValue;
  assert.equal(history(kid), history(otherKid));
  assert.ok(Object.isFrozen(history(kid)));
  // A snapshot without children shares one frozen empty object.
  const children = (r: AnyActorRef) => (r.getSnapshot() as { children: unknown }).children;
  assert.equal(children(kid), children(otherKid));
  assert.ok(Object.isFrozen(children(kid)));
  assert.throws(() => (kid.getSnapshot() as { tags: Set<string> }).tags.add('x'), TypeError);
  kid.send({ type: 'go' });
  assert.equal(kid.getSnapshot().hasTag('busy'), true);
  assert.deepEqual(kid.getSnapshot().toJSON().tags, ['busy']);
  // The scope's defer and stopChild are shared, and stopChild still refuses a stranger's child.
  type Scope = { defer: unknown; stopChild(child: unknown): void };
  const scopeA = (a.actor as unknown as { _actorScope: Scope })._actorScope;
  const scopeB = (b.actor as unknown as { _actorScope: Scope })._actorScope;
  assert.equal(scopeA.defer, scopeB.defer);
  assert.throws(
    () => scopeA.stopChild(otherKid),
    /Cannot stop child actor kid of .* because it is not a child/,
  );
  a.actor.stop();
  b.actor.stop();
});

test('a compacted actor behaves as a plain one: observers, emitted events, persisted snapshot, completion', () => {
  const plain = createActor(parent, { input: { n: 1 }, systemId: 'root' });
  const { actor } = compacted({ n: 1 });
  const seen: Array<{ snapshots: number[]; counted: number[]; completed: boolean }> = [];
  for (const a of [plain, actor]) {
    const record = { snapshots: [] as number[], counted: [] as number[], completed: false };
    seen.push(record);
    a.subscribe({
      next: (s) => record.snapshots.push(s.context.n),
      complete: () => (record.completed = true),
    });
    a.on('counted', (e) => record.counted.push(e.n));
    a.start();
    a.send({ type: 'count' });
    a.send({ type: 'count' });
  }
  assert.deepEqual(
    JSON.parse(JSON.stringify(actor.getPersistedSnapshot())),
    JSON.parse(JSON.stringify(plain.getPersistedSnapshot())),
  );
  const kids = [plain, actor].map((a) => a.system.get('kid') as AnyActorRef);
  plain.send({ type: 'finish' });
  actor.send({ type: 'finish' });
  // The invoked child is stopped through the scope's stopChild as the parent leaves its state.
  assert.deepEqual(
    kids.map((k) => k.getSnapshot().status),
    ['stopped', 'stopped'],
  );
  assert.deepEqual(seen[1], seen[0]);
  assert.deepEqual(seen[0], { snapshots: [1, 2, 3, 3], counted: [2, 3], completed: true });
  // Restored from the persisted snapshot (options.snapshot is read by the constructor only).
  const again = createActor(parent, {
    input: { n: 0 },
    snapshot: plain.getPersistedSnapshot(),
    inspect: (event: InspectionEvent) => compactInspected(event),
  });
  assert.equal(again.getSnapshot().context.n, 3);
  assert.equal(again.getSnapshot().status, 'done');
});

test("every actor of a booted station is compacted (xstate's fields still the expected ones)", async (t) => {
  const actors: AnyActorRef[] = [];
  const h = await startHarness({
    station: {
      inspect: (e: InspectionEvent) =>
        void (e.type === '@xstate.actor' && actors.push(e.actorRef as AnyActorRef)),
    },
  });
  t.after(() => h.close());
  await registered(h);
  assert.ok(actors.length >= 7, `${actors.length} actors`);
  for (const actor of actors) {
    const x = actor as unknown as Internals;
    const name = (actor as { systemId?: string }).systemId ?? actor.id;
    assert.equal(x.options.constructor.name, 'CompactOptions', name);
    assert.ok(x.eventListeners instanceof LazyMap, name);
  }
});

test('a history state works from the shared empty history: left, it is copied, and re-entered as before', () => {
  const machine = createMachine({
    id: 'h',
    initial: 'on',
    states: {
      on: {
        initial: 'a',
        states: { a: { on: { next: 'b' } }, b: {}, hist: { type: 'history' } },
        on: { off: 'off' },
      },
      off: { on: { back: 'on.hist' } },
    },
  });
  const runs = [undefined, compactInspected].map((inspect) => {
    const actor = createActor(machine, inspect ? { inspect } : {});
    actor.start();
    const values = [JSON.stringify(actor.getSnapshot().value)];
    for (const type of ['next', 'off', 'back']) {
      actor.send({ type });
      values.push(JSON.stringify(actor.getSnapshot().value));
    }
    return { values, persisted: JSON.stringify(actor.getPersistedSnapshot()) };
  });
  assert.deepEqual(runs[1], runs[0]);
  assert.deepEqual(runs[0]!.values, ['{"on":"a"}', '{"on":"b"}', '"off"', '{"on":"b"}']);
});

test('children spawned and stopped from the shared empty children: as a plain actor, persisted and restored', () => {
  const machine = createMachine({
    id: 'spawner',
    initial: 'alone',
    states: {
      alone: { on: { spawn: { target: 'with', actions: spawnChild(child, { id: 'c', systemId: 'c' }) } } },
      with: {
        on: {
          stop: { target: 'alone', actions: stopChild('c') },
          poke: { actions: ({ self }) => self.getSnapshot().children['c']?.send({ type: 'go' }) },
        },
      },
    },
  });
  const runs = [undefined, compactInspected].map((inspect) => {
    const actor = createActor(machine, inspect ? { inspect } : {});
    actor.start();
    const seen = [Object.keys(actor.getSnapshot().children).join()];
    for (const type of ['spawn', 'poke', 'stop', 'spawn']) {
      actor.send({ type });
      seen.push(Object.keys(actor.getSnapshot().children).join());
    }
    const persisted = actor.getPersistedSnapshot();
    const again = createActor(machine, { snapshot: persisted, ...(inspect ? { inspect } : {}) });
    again.start();
    seen.push(Object.keys(again.getSnapshot().children).join());
    again.send({ type: 'stop' });
    seen.push(Object.keys(again.getSnapshot().children).join());
    return { seen, persisted: JSON.stringify(persisted) };
  });
  assert.deepEqual(runs[1], runs[0]);
  assert.deepEqual(runs[0]!.seen, ['', 'c', 'c', '', 'c', 'c', '']);
});
