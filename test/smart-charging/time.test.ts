import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatInstant, parseInstant, wallClockToInstant } from '../../src/smart-charging/time.js';

const wall = (day: number, month: number, hour: number, minute = 0) => ({
  year: 2024,
  month,
  day,
  hour,
  minute,
  second: 0,
});
const iso = (seconds: number) => formatInstant(seconds);

test('OCPP times: a missing offset means UTC, fractions are floored, garbage is undefined', () => {
  assert.equal(parseInstant('2020-01-09T17:00:00'), Date.parse('2020-01-09T17:00:00Z') / 1000);
  assert.equal(parseInstant('2024-01-01T01:00:00.999+01:00'), Date.parse('2024-01-01T00:00:00Z') / 1000);
  assert.equal(parseInstant('yesterday'), undefined);
  assert.equal(formatInstant(1704067200), '2024-01-01T00:00:00Z');
});

test('wall clock to instant: ordinary, skipped (moved forward) and repeated (first) times', () => {
  assert.equal(iso(wallClockToInstant(wall(4, 3, 12), 'Europe/Amsterdam')), '2024-03-04T11:00:00Z');
  assert.equal(iso(wallClockToInstant(wall(31, 3, 2, 30), 'Europe/Amsterdam')), '2024-03-31T01:30:00Z');
  assert.equal(iso(wallClockToInstant(wall(27, 10, 2, 30), 'Europe/Amsterdam')), '2024-10-27T00:30:00Z');
  assert.equal(iso(wallClockToInstant(wall(3, 11, 1, 30), 'America/New_York')), '2024-11-03T05:30:00Z');
  assert.equal(iso(wallClockToInstant(wall(10, 3, 2, 30), 'America/New_York')), '2024-03-10T07:30:00Z');
  assert.equal(iso(wallClockToInstant(wall(27, 10, 2, 30), 'UTC')), '2024-10-27T02:30:00Z');
});
