import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChargingProfileType } from '../../src/generated/ocpp-types.js';
import {
  SmartChargingInputError,
  toSetChargingProfileResponse,
  validateChargingProfile,
  type ProfileValidationContext,
} from '../../src/smart-charging/index.js';
import {
  acEvse,
  assertSchemaValid,
  at,
  installed,
  periods,
  profile,
  schedule,
  station,
  T0,
} from './fixtures.js';
import { context, txProfile, withPeriods } from './validation-fixtures.js';

interface Acceptance {
  name: string;
  profile: ChargingProfileType;
  context?: Partial<ProfileValidationContext>;
  replaces?: number[];
}

const acceptances: Acceptance[] = [
  {
    name: 'K01.FR.15: a TxDefaultProfile on an EVSE (TC_K_01_CS)',
    profile: profile({}, { duration: 300, chargingSchedulePeriod: periods([0, 6]) }),
  },
  {
    name: 'K01.FR.14: a TxDefaultProfile on EVSE 0 (TC_K_10_CS)',
    profile: profile(),
    context: { evseId: 0 },
  },
  {
    name: 'K04.FR.03: a ChargingStationMaxProfile on EVSE 0 (TC_K_03_CS)',
    profile: profile({ chargingProfilePurpose: 'ChargingStationMaxProfile' }),
    context: { evseId: 0 },
  },
  { name: 'K01.FR.04: a TxProfile for the running transaction (TC_K_60_CS)', profile: txProfile() },
  {
    name: 'K01.FR.05: the same id replaces the installed profile (TC_K_04_CS)',
    profile: profile({ id: 5 }, { chargingSchedulePeriod: periods([0, 10]) }),
    context: { profiles: [installed(1, profile({ id: 5 })), installed(2, profile({ id: 6 }))] },
    replaces: [5],
  },
  {
    name: 'K01.FR.05: the same id moves a profile to another EVSE',
    profile: profile({ id: 5 }),
    context: { evseId: 2, profiles: [installed(1, profile({ id: 5 }))] },
    replaces: [5],
  },
  {
    name: 'K11: an external system replaces its own limit',
    profile: profile({ id: 7, chargingProfilePurpose: 'ChargingStationExternalConstraints' }),
    context: {
      origin: 'ExternalSystem',
      profiles: [
        installed(1, profile({ id: 7, chargingProfilePurpose: 'ChargingStationExternalConstraints' })),
      ],
    },
    replaces: [7],
  },
  {
    name: 'K01.FR.06: the same stackLevel with adjacent validity periods',
    profile: profile({ id: 2, validFrom: at(3600) }),
    context: { profiles: [installed(1, profile({ id: 1, validTo: at(3600) }))] },
  },
  {
    name: 'K01.FR.06: an expired profile does not block a new one valid from now',
    profile: profile({ id: 2 }),
    context: { profiles: [installed(1, profile({ id: 1, validTo: at(-60) }))] },
  },
  {
    name: 'K01.FR.06: the same stackLevel on another EVSE',
    profile: profile({ id: 2 }),
    context: { profiles: [installed(2, profile({ id: 1 }))] },
  },
  {
    name: 'K01.FR.06: does not apply to TxProfiles of other transactions',
    profile: txProfile({ id: 2 }),
    context: { profiles: [installed(2, txProfile({ id: 1, transactionId: 'tx-2' }))] },
  },
  {
    name: 'K01.FR.48: phaseToUse equal to the phase a 1-phase EVSE is wired to',
    profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 2 }]),
    context: { station: station({ evses: [acEvse(1, { supplyPhases: 1, connectedPhase: 2 })] }) },
  },
  {
    name: 'K01.FR.46: phaseToUse on an EVSE that switches phases',
    profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 2 }]),
    context: {
      station: station({ phases3to1Supported: true, evses: [acEvse(1, { phaseSwitchingSupported: true })] }),
    },
  },
  {
    name: 'K01.FR.43: numberPhases 1 on a 3-phase EVSE with Phases3to1',
    profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 1 }]),
    context: { station: station({ phases3to1Supported: true }) },
  },
  {
    name: 'K01.FR.44: numberPhases on EVSE 0 of a station with an AC EVSE and a DC EVSE',
    profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 3 }]),
    context: { evseId: 0 },
  },
  {
    name: 'K01.FR.34: three chargingSchedules for an ISO 15118 session with charging needs',
    profile: {
      ...txProfile(),
      chargingSchedule: [
        schedule({ startSchedule: T0 }),
        schedule({ id: 2, startSchedule: T0 }),
        schedule({ id: 3, startSchedule: T0 }),
      ],
    },
    context: {
      transactions: [
        { evseId: 1, transactionId: 'tx-1', startTime: T0, iso15118: { chargingNeedsSent: true } },
      ],
    },
  },
  {
    name: 'K05: a RequestStartTransaction TxProfile without transactionId on an idle EVSE',
    profile: profile({ chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative' }),
    context: { origin: 'RequestStartTransaction', evseId: 2 },
  },
  {
    name: 'K01.FR.19: phaseToUse in a profile agreeing with the ChargingStationMaxProfile',
    profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 3 }], {
      chargingProfilePurpose: 'TxProfile',
      transactionId: 'tx-1',
    }),
    context: {
      station: station({ phases3to1Supported: true, evses: [acEvse(1, { phaseSwitchingSupported: true })] }),
      profiles: [
        installed(
          0,
          withPeriods([{ startPeriod: 0, limit: 32, numberPhases: 1, phaseToUse: 3 }], {
            id: 9,
            chargingProfilePurpose: 'ChargingStationMaxProfile',
          }),
        ),
      ],
    },
  },
  {
    name: 'Entries(ChargingProfiles).maxLimit: a replacement does not need room',
    profile: profile({ id: 2, stackLevel: 1 }),
    context: {
      station: station({ maxInstalledProfiles: 2 }),
      profiles: [installed(1, profile({ id: 1 })), installed(1, profile({ id: 2, stackLevel: 1 }))],
    },
    replaces: [2],
  },
  {
    name: 'a Recurring Weekly profile with limit 8.1',
    profile: profile(
      { chargingProfileKind: 'Recurring', recurrencyKind: 'Weekly' },
      { chargingSchedulePeriod: periods([0, 8.1]) },
    ),
  },
];

for (const c of acceptances) {
  test(`accepts ${c.name}`, () => {
    const result = validateChargingProfile(c.profile, context(c.context));
    assert.deepEqual(result, { status: 'Accepted', replaces: c.replaces ?? [] });
    assertSchemaValid('SetChargingProfileResponse', toSetChargingProfileResponse(result));
  });
}

test('a rejection with a very long explanation is cut to the 512 characters of StatusInfoType', () => {
  const response = toSetChargingProfileResponse({
    status: 'Rejected',
    reasonCode: 'InvalidValue',
    requirement: 'K01.FR.28',
    additionalInfo: 'x'.repeat(1000),
  });
  assert.equal(response.statusInfo?.additionalInfo?.length, 512);
  assertSchemaValid('SetChargingProfileResponse', response);
});

test('an unreadable "now" is a host error naming the field, not a rejection', () => {
  assert.throws(
    () => validateChargingProfile(profile(), context({ now: 'now' })),
    (error: unknown) => error instanceof SmartChargingInputError && error.field === 'now',
  );
});
