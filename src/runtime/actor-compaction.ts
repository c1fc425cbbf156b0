/**
 * What an xstate actor keeps per instance that an idle fleet station does not need (issue 9,
 * docs/fleet/idle-memory.md "Idle memory, third round"). Measured per actor on xstate 5.33 and Node 20
 * (a station runs 8 actors while idle, ~24 KB of the station's ~65 KB of heap):
 *
 * - `options` is built as `{ ...defaultOptions, ...options }`; that spread site sees several
 *   shapes of options (root, spawned, restored), and V8 then gives every result a hidden class and
 *   descriptor array of its own (~450 B per actor). The same values in a `CompactOptions` share one.
 * - `eventListeners` (a Map) and `observers` (a Set) are empty for most actors all their life
 *   (~330 B); the lazy ones allocate on the first `on()` / `subscribe()`.
 * - each machine snapshot has a `tags` Set (~150 B), empty unless a state is tagged, a
 *   `historyValue` object (~56 B), empty unless a history state was left, and a `children` object,
 *   empty for an actor that has none (most of a station's); xstate never changes them in place (a
 *   transition that changes them builds new ones), so empty ones are replaced by one shared empty
 *   set and frozen empty objects.
 * - its scope (`_actorScope`) has four closures over the actor; two of them, `defer` and
 *   `stopChild`, are only ever called as the scope's methods (`actorScope.defer(fn)`), so one
 *   shared function each that reads the actor from `this.self` does the same (~110 B per actor).
 *   `emit` is destructured by callback actors and `actionExecutor` reads xstate's module state:
 *   they stay.
 * - `_deferred`, the actor's queue of effects deferred to the end of a macrostep, is drained with
 *   `shift()`, which leaves its backing store's capacity behind (~150 B held by an idle actor with
 *   nothing queued); drained, it is swapped for a new empty array.
 *
 * This reaches into fields xstate does not export, so every step first checks the field is what it
 * expects (a plain Map, Set, the known option keys) and otherwise leaves the actor as it is: an
 * xstate upgrade that changes the options, listeners or observers loses the saving, not the
 * behaviour. The shared empty tags, history and children are frozen (adding to the tags throws): an
 * xstate that changed those in place would throw a TypeError at once rather than share state
 * between actors. test/runtime/actor-compaction.test.ts notices both (every actor compacted; history
 * states, spawned children, persistence and restore behave as without compaction).
 */
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { LazyMap, LazySet } from '../lazy-collections.js';

/** The keys of xstate's ActorOptions kept after construction (`snapshot` and `state` are read by the constructor alone). */
const KEPT = new Set([
  'clock',
  'logger',
  'devTools',
  'id',
  'src',
  'parent',
  'syncSnapshot',
  'systemId',
  'input',
  'inspect',
]);
const CONSTRUCTOR_ONLY = new Set(['snapshot', 'state']);

/** xstate's resolved actor options with one hidden class for every actor (the keys xstate reads: input, devTools; ours: systemId). */
class CompactOptions {
  readonly clock: unknown;
  readonly logger: unknown;
  readonly devTools: unknown;
  readonly id: unknown;
  readonly src: unknown;
  readonly parent: unknown;
  readonly syncSnapshot: unknown;
  readonly systemId: unknown;
  readonly input: unknown;
  readonly inspect: unknown;
  constructor(o: Record<string, unknown>) {
    this.clock = o['clock'];
    this.logger = o['logger'];
    this.devTools = o['devTools'];
    this.id = o['id'];
    this.src = o['src'];
    this.parent = o['parent'];
    this.syncSnapshot = o['syncSnapshot'];
    this.systemId = o['systemId'];
    this.input = o['input'];
    this.inspect = o['inspect'];
  }
}

/** A shared empty `tags` set: snapshots are never changed in place, so no one adds to it. */
class NoTags extends Set<string> {
  override add(): this {
    throw new TypeError('a snapshot without tags shares this empty set: it cannot be added to');
  }
}
const NO_TAGS: ReadonlySet<string> = new NoTags();
/** A shared empty `historyValue` (frozen: xstate copies it before adding a history entry). */
const NO_HISTORY: object = Object.freeze({});
/**
 * A shared empty `children` (frozen): xstate builds a new object to spawn or stop a child
 * (`{ ...snapshot.children, [id]: ref }`, a copy before `delete`), and a restore fills a new one.
 */
const NO_CHILDREN: object = Object.freeze({});

/** The per-instance fields of xstate's Actor this module replaces (not exported by xstate). */
interface ActorInternals {
  options?: unknown;
  eventListeners?: unknown;
  observers?: unknown;
  _deferred?: unknown;
  _actorScope?: unknown;
}

