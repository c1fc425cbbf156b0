/**
 * `log-upload`: one GetLog upload at a time (N01), invoked by the station with systemId
 * `log-upload`. Uploading, then Uploaded; a failed attempt is retried `retries` times
 * `retryInterval` apart (the wait is an absolute instant for the `deadline` actor) before
 * UploadFailure (N01.FR.10: only after all retries); a new GetLog cancels the running upload, which
 * reports AcceptedCanceled (N01.FR.12/20), and starts. Every status carries the requestId (N01.FR.07).
 *
 * The chart keeps no clock: an attempt reports the instant it ended. Its snapshot is persisted
 * (src/logging/log-upload-persistence.ts): restored into `uploading`, the re-run `upload` actor
 * uploads the file again and the statuses continue with the same requestId; restored into
 * `retryWait`, the deadline re-arms (DESIGN.md, "Restore is not a transition").
 */
import { assign, enqueueActions, fromPromise, setup } from 'xstate';
import type { UploadLogStatusEnumType } from '../src/generated/ocpp-types.js';
import { addSeconds, deadlineActor } from './deadline.js';

/** An accepted GetLogRequest. */
export interface LogUploadRequest {
  requestId: number;
  logType: 'DiagnosticsLog' | 'SecurityLog';
  remoteLocation: string;
  oldestTimestamp: string | null;
  latestTimestamp: string | null;
  /** The file name announced in the GetLogResponse (N01.FR.01). */
  filename: string;
  retries: number;
  retryIntervalS: number;
}

/** What an upload attempt ended with. */
export type UploadResult = { ok: true; at: string } | { ok: false; reason: string; at: string };

export interface LogUploadContext {
  request: LogUploadRequest | null;
  attempts: number;
  retryAt: string | null;
  lastStatus: UploadLogStatusEnumType | null;
  lastRequestId: number | null;
}

export interface LogUploadInput {
  /** A persisted snapshot to resume (src/runtime/restorable.ts). */
  restore?: unknown;
}

export type LogUploadEvent = { type: 'log.upload'; request: LogUploadRequest };

export const logUploadMachine = setup({
  types: {
    context: {} as LogUploadContext,
    input: {} as LogUploadInput,
    events: {} as LogUploadEvent,
  },
  actors: {
    deadline: deadlineActor,
    // Provided by src/: collects the log and uploads it; resolves (never rejects) with the outcome.
    upload: fromPromise<UploadResult, { request: LogUploadRequest; attempt: number }>(async () => {
      throw new Error('upload actor not provided');
    }),
  },
  actions: {
    // Provided by src/: LogStatusNotificationRequest.
    sendStatus: (_, _params: { status: UploadLogStatusEnumType; requestId: number }) => undefined,
    status: enqueueActions(({ context, enqueue }, params: { status: UploadLogStatusEnumType }) => {
      const requestId = context.request?.requestId;
      if (requestId === undefined) return;
      if (context.lastStatus === params.status && context.lastRequestId === requestId) return;
      enqueue.assign({ lastStatus: params.status, lastRequestId: requestId });
      enqueue({ type: 'sendStatus', params: { status: params.status, requestId } } as never);
    }),
    start: assign(({ event }) => ({ request: event.request, attempts: 0, retryAt: null })),
  },
}).createMachine({
  id: 'logUpload',
  context: { request: null, attempts: 0, retryAt: null, lastStatus: null, lastRequestId: null },
  initial: 'idle',
  states: {
    idle: {
      on: { 'log.upload': { target: 'busy', actions: 'start' } },
    },
    busy: {
      initial: 'uploading',
      on: {
        // N01.FR.12/20: the running upload is cancelled (AcceptedCanceled), the new one starts.
        'log.upload': {
          target: '.uploading',
          reenter: true,
          actions: [{ type: 'status', params: { status: 'AcceptedCanceled' } }, 'start'],
        },
      },
      states: {
        uploading: {
          entry: [
            // N01.FR.08.
            { type: 'status', params: { status: 'Uploading' } },
            assign({ attempts: ({ context }) => context.attempts + 1 }),
          ],
          invoke: {
            src: 'upload',
            input: ({ context }) => ({ request: context.request as LogUploadRequest, attempt: context.attempts }),
            onDone: [
              {
                // N01.FR.09.
                guard: ({ event }) => event.output.ok,
                target: '#logUpload.idle',
                actions: { type: 'status', params: { status: 'Uploaded' } },
              },
              {
                guard: ({ context }) => context.attempts <= (context.request?.retries ?? 0),
                target: 'retryWait',
                actions: assign({
                  retryAt: ({ context, event }) => addSeconds(event.output.at, context.request?.retryIntervalS ?? 0),
                }),
              },
              // N01.FR.10: after every retry failed.
              { target: '#logUpload.idle', actions: { type: 'status', params: { status: 'UploadFailure' } } },
            ],
          },
        },
        retryWait: {
          invoke: { src: 'deadline', input: ({ context }) => ({ until: context.retryAt }), onDone: 'uploading' },
        },
      },
    },
  },
});
