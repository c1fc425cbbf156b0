// Random smart-charging scenarios (fast-check) shared by the property test against the brute force
// and the equivalence test of the composite engine against its recorded results.
import fc from 'fast-check';
import type {
  ChargingProfilePurposeEnumType,
  ChargingProfileType,
  ChargingRateUnitEnumType,
  ChargingSchedulePeriodType,
} from '../../src/generated/ocpp-types.js';
import type {
  ActiveTransaction,
  EvseSmartChargingInfo,
  InstalledChargingProfile,
  SmartChargingState,
} from '../../src/smart-charging/index.js';

export const iso = (s: number): string => new Date(s * 1000).toISOString();
// Windows start near both DST changes of 2024 and in an ordinary month.
const BASES = [
  '2024-03-30T00:00:00Z',
  '2024-10-26T00:00:00Z',
  '2024-06-01T00:00:00Z',
  '2024-03-09T00:00:00Z',
  '2024-11-02T00:00:00Z',
].map((x) => Date.parse(x) / 1000);

export interface Scenario {
  state: SmartChargingState;
  evseId: number;
  start: number;
  duration: number;
  unit: ChargingRateUnitEnumType;
}

const evseArb = (id: number): fc.Arbitrary<EvseSmartChargingInfo> =>
  fc
    .record({
      currentType: fc.constantFrom<'AC' | 'DC'>('AC', 'AC', 'DC'),
      supplyPhases: fc.constantFrom<1 | 3>(1, 3),
      maxCurrent: fc.option(fc.integer({ min: 6, max: 63 }), { nil: undefined }),
      maxPower: fc.option(fc.integer({ min: 1000, max: 50000 }), { nil: undefined }),
    })
    .map(({ currentType, supplyPhases, maxCurrent, maxPower }) => {
      const evse: EvseSmartChargingInfo = { id, currentType, supplyPhases };
      if (maxCurrent !== undefined || maxPower === undefined) evse.maxCurrent = maxCurrent ?? 32;
      if (maxPower !== undefined) evse.maxPower = maxPower;
      return evse;
    });

