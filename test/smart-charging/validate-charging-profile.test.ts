import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChargingProfileType, ChargingSchedulePeriodType } from '../../src/generated/ocpp-types.js';
import {
  toSetChargingProfileResponse,
  validateChargingProfile,
  type ProfileValidationContext,
} from '../../src/smart-charging/index.js';
import { acEvse, assertSchemaValid, at, installed, periods, profile, schedule, station, T0 } from './fixtures.js';

/** EVSE 1: AC 3-phase with a transaction; EVSE 2: AC 3-phase idle; EVSE 3: DC. */
function context(extra: Partial<ProfileValidationContext> = {}): ProfileValidationContext {
  return {
    station: station({
      evses: [acEvse(1), acEvse(2), { id: 3, currentType: 'DC', supplyPhases: 3, maxPower: 50_000 }],
    }),
    profiles: [],
    transactions: [{ evseId: 1, transactionId: 'tx-1', startTime: T0 }],
    evseId: 1,
    origin: 'SetChargingProfile',
    now: T0,
    ...extra,
  };
}

function txProfile(extra: Partial<ChargingProfileType> = {}): ChargingProfileType {
  return profile({ chargingProfilePurpose: 'TxProfile', transactionId: 'tx-1', ...extra });
}

function withPeriods(list: ChargingSchedulePeriodType[], extra: Partial<ChargingProfileType> = {}): ChargingProfileType {
  const p = profile(extra);
  p.chargingSchedule[0].chargingSchedulePeriod = list as [ChargingSchedulePeriodType, ...ChargingSchedulePeriodType[]];
  return p;
}

interface Case {
  name: string;
  profile: ChargingProfileType;
  context?: Partial<ProfileValidationContext>;
  reasonCode: string;
  requirement: string;
}

