// Caps added for the station runtime: external limits of several sources at once (SC.01) and the
// EV's own charging schedule (K15.FR.14, SC.04).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompositeScheduleType } from '../../src/generated/ocpp-types.js';
import {
  compositeScheduleDetails,
  type CompositeScheduleInput,
  type EvChargingSchedule,
} from '../../src/smart-charging/index.js';
import { assertSchemaValid, at, installed, periods, profile, schedule, state, T0 } from './fixtures.js';

function input(extra: Partial<CompositeScheduleInput>): CompositeScheduleInput {
  return { ...state(), evseId: 1, startTime: T0, duration: 600, chargingRateUnit: 'A', ...extra };
}

function limits(schedule: CompositeScheduleType): [number, number][] {
  assertSchemaValid('GetCompositeScheduleResponse', { status: 'Accepted', schedule });
  return schedule.chargingSchedulePeriod.map((p) => [p.startPeriod, p.limit]);
}

const external = (
  id: number,
  evseId: number,
  source: 'EMS' | 'SO' | 'Other',
  stackLevel: number,
  pairs: [number, number][],
) =>
  installed(
    evseId,
    profile(
      { id, stackLevel, chargingProfilePurpose: 'ChargingStationExternalConstraints' },
      {
        chargingSchedulePeriod: periods(...pairs),
      },
    ),
    { chargingLimitSource: source },
  );

test('SC.01: external limits of two sources on one EVSE both cap, whatever their stack levels', () => {
  // EMS (stackLevel 0) allows 10 A then 20 A; SO (stackLevel 1) allows 14 A throughout.
  const profiles = [
    external(-1, 1, 'EMS', 0, [
      [0, 10],
      [300, 20],
    ]),
    external(-2, 1, 'SO', 1, [[0, 14]]),
  ];
  const { schedule: result, periods: details } = compositeScheduleDetails(input({ profiles }));
  assert.deepEqual(limits(result), [
    [0, 10],
    [300, 14],
  ]);
  assert.deepEqual(
    details.map((d) => d.profileId),
    [-1, -2],
  );
});

test('K01.FR.17: within one external source the higher stackLevel still overrules', () => {
  const profiles = [external(-1, 1, 'EMS', 0, [[0, 10]]), external(-2, 1, 'EMS', 1, [[0, 14]])];
  assert.deepEqual(limits(compositeScheduleDetails(input({ profiles })).schedule), [[0, 14]]);
});

test('SC.01: station-wide external limits of two sources cap EVSE 0 and each EVSE', () => {
  const profiles = [
    external(-1, 0, 'EMS', 0, [[0, 40]]),
    external(-2, 0, 'SO', 1, [
      [0, 50],
      [60, 12],
    ]),
  ];
  assert.deepEqual(limits(compositeScheduleDetails(input({ profiles, evseId: 0 })).schedule), [
    [0, 40],
    [60, 12],
  ]);
  assert.deepEqual(limits(compositeScheduleDetails(input({ profiles, evseId: 2 })).schedule), [
    [0, 32],
    [60, 12],
  ]);
});

const ev = (pairs: [number, number][], extra: Partial<EvChargingSchedule> = {}): EvChargingSchedule => ({
  evseId: 1,
  timeBase: at(60),
  chargingSchedule: schedule({ id: 7, chargingSchedulePeriod: periods(...pairs), duration: 240 }),
  ...extra,
});

test('K15.FR.14 / SC.04: the EV charging schedule caps its EVSE from timeBase for its duration', () => {
  const profiles = [installed(1, profile({ id: 1 }, { chargingSchedulePeriod: periods([0, 16]) }))];
  const { schedule: result, periods: details } = compositeScheduleDetails(
    input({
      profiles,
      evChargingSchedules: [
        ev([
          [0, 20],
          [120, 6],
        ]),
      ],
    }),
  );
  // 0-60 TxDefault 16; 60-180 the EV asks 20 (TxDefault 16 wins); 180-300 EV 6; after 300 TxDefault.
  assert.deepEqual(limits(result), [
    [0, 16],
    [180, 6],
    [300, 16],
  ]);
  assert.equal(details.find((d) => d.startPeriod === 180)?.source, 'EVChargingSchedule');
});

test('SC.04: the EVSE 0 total counts the EV schedule; other EVSEs are not affected', () => {
  const evChargingSchedules = [ev([[0, 6]], { timeBase: T0 })];
  assert.deepEqual(limits(compositeScheduleDetails(input({ evChargingSchedules, evseId: 0 })).schedule), [
    [0, 38],
    [240, 64],
  ]);
  assert.deepEqual(limits(compositeScheduleDetails(input({ evChargingSchedules, evseId: 2 })).schedule), [
    [0, 32],
  ]);
});

test('an EV schedule in W is converted with the EVSE phases', () => {
  const evChargingSchedules = [
    ev([[0, 6900]], {
      timeBase: T0,
      chargingSchedule: schedule({
        id: 7,
        chargingRateUnit: 'W',
        chargingSchedulePeriod: periods([0, 6900]),
      }),
    }),
  ];
  // 6900 W / (230 V × 3) = 10 A.
  assert.deepEqual(limits(compositeScheduleDetails(input({ evChargingSchedules })).schedule), [[0, 10]]);
});
