/**
 * LazyMap and LazySet (src/lazy-collections.ts) behave as Map and Set: the same operations give the
 * same results, in the same order, before and after their storage exists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LazyMap, LazySet, lazyCopy } from '../../src/lazy-collections.js';

test('LazyMap answers as a Map through a sequence of operations', () => {
  const lazy = new LazyMap<string, number>();
  const map = new Map<string, number>();
  const state = (m: Map<string, number>) => ({
    size: m.size,
    entries: [...m],
    keys: [...m.keys()],
    values: [...m.values()],
    a: m.get('a'),
    hasB: m.has('b'),
  });
  assert.deepEqual(state(lazy), state(map));
  assert.equal(lazy.delete('a'), map.delete('a'));
  for (const [k, v] of [['a', 1], ['b', 2], ['c', 3], ['a', 4]] as const) {
    assert.equal(lazy.set(k, v), lazy);
    map.set(k, v);
    assert.deepEqual(state(lazy), state(map));
  }
  assert.equal(lazy.delete('b'), map.delete('b'));
  assert.equal(lazy.delete('b'), map.delete('b'));
  assert.deepEqual(state(lazy), state(map));
  const seen: Array<[string, number, boolean]> = [];
  lazy.forEach((v, k, m) => seen.push([k, v, m === lazy]));
  assert.deepEqual(seen, [['a', 4, true], ['c', 3, true]]);
  lazy.clear();
  map.clear();
  assert.deepEqual(state(lazy), state(map));
  assert.equal(Object.prototype.toString.call(lazy), '[object LazyMap]');
  assert.deepEqual([...new Map(lazy.set('z', 26))], [['z', 26]]);
});

test('LazySet answers as a Set through a sequence of operations', () => {
  const lazy = new LazySet<string>();
  const set = new Set<string>();
  const state = (s: Set<string>) => ({ size: s.size, values: [...s], entries: [...s.entries()], hasX: s.has('x') });
  assert.deepEqual(state(lazy), state(set));
  for (const v of ['x', 'y', 'x', 'z']) {
    assert.equal(lazy.add(v), lazy);
    set.add(v);
    assert.deepEqual(state(lazy), state(set));
  }
  assert.equal(lazy.delete('y'), set.delete('y'));
  assert.equal(lazy.delete('y'), set.delete('y'));
  assert.deepEqual(state(lazy), state(set));
  const seen: string[] = [];
  lazy.forEach((v, v2, s) => seen.push(`${v}${v2}${s === lazy}`));
  assert.deepEqual(seen, ['xxtrue', 'zztrue']);
  // As Set.clear: an iteration in progress ends.
  const visited: string[] = [];
  for (const v of lazy) {
    visited.push(v);
    lazy.clear();
  }
  assert.deepEqual(visited, ['x']);
  assert.equal(lazy.size, 0);
});

test('lazyCopy copies entries in order and is independent of the original', () => {
  const original = new Map([
    ['b', 2],
    ['a', 1],
  ]);
  const copy = lazyCopy(original);
  assert.deepEqual([...copy], [...original]);
  copy.set('c', 3);
  original.delete('a');
  assert.deepEqual([...copy], [['b', 2], ['a', 1], ['c', 3]]);
  assert.equal(lazyCopy(new LazyMap<string, number>()).size, 0);
});
