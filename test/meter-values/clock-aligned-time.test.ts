import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextClockAlignedTime } from '../../src/meter-values/index.js';

type Case = [
  title: string,
  after: string,
  intervalS: number,
  zone: string | undefined,
  expected: string | null,
];

const utcCases: Case[] = [
  ['AlignedDataInterval 0: no clock-aligned data', '2025-01-01T10:07:12Z', 0, undefined, null],
  ['negative interval: none either', '2025-01-01T10:07:12Z', -900, undefined, null],
  ['900 s: the next quarter hour', '2025-01-01T10:07:12Z', 900, undefined, '2025-01-01T10:15:00.000Z'],
  [
    'strictly after: on a grid point gives the next one',
    '2025-01-01T10:15:00Z',
    900,
    undefined,
    '2025-01-01T10:30:00.000Z',
  ],
  [
    'a millisecond before a grid point',
    '2025-01-01T10:14:59.999Z',
    900,
    undefined,
    '2025-01-01T10:15:00.000Z',
  ],
  [
    'the last interval of the day ends at midnight',
    '2025-01-01T23:50:00Z',
    900,
    undefined,
    '2025-01-02T00:00:00.000Z',
  ],
  [
    'an offset in the input is only notation',
    '2025-01-01T11:07:12+01:00',
    900,
    undefined,
    '2025-01-01T10:15:00.000Z',
  ],
  [
    '7000 s does not divide the day: the grid restarts at midnight',
    '2025-01-01T23:00:00Z',
    7000,
    undefined,
    '2025-01-01T23:20:00.000Z',
  ],
  [
    '... and the short last interval ends at midnight',
    '2025-01-01T23:20:00Z',
    7000,
    undefined,
    '2025-01-02T00:00:00.000Z',
  ],
  ['86400 s: UTC midnight', '2025-01-01T00:00:00Z', 86_400, undefined, '2025-01-02T00:00:00.000Z'],
  [
    'longer than a day: still every midnight',
    '2025-01-01T12:00:00Z',
    172_800,
    undefined,
    '2025-01-02T00:00:00.000Z',
  ],
  ['1 s grid', '2025-01-01T12:00:00.250Z', 1, undefined, '2025-01-01T12:00:01.000Z'],
  ['leap day', '2024-02-28T23:59:00Z', 3600, undefined, '2024-02-29T00:00:00.000Z'],
  ['explicit UTC zone is the default grid', '2025-01-01T10:07:12Z', 900, 'UTC', '2025-01-01T10:15:00.000Z'],
];