function periodsArb(
  scale: number,
): fc.Arbitrary<[ChargingSchedulePeriodType, ...ChargingSchedulePeriodType[]]> {
  return fc
    .array(
      fc.record({
        gap: fc.integer({ min: 1, max: scale }),
        tenths: fc.integer({ min: 0, max: 700 }),
        numberPhases: fc.option(fc.constantFrom(1, 2, 3), { nil: undefined }),
        phaseToUse: fc.option(fc.constantFrom(1, 2, 3), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 4 },
    )
    .map((list) => {
      let start = 0;
      return list.map((p, index) => {
        if (index > 0) start += p.gap;
        const period: ChargingSchedulePeriodType = {
          startPeriod: index === 0 ? 0 : start,
          limit: p.tenths / 10,
        };
        if (p.numberPhases !== undefined) period.numberPhases = p.numberPhases;
        if (p.numberPhases === 1 && p.phaseToUse !== undefined) period.phaseToUse = p.phaseToUse;
        return period;
      }) as [ChargingSchedulePeriodType, ...ChargingSchedulePeriodType[]];
    });
}

function profileArb(
  id: number,
  evseIds: number[],
  windowStart: number,
  scale: number,
): fc.Arbitrary<InstalledChargingProfile> {
  return fc
    .record({
      evseId: fc.constantFrom(0, ...evseIds),
      purpose: fc.constantFrom<ChargingProfilePurposeEnumType>(
        'TxDefaultProfile',
        'TxProfile',
        'ChargingStationMaxProfile',
        'ChargingStationExternalConstraints',
      ),
      stackLevel: fc.integer({ min: 0, max: 3 }),
      kind: fc.constantFrom<'Absolute' | 'Relative' | 'Recurring'>('Absolute', 'Relative', 'Recurring'),
      recurrency: fc.constantFrom<'Daily' | 'Weekly'>('Daily', 'Weekly'),
      startOffset: fc.integer({ min: -10 * scale, max: 3 * scale }),
      duration: fc.option(fc.integer({ min: 1, max: 6 * scale }), { nil: undefined }),
      validFrom: fc.option(fc.integer({ min: -3 * scale, max: 3 * scale }), { nil: undefined }),
      validFor: fc.option(fc.integer({ min: 1, max: 6 * scale }), { nil: undefined }),
      unit: fc.constantFrom<ChargingRateUnitEnumType>('A', 'W'),
      periods: periodsArb(scale),
      ownTransaction: fc.boolean(),
      installedAt: fc.option(fc.integer({ min: -2 * scale, max: 0 }), { nil: undefined }),
    })
    .map((r) => {
      const purpose = r.purpose;
      const evseId =
        purpose === 'ChargingStationMaxProfile'
          ? 0
          : purpose === 'TxProfile'
            ? r.evseId === 0
              ? (evseIds[0] as number)
              : r.evseId
            : r.evseId;
      const kind = purpose === 'ChargingStationMaxProfile' && r.kind === 'Relative' ? 'Absolute' : r.kind;
      const periods =
        r.unit === 'W'
          ? (r.periods.map((p) => ({ ...p, limit: p.limit * 100 })) as typeof r.periods)
          : r.periods;
      const schedule: ChargingProfileType['chargingSchedule'][0] = {
        id: 1,
        chargingRateUnit: r.unit,
        chargingSchedulePeriod: periods,
      };
      if (kind !== 'Relative') schedule.startSchedule = iso(windowStart + r.startOffset);
      if (r.duration !== undefined) schedule.duration = r.duration;
      const profile: ChargingProfileType = {
        id,
        stackLevel: r.stackLevel,
        chargingProfilePurpose: purpose,
        chargingProfileKind: kind,
        chargingSchedule: [schedule],
      };
      if (kind === 'Recurring') profile.recurrencyKind = r.recurrency;
      if (r.validFrom !== undefined) profile.validFrom = iso(windowStart + r.validFrom);
      if (r.validFor !== undefined) profile.validTo = iso(windowStart + (r.validFrom ?? 0) + r.validFor);
      if (purpose === 'TxProfile') profile.transactionId = r.ownTransaction ? `tx-${evseId}` : 'tx-gone';
      const entry: InstalledChargingProfile = { evseId, profile };
      if (evseId === 0 && r.installedAt !== undefined) entry.installedAt = iso(windowStart + r.installedAt);
      return entry;
    });
}

/** scale: typical length in seconds of periods and offsets, relative to the window. */
export function scenarioArb(scale: number, maxDuration: number): fc.Arbitrary<Scenario> {
  return fc
    .record({
      base: fc.constantFrom(...BASES),
      shift: fc.integer({ min: 0, max: 2 * 86400 }),
      evses: fc
        .integer({ min: 1, max: 2 })
        .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => evseArb(i + 1)))),
      timeZone: fc.constantFrom('UTC', 'Europe/Amsterdam', 'America/New_York'),
      voltage: fc.constantFrom(230, 120),
      stationMaxCurrent: fc.option(fc.integer({ min: 10, max: 100 }), { nil: undefined }),
      duration: fc.integer({ min: 0, max: maxDuration }),
      unit: fc.constantFrom<ChargingRateUnitEnumType>('A', 'W'),
      evseChoice: fc.nat(),
      transactionAges: fc.array(fc.option(fc.integer({ min: 0, max: 2 * scale }), { nil: undefined }), {
        minLength: 2,
        maxLength: 2,
      }),
    })
    .chain((s) => {
      const start = s.base + s.shift;
      const evseIds = s.evses.map((e) => e.id);
      return fc.array(fc.nat(), { minLength: 0, maxLength: 7 }).chain((slots) =>
        fc
          .tuple(...slots.map((_, i) => profileArb(i + 1, evseIds, start, scale)))
          .map((profiles): Scenario => {
            const transactions: ActiveTransaction[] = [];
            evseIds.forEach((id, i) => {
              const age = s.transactionAges[i];
              if (age !== undefined)
                transactions.push({ evseId: id, transactionId: `tx-${id}`, startTime: iso(start - age) });
            });
            const station: SmartChargingState['station'] = {
              evses: s.evses,
              supplyVoltage: s.voltage,
              supplyPhases: 3,
              supportedRateUnits: ['A', 'W'],
              timeZone: s.timeZone,
            };
            if (s.stationMaxCurrent !== undefined) station.maxCurrent = s.stationMaxCurrent;
            const evseId = [0, ...evseIds][s.evseChoice % (evseIds.length + 1)] as number;
            return {
              state: { station, profiles, transactions },
              evseId,
              start,
              duration: s.duration,
              unit: s.unit,
            };
          }),
      );
    });
}
