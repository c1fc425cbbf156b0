import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoUtc } from '../../src/logging/log-time.js';

test('isoUtc: the same text as Date#toISOString, across seconds, days, leap years and far dates', () => {
  const times = [
    0,
    1,
    999,
    1000,
    Date.UTC(2026, 2, 29, 0, 30, 0, 5),
    Date.UTC(2026, 2, 29, 0, 30, 0, 999),
    Date.UTC(2026, 2, 29, 0, 30, 1, 0),
    Date.UTC(2024, 1, 29, 23, 59, 59, 999),
    Date.UTC(2024, 2, 1, 0, 0, 0, 0),
    -1,
    -1001,
    Date.UTC(12000, 0, 1, 0, 0, 0, 123),
    1_764_806_400_123.7,
    -1.5,
    8.64e15,
  ];
  for (const ms of times) assert.equal(isoUtc(ms), new Date(ms).toISOString(), String(ms));
  // The same second twice (cached prefix), then back to an earlier one.
  const t = Date.UTC(2026, 11, 4, 16, 0, 0, 10);
  assert.equal(isoUtc(t), '2026-12-04T16:00:00.010Z');
  assert.equal(isoUtc(t + 500), '2026-12-04T16:00:00.510Z');
  assert.equal(isoUtc(t - 20), '2026-12-04T15:59:59.990Z');
});

test('isoUtc: a time Date cannot hold throws a RangeError, as toISOString does', () => {
  assert.throws(() => isoUtc(8.64e15 + 1), RangeError);
  assert.throws(() => isoUtc(Number.NaN), RangeError);
});
