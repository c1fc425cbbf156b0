/**
 * The `firmware` chart (machines/firmware.ts) with its effects: downloads over http(s) into the
 * station's firmware directory, the signature check, FirmwareStatusNotification (durable, keyed by
 * requestId and status so a restored actor never queues one twice), the connectors held Unavailable
 * (L01.FR.07), the wait for the transactions, and the installation through the host.
 *
 * Installing must not run twice (DESIGN.md): when the station starts from a snapshot taken in
 * `installing` or `rebooting`, the re-run `install`/`reboot` actor does not call the host again; it
 * reports what happened: Installed when the station booted with reason FirmwareUpdate (it rebooted
 * into the new firmware), InstallationFailed otherwise (the power went while installing).
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fromPromise } from 'xstate';
import type { AnyActorSystem } from '../runtime/system-effects.js';
import {
  firmwareMachine,
  type DownloadResult,
  type InstallInput,
  type InstallOutcome,
} from '../../machines/firmware.js';
import type { ChargePointCallbacks } from '../callbacks.js';
import type { StationClock } from '../clock.js';
import type { BootReasonEnumType, FirmwareStatusEnumType } from '../generated/ocpp-types.js';
import type { MessageQueue } from '../queue/message-queue.js';
import { deadlineActor } from '../runtime/deadline.js';
import { restorable } from '../runtime/restorable.js';
import type { TimerScheduler } from '../runtime/timers.js';
import { downloadFile, redactUrl, TransferError } from './download.js';
import { verifyFileSignature } from './firmware-signature.js';

/** Where a restored `firmware` actor was (the install it must not repeat). */
export interface ResumedInstall {
  state: 'installing' | 'rebooting';
  requestId: number;
}

export interface FirmwareEffects {
  clock: StationClock;
  timers: TimerScheduler;
  queue: MessageQueue;
  /** Guarded notification callbacks and the host's installFirmwareCallback / resetCallback. */
  callbacks: ChargePointCallbacks;
  /** Directory of downloaded firmware files. */
  directory: string;
  /** Extra trusted roots for https downloads (PEM). */
  ca(): readonly string[] | undefined;
  bootReason: BootReasonEnumType;
  /** Set at start when the stored snapshot was in `installing`/`rebooting`; taken once. */
  resumed: { value: ResumedInstall | null };
  /** L01.FR.07: makes the idle connectors Unavailable; resolves whether it did. */
  hold(): Promise<boolean>;
  /** Makes the connectors held by {@link hold} available again. */
  release(): void;
  /** Whether a transaction runs now. */
  transactionsRunning(): boolean;
  /** Resolves once no transaction runs (or never, when `signal` aborts first). */
  transactionsIdle(signal: AbortSignal): Promise<void>;
  /** Everything decided so far is stored (the snapshot in `rebooting` included). */
  flushed(): Promise<void>;
  /** B01.FR.09: the reason of the next boot. */
  recordBootReason(reason: BootReasonEnumType): Promise<void>;
  /** The last status message is answered (or given up) before the reboot; bounded by MessageTimeout. */
  delivered(sent: Promise<unknown>): Promise<void>;
  /** Installation outcomes the host reports later (ChargePoint.onFirmwareInstalled). */
  pendingInstalls: Map<number, (outcome: InstallOutcome) => void>;
  /**
   * Runs work on the firmware directory (a download, a discard) so that the station's stop waits
   * for it: a stopped station touches no file (StationFirmware.settled).
   */
  fileWork<T>(work: () => Promise<T>): Promise<T>;
  securityEvent(type: string, techInfo: string): void;
  reportError(error: unknown): void;
}

/**
 * The dedupe key of a FirmwareStatusNotification.
 *
 * @example
 * firmwareStatusKey(7, 'Downloading'); // 'firmware:7:Downloading'
 * firmwareStatusKey(7, 'DownloadPaused', 1); // 'firmware:7:DownloadPaused:1'
 */
export function firmwareStatusKey(requestId: number, status: FirmwareStatusEnumType, attempt = 0): string {
  // A retried download repeats Downloading and DownloadPaused (L01.FR.14/30): one key per attempt.
  const repeats = (status === 'Downloading' || status === 'DownloadPaused') && attempt > 0;
  return repeats ? `firmware:${requestId}:${status}:${attempt}` : `firmware:${requestId}:${status}`;
}

/** The last FirmwareStatusNotification each station queued (what a reboot waits for, L01.FR.15). */
const lastSent = new WeakMap<FirmwareEffects, Promise<unknown>>();

/** Takes the resumed install of a restored actor, once: true when it is `state` of `requestId`. */
function takeResumed(effects: FirmwareEffects, state: ResumedInstall['state'], requestId: number): boolean {
  const resumed = effects.resumed.value;
  if (!resumed || resumed.state !== state || resumed.requestId !== requestId) return false;
  effects.resumed.value = null;
  return true;
}

/** What a re-run install or reboot reports after a restart (see the file comment). */
const afterRestart = (effects: FirmwareEffects): InstallOutcome =>
  effects.bootReason === 'FirmwareUpdate' ? 'Installed' : 'InstallationFailed';

