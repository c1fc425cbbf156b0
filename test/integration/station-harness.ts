/**
 * A real station (ChargePoint on a temp SQLite file) against the independent test CSMS (ocpp-rpc,
 * strict mode) on 127.0.0.1. Timers of the station are real; intervals are set small through the
 * device model so tests run quickly without asserting durations.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChargePoint, type ChargePointOptions } from '../../src/charge-point.js';
import { parseSetArgument } from '../../src/device-model/index.js';
import { startTestCsms, type TestCsms, type TestCsmsOptions } from '../../src/testing/index.js';

export interface Harness {
  csms: TestCsms;
  station: ChargePoint;
  dbPath: string;
  identity: string;
  errors: unknown[];
  /** A new ChargePoint on the same database (a reboot or a power loss). */
  restart(extra?: Partial<ChargePointOptions>): Promise<ChargePoint>;
  close(): Promise<void>;
}

export const TWO_EVSES = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

export interface HarnessOptions {
  csms?: TestCsmsOptions;
  /** `--set`-style overrides, e.g. 'OCPPCommCtrlr.HeartbeatInterval=1'. */
  set?: string[];
  station?: Partial<ChargePointOptions>;
  identity?: string;
  /** Do not start the station (the test starts it). */
  noStart?: boolean;
}

/** Test defaults: fast reconnects, no websocket pings unless asked. */
const FAST = [
  'OCPPCommCtrlr.RetryBackOffWaitMinimum=1',
  'OCPPCommCtrlr.RetryBackOffRandomRange=0',
  'OCPPCommCtrlr.WebSocketPingInterval=0',
];

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const identity = options.identity ?? 'CS-TEST';
  const csms = await startTestCsms({ passwords: { [identity]: 'DEADBEEFDEADBEEF' }, ...options.csms });
  const dbPath = path.join(await mkdtemp(path.join(tmpdir(), 'ocpp-it-')), 'station.db');
  const errors: unknown[] = [];
  const make = (extra: Partial<ChargePointOptions> = {}) =>
    new ChargePoint({
      stationId: identity,
      evses: TWO_EVSES,
      database: dbPath,
      csmsUrl: csms.url,
      deviceModel: { overrides: [...FAST, ...(options.set ?? [])].map(parseSetArgument) },
      onError: (e) => errors.push(e),
      ...options.station,
      ...extra,
    });
  let station = make();
  if (!options.noStart) await station.start();
  const harness: Harness = {
    csms,
    get station() {
      return station;
    },
    dbPath,
    identity,
    errors,
    async restart(extra) {
      await station.stop();
      station = make(extra);
      await station.start();
      return station;
    },
    async close() {
      await station.stop();
      await csms.close();
    },
  };
  return harness;
}
