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
