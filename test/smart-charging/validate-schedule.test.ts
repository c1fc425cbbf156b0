// Rejections found in the chargingSchedule and its periods (src/smart-charging/validate-schedule.ts),
// through the public validateChargingProfile.
import { acEvse, periods, profile, station } from './fixtures.js';
import { testRejections, withPeriods, type RejectionCase } from './validation-fixtures.js';

const rejections: RejectionCase[] = [
  {
    name: 'the first startPeriod is not 0',
    profile: profile({}, { chargingSchedulePeriod: periods([10, 16]) }),
    reasonCode: 'InvalidSchedule',
    requirement: 'K01.FR.31',
  },
  {
    name: 'a schedule without periods',
    profile: withPeriods([]),
    reasonCode: 'InvalidSchedule',
    requirement: 'ChargingScheduleType.chargingSchedulePeriod',
  },
  {
    name: 'a chargingRateUnit the station does not support',
    profile: profile({}, { chargingRateUnit: 'W' }),
    context: { station: station({ supportedRateUnits: ['A'] }) },
    reasonCode: 'UnsupportedRateUnit',
    requirement: 'K01.FR.26',
  },
  {
    name: 'phaseToUse with numberPhases 3',
    profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 3, phaseToUse: 1 }]),
    reasonCode: 'InvalidSchedule',
    requirement: 'K01.FR.19',
  },
  {
    name: 'phaseToUse without numberPhases (3 is assumed, K01.FR.49)',
    profile: withPeriods([{ startPeriod: 0, limit: 16, phaseToUse: 1 }]),
    reasonCode: 'InvalidSchedule',
    requirement: 'K01.FR.19',
  },
  {
    name: 'phaseToUse on an EVSE that cannot switch phases',
    profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 2 }]),
    context: { station: station({ phases3to1Supported: true }) },
    reasonCode: 'InvalidSchedule',
    requirement: 'K01.FR.48',
  },
  {
    name: 'phaseToUse on EVSE 0 when one EVSE cannot switch',
    profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 2 }]),
    context: {
      evseId: 0,
      station: station({
        phases3to1Supported: true,
        evses: [acEvse(1, { phaseSwitchingSupported: true }), acEvse(2)],
      }),
    },
    reasonCode: 'InvalidSchedule',
    requirement: 'K01.FR.48',
  },
  {
    name: 'periods out of order',
    profile: profile({}, { chargingSchedulePeriod: periods([0, 10], [100, 8], [50, 6]) }),
    reasonCode: 'InvalidSchedule',
    requirement: 'K01.FR.35',
  },
  {
    name: 'two periods with the same startPeriod',
    profile: profile({}, { chargingSchedulePeriod: periods([0, 10], [60, 8], [60, 6]) }),
    reasonCode: 'InvalidSchedule',
    requirement: 'K01.FR.35',
  },
  {
    name: 'an Absolute profile without startSchedule',
    profile: profile({}, { startSchedule: undefined as unknown as string }),
    reasonCode: 'InvalidSchedule',
    requirement: 'K01.FR.40',
  },
  {
    name: 'a Recurring profile without startSchedule',
    profile: {
      ...profile({ chargingProfileKind: 'Relative', recurrencyKind: 'Daily' }),
      chargingProfileKind: 'Recurring',
    },
    reasonCode: 'InvalidSchedule',
    requirement: 'K01.FR.40',
  },
  {
    name: 'a Relative profile with startSchedule',
    profile: { ...profile(), chargingProfileKind: 'Relative' },
    reasonCode: 'InvalidSchedule',
    requirement: 'K01.FR.41',
  },
  {
    name: 'numberPhases above the phases of the EVSE',
    profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 3 }]),
    context: { station: station({ evses: [acEvse(1, { supplyPhases: 1 })] }) },
    reasonCode: 'InvalidSchedule',
    requirement: 'K01.FR.45',
  },
  {
    name: 'numberPhases above the supply phases of the station (EVSE 0)',
    profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 3 }]),
    context: { evseId: 0, station: station({ supplyPhases: 1 }) },
    reasonCode: 'InvalidSchedule',
    requirement: 'K01.FR.45',
  },
  {
    name: 'numberPhases 1 on a 3-phase EVSE that cannot switch 3 to 1',
    profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 1 }]),
    reasonCode: 'InvalidSchedule',
    requirement: 'K01.FR.43',
  },
  {
    name: 'numberPhases 2 on a 3-phase EVSE even with Phases3to1',
    profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 2 }]),
    context: { station: station({ phases3to1Supported: true }) },
    reasonCode: 'InvalidSchedule',
    requirement: 'K01.FR.43',
  },
  {
    name: 'numberPhases on a DC EVSE',
    profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 3 }]),
    context: { evseId: 3 },
    reasonCode: 'InvalidSchedule',
    requirement: 'K01.FR.44',
  },
  {
    name: 'numberPhases on EVSE 0 of a DC-only station',
    profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 3 }]),
    context: {
      evseId: 0,
      station: station({ evses: [{ id: 1, currentType: 'DC', supplyPhases: 3, maxPower: 50_000 }] }),
    },
    reasonCode: 'InvalidSchedule',
    requirement: 'K01.FR.44',
  },
  {
    name: 'more periods than PeriodsPerSchedule',
    profile: profile({}, { chargingSchedulePeriod: periods([0, 6], [60, 8], [120, 10]) }),
    context: { station: station({ periodsPerSchedule: 2 }) },
    reasonCode: 'TooManyElements',
    requirement: 'SmartChargingCtrlr.PeriodsPerSchedule',
  },
  {
    name: 'a negative limit',
    profile: profile({}, { chargingSchedulePeriod: periods([0, -1]) }),
    reasonCode: 'InvalidSchedule',
    requirement: 'ChargingSchedulePeriodType.limit',
  },
  {
    name: 'a limit with two digit fraction',
    profile: profile({}, { chargingSchedulePeriod: periods([0, 8.15]) }),
    reasonCode: 'InvalidSchedule',
    requirement: 'ChargingSchedulePeriodType.limit',
  },
  {
    name: 'a fractional startPeriod',
    profile: profile({}, { chargingSchedulePeriod: periods([0, 8], [10.5, 6]) }),
    reasonCode: 'InvalidSchedule',
    requirement: 'ChargingSchedulePeriodType.startPeriod',
  },
  {
    name: 'numberPhases 4',
    profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 4 }]),
    reasonCode: 'InvalidSchedule',
    requirement: 'ChargingSchedulePeriodType.numberPhases',
  },
  {
    name: 'phaseToUse 0',
    profile: withPeriods([{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 0 }]),
    reasonCode: 'InvalidSchedule',
    requirement: 'ChargingSchedulePeriodType.phaseToUse',
  },
  {
    name: 'a negative duration',
    profile: profile({}, { duration: -5 }),
    reasonCode: 'InvalidSchedule',
    requirement: 'ChargingScheduleType.duration',
  },
  {
    name: 'a negative minChargingRate',
    profile: profile({}, { minChargingRate: -1 }),
    reasonCode: 'InvalidSchedule',
    requirement: 'ChargingScheduleType.minChargingRate',
  },
  {
    name: 'an unreadable startSchedule',
    profile: profile({}, { startSchedule: 'tomorrow' }),
    reasonCode: 'InvalidSchedule',
    requirement: 'ChargingScheduleType.startSchedule',
  },
];

testRejections(rejections);
