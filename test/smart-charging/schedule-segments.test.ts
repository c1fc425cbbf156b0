import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChargingProfileType } from '../../src/generated/ocpp-types.js';
import { placeChargingProfile, recurrencesOverlapping } from '../../src/smart-charging/schedule-segments.js';
import { compositeSchedule } from '../../src/smart-charging/index.js';
import { installed, periods, profile, state, station } from './fixtures.js';

const s = (iso: string): number => Date.parse(iso) / 1000;
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

function runs(
  startSchedule: string,
  kind: 'Daily' | 'Weekly',
  zone: string,
  from: string,
  to: string,
): [string, string][] {
  return recurrencesOverlapping(s(startSchedule), kind, zone, s(from), s(to)).map((o) => [
    iso(o.start),
    iso(o.end),
  ]);
}

function recurring(kind: 'Daily' | 'Weekly', startSchedule: string, duration?: number): ChargingProfileType {
  return profile(
    { chargingProfileKind: 'Recurring', recurrencyKind: kind },
    {
      startSchedule,
      ...(duration === undefined ? {} : { duration }),
      chargingSchedulePeriod: periods([0, 6], [3600, 8]),
    },
  );
}

function segments(
  p: ChargingProfileType,
  from: string,
  to: string,
  timeZone = 'UTC',
): [string, string, number][] {
  return placeChargingProfile(p, {
    windowStart: s(from),
    windowEnd: s(to),
    relativeStart: s(from),
    timeZone,
  }).map((x) => [iso(x.from), iso(x.to), x.limit]);
}

test('Daily in UTC recurs every 86400 s, and not before startSchedule (K01.FR.30)', () => {
  assert.deepEqual(
    runs('2024-01-01T08:00:00Z', 'Daily', 'UTC', '2023-12-30T00:00:00Z', '2024-01-02T09:00:00Z'),
    [
      ['2024-01-01T08:00:00Z', '2024-01-02T08:00:00Z'],
      ['2024-01-02T08:00:00Z', '2024-01-03T08:00:00Z'],
    ],
  );
});

test("a daily schedule crossing midnight, seen from a window that starts inside yesterday's run", () => {
  const p = recurring('Daily', '2024-01-01T22:00:00Z', 4 * 3600);
  assert.deepEqual(segments(p, '2024-01-05T21:00:00Z', '2024-01-06T03:00:00Z'), [
    ['2024-01-05T22:00:00Z', '2024-01-05T23:00:00Z', 6],
    ['2024-01-05T23:00:00Z', '2024-01-06T02:00:00Z', 8],
  ]);
  assert.deepEqual(segments(p, '2024-01-06T01:00:00Z', '2024-01-06T03:00:00Z'), [
    ['2024-01-06T01:00:00Z', '2024-01-06T02:00:00Z', 8],
  ]);
});

test('a weekly schedule crossing the week boundary (Sunday 22:00 to Monday 04:00)', () => {
  const p = recurring('Weekly', '2024-01-07T22:00:00Z', 6 * 3600);
  assert.deepEqual(segments(p, '2024-02-04T20:00:00Z', '2024-02-05T06:00:00Z'), [
    ['2024-02-04T22:00:00Z', '2024-02-04T23:00:00Z', 6],
    ['2024-02-04T23:00:00Z', '2024-02-05T04:00:00Z', 8],
  ]);
  assert.deepEqual(segments(p, '2024-02-06T00:00:00Z', '2024-02-10T00:00:00Z'), []);
});

test('without duration a recurrence lasts until the next one; a duration beyond it is cut there (K01.FR.13)', () => {
  assert.deepEqual(
    segments(recurring('Daily', '2024-01-01T08:00:00Z'), '2024-01-03T07:00:00Z', '2024-01-03T10:00:00Z'),
    [
      ['2024-01-03T07:00:00Z', '2024-01-03T08:00:00Z', 8],
      ['2024-01-03T08:00:00Z', '2024-01-03T09:00:00Z', 6],
      ['2024-01-03T09:00:00Z', '2024-01-03T10:00:00Z', 8],
    ],
  );
  assert.deepEqual(
    segments(
      recurring('Daily', '2024-01-01T08:00:00Z', 200_000),
      '2024-01-03T07:00:00Z',
      '2024-01-03T10:00:00Z',
    ),
    segments(recurring('Daily', '2024-01-01T08:00:00Z'), '2024-01-03T07:00:00Z', '2024-01-03T10:00:00Z'),
  );
});

