/**
 * The boot reason of one start (B01.FR.09). A reset records why the next boot happens
 * (src/handlers/reset.ts); that record is read at start and forgotten only once a BootNotification
 * of this start was answered Accepted: a crash or stop before that (no answer, Pending, Rejected)
 * reports the same reason again at the next start instead of PowerUp.
 */
import type { Kysely } from 'kysely';
import type { ChargePointCallbacks } from '../callbacks.js';
import type { BootReasonEnumType } from '../generated/ocpp-types.js';
import type { Database } from '../store/schema.js';
import { clearPendingBootReason, readPendingBootReason } from '../store/station-state.js';

/** Boot reasons of a reboot the station carried out itself, so it closed its connection moments ago. */
const OWN_REBOOTS: ReadonlySet<BootReasonEnumType> = new Set([
  'RemoteReset',
  'ScheduledReset',
  'LocalReset',
  'ApplicationReset',
  'FirmwareUpdate',
]);

/**
 * Did the station close its previous connection itself before this start (a reboot it carried
 * out)? Then its first connection waits the reconnect back-off (Part 4 §5.3), so that it does not
 * race with the CSMS still tearing the old one down.
 *
 * @example
 * rebootedItself('RemoteReset'); // true
 * rebootedItself('PowerUp'); // false
 */
export function rebootedItself(reason: BootReasonEnumType): boolean {
  return OWN_REBOOTS.has(reason);
}

export interface BootReasonOfStart {
  /** The reason every BootNotification of this start carries (except a triggered one). */
  reason: BootReasonEnumType;
  /** The host's callbacks, with bootNotificationCallback also forgetting the recorded reason on Accepted. */
  callbacks: ChargePointCallbacks;
  /** Resolves once forgetting the reason, if started, has finished: await it before closing the store. */
  settled(): Promise<void>;
}

export interface BootReasonOptions {
  db: Kysely<Database>;
  stationId: string;
  /** A reason the host gave for this start: it wins, and the recorded one is left for the next start. */
  given?: BootReasonEnumType;
  callbacks: ChargePointCallbacks;
  /** Where a failure to forget the reason goes (the reason is then reported once more, at the next start). */
  onError: (error: unknown) => void;
}

/**
 * Reads the boot reason of this start and wraps bootNotificationCallback so that the recorded
 * reason is forgotten after the first BootNotificationResponse with status Accepted (and only if it
 * is still the one read: a reason recorded by this run's own Reset stays).
 *
 * @example
 * const boot = await bootReasonOfStart({ db: store.db, stationId: 'CS-1', callbacks, onError: console.error });
 * new StationRuntime({ ...options, bootReason: boot.reason, callbacks: boot.callbacks });
 * // at stop: await runtime.stop(); await boot.settled(); await store.close();
 */
export async function bootReasonOfStart(options: BootReasonOptions): Promise<BootReasonOfStart> {
  const { db, stationId, callbacks } = options;
  if (options.given !== undefined) {
    return { reason: options.given, callbacks, settled: () => Promise.resolve() };
  }
  const recorded = await readPendingBootReason(db, stationId);
  if (recorded === 'PowerUp') return { reason: recorded, callbacks, settled: () => Promise.resolve() };
  let clearing: Promise<void> | null = null;
  const host = callbacks.bootNotificationCallback;
  return {
    reason: recorded,
    callbacks: {
      ...callbacks,
      bootNotificationCallback: (response) => {
        // B01.FR.09: the CSMS has the reason once a BootNotification carrying it is Accepted.
        if (response.status === 'Accepted' && clearing === null) {
          clearing = clearPendingBootReason(db, stationId, recorded).catch(options.onError);
        }
        host?.(response);
      },
    },
    settled: () => clearing ?? Promise.resolve(),
  };
}
