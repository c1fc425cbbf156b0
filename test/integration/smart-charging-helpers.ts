// Shared pieces of the smart-charging integration tests: a station booted against the strict test
// CSMS, profile builders, and a recorder of the smart-charging callbacks.
import type {
  ChargingProfileType,
  ChargingSchedulePeriodType,
  ChargingScheduleType,
} from '../../src/generated/ocpp-types.js';
import type { CompositeScheduleDetails } from '../../src/smart-charging/index.js';
import { waitFor } from '../../src/testing/index.js';
import { startHarness, type Harness, type HarnessOptions } from './station-harness.js';

/** What the station told the host through the smart-charging callbacks. */
export interface CallbackLog {
  profilesChanged: number;
  schedules: CompositeScheduleDetails[][];
  renegotiations: number[];
  /** The first composite-schedules notification (after `from`) that satisfies `predicate`. */
  waitForSchedules(
    predicate: (schedules: CompositeScheduleDetails[]) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<CompositeScheduleDetails[]>;
}

export interface SmartChargingHarness extends Harness {
  log: CallbackLog;
  /** A CALL from the test CSMS; resolves with the station's (schema-valid) response. */
  rpc<T = Record<string, unknown>>(action: string, payload: unknown): Promise<T>;
}

/** A station with callbacks recorded, booted (Accepted, both connectors reported). */
export async function startSmartChargingStation(options: HarnessOptions = {}): Promise<SmartChargingHarness> {
  const changes = new EventTarget();
  const log: CallbackLog = {
    profilesChanged: 0,
    schedules: [],
    renegotiations: [],
    waitForSchedules: (predicate, what, timeoutMs) =>
      waitFor(changes, () => log.schedules.find(predicate), what, timeoutMs),
  };
  const h = await startHarness({
    ...options,
    station: {
      ...options.station,
      callbacks: {
        setChargingProfilesCallback: () => {
          log.profilesChanged += 1;
        },
        compositeSchedulesChangedCallback: (schedules) => {
          log.schedules.push(schedules);
          changes.dispatchEvent(new Event('change'));
        },
        renegotiateChargingScheduleCallback: (evseId) => {
          log.renegotiations.push(evseId);
          changes.dispatchEvent(new Event('change'));
        },
        ...options.station?.callbacks,
      },
    },
  });
  if (!options.noStart) {
    await h.csms.waitForCall('StatusNotification');
    await h.csms.waitForCall('StatusNotification');
  }
  return Object.assign(h, {
    log,
    rpc: async <T>(action: string, payload: unknown) => (await h.csms.call(h.identity, action, payload)) as T,
  });
}

/** Now, floored to the second, as RFC 3339 UTC; `plus` seconds later. */
export function instant(plus = 0, base = Date.now()): string {
  return new Date(Math.floor(base / 1000) * 1000 + plus * 1000).toISOString().replace('.000Z', 'Z');
}

export function periods(
  ...pairs: [number, number][]
): [ChargingSchedulePeriodType, ...ChargingSchedulePeriodType[]] {
  return pairs.map(([startPeriod, limit]) => ({ startPeriod, limit })) as [
    ChargingSchedulePeriodType,
    ...ChargingSchedulePeriodType[],
  ];
}

/** An Absolute profile (TxDefaultProfile unless said) starting now with one period of 16 A. */
export function chargingProfile(
  extra: Partial<Omit<ChargingProfileType, 'chargingSchedule'>> = {},
  schedule: Partial<ChargingScheduleType> = {},
): ChargingProfileType {
  return {
    id: 1,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Absolute',
    ...extra,
    chargingSchedule: [
      {
        id: 1,
        startSchedule: instant(),
        chargingRateUnit: 'A',
        chargingSchedulePeriod: periods([0, 16]),
        ...schedule,
      },
    ],
  };
}

/** The first-period limit of `evseId` in a set of host schedules. */
export function limitNow(schedules: CompositeScheduleDetails[], evseId: number): number | undefined {
  return schedules.find((s) => s.schedule.evseId === evseId)?.schedule.chargingSchedulePeriod[0].limit;
}

/** An OCPP-J CALLERROR code from a rejected `csms.call`. */
export function rpcErrorCode(error: unknown): string | undefined {
  return (error as { rpcErrorCode?: string }).rpcErrorCode;
}
