import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerGetCompositeSchedule } from '../../src/smart-charging/index.js';
import { assertSchemaValid, installed, periods, profile, state, station, T0 } from './fixtures.js';

test('TC_K_47_CS: an unknown EVSE is Rejected with UnknownEvse (K08.FR.05)', () => {
  const response = answerGetCompositeSchedule(
    { evseId: 3, duration: 300, chargingRateUnit: 'A' },
    state(),
    T0,
  );
  assert.deepEqual(response, {
    status: 'Rejected',
    statusInfo: { reasonCode: 'UnknownEvse', additionalInfo: 'K08.FR.05: EVSE 3 does not exist' },
  });
  assertSchemaValid('GetCompositeScheduleResponse', response);
});

test('TC_K_42_CS: a chargingRateUnit the station does not support is Rejected (K08.FR.07)', () => {
  const response = answerGetCompositeSchedule(
    { evseId: 1, duration: 300, chargingRateUnit: 'W' },
    state({ station: station({ supportedRateUnits: ['A'] }) }),
    T0,
  );
  assert.equal(response.status, 'Rejected');
  assert.equal(response.statusInfo?.reasonCode, 'UnsupportedRateUnit');
  assert.equal(response.schedule, undefined);
  assertSchemaValid('GetCompositeScheduleResponse', response);
});

test('a negative duration is Rejected with InvalidValue', () => {
  const response = answerGetCompositeSchedule({ evseId: 1, duration: -5 }, state(), T0);
  assert.equal(response.statusInfo?.reasonCode, 'InvalidValue');
});

test('Accepted with the schedule from now for the duration; without chargingRateUnit the first supported one is used (K08.FR.02)', () => {
  const s = state({
    station: station({ supportedRateUnits: ['W', 'A'] }),
    profiles: [installed(1, profile({}, { chargingSchedulePeriod: periods([0, 10], [120, 6]) }))],
  });
  const response = answerGetCompositeSchedule({ evseId: 1, duration: 300 }, s, '2024-03-04T12:01:00Z');
  assert.deepEqual(response, {
    status: 'Accepted',
    schedule: {
      evseId: 1,
      duration: 300,
      scheduleStart: '2024-03-04T12:01:00Z',
      chargingRateUnit: 'W',
      chargingSchedulePeriod: [
        { startPeriod: 0, limit: 6900, numberPhases: 3 },
        { startPeriod: 60, limit: 4140, numberPhases: 3 },
      ],
    },
  });
  assertSchemaValid('GetCompositeScheduleResponse', response);
});
