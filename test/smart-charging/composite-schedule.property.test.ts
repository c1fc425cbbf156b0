import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ChargingSchedulePeriodType, CompositeScheduleType } from '../../src/generated/ocpp-types.js';
import { compositeSchedule } from '../../src/smart-charging/index.js';
import { bruteForceLimit } from './brute-force-limit.js';
import { iso, scenarioArb, type Scenario } from './composite-scenarios.js';

function periodAt(schedule: CompositeScheduleType, offset: number): ChargingSchedulePeriodType {
  let found = schedule.chargingSchedulePeriod[0];
  for (const p of schedule.chargingSchedulePeriod) if (p.startPeriod <= offset) found = p;
  return found;
}

function check(scenario: Scenario, offsets: (schedule: CompositeScheduleType) => number[]): void {
  const { state, evseId, start, duration, unit } = scenario;
  const schedule = compositeSchedule({
    ...state,
    evseId,
    startTime: iso(start),
    duration,
    chargingRateUnit: unit,
  });
  const list = schedule.chargingSchedulePeriod;
  assert.equal(list[0].startPeriod, 0);
  for (let i = 1; i < list.length; i += 1) {
    const [a, b] = [list[i - 1], list[i]] as [ChargingSchedulePeriodType, ChargingSchedulePeriodType];
    assert.ok(
      b.startPeriod > a.startPeriod && b.startPeriod < duration,
      'periods in order, inside the duration',
    );
    assert.ok(
      a.limit !== b.limit || a.numberPhases !== b.numberPhases || a.phaseToUse !== b.phaseToUse,
      'equal neighbours are merged',
    );
  }
  for (const offset of offsets(schedule)) {
    if (offset < 0 || offset >= Math.max(duration, 1)) continue;
    const expected = bruteForceLimit(state, evseId, start + offset, unit, start);
    const actual = periodAt(schedule, offset);
    const context = `at +${offset}s of ${JSON.stringify(schedule)}`;
    assert.equal(actual.limit, Math.floor(expected.limit * 10 + 1e-6) / 10, `limit ${context}`);
    assert.equal(actual.numberPhases, expected.numberPhases, `numberPhases ${context}`);
    assert.equal(actual.phaseToUse, expected.phaseToUse, `phaseToUse ${context}`);
  }
}

test('property: over short windows the composite equals the brute-force limit at every second', () => {
  fc.assert(
    fc.property(scenarioArb(120, 900), (scenario) => {
      check(scenario, () => Array.from({ length: Math.max(scenario.duration, 1) }, (_, i) => i));
    }),
    { numRuns: 150 },
  );
});

test('property: over windows of up to two days the composite equals the brute force at its boundaries and samples', () => {
  fc.assert(
    fc.property(
      scenarioArb(20_000, 2 * 86400),
      fc.array(fc.nat(), { minLength: 60, maxLength: 60 }),
      (scenario, samples) => {
        check(scenario, (schedule) => [
          ...schedule.chargingSchedulePeriod.flatMap((p) => [p.startPeriod - 1, p.startPeriod]),
          ...samples.map((n) => n % Math.max(scenario.duration, 1)),
          ...Array.from({ length: Math.floor(scenario.duration / 3607) }, (_, i) => i * 3607),
        ]);
      },
    ),
    { numRuns: 150 },
  );
});
