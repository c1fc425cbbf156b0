import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MeterValueType, SampledValueType } from '../../src/generated/ocpp-types.js';
import { splitMeterValues } from '../../src/meter-values/index.js';
import { assertReportable } from './schema.js';

/** A meter value named by its minute, with `count` sampled values numbered minute*10 + i. */
function reading(minute: number, count: number): MeterValueType {
  const sampled: SampledValueType[] = Array.from({ length: count }, (_, i) => ({ value: minute * 10 + i }));
  return {
    timestamp: `2025-01-01T10:${String(minute).padStart(2, '0')}:00Z`,
    sampledValue: sampled as [SampledValueType, ...SampledValueType[]],
  };
}

/** Each chunk as "minute:first-last" per meter value. */
const layout = (chunks: MeterValueType[][]) =>
  chunks.map((chunk) =>
    chunk.map(
      (mv) => `${mv.timestamp.slice(14, 16)}:${mv.sampledValue[0].value}-${mv.sampledValue.at(-1)!.value}`,
    ),
  );

const cases: [title: string, sizes: number[], max: number, expected: string[][]][] = [
  ['nothing to send', [], 3, []],
  ['everything fits in one message', [1, 2], 3, [['01:10-10', '02:20-21']]],
  [
    'one sampled value per meter value: plain chunks',
    [1, 1, 1, 1, 1],
    2,
    [['01:10-10', '02:20-20'], ['03:30-30', '04:40-40'], ['05:50-50']],
  ],
  [
    'a meter value that does not fit starts the next message, whole',
    [2, 2, 1],
    3,
    [['01:10-11'], ['02:20-21', '03:30-30']],
  ],
  [
    'an oversized meter value is split with the same timestamp; its tail shares with what follows',
    [2, 5, 1],
    3,
    [['01:10-11'], ['02:20-22'], ['02:23-24', '03:30-30']],
  ],
  ['an oversized meter value that splits evenly', [6], 3, [['01:10-12'], ['01:13-15']]],
  ['maxPerMessage 1: one sampled value per message', [2], 1, [['01:10-10'], ['01:11-11']]],
];
for (const [title, sizes, max, expected] of cases) {
  test(`J01.FR.15 / J02.FR.14 / E02.FR.11 split over messages: ${title}`, () => {
    const input = sizes.map((size, i) => reading(i + 1, size));
    const before = structuredClone(input);
    const chunks = splitMeterValues(input, max);
    assert.deepEqual(layout(chunks), expected);
    assert.deepEqual(input, before, 'input unchanged');
    for (const chunk of chunks) {
      assert.ok(
        chunk.reduce((n, mv) => n + mv.sampledValue.length, 0) <= max,
        'at most maxPerMessage sampled values',
      );
      for (const meterValue of chunk) assertReportable(meterValue);
    }
    // Nothing lost, nothing reordered.
    const flat = chunks.flat().flatMap((mv) => mv.sampledValue.map((v) => v.value));
    assert.deepEqual(
      flat,
      input.flatMap((mv) => mv.sampledValue.map((v) => v.value)),
    );
  });
}

test('E02.FR.11: the parts of a split meter value keep its timestamp and customData', () => {
  const big: MeterValueType = { ...reading(7, 4), customData: { vendorId: 'com.example' } };
  const chunks = splitMeterValues([big], 2);
  assert.equal(chunks.length, 2);
  for (const [part] of chunks) {
    assert.equal(part!.timestamp, big.timestamp);
    assert.deepEqual(part!.customData, { vendorId: 'com.example' });
  }
});

for (const max of [0, -1, 1.5, Number.NaN]) {
  test(`splitMeterValues rejects maxPerMessage ${max} with a RangeError`, () => {
    assert.throws(() => splitMeterValues([reading(1, 1)], max), RangeError);
  });
}
