// The composite-schedule examples of the spec: part 6 test cases TC_K_39/40/41 (errata 2025-09
// versions) and the worked examples of part 2 §3.6 and §3.6.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompositeScheduleType } from '../../src/generated/ocpp-types.js';
import { compositeSchedule, type CompositeScheduleInput } from '../../src/smart-charging/index.js';
import { assertSchemaValid, at, installed, periods, profile, state, T0 } from './fixtures.js';

function input(extra: Partial<CompositeScheduleInput>): CompositeScheduleInput {
  return { ...state(), evseId: 1, startTime: T0, duration: 3600, chargingRateUnit: 'A', ...extra };
}

/** [startPeriod, limit] pairs, and the schedule checked against the official response schema. */
function limits(schedule: CompositeScheduleType): [number, number][] {
  assertSchemaValid('GetCompositeScheduleResponse', { status: 'Accepted', schedule });
  return schedule.chargingSchedulePeriod.map((p) => [p.startPeriod, p.limit]);
}

const tx = { evseId: 1, transactionId: 'tx-1', startTime: T0 };

test('TC_K_39_CS: without profiles the station reports its local limit from startPeriod 0 (K08.FR.02/03/06)', () => {
  const schedule = compositeSchedule(input({ evseId: 0, duration: 300 }));
  assert.deepEqual(schedule, {
    evseId: 0,
    duration: 300,
    scheduleStart: T0,
    chargingRateUnit: 'A',
    // Two EVSEs of 32 A may together draw 64 A per phase.
    chargingSchedulePeriod: [{ startPeriod: 0, limit: 64, numberPhases: 3 }],
  });
  limits(schedule);
});

test('TC_K_40_CS: stacked TxDefaultProfiles, the higher stackLevel wins where it has a period (K01.FR.17)', () => {
  const x = 10; // seconds between startSchedule and the request
  const common = { validFrom: T0, validTo: at(401) };
  const profiles = [
    installed(
      1,
      profile(
        { id: 1, stackLevel: 0, ...common },
        { duration: 400, chargingSchedulePeriod: periods([0, 6], [100, 8], [200, 10]) },
      ),
    ),
    installed(
      1,
      profile(
        { id: 2, stackLevel: 1, ...common },
        { duration: 150, chargingSchedulePeriod: periods([0, 7], [100, 9]) },
      ),
    ),
  ];
  const schedule = compositeSchedule(input({ profiles, startTime: at(x), duration: 350 }));
  assert.deepEqual(limits(schedule), [
    [0, 7],
    [100 - x, 9],
    [150 - x, 8],
    [200 - x, 10],
  ]);
  assert.equal(schedule.scheduleStart, at(x));
  assert.equal(schedule.duration, 350);
});

function tcK41Profiles(): ReturnType<typeof installed>[] {
  return [
    installed(
      0,
      profile(
        { id: 1, chargingProfilePurpose: 'ChargingStationMaxProfile' },
        { duration: 86400, chargingSchedulePeriod: periods([0, 10]) },
      ),
    ),
    installed(
      1,
      profile(
        { id: 2, validFrom: T0, validTo: at(401) },
        { duration: 300, chargingSchedulePeriod: periods([0, 6], [60, 10], [120, 8], [180, 15], [260, 8]) },
      ),
    ),
    installed(
      1,
      profile(
        {
          id: 3,
          chargingProfilePurpose: 'TxProfile',
          transactionId: 'tx-1',
          validFrom: T0,
          validTo: at(401),
        },
        { duration: 260, chargingSchedulePeriod: periods([0, 8], [50, 11], [140, 16], [200, 6], [240, 12]) },
      ),
    ),
  ];
}

test('TC_K_41_CS: TxProfile over TxDefaultProfile, capped by ChargingStationMaxProfile, falling back when it ends (K08.FR.04, K02.FR.08)', () => {
  for (const x of [0, 7]) {
    const schedule = compositeSchedule(
      input({ profiles: tcK41Profiles(), transactions: [tx], startTime: at(x), duration: 400 }),
    );
    assert.deepEqual(limits(schedule), [
      [0, 8],
      [50 - x, 10],
      [200 - x, 6],
      [240 - x, 10],
      [260 - x, 8],
      [300 - x, 10],
    ]);
  }
});

