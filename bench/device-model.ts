/**
 * Device model benchmark: open() with the example config (new and existing database file), and
 * GetVariables/SetVariables throughput. Each figure is printed with a ratio to a baseline measured
 * in the same run on the same machine, so runs on different machines compare.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeviceModel } from '../src/device-model/device-model.js';
import { loadComponentConfig } from '../src/device-model/load-component-config.js';
import type { GetVariableDataType } from '../src/generated/ocpp-types.js';
import { openStationDatabase } from '../src/store/database.js';

const CONFIG = path.resolve(import.meta.dirname, '../config/component-config');
const EVSES = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

/** Median of `runs` timings of `fn`, in milliseconds. */
async function median(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

/** Runs the benchmark and prints its figures (`npm run bench device-model`). */
export async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-bench-dm-'));
  try {
    const components = await loadComponentConfig(CONFIG, EVSES);
    const loadMs = await median(20, () => loadComponentConfig(CONFIG, EVSES));

    let station = 0;
    const store = await openStationDatabase(path.join(dir, 'bench.db'));
    const openNewMs = await median(20, () =>
      DeviceModel.open({ store, stationId: `new-${station++}`, components }),
    );
    const model = await DeviceModel.open({ store, stationId: 'CS', components });
    const reopenMs = await median(20, () => DeviceModel.open({ store, stationId: 'CS', components }));

    const data: GetVariableDataType[] = [
      ['OCPPCommCtrlr', 'HeartbeatInterval'],
      ['OCPPCommCtrlr', 'OfflineThreshold'],
      ['AuthCtrlr', 'LocalAuthorizeOffline'],
      ['TxCtrlr', 'TxStartPoint'],
      ['TxCtrlr', 'TxStopPoint'],
      ['SampledDataCtrlr', 'TxUpdatedMeasurands'],
      ['AlignedDataCtrlr', 'Interval'],
      ['ClockCtrlr', 'TimeSource'],
      ['SecurityCtrlr', 'SecurityProfile'],
      ['DeviceDataCtrlr', 'ReportingValueSize'],
    ].map(([component, variable]) => ({
      component: { name: component as string },
      variable: { name: variable as string },
    }));
    const [first, ...rest] = data;
    if (first === undefined) throw new Error('no data');
    const request = { getVariableData: [first, ...rest] as [GetVariableDataType, ...GetVariableDataType[]] };
    const refs = data.map((d) => ({ component: d.component.name, variable: d.variable.name }));
    const iterations = 20000;
    const getMs = await median(5, () => {
      for (let i = 0; i < iterations; i++) model.getVariables(request);
    });
    const readMs = await median(5, () => {
      for (let i = 0; i < iterations; i++) for (const ref of refs) model.get(ref);
    });

    const sets = 500;
    const setMs = await median(3, async () => {
      for (let i = 0; i < sets; i++) {
        await model.setVariables({
          setVariableData: [
            {
              component: { name: 'OCPPCommCtrlr' },
              variable: { name: 'HeartbeatInterval' },
              attributeValue: String(60 + (i % 100)),
            },
          ],
        });
      }
    });
    await store.close();

    const figures = {
      'load config (ms)': loadMs,
      'open, new station (ms)': openNewMs,
      'open, existing station (ms)': reopenMs,
      'GetVariables, 10 items (requests/s)': (iterations / getMs) * 1000,
      'model.get baseline, 10 reads (rounds/s)': (iterations / readMs) * 1000,
      'SetVariables, 1 item, stored (requests/s)': (sets / setMs) * 1000,
    };
    console.log('device model (example config, 2 EVSEs)');
    for (const [name, value] of Object.entries(figures))
      console.log(`  ${name.padEnd(44)} ${value.toFixed(2)}`);
    console.log(`  ${'open new / load config (ratio)'.padEnd(44)} ${(openNewMs / loadMs).toFixed(2)}`);
    console.log(`  ${'GetVariables / model.get time (ratio)'.padEnd(44)} ${(getMs / readMs).toFixed(2)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
