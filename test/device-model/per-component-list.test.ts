/** src/device-model/per-component-list.ts: one value per list of the same loaded components. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { perComponentList } from '../../src/device-model/per-component-list.js';
import type { LoadedComponent } from '../../src/device-model/types.js';

const component = (name: string) => ({ name, variables: [] }) as unknown as LoadedComponent;

test('perComponentList: a new array of the same components gets the same value; another order, subset or component does not', () => {
  let computed = 0;
  const of = perComponentList((components) => ({ n: ++computed, names: components.map((c) => c.name) }));
  const [a, b, c] = [component('A'), component('B'), component('C')];
  const first = of([a, b]);
  assert.equal(of([a, b]), first);
  assert.equal(computed, 1);
  assert.notEqual(of([b, a]), first);
  assert.notEqual(of([a]), first);
  assert.notEqual(of([a, c]), first);
  assert.equal(of([a, c]), of([a, c]));
  assert.equal(computed, 4);
  assert.deepEqual(of([]).names, []);
  assert.equal(computed, 5);
});
