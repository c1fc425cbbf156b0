/**
 * Map and Set that allocate their table on the first write. An empty `new Map()` costs ~184 bytes
 * of heap in V8 (the object and a hash table of 4 entries), an empty `new Set()` ~150; a fleet
 * station holds dozens of such collections that stay empty while it idles (pending frames, armed
 * triggers, cached tokens, ...). These wrappers cost ~24 bytes until something is added, and
 * behave as the built-ins otherwise (issue 9, docs/fleet/idle-memory.md "Where a station's memory goes").
 */

const EMPTY_MAP: ReadonlyMap<never, never> = new Map<never, never>();
const EMPTY_SET: ReadonlySet<never> = new Set<never>();

/**
 * A Map whose storage is created by the first `set`.
 *
 * @example
 * const pending = new LazyMap<string, number>();
 * pending.size; // 0, nothing allocated
 * pending.set('a', 1).get('a'); // 1
 */
export class LazyMap<K, V> implements Map<K, V> {
  private map: Map<K, V> | undefined;

  get size(): number {
    return this.map?.size ?? 0;
  }

  get(key: K): V | undefined {
    return this.map?.get(key);
  }

  has(key: K): boolean {
    return this.map?.has(key) ?? false;
  }

  set(key: K, value: V): this {
    (this.map ??= new Map()).set(key, value);
    return this;
  }

  delete(key: K): boolean {
    return this.map?.delete(key) ?? false;
  }

  /** Empties it (as Map.clear: iterators in progress end) and lets its storage go. */
  clear(): void {
    this.map?.clear();
    this.map = undefined;
  }

  forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    this.map?.forEach((value, key) => callback.call(thisArg, value, key, this));
  }

  keys(): MapIterator<K> {
    return (this.map ?? (EMPTY_MAP as ReadonlyMap<K, V>)).keys();
  }

  values(): MapIterator<V> {
    return (this.map ?? (EMPTY_MAP as ReadonlyMap<K, V>)).values();
  }

  entries(): MapIterator<[K, V]> {
    return (this.map ?? (EMPTY_MAP as ReadonlyMap<K, V>)).entries();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'LazyMap';
  }
}

/**
 * A Set whose storage is created by the first `add`.
 *
 * @example
 * const seen = new LazySet<string>();
 * seen.add('x').has('x'); // true
 */
export class LazySet<T> implements Set<T> {
  private set: Set<T> | undefined;

  get size(): number {
    return this.set?.size ?? 0;
  }

  has(value: T): boolean {
    return this.set?.has(value) ?? false;
  }

  add(value: T): this {
    (this.set ??= new Set()).add(value);
    return this;
  }

  delete(value: T): boolean {
    return this.set?.delete(value) ?? false;
  }

  /** Empties it (as Set.clear: iterators in progress end) and lets its storage go. */
  clear(): void {
    this.set?.clear();
    this.set = undefined;
  }

  forEach(callback: (value: T, value2: T, set: Set<T>) => void, thisArg?: unknown): void {
    this.set?.forEach((value) => callback.call(thisArg, value, value, this));
  }

  keys(): SetIterator<T> {
    return (this.set ?? (EMPTY_SET as ReadonlySet<T>)).keys();
  }

  values(): SetIterator<T> {
    return (this.set ?? (EMPTY_SET as ReadonlySet<T>)).values();
  }

  entries(): SetIterator<[T, T]> {
    return (this.set ?? (EMPTY_SET as ReadonlySet<T>)).entries();
  }

  [Symbol.iterator](): SetIterator<T> {
    return this.values();
  }

  get [Symbol.toStringTag](): string {
    return 'LazySet';
  }
}

/**
 * A copy of `map` that allocates nothing while empty (a copy of an empty map stays ~24 bytes).
 *
 * @example
 * const next = lazyCopy(written); // edited, then swapped in for `written` once stored
 */
export function lazyCopy<K, V>(map: ReadonlyMap<K, V>): LazyMap<K, V> {
  const copy = new LazyMap<K, V>();
  for (const [key, value] of map) copy.set(key, value);
  return copy;
}