const zoneCases: Case[] = [
  [
    'local midnight, winter (+01:00)',
    '2025-01-01T20:00:00Z',
    86_400,
    'Europe/Amsterdam',
    '2025-01-01T23:00:00.000Z',
  ],
  [
    'local midnight, summer (+02:00)',
    '2025-07-01T20:00:00Z',
    86_400,
    'Europe/Amsterdam',
    '2025-07-01T22:00:00.000Z',
  ],
  [
    'a half-hour offset moves an hourly grid',
    '2024-01-01T00:10:00Z',
    3600,
    'Asia/Kolkata',
    '2024-01-01T00:30:00.000Z',
  ],
  [
    'a quarter-hour grid is the same as in UTC at +05:45',
    '2024-01-01T00:10:00Z',
    900,
    'Asia/Kathmandu',
    '2024-01-01T00:15:00.000Z',
  ],
  ['7200 s, local even hours', '2025-01-01T10:30:00Z', 7200, 'Asia/Kolkata', '2025-01-01T12:30:00.000Z'],
  // Europe/Amsterdam 2024-03-31: 02:00 CET becomes 03:00 CEST at 01:00Z.
  [
    'spring forward, 7200 s: 02:00 is jumped over, taken at the jump (03:00 CEST)',
    '2024-03-30T23:00:00Z',
    7200,
    'Europe/Amsterdam',
    '2024-03-31T01:00:00.000Z',
  ],
  [
    'spring forward, 7200 s: then 04:00 CEST',
    '2024-03-31T01:00:00Z',
    7200,
    'Europe/Amsterdam',
    '2024-03-31T02:00:00.000Z',
  ],
  [
    'spring forward, 900 s: 01:45 CET, then 03:00 CEST',
    '2024-03-31T00:45:00Z',
    900,
    'Europe/Amsterdam',
    '2024-03-31T01:00:00.000Z',
  ],
  [
    'spring forward, 86400 s: the next midnight is 23 h later',
    '2024-03-30T23:00:00Z',
    86_400,
    'Europe/Amsterdam',
    '2024-03-31T22:00:00.000Z',
  ],
  // Europe/Amsterdam 2024-10-27: 03:00 CEST becomes 02:00 CET at 01:00Z.
  [
    'fall back, 900 s: 02:45 CEST, then 02:00 CET (03:00 CEST is never shown)',
    '2024-10-27T00:45:00Z',
    900,
    'Europe/Amsterdam',
    '2024-10-27T01:00:00.000Z',
  ],
  [
    'fall back, 900 s: the repeated hour is sampled again',
    '2024-10-27T01:00:00Z',
    900,
    'Europe/Amsterdam',
    '2024-10-27T01:15:00.000Z',
  ],
  [
    'fall back, 7200 s: 02:00 CEST',
    '2024-10-26T23:00:00Z',
    7200,
    'Europe/Amsterdam',
    '2024-10-27T00:00:00.000Z',
  ],
  [
    'fall back, 7200 s: 02:00 CET, the clock shows it again',
    '2024-10-27T00:00:00Z',
    7200,
    'Europe/Amsterdam',
    '2024-10-27T01:00:00.000Z',
  ],
  [
    'fall back, 7200 s: then 04:00 CET, even hours kept',
    '2024-10-27T01:00:00Z',
    7200,
    'Europe/Amsterdam',
    '2024-10-27T03:00:00.000Z',
  ],
  [
    'fall back, 86400 s: one reading, at midnight, 25 h later',
    '2024-10-26T22:00:00Z',
    86_400,
    'Europe/Amsterdam',
    '2024-10-27T23:00:00.000Z',
  ],
  [
    'America/New_York spring forward (02:00 EST -> 03:00 EDT at 07:00Z)',
    '2024-03-10T06:30:00Z',
    3600,
    'America/New_York',
    '2024-03-10T07:00:00.000Z',
  ],
  [
    'America/New_York fall back (02:00 EDT -> 01:00 EST at 06:00Z): 01:00 EST',
    '2024-11-03T05:30:00Z',
    3600,
    'America/New_York',
    '2024-11-03T06:00:00.000Z',
  ],
  // America/Havana 2024-03-10: DST starts at 00:00 (-05:00 -> -04:00), local midnight never shows.
  [
    'a skipped midnight: the day starts at the jump',
    '2024-03-09T12:00:00Z',
    86_400,
    'America/Havana',
    '2024-03-10T05:00:00.000Z',
  ],
  // America/Santiago 2024-04-07: 00:00 -03:00 falls back to 23:00 -04:00 of the day before, at 03:00Z.
  [
    'DST ends across midnight: 23:00 of the day before is shown again',
    '2024-04-07T02:30:00Z',
    1800,
    'America/Santiago',
    '2024-04-07T03:00:00.000Z',
  ],
  [
    'DST ends across midnight: midnight is taken when the clock reaches it',
    '2024-04-06T12:00:00Z',
    86_400,
    'America/Santiago',
    '2024-04-07T04:00:00.000Z',
  ],
  // Pacific/Apia skipped 2011-12-30 entirely (-10:00 -> +14:00 at 10:00Z).
  [
    'a skipped day: both midnights crossed at the jump',
    '2011-12-29T12:00:00Z',
    86_400,
    'Pacific/Apia',
    '2011-12-30T10:00:00.000Z',
  ],
];