const rejections: Case[] = [
  { name: 'the first startPeriod is not 0', profile: profile({}, { chargingSchedulePeriod: periods([10, 16]) }), reasonCode: 'InvalidSchedule', requirement: 'K01.FR.31' },
  { name: 'a schedule without periods', profile: withPeriods([]), reasonCode: 'InvalidSchedule', requirement: 'ChargingScheduleType.chargingSchedulePeriod' },
  { name: 'a chargingRateUnit the station does not support', profile: profile({}, { chargingRateUnit: 'W' }), context: { station: station({ supportedRateUnits: ['A'] }) }, reasonCode: 'UnsupportedRateUnit', requirement: 'K01.FR.26' },
  { name: 'phaseToUse with numberPhases 3', profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 3, phaseToUse: 1 }]), reasonCode: 'InvalidSchedule', requirement: 'K01.FR.19' },
  { name: 'phaseToUse without numberPhases (3 is assumed, K01.FR.49)', profile: withPeriods([{ startPeriod: 0, limit: 16, phaseToUse: 1 }]), reasonCode: 'InvalidSchedule', requirement: 'K01.FR.19' },
  { name: 'phaseToUse on an EVSE that cannot switch phases', profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 2 }]), context: { station: station({ phases3to1Supported: true }) }, reasonCode: 'InvalidSchedule', requirement: 'K01.FR.48' },
  { name: 'phaseToUse on EVSE 0 when one EVSE cannot switch', profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 2 }]), context: { evseId: 0, station: station({ phases3to1Supported: true, evses: [acEvse(1, { phaseSwitchingSupported: true }), acEvse(2)] }) }, reasonCode: 'InvalidSchedule', requirement: 'K01.FR.48' },
  { name: 'periods out of order', profile: profile({}, { chargingSchedulePeriod: periods([0, 10], [100, 8], [50, 6]) }), reasonCode: 'InvalidSchedule', requirement: 'K01.FR.35' },
  { name: 'two periods with the same startPeriod', profile: profile({}, { chargingSchedulePeriod: periods([0, 10], [60, 8], [60, 6]) }), reasonCode: 'InvalidSchedule', requirement: 'K01.FR.35' },
  { name: 'a Relative ChargingStationMaxProfile', profile: profile({ chargingProfilePurpose: 'ChargingStationMaxProfile', chargingProfileKind: 'Relative' }), context: { evseId: 0 }, reasonCode: 'InvalidProfile', requirement: 'K01.FR.38' },
  { name: 'a ChargingStationMaxProfile on EVSE 1', profile: profile({ chargingProfilePurpose: 'ChargingStationMaxProfile' }), reasonCode: 'InvalidValue', requirement: 'K04.FR.03' },
  { name: 'an Absolute profile without startSchedule', profile: profile({}, { startSchedule: undefined as unknown as string }), reasonCode: 'InvalidSchedule', requirement: 'K01.FR.40' },
  { name: 'a Recurring profile without startSchedule', profile: { ...profile({ chargingProfileKind: 'Relative', recurrencyKind: 'Daily' }), chargingProfileKind: 'Recurring' }, reasonCode: 'InvalidSchedule', requirement: 'K01.FR.40' },
  { name: 'a Relative profile with startSchedule', profile: { ...profile(), chargingProfileKind: 'Relative' }, reasonCode: 'InvalidSchedule', requirement: 'K01.FR.41' },
  { name: 'an EVSE that does not exist', profile: profile(), context: { evseId: 9 }, reasonCode: 'UnknownEvse', requirement: 'K01.FR.28' },
  { name: 'the id of an installed ChargingStationExternalConstraints profile', profile: profile({ id: 7 }), context: { profiles: [installed(1, profile({ id: 7, chargingProfilePurpose: 'ChargingStationExternalConstraints' }), { chargingLimitSource: 'EMS' })] }, reasonCode: 'DuplicateProfile', requirement: 'K01.FR.05' },
  { name: 'an external limit reusing the id of a CSMS profile', profile: profile({ id: 7, chargingProfilePurpose: 'ChargingStationExternalConstraints' }), context: { origin: 'ExternalSystem', profiles: [installed(1, profile({ id: 7 }))] }, reasonCode: 'DuplicateProfile', requirement: 'K01.FR.05' },
  { name: 'the CSMS setting ChargingStationExternalConstraints', profile: profile({ chargingProfilePurpose: 'ChargingStationExternalConstraints' }), reasonCode: 'InvalidValue', requirement: 'K01.FR.22' },
  { name: 'a TxProfile without transactionId', profile: profile({ chargingProfilePurpose: 'TxProfile' }), reasonCode: 'MissingParam', requirement: 'K01.FR.03' },
  { name: 'a TxProfile for an EVSE without transaction (TC_K_02_CS)', profile: txProfile({ transactionId: 'UNKNOWN-TRANSACTION-ID' }), context: { evseId: 2 }, reasonCode: 'TxNotFound', requirement: 'K01.FR.09' },
  { name: 'a TxProfile with an unknown transactionId (TC_K_16_CS)', profile: txProfile({ transactionId: 'tx-unknown' }), reasonCode: 'TxNotFound', requirement: 'K01.FR.33' },
  { name: 'a TxProfile naming the transaction of another EVSE', profile: txProfile({ transactionId: 'tx-2' }), context: { transactions: [{ evseId: 1, transactionId: 'tx-1', startTime: T0 }, { evseId: 2, transactionId: 'tx-2', startTime: T0 }] }, reasonCode: 'TxNotFound', requirement: 'K01.FR.33' },
  { name: 'a TxProfile on EVSE 0 (TC_K_11_CS)', profile: txProfile(), context: { evseId: 0 }, reasonCode: 'InvalidValue', requirement: 'K01.FR.16' },
  { name: 'a second TxProfile with the same stackLevel for the transaction', profile: txProfile({ id: 2 }), context: { profiles: [installed(1, txProfile({ id: 1 }))] }, reasonCode: 'DuplicateProfile', requirement: 'K01.FR.39' },
  { name: 'same stackLevel, purpose and EVSE with overlapping validity', profile: profile({ id: 2, validFrom: at(3600) }), context: { profiles: [installed(1, profile({ id: 1, validTo: at(7200) }))] }, reasonCode: 'DuplicateProfile', requirement: 'K01.FR.06' },
  { name: 'a TxDefaultProfile on EVSE 0 with the stackLevel of one on an EVSE', profile: profile({ id: 2 }), context: { evseId: 0, profiles: [installed(2, profile({ id: 1 }))] }, reasonCode: 'DuplicateProfile', requirement: 'K01.FR.52' },
  { name: 'a TxDefaultProfile on an EVSE with the stackLevel of one on EVSE 0', profile: profile({ id: 2 }), context: { profiles: [installed(0, profile({ id: 1, validTo: at(-10) }))] }, reasonCode: 'DuplicateProfile', requirement: 'K01.FR.53' },
  { name: 'numberPhases above the phases of the EVSE', profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 3 }]), context: { station: station({ evses: [acEvse(1, { supplyPhases: 1 })] }) }, reasonCode: 'InvalidSchedule', requirement: 'K01.FR.45' },
  { name: 'numberPhases above the supply phases of the station (EVSE 0)', profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 3 }]), context: { evseId: 0, station: station({ supplyPhases: 1 }) }, reasonCode: 'InvalidSchedule', requirement: 'K01.FR.45' },
  { name: 'numberPhases 1 on a 3-phase EVSE that cannot switch 3 to 1', profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 1 }]), reasonCode: 'InvalidSchedule', requirement: 'K01.FR.43' },
  { name: 'numberPhases 2 on a 3-phase EVSE even with Phases3to1', profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 2 }]), context: { station: station({ phases3to1Supported: true }) }, reasonCode: 'InvalidSchedule', requirement: 'K01.FR.43' },
  { name: 'numberPhases on a DC EVSE', profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 3 }]), context: { evseId: 3 }, reasonCode: 'InvalidSchedule', requirement: 'K01.FR.44' },
  { name: 'numberPhases on EVSE 0 of a DC-only station', profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 3 }]), context: { evseId: 0, station: station({ evses: [{ id: 1, currentType: 'DC', supplyPhases: 3, maxPower: 50_000 }] }) }, reasonCode: 'InvalidSchedule', requirement: 'K01.FR.44' },
  { name: 'two chargingSchedules without ISO 15118', profile: { ...txProfile(), chargingSchedule: [schedule({ startSchedule: T0 }), schedule({ id: 2, startSchedule: T0 })] }, reasonCode: 'TooManyElements', requirement: 'K01.FR.34' },
  { name: 'a TxProfile before the ISO 15118 charging needs were sent', profile: txProfile(), context: { transactions: [{ evseId: 1, transactionId: 'tx-1', startTime: T0, iso15118: { chargingNeedsSent: false } }] }, reasonCode: 'InvalidMessageSeq', requirement: 'K15.FR.17' },
  { name: 'a RequestStartTransaction profile that is not a TxProfile', profile: profile(), context: { origin: 'RequestStartTransaction' }, reasonCode: 'InvalidProfile', requirement: 'K05.FR.02' },
  { name: 'a RequestStartTransaction profile with a bad schedule (reasonCode InvalidSchedule)', profile: profile({ chargingProfilePurpose: 'TxProfile' }, { chargingSchedulePeriod: periods([5, 16]) }), context: { origin: 'RequestStartTransaction', evseId: 2 }, reasonCode: 'InvalidSchedule', requirement: 'K01.FR.31' },
  { name: 'a RequestStartTransaction profile on EVSE 0 (reasonCode InvalidProfile)', profile: profile({ chargingProfilePurpose: 'TxProfile' }), context: { origin: 'RequestStartTransaction', evseId: 0 }, reasonCode: 'InvalidProfile', requirement: 'K01.FR.16' },
  { name: 'an external system setting a TxDefaultProfile', profile: profile(), context: { origin: 'ExternalSystem' }, reasonCode: 'InvalidValue', requirement: 'K11' },
  { name: 'a stackLevel above ProfileStackLevel', profile: profile({ stackLevel: 4 }), context: { station: station({ maxStackLevel: 3 }) }, reasonCode: 'InvalidStackLevel', requirement: 'SmartChargingCtrlr.ProfileStackLevel' },
  { name: 'a negative stackLevel', profile: profile({ stackLevel: -1 }), reasonCode: 'InvalidStackLevel', requirement: 'ChargingProfileType.stackLevel' },
  { name: 'more periods than PeriodsPerSchedule', profile: profile({}, { chargingSchedulePeriod: periods([0, 6], [60, 8], [120, 10]) }), context: { station: station({ periodsPerSchedule: 2 }) }, reasonCode: 'TooManyElements', requirement: 'SmartChargingCtrlr.PeriodsPerSchedule' },
  { name: 'more profiles than Entries(ChargingProfiles).maxLimit', profile: profile({ id: 3, stackLevel: 2 }), context: { station: station({ maxInstalledProfiles: 2 }), profiles: [installed(1, profile({ id: 1 })), installed(2, profile({ id: 2 }))] }, reasonCode: 'OutOfStorage', requirement: 'SmartChargingCtrlr.Entries(ChargingProfiles).maxLimit' },
  { name: 'a negative limit', profile: profile({}, { chargingSchedulePeriod: periods([0, -1]) }), reasonCode: 'InvalidSchedule', requirement: 'ChargingSchedulePeriodType.limit' },
  { name: 'a limit with two digit fraction', profile: profile({}, { chargingSchedulePeriod: periods([0, 8.15]) }), reasonCode: 'InvalidSchedule', requirement: 'ChargingSchedulePeriodType.limit' },
  { name: 'a fractional startPeriod', profile: profile({}, { chargingSchedulePeriod: periods([0, 8], [10.5, 6]) }), reasonCode: 'InvalidSchedule', requirement: 'ChargingSchedulePeriodType.startPeriod' },
  { name: 'numberPhases 4', profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 4 }]), reasonCode: 'InvalidSchedule', requirement: 'ChargingSchedulePeriodType.numberPhases' },
  { name: 'phaseToUse 0', profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 0 }]), reasonCode: 'InvalidSchedule', requirement: 'ChargingSchedulePeriodType.phaseToUse' },
  { name: 'a negative duration', profile: profile({}, { duration: -5 }), reasonCode: 'InvalidSchedule', requirement: 'ChargingScheduleType.duration' },
  { name: 'a negative minChargingRate', profile: profile({}, { minChargingRate: -1 }), reasonCode: 'InvalidSchedule', requirement: 'ChargingScheduleType.minChargingRate' },
  { name: 'an unreadable startSchedule', profile: profile({}, { startSchedule: 'tomorrow' }), reasonCode: 'InvalidSchedule', requirement: 'ChargingScheduleType.startSchedule' },
  { name: 'a Recurring profile without recurrencyKind', profile: profile({ chargingProfileKind: 'Recurring' }), reasonCode: 'InvalidProfile', requirement: 'ChargingProfileType.recurrencyKind' },
  { name: 'recurrencyKind on an Absolute profile', profile: profile({ recurrencyKind: 'Daily' }), reasonCode: 'InvalidProfile', requirement: 'ChargingProfileType.recurrencyKind' },
  { name: 'a transactionId on a TxDefaultProfile', profile: profile({ transactionId: 'tx-1' }), reasonCode: 'InvalidProfile', requirement: 'ChargingProfileType.transactionId' },
  { name: 'validTo not after validFrom', profile: profile({ validFrom: at(60), validTo: at(60) }), reasonCode: 'InvalidProfile', requirement: 'K01.FR.36/K01.FR.37' },
  { name: 'an unreadable validFrom', profile: profile({ validFrom: 'soon' }), reasonCode: 'InvalidProfile', requirement: 'ChargingProfileType.validFrom' },
  {
    name: 'a TxProfile phaseToUse conflicting with the ChargingStationMaxProfile (errata §3.7)',
    profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 1 }], { chargingProfilePurpose: 'TxProfile', transactionId: 'tx-1' }),
    context: {
      station: station({ phases3to1Supported: true, evses: [acEvse(1, { phaseSwitchingSupported: true })] }),
      profiles: [installed(0, withPeriods([{ startPeriod: 0, limit: 32, numberPhases: 1, phaseToUse: 3 }], { id: 9, chargingProfilePurpose: 'ChargingStationMaxProfile' }))],
    },
    reasonCode: 'InvalidSchedule',
    requirement: 'Errata 2025-01 K §3.7',
  },
];

