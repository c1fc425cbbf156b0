import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MeterValueType } from '../../src/generated/ocpp-types.js';
import { fitMeterValues } from '../../src/meter-values/index.js';
import { assertReportable } from './schema.js';

/** Meter value n (1..9): 65 bytes of JSON each. */
function value(n: number): MeterValueType {
  return { timestamp: `2025-01-01T10:0${n}:00Z`, sampledValue: [{ value: n }] };
}
const values = (count: number) => Array.from({ length: count }, (_, i) => value(i + 1));
const bytes = (list: readonly MeterValueType[]) => new TextEncoder().encode(JSON.stringify(list)).length;
const numbers = (list: readonly MeterValueType[]) => list.map((mv) => mv.sampledValue[0].value);

/** Bytes of an array of `count` fixture values: brackets, 65 bytes each, commas between. */
const room = (count: number) => 2 + 65 * count + (count - 1);

test('fixture: each meter value is 65 bytes of JSON', () => {
  assert.equal(JSON.stringify(value(1)).length, 65);
  assert.equal(bytes(values(5)), room(5));
});

const cases: [title: string, count: number, maxBytes: number, kept: number[]][] = [
  ['fits already: unchanged', 5, room(5), [1, 2, 3, 4, 5]],
  ['one byte too many: the 2nd value goes first', 5, room(5) - 1, [1, 3, 4, 5]],
  ['then the 4th (the 1st and 3rd intermediate values, E06.FR.13)', 5, room(3), [1, 3, 5]],
  ['a second pass thins what is left, again from its 2nd', 5, room(3) - 1, [1, 5]],
  ['never the first or the last, even when they do not fit', 5, 10, [1, 5]],
  ['nine values, first pass: 2nd, 4th, 6th, 8th removed', 9, room(5), [1, 3, 5, 7, 9]],
  ['nine values, second pass: 3 and 7 removed', 9, room(3), [1, 5, 9]],
  ['nine values: removal stops as soon as it fits', 9, room(7), [1, 3, 5, 6, 7, 8, 9]],
  ['six values: the 6th is the last, kept', 6, room(4), [1, 3, 5, 6]],
  ['four values: a pass stops before the last, the next pass goes on', 4, room(2), [1, 4]],
  ['six values thinned to two: the last survives every pass', 6, 10, [1, 6]],
  ['two values: nothing to remove', 2, 10, [1, 2]],
  ['one value', 1, 10, [1]],
  ['no values', 0, 0, []],
];
for (const [title, count, maxBytes, kept] of cases) {
  test(`E06.FR.13 / J02.FR.20 drop intermediate values first: ${title}`, () => {
    const input = values(count);
    const before = structuredClone(input);
    const result = fitMeterValues(input, maxBytes);
    assert.deepEqual(numbers(result), kept);
    assert.deepEqual(input, before, 'input unchanged');
    assert.notEqual(result, input, 'a new array');
    if (kept.length > 2) assert.ok(bytes(result) <= maxBytes, 'fits');
    for (const meterValue of result) assertReportable(meterValue);
  });
}

test('E06.FR.12: a multi-byte unit is counted in UTF-8 bytes, not characters', () => {
  const wide: MeterValueType[] = values(3).map((mv) => ({
    ...mv,
    sampledValue: [{ ...mv.sampledValue[0], unitOfMeasure: { unit: 'Ω' } }],
  }));
  const exact = bytes(wide);
  assert.ok(exact > JSON.stringify(wide).length);
  assert.equal(fitMeterValues(wide, exact).length, 3);
  assert.equal(fitMeterValues(wide, exact - 1).length, 2);
});

for (const maxBytes of [-1, Number.NaN]) {
  test(`fitMeterValues rejects maxBytes ${maxBytes} with a RangeError`, () => {
    assert.throws(() => fitMeterValues(values(3), maxBytes), RangeError);
  });
}