for (const [title, after, intervalS, zone, expected] of [...utcCases, ...zoneCases]) {
  test(`AlignedDataInterval (${zone ?? 'UTC'}): ${title}`, () => {
    assert.equal(nextClockAlignedTime(after, intervalS, zone === undefined ? {} : { zone }), expected);
  });
}

/** Every grid instant in [from, to), by repeated calls. */
function gridBetween(from: string, to: string, intervalS: number, zone: string): string[] {
  const points: string[] = [];
  let cursor = new Date(Date.parse(from) - 1).toISOString();
  for (;;) {
    const next = nextClockAlignedTime(cursor, intervalS, { zone });
    assert.ok(next);
    if (Date.parse(next) >= Date.parse(to)) return points;
    points.push(next);
    cursor = next;
  }
}

const dayCounts: [title: string, from: string, to: string, intervalS: number, zone: string, count: number][] =
  [
    ['an ordinary day has 96 quarter hours', '2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z', 900, 'UTC', 96],
    [
      'the 23 h day of spring forward has 92',
      '2024-03-30T23:00:00Z',
      '2024-03-31T22:00:00Z',
      900,
      'Europe/Amsterdam',
      92,
    ],
    [
      'the 25 h day of fall back has 100',
      '2024-10-26T22:00:00Z',
      '2024-10-27T23:00:00Z',
      900,
      'Europe/Amsterdam',
      100,
    ],
    [
      'hourly on the 25 h day: 25',
      '2024-10-26T22:00:00Z',
      '2024-10-27T23:00:00Z',
      3600,
      'Europe/Amsterdam',
      25,
    ],
    [
      '7200 s on the 23 h day: 00, 03 (the jump), 04, ..., 22: 12',
      '2024-03-30T23:00:00Z',
      '2024-03-31T22:00:00Z',
      7200,
      'Europe/Amsterdam',
      12,
    ],
  ];
for (const [title, from, to, intervalS, zone, count] of dayCounts) {
  test(`AlignedDataInterval: ${title}, evenly 15 min apart where the interval is 900 s`, () => {
    const points = gridBetween(from, to, intervalS, zone);
    assert.equal(points.length, count);
    assert.equal(points[0], new Date(from).toISOString());
    if (intervalS === 900) {
      const gaps = points.slice(1).map((p, i) => Date.parse(p) - Date.parse(points[i]!));
      assert.ok(
        gaps.every((gap) => gap === 900_000),
        'a reading every 15 minutes, also through the DST change',
      );
    }
  });
}

test('AlignedDataInterval: with a whole-hour zone, a 900 s local grid is the UTC grid (DST days included)', () => {
  for (const day of ['2024-03-31', '2024-10-27', '2024-06-15']) {
    const local = gridBetween(`${day}T00:00:00Z`, `${day}T23:59:00Z`, 900, 'Europe/Amsterdam');
    const utc = gridBetween(`${day}T00:00:00Z`, `${day}T23:59:00Z`, 900, 'UTC');
    assert.deepEqual(local, utc, day);
  }
});

const invalid: [string, () => unknown, RegExp][] = [
  ['a time without offset', () => nextClockAlignedTime('2025-01-01T10:00:00', 900), /^afterIso:/],
  ['a non-IANA zone', () => nextClockAlignedTime('2025-01-01T10:00:00Z', 900, { zone: 'CET+1' }), /^zone:/],
  ['a fractional interval', () => nextClockAlignedTime('2025-01-01T10:00:00Z', 900.5), /whole seconds/],
  ['a NaN interval', () => nextClockAlignedTime('2025-01-01T10:00:00Z', Number.NaN), /not a finite number/],
];
for (const [title, call, message] of invalid) {
  test(`nextClockAlignedTime rejects ${title} with a RangeError`, () => {
    assert.throws(call, (error: unknown) => error instanceof RangeError && message.test(error.message));
  });
}
