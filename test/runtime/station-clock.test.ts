/**
 * The station clock formats each millisecond once (src/clock.ts): the cached text always follows
 * the host time and the offset set by the CSMS (B01.FR.06).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStationClock } from '../../src/clock.js';

test('B01.FR.06: nowIso follows the host time and setTime, also within one millisecond', () => {
  let host = Date.UTC(2026, 2, 29, 0, 30, 0, 0);
  const clock = createStationClock(undefined, () => host);
  assert.equal(clock.nowIso(), '2026-03-29T00:30:00.000Z');
  assert.equal(clock.nowIso(), '2026-03-29T00:30:00.000Z');
  host += 1;
  assert.equal(clock.nowIso(), '2026-03-29T00:30:00.001Z');
  // Moved by the CSMS within the same host millisecond: the new time, not the cached text.
  clock.setTime('2030-01-01T12:00:00.000Z');
  assert.equal(clock.nowIso(), '2030-01-01T12:00:00.000Z');
  assert.equal(clock.nowMs(), Date.UTC(2030, 0, 1, 12));
  host += 1500;
  assert.equal(clock.nowIso(), '2030-01-01T12:00:01.500Z');
});

test('B01.FR.06: setTime reads an instant as luxon does, plain forms without it, and rejects what luxon rejects', async () => {
  const { DateTime } = await import('luxon');
  const host = Date.UTC(2026, 11, 4, 22, 0, 0, 0);
  const instants = [
    '2026-12-04T22:00:00Z',
    '2026-12-04T22:00:00.5Z',
    '2026-12-04T22:00:00.12+01:30',
    '2026-12-04T22:00:00.999-05:00',
    '2026-12-04T22:00:00-00:00',
    '2024-02-29T23:59:59Z',
    '2000-02-29T00:00:00Z',
    '0050-01-01T00:00:00Z',
    // Not the plain form: luxon decides.
    '2026-12-04T22:00:00.1234567Z',
    '2026-12-04t22:00:00z',
    '2026-02-28T24:00:00Z',
    '2026-12-04T22:00:00+24:00',
  ];
  for (const instant of instants) {
    const clock = createStationClock(undefined, () => host);
    clock.setTime(instant);
    assert.equal(clock.nowMs(), DateTime.fromISO(instant, { setZone: true }).toMillis(), instant);
  }
  // Date.parse would roll these over or accept them; luxon (and so setTime) refuses them.
  for (const instant of [
    '2026-02-30T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-12-04T22:00:60Z',
    'nonsense',
  ]) {
    const clock = createStationClock(undefined, () => host);
    assert.throws(() => clock.setTime(instant), RangeError, instant);
    assert.equal(clock.nowMs(), host, instant);
  }
});
