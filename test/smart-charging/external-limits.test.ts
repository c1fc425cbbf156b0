import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChargingScheduleType } from '../../src/generated/ocpp-types.js';
import {
  externalLimitProfile,
  externalLimitProfileId,
  notifyChargingLimitRequest,
  significantChange,
} from '../../src/smart-charging/external-limits.js';
import { validateChargingProfile } from '../../src/smart-charging/index.js';
import { assertSchemaValid, periods, state, T0 } from './fixtures.js';

test('K11.FR.06: external limit ids are negative and fixed per EVSE and source', () => {
  assert.deepEqual(
    [externalLimitProfileId(0, 'EMS'), externalLimitProfileId(0, 'SO'), externalLimitProfileId(0, 'Other')],
    [-1, -2, -3],
  );
  assert.equal(externalLimitProfileId(2, 'EMS'), -7);
  const ids = new Set(
    [0, 1, 2, 3].flatMap((evse) =>
      (['EMS', 'SO', 'Other'] as const).map((s) => externalLimitProfileId(evse, s)),
    ),
  );
  assert.equal(ids.size, 12);
});

test('a constant limit becomes an Absolute ChargingStationExternalConstraints profile from now', () => {
  const profile = externalLimitProfile(
    { evseId: 1, source: 'SO', limit: 10, unit: 'A', numberPhases: 3 },
    T0,
  );
  assert.deepEqual(profile, {
    id: -5,
    stackLevel: 1,
    chargingProfilePurpose: 'ChargingStationExternalConstraints',
    chargingProfileKind: 'Absolute',
    chargingSchedule: [
      {
        id: 1,
        startSchedule: T0,
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 10, numberPhases: 3 }],
      },
    ],
  });
  assertSchemaValid('SetChargingProfileRequest', { evseId: 1, chargingProfile: profile });
  // Accepted by the validator as an external system's profile.
  assert.equal(
    validateChargingProfile(profile, { ...state(), evseId: 1, origin: 'ExternalSystem', now: T0 }).status,
    'Accepted',
  );
});

test('a schedule keeps its startSchedule, or starts now', () => {
  const schedule: ChargingScheduleType = {
    id: 3,
    chargingRateUnit: 'W',
    chargingSchedulePeriod: periods([0, 5000], [60, 0]),
  };
  assert.equal(externalLimitProfile({ evseId: 0, schedule }, T0).chargingSchedule[0].startSchedule, T0);
  const later = '2030-01-01T00:00:00Z';
  assert.equal(
    externalLimitProfile({ evseId: 0, schedule: { ...schedule, startSchedule: later } }, T0)
      .chargingSchedule[0].startSchedule,
    later,
  );
});

test('malformed external limits are TypeErrors naming the field', () => {
  assert.throws(() => externalLimitProfile({ evseId: 0 }, T0), /either limit \(with unit\) or schedule/);
  assert.throws(
    () =>
      externalLimitProfile(
        {
          evseId: 0,
          limit: 1,
          unit: 'A',
          schedule: { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: periods([0, 1]) },
        },
        T0,
      ),
    /either limit/,
  );
  assert.throws(() => externalLimitProfile({ evseId: 0, limit: 1 }, T0), /externalLimit\.unit/);
  assert.throws(
    () => externalLimitProfile({ evseId: 1.5, limit: 1, unit: 'A' }, T0),
    /externalLimit\.evseId/,
  );
  assert.throws(
    () => externalLimitProfile({ evseId: 0, limit: 1, unit: 'A', source: 'CSO' as never }, T0),
    /externalLimit\.source: must be one of EMS, SO, Other/,
  );
});

const single = (limit: number, unit: 'A' | 'W' = 'A'): ChargingScheduleType => ({
  id: 1,
  chargingRateUnit: unit,
  chargingSchedulePeriod: periods([0, limit]),
});

test('SC.03: significance compares each period limit with what the CSMS was told', () => {
  assert.equal(significantChange(undefined, single(10), 50), true);
  assert.equal(significantChange(single(20), single(21), 10), false);
  assert.equal(significantChange(single(20), single(22), 10), false); // exactly 10 %: not more than
  assert.equal(significantChange(single(20), single(23), 10), true);
  assert.equal(significantChange(single(20), single(17), 10), true);
  assert.equal(significantChange(single(0), single(1), 99), true);
  assert.equal(significantChange(single(20), single(20, 'W'), 10), true);
  const two = { ...single(20), chargingSchedulePeriod: periods([0, 20], [60, 10]) };
  assert.equal(significantChange(single(20), two, 10), true);
  assert.equal(
    significantChange(two, { ...two, chargingSchedulePeriod: periods([0, 20], [30, 10]) }, 10),
    true,
  );
  assert.equal(
    significantChange(two, { ...two, chargingSchedulePeriod: periods([0, 20.5], [60, 10.5]) }, 10),
    false,
  );
});

test('K11.FR.02/03/05: NotifyChargingLimitRequest with the source, the EVSE and optionally the schedule', () => {
  const profile = externalLimitProfile({ evseId: 2, source: 'EMS', limit: 6, unit: 'A' }, T0);
  const withSchedule = notifyChargingLimitRequest(2, 'EMS', profile, {
    withSchedule: true,
    isGridCritical: false,
  });
  assertSchemaValid('NotifyChargingLimitRequest', withSchedule);
  assert.deepEqual(withSchedule, {
    chargingLimit: { chargingLimitSource: 'EMS', isGridCritical: false },
    evseId: 2,
    chargingSchedule: profile.chargingSchedule,
  });
  const station = notifyChargingLimitRequest(0, 'SO', profile, { withSchedule: false });
  assertSchemaValid('NotifyChargingLimitRequest', station);
  assert.deepEqual(station, { chargingLimit: { chargingLimitSource: 'SO' } });
});
