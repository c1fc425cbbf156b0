import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChargingProfileType, CompositeScheduleType } from '../../src/generated/ocpp-types.js';
import {
  compositeSchedule,
  compositeScheduleDetails,
  SmartChargingInputError,
  type CompositeScheduleInput,
} from '../../src/smart-charging/index.js';
import {
  acEvse,
  assertSchemaValid,
  at,
  installed,
  periods,
  profile,
  state,
  station,
  T0,
} from './fixtures.js';

function input(extra: Partial<CompositeScheduleInput>): CompositeScheduleInput {
  return { ...state(), evseId: 1, startTime: T0, duration: 3600, chargingRateUnit: 'A', ...extra };
}

/** [startPeriod, limit] pairs, and the schedule checked against the official response schema. */
function limits(schedule: CompositeScheduleType): [number, number][] {
  assertSchemaValid('GetCompositeScheduleResponse', { status: 'Accepted', schedule });
  return schedule.chargingSchedulePeriod.map((p) => [p.startPeriod, p.limit]);
}

const tx = { evseId: 1, transactionId: 'tx-1', startTime: T0 };

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

test('the details name the profile and purpose that set each limit', () => {
  const { periods: details } = compositeScheduleDetails(
    input({ profiles: tcK41Profiles(), transactions: [tx], duration: 400 }),
  );
  assert.deepEqual(
    details.map((d) => [d.startPeriod, d.source, d.profileId]),
    [
      [0, 'TxProfile', 3],
      [50, 'ChargingStationMaxProfile', 1],
      [200, 'TxProfile', 3],
      [240, 'ChargingStationMaxProfile', 1],
      [260, 'TxDefaultProfile', 2],
      [300, 'ChargingStationMaxProfile', 1],
    ],
  );
});

test('a TxProfile of another transaction, or on an EVSE without transaction, is ignored (K01.FR.04)', () => {
  const txp = (evseId: number, transactionId: string) =>
    installed(
      evseId,
      profile(
        { id: evseId, chargingProfilePurpose: 'TxProfile', transactionId },
        { chargingSchedulePeriod: periods([0, 6]) },
      ),
    );
  const schedule = compositeSchedule(
    input({ profiles: [txp(1, 'tx-old'), txp(2, 'tx-1')], transactions: [tx] }),
  );
  assert.deepEqual(limits(schedule), [[0, 32]]);
});

test('an EVSE-specific TxDefaultProfile and one on EVSE 0 stack by stackLevel (K01.FR.14/15)', () => {
  const stationWide = installed(
    0,
    profile({ id: 1, stackLevel: 1 }, { chargingSchedulePeriod: periods([0, 10]) }),
  );
  const own = installed(
    1,
    profile({ id: 2, stackLevel: 0 }, { duration: 600, chargingSchedulePeriod: periods([0, 20]) }),
  );
  assert.deepEqual(limits(compositeSchedule(input({ profiles: [stationWide, own] }))), [[0, 10]]);
  const ownHigher = installed(
    1,
    profile({ id: 2, stackLevel: 2 }, { duration: 600, chargingSchedulePeriod: periods([0, 20]) }),
  );
  assert.deepEqual(limits(compositeSchedule(input({ profiles: [stationWide, ownHigher] }))), [
    [0, 20],
    [600, 10],
  ]);
  // EVSE 2 has no profile of its own: the station-wide one applies to it too.
  assert.deepEqual(limits(compositeSchedule(input({ profiles: [stationWide, ownHigher], evseId: 2 }))), [
    [0, 10],
  ]);
});

test('validFrom and validTo bound the profile exactly: valid from validFrom, not at validTo (K01.FR.36/37)', () => {
  const p = installed(
    1,
    profile({ validFrom: at(100), validTo: at(200) }, { chargingSchedulePeriod: periods([0, 6]) }),
  );
  assert.deepEqual(limits(compositeSchedule(input({ profiles: [p], duration: 300 }))), [
    [0, 32],
    [100, 6],
    [200, 32],
  ]);
});

test('a schedule starting in the future applies from startSchedule only (K01.FR.30) and its periods past duration never run (K01.FR.11)', () => {
  const p = installed(
    1,
    profile(
      {},
      {
        startSchedule: at(120),
        duration: 90,
        chargingSchedulePeriod: periods([0, 6], [60, 8], [90, 4], [100, 2]),
      },
    ),
  );
  assert.deepEqual(limits(compositeSchedule(input({ profiles: [p], duration: 600 }))), [
    [0, 32],
    [120, 6],
    [180, 8],
    [210, 32],
  ]);
});