/** One download attempt into the firmware directory (L01.FR.30: its failure is reported, then retried). */
async function download(
  effects: FirmwareEffects,
  input: { requestId: number; location: string; attempt: number },
  signal: AbortSignal,
): Promise<DownloadResult> {
  const file = path.join(effects.directory, `firmware-${input.requestId}.bin`);
  const cancelled = (): DownloadResult => ({ ok: false, reason: 'cancelled', at: effects.clock.nowIso() });
  try {
    await mkdir(effects.directory, { recursive: true });
    // Cancelled while the directory was made: no transfer starts (and no file is created).
    if (signal.aborted) return cancelled();
    await downloadFile(input.location, file, { ca: effects.ca(), signal });
    return { ok: true, file, at: effects.clock.nowIso() };
  } catch (error) {
    // Cancelled (a new request, the station stops): nobody waits for this outcome.
    if (signal.aborted) return cancelled();
    const reason = error instanceof TransferError ? error.reason : String(error);
    effects.reportError(
      new TransferError(input.location, `attempt ${input.attempt} for requestId ${input.requestId}: ${reason}`, {
        cause: error,
      }),
    );
    return { ok: false, reason, at: effects.clock.nowIso() };
  }
}

/**
 * The provided chart; `effectsOf` finds the station's firmware effects from the actor system, so
 * one provided machine serves every station of a process.
 *
 * @example
 * const firmware = provideFirmwareMachine(() => effects);
 * stationMachine.provide({ actors: { firmware } });
 */
export function provideFirmwareMachine(effectsOf: (system: AnyActorSystem) => FirmwareEffects) {
  return restorable(
    firmwareMachine.provide({
      actors: {
        deadline: deadlineActor(effectsOf),
        download: fromPromise<DownloadResult, { requestId: number; location: string; attempt: number }>(
          ({ input, signal, system }) => {
            const effects = effectsOf(system);
            // Stopping aborts the transfer, but its mkdir and the removal of the partial file go on
            // after the abort: the stop waits for them (fileWork). Else a host that removes the
            // directory once stop() resolved finds it made again, or its removal fails ENOTEMPTY
            // (test/fleet/stop-leaves-nothing.test.ts).
            return effects.fileWork(() => download(effects, input, signal));
          },
        ),
        verify: fromPromise<boolean, { requestId: number; file: string; certificate: string; signature: string }>(
          async ({ input }) => verifyFileSignature(input.file, input.certificate, input.signature),
        ),
        hold: fromPromise<boolean, { requestId: number }>(({ system }) => effectsOf(system).hold()),
        transactionsRunning: fromPromise<boolean, { requestId: number }>(async ({ system }) =>
          effectsOf(system).transactionsRunning(),
        ),
        transactionsIdle: fromPromise<void, { requestId: number }>(({ signal, system }) =>
          effectsOf(system).transactionsIdle(signal),
        ),
        install: fromPromise<InstallOutcome, InstallInput>(async ({ input, system }) => {
          const effects = effectsOf(system);
          if (takeResumed(effects, 'installing', input.requestId)) return afterRestart(effects);
          const install = effects.callbacks.installFirmwareCallback;
          if (!install) return 'InstallationFailed';
          // The snapshot in `installing` is stored before the host starts: a restart never installs again.
          await effects.flushed();
          const later = new Promise<InstallOutcome>((resolve) => effects.pendingInstalls.set(input.requestId, resolve));
          try {
            const outcome = await install({
              requestId: input.requestId,
              file: input.file,
              location: redactUrl(input.location),
              signed: input.signed,
            });
            if (outcome) return outcome;
            return await later;
          } finally {
            effects.pendingInstalls.delete(input.requestId);
          }
        }),
        reboot: fromPromise<InstallOutcome, { requestId: number }>(async ({ input, system }) => {
          const effects = effectsOf(system);
          if (takeResumed(effects, 'rebooting', input.requestId)) return afterRestart(effects);
          const reset = effects.callbacks.resetCallback;
          if (!reset) return 'InstallationFailed';
          // L01.FR.15: InstallRebooting goes out (or is stored) before the reboot; B01.FR.09 the reason.
          await effects.flushed();
          await effects.delivered(lastSent.get(effects) ?? Promise.resolve());
          await effects.recordBootReason('FirmwareUpdate');
          await reset(undefined, 'Immediate');
          // The host reboots: the next start resumes in `rebooting` and reports the outcome.
          return new Promise<InstallOutcome>(() => undefined);
        }),
      },
      actions: {
        sendStatus: ({ system }, { status, requestId, attempt }) => {
          const effects = effectsOf(system);
          const sent = effects.queue
            .send(
              'FirmwareStatusNotification',
              { status, requestId },
              { durable: true, dedupeKey: firmwareStatusKey(requestId, status, attempt) },
            )
            .catch((error: unknown) => effects.reportError(error));
          lastSent.set(effects, sent);
          effects.callbacks.firmwareStatusCallback?.(status, requestId);
        },
        securityEvent: ({ system }, { type, techInfo }) => effectsOf(system).securityEvent(type, techInfo),
        release: ({ system }) => effectsOf(system).release(),
        discard: ({ system }, { file }) => {
          const effects = effectsOf(system);
          // Waited for by the stop (fileWork): entered as an install resolves, it often runs while the station stops.
          void effects.fileWork(() => rm(file, { force: true })).catch((error: unknown) => effects.reportError(error));
        },
        reply: ({ event }, { status }) => (event as { reply?: (status: unknown) => void }).reply?.(status),
      },
    }),
  );
}
