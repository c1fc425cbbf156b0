// Benchmark of the smart-charging engine: median time of compositeSchedule over a day for 1, 10
// and 100 stacked profiles, each with a ratio against the 1-profile case measured in the same run.
// Run alone with `npx tsx bench/smart-charging.ts`, or through bench/run.ts.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { ChargingProfileType } from '../src/generated/ocpp-types.js';
import {
  compositeSchedule,
  validateChargingProfile,
  type InstalledChargingProfile,
  type SmartChargingState,
} from '../src/smart-charging/index.js';

/** The window's start (s): every figure of this bench, and the equivalence test's bench stacks, start here. */
export const START = Date.parse('2024-03-04T00:00:00Z') / 1000;
const iso = (s: number): string => new Date(s * 1000).toISOString();

/** Profile `i` of a stack: alternately Absolute and Daily Recurring, 6 periods, shifted so boundaries interleave. */
export function stackedProfile(i: number): ChargingProfileType {
  const recurring = i % 2 === 1;
  const profile: ChargingProfileType = {
    id: i + 1,
    stackLevel: i,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: recurring ? 'Recurring' : 'Absolute',
    chargingSchedule: [
      {
        id: 1,
        startSchedule: iso(START - 3600 + i * 397),
        duration: 6 * 3600 + (i % 7) * 600,
        chargingRateUnit: i % 3 === 0 ? 'W' : 'A',
        chargingSchedulePeriod: [0, 1, 2, 3, 4, 5].map((k) => ({
          startPeriod: k * 1800 + (k === 0 ? 0 : i * 13),
          limit: i % 3 === 0 ? 4000 + ((i + k) % 5) * 1000 : 6 + ((i + k) % 10),
        })) as ChargingProfileType['chargingSchedule'][0]['chargingSchedulePeriod'],
      },
    ],
  };
  if (recurring) profile.recurrencyKind = 'Daily';
  return profile;
}

/**
 * The bench's station (2 AC EVSEs at 230 V, Europe/Amsterdam, a transaction on EVSE 1) with
 * `count` stacked profiles alternating between EVSE 0 and EVSE 1.
 *
 * @example
 * const state = stationWith(10);
 * compositeScheduleDetails(state, 1, START, 86400, 'A');
 */
export function stationWith(count: number): SmartChargingState {
  const profiles: InstalledChargingProfile[] = Array.from({ length: count }, (_, i) => ({
    evseId: i % 2,
    profile: stackedProfile(i),
  }));
  return {
    station: {
      evses: [
        { id: 1, currentType: 'AC', supplyPhases: 3, maxCurrent: 32 },
        { id: 2, currentType: 'AC', supplyPhases: 3, maxCurrent: 32 },
      ],
      supplyVoltage: 230,
      supplyPhases: 3,
      supportedRateUnits: ['A', 'W'],
      timeZone: 'Europe/Amsterdam',
    },
    profiles,
    transactions: [{ evseId: 1, transactionId: 'tx-1', startTime: iso(START - 600) }],
  };
}

function medianMs(iterations: number, work: () => void): number {
  for (let i = 0; i < Math.min(20, iterations); i += 1) work(); // warm up the JIT
  const times: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const begin = performance.now();
    work();
    times.push(performance.now() - begin);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

/** Prints the figures; returns nothing (bench/run.ts collects the output). */
export async function run(): Promise<void> {
  console.log('smart-charging: compositeSchedule, EVSE 1, 24 h window, unit A (median of N runs)');
  const rows: { profiles: number; periods: number; ms: number }[] = [];
  for (const count of [1, 10, 100]) {
    const state = stationWith(count);
    let periods = 0;
    const ms = medianMs(count === 100 ? 200 : 1000, () => {
      periods = compositeSchedule({
        ...state,
        evseId: 1,
        startTime: iso(START),
        duration: 86400,
        chargingRateUnit: 'A',
      }).chargingSchedulePeriod.length;
    });
    rows.push({ profiles: count, periods, ms });
  }
  const baseline = rows[0]?.ms ?? NaN;
  for (const row of rows) {
    console.log(
      `  ${String(row.profiles).padStart(3)} stacked profiles: ${row.ms.toFixed(3)} ms median, ${row.periods} composite periods, ${(row.ms / baseline).toFixed(1)}x the 1-profile case`,
    );
  }
  const state = stationWith(100);
  const candidate = { ...stackedProfile(100), id: 1000 };
  const validateMs = medianMs(1000, () => {
    validateChargingProfile(candidate, {
      ...state,
      evseId: 1,
      origin: 'SetChargingProfile',
      now: iso(START),
    });
  });
  const station0Ms = medianMs(200, () => {
    compositeSchedule({ ...state, evseId: 0, startTime: iso(START), duration: 86400, chargingRateUnit: 'W' });
  });
  console.log(`  validateChargingProfile with 100 installed: ${validateMs.toFixed(3)} ms median`);
  console.log(
    `  compositeSchedule EVSE 0 (2 EVSEs summed), 100 profiles: ${station0Ms.toFixed(3)} ms median, ${(station0Ms / baseline).toFixed(1)}x the 1-profile EVSE case`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
