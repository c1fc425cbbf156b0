// Benchmark of smart charging in the running station: what an accepted SetChargingProfile costs
// (validation + SQLite write + Entries + pushing the host's schedules) against validation alone,
// and what one push of the host's schedules (EVSE 0 + 2 EVSEs, 24 h) costs against one EVSE's
// composite, both measured in the same run. Run alone with `npx tsx bench/station-smart-charging.ts`.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createStationClock } from '../src/clock.js';
import { DeviceModel, loadComponentConfig } from '../src/device-model/index.js';
import type { ChargingProfileType } from '../src/generated/ocpp-types.js';
import { DEFAULT_CONFIG_DIR } from '../src/charge-point.js';
import { compositeSchedule, validateChargingProfile } from '../src/smart-charging/index.js';
import { StationSmartCharging } from '../src/smart-charging/station-smart-charging.js';
import { openStationDatabase } from '../src/store/database.js';

const EVSES = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];
const NOW = '2025-06-01T10:00:00Z';

function profile(id: number): ChargingProfileType {
  return {
    id,
    stackLevel: id % 40,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Absolute',
    validFrom: new Date(Date.parse(NOW) + id * 86_400_000).toISOString(),
    validTo: new Date(Date.parse(NOW) + (id + 1) * 86_400_000).toISOString(),
    chargingSchedule: [
      {
        id: 1,
        startSchedule: NOW,
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [0, 1, 2, 3].map((k) => ({
          startPeriod: k * 3600,
          limit: 6 + ((id + k) % 10),
        })) as [{ startPeriod: number; limit: number }],
      },
    ],
  };
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Prints the figures; returns nothing (bench/run.ts collects the output). */
export async function run(): Promise<void> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'ocpp-bench-sc-')), 'station.db');
  const store = await openStationDatabase(file);
  const components = await loadComponentConfig(DEFAULT_CONFIG_DIR, EVSES);
  const deviceModel = await DeviceModel.open({ store, stationId: 'BENCH', components });
  const smartCharging = new StationSmartCharging({
    stationId: 'BENCH',
    db: store.db,
    deviceModel,
    clock: createStationClock(NOW),
    callbacks: {},
    queue: { send: async () => undefined },
    evses: EVSES,
    reportError: (e) => console.error(e),
  });
  await smartCharging.start();
  const count = 20;
  const setTimes: number[] = [];
  const validateTimes: number[] = [];
  for (let id = 1; id <= count * 2; id += 1) {
    const request = { evseId: 1 + (id % 2), chargingProfile: profile(id) };
    let begin = performance.now();
    validateChargingProfile(request.chargingProfile, {
      ...smartCharging.state(),
      evseId: request.evseId,
      origin: 'SetChargingProfile',
      now: NOW,
    });
    validateTimes.push(performance.now() - begin);
    begin = performance.now();
    const response = await smartCharging.setChargingProfile(request);
    setTimes.push(performance.now() - begin);
    if (response.status !== 'Accepted') throw new Error(`profile ${id}: ${JSON.stringify(response)}`);
  }
  const state = smartCharging.state();
  const pushTimes: number[] = [];
  const singleTimes: number[] = [];
  for (let i = 0; i < 200; i += 1) {
    let begin = performance.now();
    compositeSchedule({ ...state, evseId: 1, startTime: NOW, duration: 86_400, chargingRateUnit: 'A' });
    singleTimes.push(performance.now() - begin);
    begin = performance.now();
    smartCharging.compositeSchedules();
    pushTimes.push(performance.now() - begin);
  }
  const validate = median(validateTimes);
  const set = median(setTimes);
  const single = median(singleTimes);
  const push = median(pushTimes);
  console.log(`station smart charging: ${count * 2} TxDefaultProfiles set one by one on 2 EVSEs (median)`);
  console.log(`  validateChargingProfile alone: ${validate.toFixed(3)} ms`);
  console.log(
    `  SetChargingProfile accepted (validate + SQLite + Entries + push): ${set.toFixed(3)} ms, ${(set / validate).toFixed(1)}x validation alone`,
  );
  console.log(`  compositeSchedule of EVSE 1, 24 h: ${single.toFixed(3)} ms`);
  console.log(
    `  host push (EVSE 0 + 2 EVSEs, 24 h): ${push.toFixed(3)} ms, ${(push / single).toFixed(1)}x one EVSE`,
  );
  smartCharging.stop();
  await store.close();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
