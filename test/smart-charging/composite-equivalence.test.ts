// Equivalence of the composite engine with its results recorded before the issue-9 rewrite of the
// sweep (composite-timeline.ts): ~600 seeded random scenarios plus the benchmark's stacks, each
// result (schedule and every period's source, profileId and minChargingRate) hashed and compared
// with composite-equivalence.json. The property test checks limits against a brute force; this one
// checks that nothing else changed either. `COMPOSITE_RECORD=1` rewrites the file: only do that
// for an intended change of results, and say so in the commit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import type {
  ChargingLimitSourceEnumType,
  ChargingRateUnitEnumType,
} from '../../src/generated/ocpp-types.js';
import { START, stationWith } from '../../bench/smart-charging.js';
import { compositeScheduleDetails, type InstalledChargingProfile } from '../../src/smart-charging/index.js';
import { iso, scenarioArb, type Scenario } from './composite-scenarios.js';

const RECORDED = new URL('./composite-equivalence.json', import.meta.url);
const SOURCES: ChargingLimitSourceEnumType[] = ['CSO', 'EMS', 'SO', 'Other'];

/** Deterministic extras the arbitrary lacks: limit sources, EV schedules, minChargingRate, maxPower. */
function varied(scenario: Scenario, index: number): Scenario {
  const copy = JSON.parse(JSON.stringify(scenario)) as Scenario;
  const profiles = copy.state.profiles as InstalledChargingProfile[];
  profiles.forEach((entry, i) => {
    if (entry.profile.chargingProfilePurpose === 'ChargingStationExternalConstraints' && index % 3 > 0)
      entry.chargingLimitSource = SOURCES[(index + i) % SOURCES.length] as ChargingLimitSourceEnumType;
    const schedule = entry.profile.chargingSchedule[0];
    if ((index + i) % 4 === 1) schedule.minChargingRate = schedule.chargingRateUnit === 'W' ? 1400 : 6.2;
  });
  const firstEvse = copy.state.station.evses[0];
  if (index % 4 === 2 && firstEvse !== undefined) {
    copy.state.evChargingSchedules = [
      {
        evseId: firstEvse.id,
        timeBase: iso(copy.start - 300 + (index % 7) * 400),
        chargingSchedule: {
          id: 7,
          chargingRateUnit: index % 8 === 2 ? 'W' : 'A',
          duration: 3600 + (index % 5) * 1800,
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: index % 8 === 2 ? 7000 : 13 },
            { startPeriod: 900 + (index % 11) * 60, limit: index % 8 === 2 ? 3000 : 8.5 },
          ],
        },
      },
    ];
  }
  if (index % 5 === 3) copy.state.station.maxPower = 20_000 + index * 10;
  return copy;
}

/** The benchmark's stack (bench/smart-charging.ts): alternately Absolute and Daily, interleaved. */
function benchStack(count: number): Scenario {
  return { state: stationWith(count), evseId: 1, start: START, duration: 86400, unit: 'A' };
}

function scenarios(): Scenario[] {
  const short = fc.sample(scenarioArb(120, 900), { seed: 9001, numRuns: 200 });
  const long = fc.sample(scenarioArb(20_000, 2 * 86400), { seed: 9002, numRuns: 400 });
  const all = [...short, ...long].map(varied);
  for (const count of [1, 10, 100]) {
    for (const evseId of [0, 1, 2]) {
      for (const unit of ['A', 'W'] as ChargingRateUnitEnumType[])
        all.push({ ...benchStack(count), evseId, unit });
    }
  }
  return all;
}

/** The result, or the error it throws, as text with sorted keys (independent of property order). */
function outcome(scenario: Scenario): string {
  const { state, evseId, start, duration, unit } = scenario;
  try {
    const details = compositeScheduleDetails({
      ...state,
      evseId,
      startTime: iso(start),
      duration,
      chargingRateUnit: unit,
    });
    return JSON.stringify(details, (_key, value: unknown) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
        : value,
    );
  } catch (error) {
    return `throws ${(error as Error).message}`;
  }
}

const hash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

test('the composite engine gives the recorded result for every seeded scenario and benchmark stack', () => {
  const results = scenarios().map((scenario) => hash(outcome(scenario)));
  if (process.env.COMPOSITE_RECORD === '1') {
    writeFileSync(RECORDED, `${JSON.stringify({ results }, null, 0)}\n`);
    return;
  }
  const recorded = (JSON.parse(readFileSync(RECORDED, 'utf8')) as { results: string[] }).results;
  assert.equal(results.length, recorded.length, 'number of scenarios');
  const list = scenarios();
  results.forEach((result, index) => {
    if (result !== recorded[index]) {
      const scenario = list[index] as Scenario;
      assert.fail(
        `scenario ${index} differs from the recorded result:\n${JSON.stringify(scenario)}\n→ ${outcome(scenario)}`,
      );
    }
  });
  // Not every scenario may throw: the recording must exercise the engine.
  assert.ok(list.filter((s) => !outcome(s).startsWith('throws')).length > 500);
});