test('DST spring forward in Europe/Amsterdam: 17:00 local stays 17:00 local, the day lasts 23 h', () => {
  assert.deepEqual(
    runs(
      '2024-03-29T17:00:00+01:00',
      'Daily',
      'Europe/Amsterdam',
      '2024-03-30T17:00:00Z',
      '2024-03-31T18:00:00Z',
    ),
    [
      ['2024-03-30T16:00:00Z', '2024-03-31T15:00:00Z'],
      ['2024-03-31T15:00:00Z', '2024-04-01T15:00:00Z'],
    ],
  );
  // In UTC the same profile recurs at 16:00Z, i.e. 18:00 local after the change.
  assert.deepEqual(
    runs('2024-03-29T17:00:00+01:00', 'Daily', 'UTC', '2024-03-31T12:00:00Z', '2024-03-31T18:00:00Z'),
    [
      ['2024-03-30T16:00:00Z', '2024-03-31T16:00:00Z'],
      ['2024-03-31T16:00:00Z', '2024-04-01T16:00:00Z'],
    ],
  );
});

test('DST: a start inside the skipped hour moves to after it on that day only; fall back makes a 25 h day', () => {
  // 02:30 does not exist on 2024-03-31 in Amsterdam: that run starts at 03:30 CEST (01:30Z).
  assert.deepEqual(
    runs(
      '2024-03-30T02:30:00+01:00',
      'Daily',
      'Europe/Amsterdam',
      '2024-03-30T12:00:00Z',
      '2024-04-01T12:00:00Z',
    ),
    [
      ['2024-03-30T01:30:00Z', '2024-03-31T01:30:00Z'],
      ['2024-03-31T01:30:00Z', '2024-04-01T00:30:00Z'],
      ['2024-04-01T00:30:00Z', '2024-04-02T00:30:00Z'],
    ],
  );
  assert.deepEqual(
    runs(
      '2024-10-26T17:00:00+02:00',
      'Daily',
      'Europe/Amsterdam',
      '2024-10-26T16:00:00Z',
      '2024-10-27T17:00:00Z',
    ),
    [
      ['2024-10-26T15:00:00Z', '2024-10-27T16:00:00Z'],
      ['2024-10-27T16:00:00Z', '2024-10-28T16:00:00Z'],
    ],
  );
  assert.deepEqual(
    runs(
      '2024-03-24T22:00:00+01:00',
      'Weekly',
      'Europe/Amsterdam',
      '2024-03-25T00:00:00Z',
      '2024-04-01T00:00:00Z',
    ),
    [
      ['2024-03-24T21:00:00Z', '2024-03-31T20:00:00Z'],
      ['2024-03-31T20:00:00Z', '2024-04-07T20:00:00Z'],
    ],
  );
});

test('DST: a start time shown twice when DST ends is taken the first time, however the recurrence got there', () => {
  const fallBack: [string, string] = ['2024-10-27T00:00:00Z', '2024-10-27T02:00:00Z'];
  for (const start of ['2024-10-20T02:30:00+02:00', '2024-01-07T02:30:00+01:00']) {
    const [first] = runs(start, 'Weekly', 'Europe/Amsterdam', ...fallBack);
    assert.equal(first?.[1], '2024-10-27T00:30:00Z', start);
  }
  // A startSchedule in the second 02:30 itself is kept as given.
  assert.deepEqual(runs('2024-10-27T02:30:00+01:00', 'Daily', 'Europe/Amsterdam', ...fallBack), [
    ['2024-10-27T01:30:00Z', '2024-10-28T01:30:00Z'],
  ]);
});

test('a composite across the spring-forward night follows the local evening peak (station.timeZone)', () => {
  const peak = profile(
    { chargingProfileKind: 'Recurring', recurrencyKind: 'Daily' },
    {
      startSchedule: '2024-03-01T17:00:00+01:00',
      duration: 3 * 3600,
      chargingSchedulePeriod: periods([0, 6]),
    },
  );
  const on = (timeZone: string) =>
    compositeSchedule({
      ...state({ station: station({ timeZone }), profiles: [installed(1, peak)] }),
      evseId: 1,
      startTime: '2024-03-31T12:00:00Z',
      duration: 8 * 3600,
      chargingRateUnit: 'A',
    }).chargingSchedulePeriod.map((p) => [p.startPeriod, p.limit]);
  assert.deepEqual(on('Europe/Amsterdam'), [
    [0, 32],
    [3 * 3600, 6],
    [6 * 3600, 32],
  ]); // 15:00Z-18:00Z = 17:00-20:00 CEST
  assert.deepEqual(on('UTC'), [
    [0, 32],
    [4 * 3600, 6],
    [7 * 3600, 32],
  ]); // 16:00Z-19:00Z
});

test('an Absolute schedule outside the window or validity yields nothing', () => {
  const p = profile({ validTo: '2024-03-04T12:00:00Z' }, { startSchedule: '2024-03-04T11:00:00Z' });
  assert.deepEqual(segments(p, '2024-03-04T12:00:00Z', '2024-03-04T13:00:00Z'), []);
  assert.deepEqual(
    segments(
      profile({}, { startSchedule: '2024-03-05T00:00:00Z' }),
      '2024-03-04T12:00:00Z',
      '2024-03-04T13:00:00Z',
    ),
    [],
  );
});