test('a Relative TxProfile runs from the transaction start, a Relative TxDefaultProfile without transaction from now (K08.FR.06)', () => {
  const relative = (id: number, purpose: ChargingProfileType['chargingProfilePurpose'], evseId: number) =>
    installed(
      evseId,
      profile(
        {
          id,
          chargingProfileKind: 'Relative',
          chargingProfilePurpose: purpose,
          ...(purpose === 'TxProfile' ? { transactionId: 'tx-1' } : {}),
        },
        { chargingSchedulePeriod: periods([0, 10], [600, 6]) },
      ),
    );
  const started300sAgo = { ...tx, startTime: at(-300) };
  const profiles = [relative(1, 'TxProfile', 1), relative(2, 'TxDefaultProfile', 2)];
  assert.deepEqual(limits(compositeSchedule(input({ profiles, transactions: [started300sAgo] }))), [
    [0, 10],
    [300, 6],
  ]);
  assert.deepEqual(
    limits(compositeSchedule(input({ profiles, transactions: [started300sAgo], evseId: 2 }))),
    [
      [0, 10],
      [600, 6],
    ],
  );
});

test('EVSE 0 reports the sum of its EVSEs, capped by ChargingStationMaxProfile and station external limits (K08.FR.03, K04.FR.05)', () => {
  const profiles = [
    installed(1, profile({ id: 1 }, { chargingSchedulePeriod: periods([0, 16]) })),
    installed(2, profile({ id: 2 }, { chargingSchedulePeriod: periods([0, 10], [600, 20]) })),
    installed(
      0,
      profile(
        { id: 3, chargingProfilePurpose: 'ChargingStationMaxProfile' },
        { chargingSchedulePeriod: periods([0, 40], [1200, 30]) },
      ),
    ),
    installed(
      0,
      profile(
        { id: 4, chargingProfilePurpose: 'ChargingStationExternalConstraints' },
        { startSchedule: at(1800), duration: 600, chargingSchedulePeriod: periods([0, 20]) },
      ),
      { chargingLimitSource: 'EMS' },
    ),
  ];
  const schedule = compositeSchedule(input({ profiles, evseId: 0 }));
  assert.deepEqual(limits(schedule), [
    [0, 26],
    [600, 36],
    [1200, 30],
    [1800, 20],
    [2400, 30],
  ]);
  const { periods: details } = compositeScheduleDetails(input({ profiles, evseId: 0 }));
  assert.deepEqual(
    details.map((d) => d.source),
    [
      'EvseSum',
      'EvseSum',
      'ChargingStationMaxProfile',
      'ChargingStationExternalConstraints',
      'ChargingStationMaxProfile',
    ],
  );
  // Each EVSE is capped by the station limits too: EVSE 2 may draw at most the 20 A of the external limit.
  assert.deepEqual(limits(compositeSchedule(input({ profiles, evseId: 2 }))), [
    [0, 10],
    [600, 20],
  ]);
});

test('EVSE 0 in W sums the power of 3-phase and 1-phase EVSEs, and the grid connection caps it', () => {
  const s = station({ evses: [acEvse(1), acEvse(2, { supplyPhases: 1 })], maxPower: 20_000 });
  const schedule = compositeSchedule(input({ station: s, evseId: 0, chargingRateUnit: 'W' }));
  // 32 A x 230 V x 3 + 32 A x 230 V x 1 = 29440 W, above the 20000 W of the grid connection.
  assert.deepEqual(limits(schedule), [[0, 20000]]);
  assert.equal(schedule.chargingSchedulePeriod[0].numberPhases, 3);
  assert.deepEqual(
    limits(
      compositeSchedule(input({ station: station({ evses: s.evses }), evseId: 0, chargingRateUnit: 'W' })),
    ),
    [[0, 29440]],
  );
});

test('numberPhases: the lowest of the applicable periods, a W limit converted at that number (errata §3.7, K01.FR.50)', () => {
  const s = station({ phases3to1Supported: true });
  const max = installed(
    0,
    profile(
      { id: 1, chargingProfilePurpose: 'ChargingStationMaxProfile' },
      { chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, numberPhases: 3 }] },
    ),
  );
  const onePhase = installed(
    1,
    profile(
      { id: 2 },
      {
        chargingRateUnit: 'W',
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 7360, numberPhases: 1 },
          { startPeriod: 600, limit: 3000, numberPhases: 1 },
        ],
      },
    ),
  );
  const amps = compositeSchedule(input({ station: s, profiles: [max, onePhase] }));
  // 7360 W on 1 phase would be 32 A; the 16 A per phase of the max profile wins. 3000 W / 230 V = 13.04 A.
  assert.deepEqual(amps.chargingSchedulePeriod, [
    { startPeriod: 0, limit: 16, numberPhases: 1 },
    { startPeriod: 600, limit: 13, numberPhases: 1 },
  ]);
  const watts = compositeSchedule(input({ station: s, profiles: [max, onePhase], chargingRateUnit: 'W' }));
  assert.deepEqual(watts.chargingSchedulePeriod, [
    { startPeriod: 0, limit: 3680, numberPhases: 1 },
    { startPeriod: 600, limit: 3000, numberPhases: 1 },
  ]);
});

