import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evScheduleExcess } from '../../src/smart-charging/ev-schedule-check.js';
import type { EvChargingSchedule } from '../../src/smart-charging/index.js';
import { at, installed, periods, profile, schedule, state, T0 } from './fixtures.js';

// EVSE 1: 16 A for the first 600 s, then 8 A (TxDefaultProfile); local limit 32 A.
const offered = state({
  profiles: [installed(1, profile({ id: 1 }, { chargingSchedulePeriod: periods([0, 16], [600, 8]) }))],
});

const ev = (pairs: [number, number][], extra: Partial<EvChargingSchedule> = {}): EvChargingSchedule => ({
  evseId: 1,
  timeBase: T0,
  chargingSchedule: schedule({ chargingSchedulePeriod: periods(...pairs) }),
  ...extra,
});

test('K15.FR.09: a schedule within the composite passes', () => {
  assert.equal(
    evScheduleExcess(
      offered,
      ev([
        [0, 16],
        [600, 8],
      ]),
      T0,
    ),
    undefined,
  );
  assert.equal(
    evScheduleExcess(
      offered,
      ev([
        [0, 10],
        [600, 5],
      ]),
      T0,
    ),
    undefined,
  );
});

test('K15.FR.09: the first excess is reported with the time and both limits', () => {
  assert.deepEqual(
    evScheduleExcess(
      offered,
      ev([
        [0, 16],
        [300, 12],
      ]),
      T0,
    ),
    { at: at(600), requested: 12, allowed: 8 },
  );
  assert.deepEqual(evScheduleExcess(offered, ev([[0, 20]]), T0), { at: T0, requested: 20, allowed: 16 });
});

test('what lies in the past or past the duration is not checked', () => {
  // Started 700 s ago: only the 8 A part of the offer is left, and the EV asks 8.
  assert.equal(
    evScheduleExcess(
      offered,
      ev([
        [0, 16],
        [600, 8],
      ]),
      at(700),
    ),
    undefined,
  );
  // An EV schedule of 600 s never meets the 8 A part.
  assert.equal(
    evScheduleExcess(
      offered,
      ev([[0, 16]], {
        chargingSchedule: schedule({ duration: 600, chargingSchedulePeriod: periods([0, 16]) }),
      }),
      T0,
    ),
    undefined,
  );
});

test('the check is done in the EV schedule unit; the rounding of the composite is tolerated', () => {
  // 16 A on 3 phases at 230 V = 11040 W.
  const watts = (limit: number) =>
    ev([[0, limit]], {
      chargingSchedule: schedule({
        chargingRateUnit: 'W',
        duration: 600,
        chargingSchedulePeriod: periods([0, limit]),
      }),
    });
  assert.equal(evScheduleExcess(offered, watts(11040), T0), undefined);
  assert.deepEqual(evScheduleExcess(offered, watts(11100), T0), { at: T0, requested: 11100, allowed: 11040 });
});

test('the EV schedule being replaced does not count against the new one', () => {
  const withOld = { ...offered, evChargingSchedules: [ev([[0, 6]])] };
  const replacement = ev([[0, 16]], {
    chargingSchedule: schedule({ duration: 600, chargingSchedulePeriod: periods([0, 16]) }),
  });
  assert.equal(evScheduleExcess(withOld, replacement, T0), undefined);
});
