/**
 * A SimulatedStation in this process on a temp SQLite file, connected to the strict test CSMS on
 * 127.0.0.1, with its events collected; for tests that need no child process.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CliEvent, CliEventBody } from '../../../src/cli/cli-events.js';
import { SimulatedStation } from '../../../src/cli/simulated-station.js';
import { createStationClock } from '../../../src/clock.js';
import type { VariableRef } from '../../../src/runtime/ports.js';
import { openStationDatabase, type StationDatabase } from '../../../src/store/database.js';
import { startTestCsms, type TestCsms } from '../../../src/testing/index.js';

const WAIT_MS = 15_000;

export interface StationHarness {
  station: SimulatedStation;
  store: StationDatabase;
  csms: TestCsms;
  events: CliEvent[];
  quits: number;
  fatal: unknown[];
  /** Submits a line and returns its `command` event. */
  run(line: string): Promise<Extract<CliEvent, { type: 'command' }>>;
  waitFor(description: string, predicate: (e: CliEvent) => boolean, since?: number): Promise<CliEvent>;
  close(): Promise<void>;
}

export async function startStationHarness(
  options: {
    overrides?: Array<{ ref: VariableRef; value: string }>;
    dbFile?: string;
    stationId?: string;
    /** A CSMS shared with other stations (the caller closes it); default: one of its own. */
    csms?: TestCsms;
    /** `--master-pass-ui`. */
    masterPassUi?: boolean;
  } = {},
): Promise<StationHarness> {
  const file =
    options.dbFile ?? path.join(await mkdtemp(path.join(tmpdir(), 'ocpp-cli-station-')), 'station.db');
  const csms = options.csms ?? (await startTestCsms());
  const store = await openStationDatabase(file);
  const clock = createStationClock();
  const events: CliEvent[] = [];
  const listeners = new Set<() => void>();
  const harness: StationHarness = {
    events,
    quits: 0,
    fatal: [],
    csms,
    store,
    station: undefined as unknown as SimulatedStation,
    async run(line) {
      const since = events.length;
      await harness.station.submit(line);
      const result = events.slice(since).find((e) => e.type === 'command' && e.line === line.trim());
      if (!result || result.type !== 'command') throw new Error(`no command event for ${line}`);
      return result;
    },
    waitFor(description, predicate, since = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.slice(since).find(predicate);
          if (!found) return;
          done();
          resolve(found);
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(
              `timed out waiting for ${description}; events:\n${events.map((e) => JSON.stringify(e).slice(0, 200)).join('\n')}`,
            ),
          );
        }, WAIT_MS);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async close() {
      await harness.station.stop();
      await store.close();
      if (!options.csms) await csms.close();
    },
  };
  harness.station = await SimulatedStation.create({
    stationId: options.stationId ?? 'CS-HARNESS',
    store,
    csmsUrl: csms.url,
    overrides: options.overrides ?? [],
    clock,
    events: {
      emit(body: CliEventBody) {
        events.push({ ...body, time: clock.nowIso() } as CliEvent);
        listeners.forEach((l) => l());
      },
    },
    onQuit: () => {
      harness.quits += 1;
    },
    onFatal: (error) => harness.fatal.push(error),
    ...(options.masterPassUi ? { masterPassUi: true } : {}),
  });
  await harness.station.start();
  return harness;
}
