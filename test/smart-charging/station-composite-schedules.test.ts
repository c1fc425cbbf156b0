import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compositeSchedule, stationCompositeSchedules } from '../../src/smart-charging/index.js';
import { installed, periods, profile, state, T0 } from './fixtures.js';

test('the station schedules are EVSE 0 then every EVSE, each equal to its own composite schedule', () => {
  const s = state({
    profiles: [
      installed(0, profile({ id: 1 }, { chargingSchedulePeriod: periods([0, 10]) })),
      installed(
        2,
        profile({ id: 2, stackLevel: 1 }, { duration: 600, chargingSchedulePeriod: periods([0, 20]) }),
      ),
    ],
  });
  const request = { startTime: T0, duration: 1200, chargingRateUnit: 'A' as const };
  const all = stationCompositeSchedules(s, request);
  assert.deepEqual(
    all.map((x) => x.schedule.evseId),
    [0, 1, 2],
  );
  for (const { schedule } of all)
    assert.deepEqual(schedule, compositeSchedule({ ...s, ...request, evseId: schedule.evseId }));
  assert.deepEqual(
    all[0]?.schedule.chargingSchedulePeriod.map((p) => [p.startPeriod, p.limit]),
    [
      [0, 30],
      [600, 20],
    ],
  );
  assert.deepEqual(
    all[2]?.periods.map((p) => [p.startPeriod, p.limit, p.source, p.profileId]),
    [
      [0, 20, 'TxDefaultProfile', 2],
      [600, 10, 'TxDefaultProfile', 1],
    ],
  );
});