test('phaseToUse is carried through when one phase is used (K01.FR.46)', () => {
  const s = station({ phases3to1Supported: true, evses: [acEvse(1, { phaseSwitchingSupported: true })] });
  const p = installed(
    1,
    profile(
      {},
      {
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 10, numberPhases: 1, phaseToUse: 2 },
          { startPeriod: 60, limit: 10, numberPhases: 3 },
        ],
      },
    ),
  );
  assert.deepEqual(
    compositeSchedule(input({ station: s, profiles: [p], duration: 120 })).chargingSchedulePeriod,
    [
      { startPeriod: 0, limit: 10, numberPhases: 1, phaseToUse: 2 },
      { startPeriod: 60, limit: 10, numberPhases: 3 },
    ],
  );
});

test('a DC EVSE reports no numberPhases and converts on its AC supply', () => {
  const s = station({ evses: [{ id: 1, currentType: 'DC', supplyPhases: 3, maxPower: 50_000 }] });
  const p = installed(1, profile({}, { chargingRateUnit: 'W', chargingSchedulePeriod: periods([0, 20700]) }));
  assert.deepEqual(compositeSchedule(input({ station: s, profiles: [p] })).chargingSchedulePeriod, [
    { startPeriod: 0, limit: 30 },
  ]);
  assert.deepEqual(compositeSchedule(input({ station: s, chargingRateUnit: 'W' })).chargingSchedulePeriod, [
    { startPeriod: 0, limit: 50000 },
  ]);
});

test('equal neighbouring periods are merged, also when rounding makes them equal', () => {
  const p = installed(
    1,
    profile(
      {},
      {
        chargingRateUnit: 'W',
        chargingSchedulePeriod: periods([0, 11000], [60, 11000], [120, 10990], [180, 6000]),
      },
    ),
  );
  // 11000 W and 10990 W are both 15.9 A.
  assert.deepEqual(limits(compositeSchedule(input({ profiles: [p], duration: 240 }))), [
    [0, 15.9],
    [180, 8.6],
  ]);
});

test('minChargingRate of the leading schedule is given in the details, in the requested unit (K01.FR.21)', () => {
  const p = installed(1, profile({}, { minChargingRate: 6, chargingSchedulePeriod: periods([0, 16]) }));
  const { periods: details } = compositeScheduleDetails(input({ profiles: [p], chargingRateUnit: 'W' }));
  assert.deepEqual(details, [
    {
      startPeriod: 0,
      limit: 11040,
      numberPhases: 3,
      minChargingRate: 4140,
      source: 'TxDefaultProfile',
      profileId: 1,
    },
  ]);
});

test('a zero-length schedule has the one period in force at its start; a fractional start is floored', () => {
  const schedule = compositeSchedule(input({ duration: 0, startTime: '2024-03-04T12:00:00.750Z' }));
  assert.deepEqual(schedule, {
    evseId: 1,
    duration: 0,
    scheduleStart: T0,
    chargingRateUnit: 'A',
    chargingSchedulePeriod: [{ startPeriod: 0, limit: 32, numberPhases: 3 }],
  });
});

test('a relative station-level external limit runs from when it was installed', () => {
  const external = profile(
    { id: 5, chargingProfilePurpose: 'ChargingStationExternalConstraints', chargingProfileKind: 'Relative' },
    { duration: 900, chargingSchedulePeriod: periods([0, 12]) },
  );
  assert.deepEqual(
    limits(compositeSchedule(input({ profiles: [installed(0, external, { installedAt: at(-600) })] }))),
    [
      [0, 12],
      [300, 32],
    ],
  );
  assert.deepEqual(limits(compositeSchedule(input({ profiles: [installed(0, external)] }))), [
    [0, 12],
    [900, 32],
  ]);
});

test('bad input is refused with an error naming the field', () => {
  const cases: [Partial<CompositeScheduleInput>, string][] = [
    [{ evseId: 7 }, 'evseId'],
    [{ duration: -1 }, 'duration'],
    [{ startTime: 'noon' }, 'startTime'],
    [{ station: station({ supplyVoltage: 0 }) }, 'station.supplyVoltage'],
    [{ station: station({ timeZone: 'Mars/Olympus' }) }, 'station.timeZone'],
    [
      { station: station({ evses: [{ id: 1, currentType: 'AC', supplyPhases: 3 }] }) },
      'station.evses[0].maxCurrent',
    ],
    [{ station: station({ evses: [acEvse(1), acEvse(1)] }) }, 'station.evses[1].id'],
    [{ transactions: [{ ...tx, startTime: 'later' }] }, 'transaction tx-1.startTime'],
    [{ profiles: [installed(1, profile({ validTo: 'never' }))] }, 'profile 1.validTo'],
  ];
  for (const [extra, field] of cases) {
    assert.throws(
      () => compositeSchedule(input(extra)),
      (error: unknown) => error instanceof SmartChargingInputError && error.field === field,
      field,
    );
  }
});
