/**
 * The station's side of GetLog (N01): the `log-upload` actor's effects (the selected lines of the
 * security or OCPP message log, uploaded over http(s) or ftp(s); LogStatusNotification, durable and
 * keyed by requestId and status so a restored actor never queues one twice), the answer to a
 * GetLogRequest, and what a triggered LogStatusNotification says.
 */
import type { Actor } from 'xstate';
import type { AnyActorSystem } from '../runtime/system-effects.js';
import { fromPromise } from 'xstate';
import { logUploadMachine, type LogUploadContext, type LogUploadRequest, type UploadResult } from '../../machines/log-upload.js';
import type { stationMachine } from '../../machines/station.js';
import type { StationClock } from '../clock.js';
import type { UploadLogStatusEnumType } from '../generated/ocpp-types.js';
import type { MessageQueue } from '../queue/message-queue.js';
import { deadlineActor } from '../runtime/deadline.js';
import type { TimerScheduler } from '../runtime/timers.js';
import { TransferError } from '../firmware/transfer-error.js';
import { restorable } from '../runtime/restorable.js';
import { LOG_UPLOAD_ACTOR_ID } from './log-upload-persistence.js';
import type { StationLogs } from './station-logs.js';
import { uploadFile } from './upload.js';

export { LOG_UPLOAD_ACTOR_ID } from './log-upload-persistence.js';

/**
 * The dedupe key of a LogStatusNotification.
 *
 * @example
 * logStatusKey(7, 'Uploading'); // 'log:7:Uploading'
 */
export function logStatusKey(requestId: number, status: UploadLogStatusEnumType): string {
  return `log:${requestId}:${status}`;
}

export interface StationLogUploadPorts {
  logs: StationLogs;
  clock: StationClock;
  timers: TimerScheduler;
  queue: MessageQueue;
  ca(): readonly string[] | undefined;
  station(): Actor<typeof stationMachine> | null;
  reportError(error: unknown): void;
}

/**
 * @example
 * const uploads = new StationLogUpload(ports);
 * stationMachine.provide({ actors: { logUpload: provideLogUploadMachine(() => uploads.effects()) } });
 */
export class StationLogUpload {
  /** The last status a host-run upload reported (hostStatus). */
  private hostLast: { status: UploadLogStatusEnumType; requestId: number } | null = null;

  constructor(private readonly ports: StationLogUploadPorts) {}

  /**
   * libocpp's on_log_status_notification: a host that uploads itself (getLogRequestCallback)
   * reports a step; sent as LogStatusNotification and remembered for TriggerMessage.
   *
   * @example
   * uploads.hostStatus('Uploading', 3);
   */
  hostStatus(status: UploadLogStatusEnumType, requestId: number): void {
    this.hostLast = { status, requestId };
    this.ports.queue
      .send('LogStatusNotification', { status, requestId }, { durable: true })
      .catch((error: unknown) => this.ports.reportError(error));
  }

  /** The ports the provided `log-upload` chart ({@link provideLogUploadMachine}) finds through the actor system. */
  effects(): StationLogUploadPorts {
    return this.ports;
  }

  private actor() {
    return this.ports.station()?.system.get(LOG_UPLOAD_ACTOR_ID);
  }

  /**
   * The answer to a GetLogRequest now (Accepted, or AcceptedCanceled while one runs, N01.FR.12) and
   * `start`, to be run once the response is sent (Uploading follows it).
   *
   * @example
   * const { status, start } = uploads.request(request); ctx.afterResponse(start);
   */
  request(request: LogUploadRequest): { status: 'Accepted' | 'AcceptedCanceled' | 'Rejected'; start(): void } {
    const station = this.ports.station();
    // The log-upload actor starts at the first request (issue 9: an idle fleet station runs none).
    if (station && this.actor() === undefined) station.send({ type: 'service.start', service: 'log-upload' });
    const actor = this.actor();
    const snapshot = actor?.getSnapshot() as { matches(value: unknown): boolean } | undefined;
    if (!actor || !snapshot) return { status: 'Rejected', start: () => undefined };
    return {
      status: snapshot.matches('idle') ? 'Accepted' : 'AcceptedCanceled',
      start: () => actor.send({ type: 'log.upload', request }),
    };
  }

  /**
   * F06.FR.15 / N01.FR.13: Idle when no upload runs, else the current status with its requestId.
   *
   * @example
   * uploads.triggeredStatus(); // { status: 'Uploading', requestId: 7 }
   */
  triggeredStatus(): { status: UploadLogStatusEnumType; requestId?: number } {
    const snapshot = this.actor()?.getSnapshot() as { value?: unknown; context?: LogUploadContext } | undefined;
    const context = snapshot?.context;
    if (!context || snapshot?.value === 'idle' || context.lastStatus === null || context.lastRequestId === null) {
      return this.hostLast?.status === 'Uploading' ? { ...this.hostLast } : { status: 'Idle' };
    }
    return { status: context.lastStatus, requestId: context.lastRequestId };
  }
}

/**
 * The `log-upload` chart with its effects, restorable from its snapshot; `portsOf` finds the station's ports from the actor
 * system, so one provided machine serves every station of a process.
 *
 * @example
 * stationMachine.provide({ actors: { logUpload: provideLogUploadMachine(() => uploads.effects()) } });
 */
export function provideLogUploadMachine(portsOf: (system: AnyActorSystem) => StationLogUploadPorts) {
  return restorable(provided(portsOf));
}

/** The chart with its effects (restorable() wraps it so a stored snapshot resumes it). */
function provided(portsOf: (system: AnyActorSystem) => StationLogUploadPorts) {
  return logUploadMachine.provide({
    actors: {
      deadline: deadlineActor(portsOf),
      upload: fromPromise<UploadResult, { request: LogUploadRequest; attempt: number }>(
        async ({ input, signal, system }) => {
          const ports = portsOf(system);
          const { request } = input;
          try {
            const lines = ports.logs.log(request.logType).lines({
              ...(request.oldestTimestamp === null ? {} : { oldest: request.oldestTimestamp }),
              ...(request.latestTimestamp === null ? {} : { latest: request.latestTimestamp }),
            });
            const content = Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
            await uploadFile(request.remoteLocation, request.filename, content, { ca: ports.ca(), signal });
            return { ok: true, at: ports.clock.nowIso() };
          } catch (error) {
            const reason = error instanceof TransferError ? error.reason : String(error);
            if (signal.aborted) return { ok: false, reason: 'cancelled', at: ports.clock.nowIso() };
            ports.reportError(
              new TransferError(request.remoteLocation, `log upload ${request.requestId} attempt ${input.attempt}: ${reason}`, {
                cause: error,
              }),
            );
            return { ok: false, reason, at: ports.clock.nowIso() };
          }
        },
      ),
    },
    actions: {
      sendStatus: ({ system }, { status, requestId }) => {
        const ports = portsOf(system);
        ports.queue
          .send('LogStatusNotification', { status, requestId }, { durable: true, dedupeKey: logStatusKey(requestId, status) })
          .catch((error: unknown) => ports.reportError(error));
      },
    },
  });
}
