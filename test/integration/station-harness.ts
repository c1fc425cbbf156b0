/**
 * A real station (ChargePoint on a temp SQLite file) against the independent test CSMS (ocpp-rpc,
 * strict mode) on 127.0.0.1. Timers of the station are real; intervals are set small through the
 * device model so tests run quickly without asserting durations.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChargePoint, type ChargePointOptions } from '../../src/charge-point.js';
import { parseSetArgument } from '../../src/device-model/index.js';
import type { NetworkProfileSlot } from '../../src/runtime/network-profiles.js';
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
  /**
   * Network connection profiles instead of `csmsUrl: csms.url` (security profiles 2/3, several
   * slots); written to InternalCtrlr.NetworkConnectionProfiles.
   */
  profiles?: (csms: TestCsms) => NetworkProfileSlot[];
  /** The test CSMS checks the Basic auth password (profiles 1 and 2); default true. */
  basicAuth?: boolean;
}

/** The password the harness configures on both sides (the example configuration's value). */
export const TEST_PASSWORD = 'DEADBEEFDEADBEEF';

/** A network connection profile for `url` in `slot` (OCPP-J, wired; profile 1 and 30 s unless given). */
export function profile(
  slot: number,
  url: string,
  options: { securityProfile?: number; messageTimeout?: number } = {},
): NetworkProfileSlot {
  return {
    configurationSlot: slot,
    connectionData: {
      ocppVersion: 'OCPP20',
      ocppTransport: 'JSON',
      ocppInterface: 'Wired0',
      ocppCsmsUrl: url,
      messageTimeout: options.messageTimeout ?? 30,
      securityProfile: options.securityProfile ?? 1,
    },
  };
}

/**
 * Test defaults: fast reconnects, no websocket pings unless asked (exported for a restart with
 * overrides of its own, which replace these).
 */
export const FAST = [
  'OCPPCommCtrlr.RetryBackOffWaitMinimum=1',
  'OCPPCommCtrlr.RetryBackOffRandomRange=0',
  'OCPPCommCtrlr.WebSocketPingInterval=0',
];

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const identity = options.identity ?? 'CS-TEST';
  const csms = await startTestCsms({
    ...(options.basicAuth === false ? {} : { passwords: { [identity]: TEST_PASSWORD } }),
    ...options.csms,
  });
  const dbPath = path.join(await mkdtemp(path.join(tmpdir(), 'ocpp-it-')), 'station.db');
  const errors: unknown[] = [];
  const profiles = options.profiles?.(csms);
  // A test's own value for a FAST variable replaces the default (a variable may be set once).
  const variableOf = (assignment: string) => assignment.slice(0, assignment.indexOf('='));
  const own = new Set((options.set ?? []).map(variableOf));
  const set = [
    ...FAST.filter((assignment) => !own.has(variableOf(assignment))),
    ...(profiles ? [`InternalCtrlr.NetworkConnectionProfiles=${JSON.stringify(profiles)}`] : []),
    ...(options.set ?? []),
  ];
  const make = (extra: Partial<ChargePointOptions> = {}) =>
    new ChargePoint({
      stationId: identity,
      evses: TWO_EVSES,
      database: dbPath,
      ...(profiles ? {} : { csmsUrl: csms.url }),
      deviceModel: { overrides: set.map(parseSetArgument) },
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
      await rm(path.dirname(dbPath), { recursive: true, force: true });
    },
  };
  return harness;
}