/** The part of xstate's actor scope the shared methods use. */
interface ScopeInternals {
  self: { _deferred: Array<() => void>; id: string };
  defer?: unknown;
  stopChild?: unknown;
}

/** xstate's `defer` (queue `fn` to run after the macrostep), for every actor's scope. */
function sharedDefer(this: ScopeInternals, fn: () => void): void {
  this.self._deferred.push(fn);
}

/** xstate's `stopChild` (stop an actor this scope's actor spawned), for every actor's scope. */
function sharedStopChild(this: ScopeInternals, child: { _parent: unknown; id: string; _stop(): void }): void {
  if (child._parent !== this.self) {
    throw new Error(`Cannot stop child actor ${child.id} of ${this.self.id} because it is not a child`);
  }
  child._stop();
}

/** Options with only known keys (plain object): their compact copy; anything else: undefined. */
function compactOptions(options: unknown): CompactOptions | undefined {
  if (typeof options !== 'object' || options === null || Object.getPrototypeOf(options) !== Object.prototype)
    return undefined;
  for (const key of Object.keys(options)) if (!KEPT.has(key) && !CONSTRUCTOR_ONLY.has(key)) return undefined;
  return new CompactOptions(options as Record<string, unknown>);
}

/**
 * Compacts a new actor (its `@xstate.actor` inspection event: the constructor has set options,
 * listeners and observers, and reads `options.input` again only at `start()`, from the copy).
 *
 * @example
 * if (event.type === '@xstate.actor') compactActor(event.actorRef);
 */
export function compactActor(actorRef: AnyActorRef | InspectionEvent['actorRef']): void {
  const actor = actorRef as unknown as ActorInternals;
  const options = compactOptions(actor.options);
  if (options !== undefined) actor.options = options;
  const listeners = actor.eventListeners;
  if (listeners instanceof Map && listeners.constructor === Map && listeners.size === 0)
    actor.eventListeners = new LazyMap();
  const observers = actor.observers;
  if (observers instanceof Set && observers.constructor === Set && observers.size === 0)
    actor.observers = new LazySet();
  const scope = actor._actorScope as Partial<ScopeInternals> | undefined;
  if (scope === undefined || scope.self !== (actor as unknown)) return;
  if (typeof scope.defer === 'function' && typeof scope.stopChild === 'function') {
    scope.defer = sharedDefer;
    scope.stopChild = sharedStopChild;
  }
}

/**
 * Shares one empty `tags` set, one empty `historyValue` and one empty `children` for a machine
 * snapshot without tags, history or children (its `@xstate.snapshot` inspection event; the actor
 * keeps that snapshot until its next transition).
 *
 * @example
 * if (event.type === '@xstate.snapshot') compactSnapshot(event.snapshot);
 */
export function compactSnapshot(snapshot: unknown): void {
  if (typeof snapshot !== 'object' || snapshot === null) return;
  const s = snapshot as { tags?: unknown; historyValue?: unknown; children?: unknown };
  const tags = s.tags;
  if (tags instanceof Set && tags.constructor === Set && tags.size === 0) s.tags = NO_TAGS;
  if (s.historyValue !== NO_HISTORY && isEmptyPlain(s.historyValue)) s.historyValue = NO_HISTORY;
  // Only a machine snapshot (it has tags) has children that xstate treats as above.
  if (tags !== undefined && s.children !== NO_CHILDREN && isEmptyPlain(s.children)) s.children = NO_CHILDREN;
}

/** Whether `o` is a plain object without own enumerable keys (without building the key array). */
function isEmptyPlain(o: unknown): boolean {
  if (typeof o !== 'object' || o === null || Object.getPrototypeOf(o) !== Object.prototype) return false;
  for (const key in o) if (Object.hasOwn(o, key)) return false;
  return true;
}

/**
 * Lets a drained `_deferred` queue's storage go (an actor's `@xstate.snapshot` inspection event
 * comes after `update()` has run and emptied it; the queue is only ever reached through the
 * actor's field, so a new array in its place is the same empty queue).
 *
 * @example
 * if (event.type === '@xstate.snapshot') releaseDeferred(event.actorRef);
 */
export function releaseDeferred(actorRef: AnyActorRef | InspectionEvent['actorRef']): void {
  const actor = actorRef as unknown as ActorInternals;
  const deferred = actor._deferred;
  if (Array.isArray(deferred) && deferred.length === 0) actor._deferred = [];
}

/**
 * All of the above, as one inspection observer step.
 *
 * @example
 * inspect: (event) => { compactInspected(event); ... }
 */
export function compactInspected(event: InspectionEvent): void {
  if (event.type === '@xstate.actor') compactActor(event.actorRef);
  else if (event.type === '@xstate.snapshot') {
    compactSnapshot(event.snapshot);
    releaseDeferred(event.actorRef);
  }
}