for (const c of rejections) {
  test(`${c.requirement}: rejects ${c.name}`, () => {
    const result = validateChargingProfile(c.profile, context(c.context));
    assert.equal(result.status, 'Rejected', JSON.stringify(result));
    if (result.status !== 'Rejected') return;
    assert.equal(result.requirement, c.requirement, result.additionalInfo);
    assert.equal(result.reasonCode, c.reasonCode);
    assert.ok(result.additionalInfo !== undefined && result.additionalInfo.length > 0);
    const response = toSetChargingProfileResponse(result);
    assertSchemaValid('SetChargingProfileResponse', response);
    assert.equal(response.statusInfo?.reasonCode, c.reasonCode);
    assert.ok(response.statusInfo?.additionalInfo?.startsWith(c.requirement));
  });
}

interface Acceptance {
  name: string;
  profile: ChargingProfileType;
  context?: Partial<ProfileValidationContext>;
  replaces?: number[];
}

const acceptances: Acceptance[] = [
  { name: 'K01.FR.15: a TxDefaultProfile on an EVSE (TC_K_01_CS)', profile: profile({}, { duration: 300, chargingSchedulePeriod: periods([0, 6]) }) },
  { name: 'K01.FR.14: a TxDefaultProfile on EVSE 0 (TC_K_10_CS)', profile: profile(), context: { evseId: 0 } },
  { name: 'K04.FR.03: a ChargingStationMaxProfile on EVSE 0 (TC_K_03_CS)', profile: profile({ chargingProfilePurpose: 'ChargingStationMaxProfile' }), context: { evseId: 0 } },
  { name: 'K01.FR.04: a TxProfile for the running transaction (TC_K_60_CS)', profile: txProfile() },
  { name: 'K01.FR.05: the same id replaces the installed profile (TC_K_04_CS)', profile: profile({ id: 5 }, { chargingSchedulePeriod: periods([0, 10]) }), context: { profiles: [installed(1, profile({ id: 5 })), installed(2, profile({ id: 6 }))] }, replaces: [5] },
  { name: 'K01.FR.05: the same id moves a profile to another EVSE', profile: profile({ id: 5 }), context: { evseId: 2, profiles: [installed(1, profile({ id: 5 }))] }, replaces: [5] },
  { name: 'K11: an external system replaces its own limit', profile: profile({ id: 7, chargingProfilePurpose: 'ChargingStationExternalConstraints' }), context: { origin: 'ExternalSystem', profiles: [installed(1, profile({ id: 7, chargingProfilePurpose: 'ChargingStationExternalConstraints' }))] }, replaces: [7] },
  { name: 'K01.FR.06: the same stackLevel with adjacent validity periods', profile: profile({ id: 2, validFrom: at(3600) }), context: { profiles: [installed(1, profile({ id: 1, validTo: at(3600) }))] } },
  { name: 'K01.FR.06: an expired profile does not block a new one valid from now', profile: profile({ id: 2 }), context: { profiles: [installed(1, profile({ id: 1, validTo: at(-60) }))] } },
  { name: 'K01.FR.06: the same stackLevel on another EVSE', profile: profile({ id: 2 }), context: { profiles: [installed(2, profile({ id: 1 }))] } },
  { name: 'K01.FR.06: does not apply to TxProfiles of other transactions', profile: txProfile({ id: 2 }), context: { profiles: [installed(2, txProfile({ id: 1, transactionId: 'tx-2' }))] } },
  { name: 'K01.FR.48: phaseToUse equal to the phase a 1-phase EVSE is wired to', profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 2 }]), context: { station: station({ evses: [acEvse(1, { supplyPhases: 1, connectedPhase: 2 })] }) } },
  { name: 'K01.FR.46: phaseToUse on an EVSE that switches phases', profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 2 }]), context: { station: station({ phases3to1Supported: true, evses: [acEvse(1, { phaseSwitchingSupported: true })] }) } },
  { name: 'K01.FR.43: numberPhases 1 on a 3-phase EVSE with Phases3to1', profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 1 }]), context: { station: station({ phases3to1Supported: true }) } },
  { name: 'K01.FR.44: numberPhases on EVSE 0 of a station with an AC EVSE and a DC EVSE', profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 3 }]), context: { evseId: 0 } },
  { name: 'K01.FR.34: three chargingSchedules for an ISO 15118 session with charging needs', profile: { ...txProfile(), chargingSchedule: [schedule({ startSchedule: T0 }), schedule({ id: 2, startSchedule: T0 }), schedule({ id: 3, startSchedule: T0 })] }, context: { transactions: [{ evseId: 1, transactionId: 'tx-1', startTime: T0, iso15118: { chargingNeedsSent: true } }] } },
  { name: 'K05: a RequestStartTransaction TxProfile without transactionId on an idle EVSE', profile: profile({ chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative' }), context: { origin: 'RequestStartTransaction', evseId: 2 } },
  { name: 'K01.FR.19: phaseToUse in a profile agreeing with the ChargingStationMaxProfile', profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 3 }], { chargingProfilePurpose: 'TxProfile', transactionId: 'tx-1' }), context: { station: station({ phases3to1Supported: true, evses: [acEvse(1, { phaseSwitchingSupported: true })] }), profiles: [installed(0, withPeriods([{ startPeriod: 0, limit: 32, numberPhases: 1, phaseToUse: 3 }], { id: 9, chargingProfilePurpose: 'ChargingStationMaxProfile' }))] } },
  { name: 'Entries(ChargingProfiles).maxLimit: a replacement does not need room', profile: profile({ id: 2 , stackLevel: 1 }), context: { station: station({ maxInstalledProfiles: 2 }), profiles: [installed(1, profile({ id: 1 })), installed(1, profile({ id: 2, stackLevel: 1 }))] }, replaces: [2] },
  { name: 'a Recurring Weekly profile with limit 8.1', profile: profile({ chargingProfileKind: 'Recurring', recurrencyKind: 'Weekly' }, { chargingSchedulePeriod: periods([0, 8.1]) }) },
];

for (const c of acceptances) {
  test(`accepts ${c.name}`, () => {
    const result = validateChargingProfile(c.profile, context(c.context));
    assert.deepEqual(result, { status: 'Accepted', replaces: c.replaces ?? [] });
    assertSchemaValid('SetChargingProfileResponse', toSetChargingProfileResponse(result));
  });
}

test('a rejection with a very long explanation is cut to the 512 characters of StatusInfoType', () => {
  const response = toSetChargingProfileResponse({ status: 'Rejected', reasonCode: 'InvalidValue', requirement: 'K01.FR.28', additionalInfo: 'x'.repeat(1000) });
  assert.equal(response.statusInfo?.additionalInfo?.length, 512);
  assertSchemaValid('SetChargingProfileResponse', response);
});
