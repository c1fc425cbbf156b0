import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextPeriodicTime } from '../../src/meter-values/index.js';

const START = '2025-01-01T10:00:10Z';

const cases: [title: string, start: string, after: string, intervalS: number, expected: string | null][] = [
  ['TxUpdatedInterval 0: no sampled data', START, START, 0, null],
  ['negative interval: none', START, START, -60, null],
  [
    'at the start: the first sample is one interval later (k >= 1)',
    START,
    START,
    60,
    '2025-01-01T10:01:10.000Z',
  ],
  ['counted from the start, not the clock', START, '2025-01-01T10:05:00Z', 60, '2025-01-01T10:05:10.000Z'],
  [
    'strictly after: on a grid point gives the next one',
    START,
    '2025-01-01T10:05:10Z',
    60,
    '2025-01-01T10:06:10.000Z',
  ],
  ['a millisecond before a grid point', START, '2025-01-01T10:05:09.999Z', 60, '2025-01-01T10:05:10.000Z'],
  ['before the start: the first sample', START, '2025-01-01T09:00:00Z', 60, '2025-01-01T10:01:10.000Z'],
  [
    'milliseconds of the start are kept',
    '2025-01-01T10:00:10.250Z',
    '2025-01-01T10:00:11Z',
    1,
    '2025-01-01T10:00:11.250Z',
  ],
  [
    'offsets are notation only',
    '2025-01-01T11:00:10+01:00',
    '2025-01-01T10:00:30Z',
    60,
    '2025-01-01T10:01:10.000Z',
  ],
  [
    'elapsed time across a DST change (no zone)',
    '2024-03-31T00:30:00Z',
    '2024-03-31T00:59:00Z',
    3600,
    '2024-03-31T01:30:00.000Z',
  ],
  ['a long transaction: day 3', START, '2025-01-03T10:00:09Z', 3600, '2025-01-03T10:00:10.000Z'],
  [
    'an interval longer than the transaction so far',
    START,
    '2025-01-01T10:30:00Z',
    86_400,
    '2025-01-02T10:00:10.000Z',
  ],
];
for (const [title, start, after, intervalS, expected] of cases) {
  test(`J02.FR.11 SampledDataTxUpdatedInterval / TxEndedInterval: ${title}`, () => {
    assert.equal(nextPeriodicTime(start, after, intervalS), expected);
  });
}

test('J02.FR.11: successive samples are exactly one interval apart', () => {
  let cursor = START;
  const samples: string[] = [];
  for (let i = 0; i < 5; i++) {
    cursor = nextPeriodicTime(START, cursor, 300)!;
    samples.push(cursor);
  }
  assert.deepEqual(samples, [
    '2025-01-01T10:05:10.000Z',
    '2025-01-01T10:10:10.000Z',
    '2025-01-01T10:15:10.000Z',
    '2025-01-01T10:20:10.000Z',
    '2025-01-01T10:25:10.000Z',
  ]);
});

const invalid: [string, () => unknown, RegExp][] = [
  ['a start that is not RFC 3339', () => nextPeriodicTime('now', START, 60), /^startIso:/],
  ['an after that is not RFC 3339', () => nextPeriodicTime(START, '2025-01-01', 60), /^afterIso:/],
  ['a fractional interval', () => nextPeriodicTime(START, START, 0.5), /whole seconds/],
  [
    'an infinite interval',
    () => nextPeriodicTime(START, START, Number.POSITIVE_INFINITY),
    /not a finite number/,
  ],
];
for (const [title, call, message] of invalid) {
  test(`nextPeriodicTime rejects ${title} with a RangeError`, () => {
    assert.throws(call, (error: unknown) => error instanceof RangeError && message.test(error.message));
  });
}
