/** The evaluation rules of monitors (N07, N08), as tables of cases. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, nextReportAt, triggerOf } from '../../src/monitoring/monitor-rules.js';
import { delivery } from '../../src/monitoring/monitor-events.js';
import type { Monitor } from '../../src/monitoring/monitor-types.js';

type Case = [
  name: string,
  monitor: Pick<Monitor, 'type' | 'value' | 'exceeded' | 'reference'>,
  value: string | undefined,
  dataType: 'decimal' | 'integer' | 'boolean' | 'string',
  expected: ReturnType<typeof evaluate>,
];

const upper = (exceeded: boolean) => ({
  type: 'UpperThreshold' as const,
  value: 60,
  exceeded,
  reference: null,
});
const lower = (exceeded: boolean) => ({
  type: 'LowerThreshold' as const,
  value: 0,
  exceeded,
  reference: null,
});
const delta = (reference: string | null, value = 5) => ({
  type: 'Delta' as const,
  value,
  exceeded: false,
  reference,
});

const CASES: Case[] = [
  [
    'N07.FR.16 above the upper threshold alerts',
    upper(false),
    '60.5',
    'decimal',
    { exceeded: true, reference: null, firing: { trigger: 'Alerting', cleared: false } },
  ],
  [
    'N07.FR.16 on the threshold is not above it',
    upper(false),
    '60',
    'decimal',
    { exceeded: false, reference: null },
  ],
  ['still above: no second alert', upper(true), '75', 'decimal', { exceeded: true, reference: null }],
  [
    'N07.FR.02 back on the threshold clears',
    upper(true),
    '60',
    'decimal',
    { exceeded: false, reference: null, firing: { trigger: 'Alerting', cleared: true } },
  ],
  [
    'N07.FR.17 below the lower threshold alerts',
    lower(false),
    '-0.1',
    'decimal',
    { exceeded: true, reference: null, firing: { trigger: 'Alerting', cleared: false } },
  ],
  [
    'N07.FR.17 on the lower threshold is not below it',
    lower(false),
    '0',
    'integer',
    { exceeded: false, reference: null },
  ],
  [
    'N07.FR.02 above the lower threshold again clears',
    lower(true),
    '1',
    'integer',
    { exceeded: false, reference: null, firing: { trigger: 'Alerting', cleared: true } },
  ],
  [
    'a value that is not a number changes no threshold',
    upper(true),
    '',
    'decimal',
    { exceeded: true, reference: null },
  ],
  [
    'Delta without reference learns the value',
    delta(null),
    '20',
    'decimal',
    { exceeded: false, reference: '20' },
  ],
  [
    'N07.FR.18 within ± monitorValue: nothing',
    delta('20'),
    '25',
    'decimal',
    { exceeded: false, reference: '20' },
  ],
  [
    'N07.FR.18 more than + monitorValue fires, new reference',
    delta('20'),
    '25.5',
    'decimal',
    { exceeded: false, reference: '25.5', firing: { trigger: 'Delta' } },
  ],
  [
    'N07.FR.18 more than - monitorValue fires',
    delta('20'),
    '14',
    'integer',
    { exceeded: false, reference: '14', firing: { trigger: 'Delta' } },
  ],
  [
    'N07.FR.19 any change of a boolean fires',
    delta('false', 1),
    'true',
    'boolean',
    { exceeded: false, reference: 'true', firing: { trigger: 'Delta' } },
  ],
  [
    'N07.FR.19 the same string does not fire',
    delta('abc', 1),
    'abc',
    'string',
    { exceeded: false, reference: 'abc' },
  ],
  [
    'Periodic never fires on a change',
    { type: 'Periodic', value: 60, exceeded: false, reference: null },
    '99',
    'decimal',
    { exceeded: false, reference: null },
  ],
];

for (const [name, monitor, value, dataType, expected] of CASES) {
  test(`evaluate: ${name}`, () => {
    assert.deepEqual(evaluate(monitor, value, dataType), expected);
  });
}

test('triggerOf: Alerting for thresholds, Delta, Periodic (N08.FR.05)', () => {
  assert.deepEqual(
    (['UpperThreshold', 'LowerThreshold', 'Delta', 'Periodic', 'PeriodicClockAligned'] as const).map(
      triggerOf,
    ),
    ['Alerting', 'Alerting', 'Delta', 'Periodic', 'Periodic'],
  );
});

test('nextReportAt: N08.FR.06 from the last report, N08.FR.07 on the clock-aligned grid', () => {
  const cases: Array<[Pick<Monitor, 'type' | 'value'>, string, string | undefined, string | null]> = [
    [{ type: 'Periodic', value: 60 }, '2026-01-01T10:00:05.000Z', undefined, '2026-01-01T10:01:05.000Z'],
    [
      { type: 'PeriodicClockAligned', value: 900 },
      '2026-01-01T10:00:05.000Z',
      undefined,
      '2026-01-01T10:15:00.000Z',
    ],
    [
      { type: 'PeriodicClockAligned', value: 900 },
      '2026-01-01T10:15:00.000Z',
      undefined,
      '2026-01-01T10:30:00.000Z',
    ],
    [
      { type: 'PeriodicClockAligned', value: 86400 },
      '2026-01-01T20:00:00.000Z',
      'Europe/Amsterdam',
      '2026-01-01T23:00:00.000Z',
    ],
    [{ type: 'Delta', value: 5 }, '2026-01-01T10:00:00.000Z', undefined, null],
  ];
  for (const [monitor, from, zone, expected] of cases)
    assert.equal(nextReportAt(monitor, from, zone), expected);
});

test('delivery: N05.FR.03 level, N07.FR.04 offline queuing by severity', () => {
  const base = { enabled: true, level: 5, offlineQueuingSeverity: 3, online: true };
  const cases: Array<[number, Partial<typeof base>, ReturnType<typeof delivery>]> = [
    [2, {}, 'queued'],
    [3, {}, 'queued'],
    [4, {}, 'sent'],
    [6, {}, 'filtered'],
    [4, { online: false }, 'dropped'],
    [3, { online: false }, 'queued'],
    [0, { enabled: false }, 'disabled'],
  ];
  for (const [severity, settings, expected] of cases) {
    assert.equal(
      delivery(severity, { ...base, ...settings }),
      expected,
      `severity ${severity} ${JSON.stringify(settings)}`,
    );
  }
});