test('TC_K_41_CS in W: the limits are multiplied by 230 V x 3 phases (K01.FR.50)', () => {
  const schedule = compositeSchedule(
    input({ profiles: tcK41Profiles(), transactions: [tx], duration: 400, chargingRateUnit: 'W' }),
  );
  assert.deepEqual(limits(schedule), [
    [0, 5520],
    [50, 6900],
    [200, 4140],
    [240, 6900],
    [260, 5520],
    [300, 6900],
  ]);
  assert.ok(schedule.chargingSchedulePeriod.every((p) => p.numberPhases === 3));
});

test('section 3.6 example: a daily recurring TxDefaultProfile in W, reported in W and in A', () => {
  const daily = profile(
    { id: 100, chargingProfileKind: 'Recurring', recurrencyKind: 'Daily' },
    {
      startSchedule: '2013-01-01T00:00Z',
      duration: 86400,
      chargingRateUnit: 'W',
      chargingSchedulePeriod: [
        { startPeriod: 0, limit: 11000, numberPhases: 3 },
        { startPeriod: 28800, limit: 6000, numberPhases: 3 },
        { startPeriod: 72000, limit: 11000, numberPhases: 3 },
      ],
    },
  );
  const base = input({ profiles: [installed(0, daily)], startTime: '2024-05-05T06:00:00Z', duration: 86400 });
  assert.deepEqual(limits(compositeSchedule({ ...base, chargingRateUnit: 'W' })), [
    [0, 11000],
    [7200, 6000],
    [50400, 11000],
  ]);
  // 11000 / (230 x 3) = 15.94 A and 6000 / 690 = 8.69 A, rounded down to one decimal.
  assert.deepEqual(limits(compositeSchedule(base)), [
    [0, 15.9],
    [7200, 8.6],
    [50400, 15.9],
  ]);
});

function stackedExample(): ReturnType<typeof installed>[] {
  // Section 3.6.1 (its stack #1 says duration 1080, an evident typo for 10800 = 17:00-20:00).
  const peak = profile(
    { id: 10, stackLevel: 1, chargingProfileKind: 'Recurring', recurrencyKind: 'Daily' },
    {
      startSchedule: '2020-01-09T17:00:00',
      duration: 10800,
      chargingRateUnit: 'W',
      chargingSchedulePeriod: periods([0, 2000]),
    },
  );
  const sundays = profile(
    { id: 11, stackLevel: 2, chargingProfileKind: 'Recurring', recurrencyKind: 'Weekly' },
    {
      startSchedule: '2020-01-05T00:00:00',
      duration: 86400,
      chargingRateUnit: 'W',
      chargingSchedulePeriod: periods([0, 999999]),
    },
  );
  const christmas = profile(
    { id: 12, stackLevel: 3, validFrom: '2020-01-01T00:00:00', validTo: '2021-01-01T00:00:00' },
    {
      startSchedule: '2020-12-25T00:00:00',
      duration: 86400,
      chargingRateUnit: 'W',
      chargingSchedulePeriod: periods([0, 999999]),
    },
  );
  return [installed(0, peak), installed(0, sundays), installed(0, christmas)];
}

test('section 3.6.1 example: peak limit on weekdays, lifted on Sundays and on Christmas Day 2020 only', () => {
  const day = (startTime: string) =>
    limits(
      compositeSchedule(
        input({ profiles: stackedExample(), startTime, duration: 6 * 3600, chargingRateUnit: 'W' }),
      ),
    );
  // Local limit 32 A x 230 V x 3 = 22080 W caps the "no limit" 999999.
  assert.deepEqual(day('2020-01-13T15:00:00Z'), [
    [0, 22080],
    [7200, 2000],
    [18000, 22080],
  ]); // Monday
  assert.deepEqual(day('2020-01-06T15:00:00Z'), [[0, 22080]]); // a Monday before startSchedule (K01.FR.30)
  assert.deepEqual(day('2020-01-12T15:00:00Z'), [[0, 22080]]); // Sunday
  assert.deepEqual(day('2020-12-25T15:00:00Z'), [[0, 22080]]); // Christmas 2020, a Friday
  assert.deepEqual(day('2021-12-24T15:00:00Z'), [
    [0, 22080],
    [7200, 2000],
    [18000, 22080],
  ]); // Friday 2021
});
