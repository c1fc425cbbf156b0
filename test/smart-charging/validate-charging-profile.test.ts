// Rejections of the profile as a whole and in its context (EVSE, transaction, installed profiles).
import { acEvse, at, installed, periods, profile, schedule, station, T0 } from './fixtures.js';
import { testRejections, txProfile, withPeriods, type RejectionCase } from './validation-fixtures.js';

const rejections: RejectionCase[] = [
  {
    name: 'a Relative ChargingStationMaxProfile',
    profile: profile({
      chargingProfilePurpose: 'ChargingStationMaxProfile',
      chargingProfileKind: 'Relative',
    }),
    context: { evseId: 0 },
    reasonCode: 'InvalidProfile',
    requirement: 'K01.FR.38',
  },
  {
    name: 'a ChargingStationMaxProfile on EVSE 1',
    profile: profile({ chargingProfilePurpose: 'ChargingStationMaxProfile' }),
    reasonCode: 'InvalidValue',
    requirement: 'K04.FR.03',
  },
  {
    name: 'an EVSE that does not exist',
    profile: profile(),
    context: { evseId: 9 },
    reasonCode: 'UnknownEvse',
    requirement: 'K01.FR.28',
  },
  {
    name: 'the id of an installed ChargingStationExternalConstraints profile',
    profile: profile({ id: 7 }),
    context: {
      profiles: [
        installed(1, profile({ id: 7, chargingProfilePurpose: 'ChargingStationExternalConstraints' }), {
          chargingLimitSource: 'EMS',
        }),
      ],
    },
    reasonCode: 'DuplicateProfile',
    requirement: 'K01.FR.05',
  },
  {
    name: 'an external limit reusing the id of a CSMS profile',
    profile: profile({ id: 7, chargingProfilePurpose: 'ChargingStationExternalConstraints' }),
    context: { origin: 'ExternalSystem', profiles: [installed(1, profile({ id: 7 }))] },
    reasonCode: 'DuplicateProfile',
    requirement: 'K01.FR.05',
  },
  {
    name: 'the CSMS setting ChargingStationExternalConstraints',
    profile: profile({ chargingProfilePurpose: 'ChargingStationExternalConstraints' }),
    reasonCode: 'InvalidValue',
    requirement: 'K01.FR.22',
  },
  {
    name: 'a TxProfile without transactionId',
    profile: profile({ chargingProfilePurpose: 'TxProfile' }),
    reasonCode: 'MissingParam',
    requirement: 'K01.FR.03',
  },
  {
    name: 'a TxProfile for an EVSE without transaction (TC_K_02_CS)',
    profile: txProfile({ transactionId: 'UNKNOWN-TRANSACTION-ID' }),
    context: { evseId: 2 },
    reasonCode: 'TxNotFound',
    requirement: 'K01.FR.09',
  },
  {
    name: 'a TxProfile with an unknown transactionId (TC_K_16_CS)',
    profile: txProfile({ transactionId: 'tx-unknown' }),
    reasonCode: 'TxNotFound',
    requirement: 'K01.FR.33',
  },
  {
    name: 'a TxProfile naming the transaction of another EVSE',
    profile: txProfile({ transactionId: 'tx-2' }),
    context: {
      transactions: [
        { evseId: 1, transactionId: 'tx-1', startTime: T0 },
        { evseId: 2, transactionId: 'tx-2', startTime: T0 },
      ],
    },
    reasonCode: 'TxNotFound',
    requirement: 'K01.FR.33',
  },
  {
    name: 'a TxProfile on EVSE 0 (TC_K_11_CS)',
    profile: txProfile(),
    context: { evseId: 0 },
    reasonCode: 'InvalidValue',
    requirement: 'K01.FR.16',
  },
  {
    name: 'a second TxProfile with the same stackLevel for the transaction',
    profile: txProfile({ id: 2 }),
    context: { profiles: [installed(1, txProfile({ id: 1 }))] },
    reasonCode: 'DuplicateProfile',
    requirement: 'K01.FR.39',
  },
  {
    name: 'same stackLevel, purpose and EVSE with overlapping validity',
    profile: profile({ id: 2, validFrom: at(3600) }),
    context: { profiles: [installed(1, profile({ id: 1, validTo: at(7200) }))] },
    reasonCode: 'DuplicateProfile',
    requirement: 'K01.FR.06',
  },
  {
    name: 'a TxDefaultProfile on EVSE 0 with the stackLevel of one on an EVSE',
    profile: profile({ id: 2 }),
    context: { evseId: 0, profiles: [installed(2, profile({ id: 1 }))] },
    reasonCode: 'DuplicateProfile',
    requirement: 'K01.FR.52',
  },
  {
    name: 'a TxDefaultProfile on an EVSE with the stackLevel of one on EVSE 0',
    profile: profile({ id: 2 }),
    context: { profiles: [installed(0, profile({ id: 1, validTo: at(-10) }))] },
    reasonCode: 'DuplicateProfile',
    requirement: 'K01.FR.53',
  },
  {
    name: 'two chargingSchedules without ISO 15118',
    profile: {
      ...txProfile(),
      chargingSchedule: [schedule({ startSchedule: T0 }), schedule({ id: 2, startSchedule: T0 })],
    },
    reasonCode: 'TooManyElements',
    requirement: 'K01.FR.34',
  },
  {
    name: 'a TxProfile before the ISO 15118 charging needs were sent',
    profile: txProfile(),
    context: {
      transactions: [
        { evseId: 1, transactionId: 'tx-1', startTime: T0, iso15118: { chargingNeedsSent: false } },
      ],
    },
    reasonCode: 'InvalidMessageSeq',
    requirement: 'K15.FR.17',
  },
  {
    name: 'a RequestStartTransaction profile that is not a TxProfile',
    profile: profile(),
    context: { origin: 'RequestStartTransaction' },
    reasonCode: 'InvalidProfile',
    requirement: 'K05.FR.02',
  },
  {
    name: 'a RequestStartTransaction profile with a bad schedule (reasonCode InvalidSchedule)',
    profile: profile({ chargingProfilePurpose: 'TxProfile' }, { chargingSchedulePeriod: periods([5, 16]) }),
    context: { origin: 'RequestStartTransaction', evseId: 2 },
    reasonCode: 'InvalidSchedule',
    requirement: 'K01.FR.31',
  },
  {
    name: 'a RequestStartTransaction profile on EVSE 0 (reasonCode InvalidProfile)',
    profile: profile({ chargingProfilePurpose: 'TxProfile' }),
    context: { origin: 'RequestStartTransaction', evseId: 0 },
    reasonCode: 'InvalidProfile',
    requirement: 'K01.FR.16',
  },
  {
    name: 'an external system setting a TxDefaultProfile',
    profile: profile(),
    context: { origin: 'ExternalSystem' },
    reasonCode: 'InvalidValue',
    requirement: 'K11',
  },
  {
    name: 'a stackLevel above ProfileStackLevel',
    profile: profile({ stackLevel: 4 }),
    context: { station: station({ maxStackLevel: 3 }) },
    reasonCode: 'InvalidStackLevel',
    requirement: 'SmartChargingCtrlr.ProfileStackLevel',
  },
  {
    name: 'a negative stackLevel',
    profile: profile({ stackLevel: -1 }),
    reasonCode: 'InvalidStackLevel',
    requirement: 'ChargingProfileType.stackLevel',
  },
  {
    name: 'more profiles than Entries(ChargingProfiles).maxLimit',
    profile: profile({ id: 3, stackLevel: 2 }),
    context: {
      station: station({ maxInstalledProfiles: 2 }),
      profiles: [installed(1, profile({ id: 1 })), installed(2, profile({ id: 2 }))],
    },
    reasonCode: 'OutOfStorage',
    requirement: 'SmartChargingCtrlr.Entries(ChargingProfiles).maxLimit',
  },
  {
    name: 'a Recurring profile without recurrencyKind',
    profile: profile({ chargingProfileKind: 'Recurring' }),
    reasonCode: 'InvalidProfile',
    requirement: 'ChargingProfileType.recurrencyKind',
  },
  {
    name: 'recurrencyKind on an Absolute profile',
    profile: profile({ recurrencyKind: 'Daily' }),
    reasonCode: 'InvalidProfile',
    requirement: 'ChargingProfileType.recurrencyKind',
  },
  {
    name: 'a transactionId on a TxDefaultProfile',
    profile: profile({ transactionId: 'tx-1' }),
    reasonCode: 'InvalidProfile',
    requirement: 'ChargingProfileType.transactionId',
  },
  {
    name: 'validTo not after validFrom',
    profile: profile({ validFrom: at(60), validTo: at(60) }),
    reasonCode: 'InvalidProfile',
    requirement: 'K01.FR.36/K01.FR.37',
  },
  {
    name: 'an unreadable validFrom',
    profile: profile({ validFrom: 'soon' }),
    reasonCode: 'InvalidProfile',
    requirement: 'ChargingProfileType.validFrom',
  },
  {
    name: 'a TxProfile phaseToUse conflicting with the ChargingStationMaxProfile (errata §3.7)',
    profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 1 }], {
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
    reasonCode: 'InvalidSchedule',
    requirement: 'Errata 2025-01 K §3.7',
  },
];

testRejections(rejections);
