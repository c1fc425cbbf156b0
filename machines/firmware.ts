/**
 * `firmware`: one firmware update at a time (L01 secure, L02 non-secure), invoked by the station with
 * systemId `firmware`. It downloads (with `retries` and `retryInterval`), verifies the signature of a
 * signed update, waits for `installDateTime` and for the transactions to end (the connectors made
 * Unavailable meanwhile, L01.FR.07), then installs through the host; each state it enters is told
 * to the CSMS with a FirmwareStatusNotification carrying the request's requestId (L01.FR.01/10).
 *
 * Waits that must survive a power loss (retrieveDateTime, the retry interval, installDateTime) are
 * absolute instants handed to the `deadline` actor. Installing is an effect that must never run
 * twice: src/ knows whether this actor was restored into `installing` or `rebooting`, and then
 * reports what happened instead of installing again (DESIGN.md, "Restore is not a transition").
 *
 * The chart never reads a clock: the request carries the instant it was received, and every
 * download attempt reports the instant it ended.
 */
import { assign, enqueueActions, fromPromise, setup } from 'xstate';
import { addSeconds, deadlineActor } from './deadline.js';
import { instantMs } from './instant.js';
import type { FirmwareStatusEnumType } from '../src/generated/ocpp-types.js';
import type {
  DownloadResult,
  InstallOutcome,
  InstallInput,
  FirmwareReply,
  FirmwareContext,
  FirmwareInput,
  FirmwareEvent,
  StatusParams,
} from './firmware-types.js';

export type {
  FirmwareRequest,
  DownloadResult,
  InstallOutcome,
  InstallInput,
  FirmwareReply,
  FirmwareContext,
  FirmwareInput,
  FirmwareEvent,
  StatusParams,
} from './firmware-types.js';

export const firmwareMachine = setup({
  types: {
    context: {} as FirmwareContext,
    input: {} as FirmwareInput,
    events: {} as FirmwareEvent,
  },
  actors: {
    deadline: deadlineActor,
    // Provided by src/: fetches `location` into a file; resolves (never rejects) with the outcome.
    download: fromPromise<DownloadResult, { requestId: number; location: string; attempt: number }>(async () => {
      throw new Error('download actor not provided');
    }),
    // Provided by src/: L01.FR.04/12 the signature over the whole file, with the signing certificate.
    verify: fromPromise<boolean, { requestId: number; file: string; certificate: string; signature: string }>(
      async () => {
        throw new Error('verify actor not provided');
      },
    ),
    // Provided by src/: L01.FR.07 makes the idle connectors Unavailable when new sessions may not start
    // (AllowNewSessionsPendingFirmwareUpdate); resolves whether it did.
    hold: fromPromise<boolean, { requestId: number }>(async () => {
      throw new Error('hold actor not provided');
    }),
    // Provided by src/: resolves once no transaction runs (L01.FR.06).
    transactionsIdle: fromPromise<void, { requestId: number }>(async () => {
      throw new Error('transactionsIdle actor not provided');
    }),
    // Provided by src/: the host installs (or, restored into `installing`, what happened is reported).
    install: fromPromise<InstallOutcome, InstallInput>(async () => {
      throw new Error('install actor not provided');
    }),
    // Provided by src/: the station reboots into the new firmware (boot reason FirmwareUpdate); a
    // restored actor resolves with the outcome instead of rebooting again.
    reboot: fromPromise<InstallOutcome, { requestId: number }>(async () => {
      throw new Error('reboot actor not provided');
    }),
  },
  actions: {
    // Provided by src/: FirmwareStatusNotificationRequest (durable, in order) and the host's hook.
    sendStatus: (_, _params: { status: FirmwareStatusEnumType; requestId: number }) => undefined,
    // Provided by src/: A04 security event (L01.FR.03 InvalidFirmwareSignature, L01.FR.31 FirmwareUpdated).
    securityEvent: (_, _params: { type: string; techInfo: string }) => undefined,
    // Provided by src/: the connectors held Unavailable by this update become available again.
    release: (_, _params: { requestId: number }) => undefined,
    // Provided by src/: the downloaded file is no longer needed.
    discard: (_, _params: { file: string }) => undefined,
    reply: (_, _params: { status: FirmwareReply }) => undefined,
    // L01.FR.01: a status is sent whenever the update enters a new state (not again for the same one).
    status: enqueueActions(({ context, enqueue }, params: StatusParams) => {
      const requestId = context.request?.requestId;
      if (requestId === undefined) return;
      if (context.lastStatus === params.status && context.lastRequestId === requestId) return;
      enqueue.assign({ lastStatus: params.status, lastRequestId: requestId });
      enqueue({ type: 'sendStatus', params: { status: params.status, requestId } } as never);
    }),
    releaseHeld: enqueueActions(({ context, enqueue }) => {
      if (context.holding && context.request) {
        enqueue({ type: 'release', params: { requestId: context.request.requestId } } as never);
      }
      if (context.file) enqueue({ type: 'discard', params: { file: context.file } } as never);
      enqueue.assign({ holding: false, file: null });
    }),
    start: assign(({ event }) => ({
      request: event.request,
      attempts: 0,
      retryAt: null,
      lastError: null,
      file: null,
      downloadedAt: null,
    })),
  },
  guards: {
    downloadLater: ({ context }) => {
      const r = context.request;
      return r !== null && instantMs(r.retrieveDateTime) > instantMs(r.receivedAt);
    },
    signed: ({ context }) => context.request?.signingCertificate != null && context.request.signature != null,
    installLater: ({ context }) => {
      const at = context.request?.installDateTime;
      return at != null && context.downloadedAt !== null && instantMs(at) > instantMs(context.downloadedAt);
    },
  },
}).createMachine({
  id: 'firmware',
  context: () => ({
    request: null,
    attempts: 0,
    retryAt: null,
    lastError: null,
    file: null,
    downloadedAt: null,
    lastStatus: null,
    lastRequestId: null,
    holding: false,
  }),
  initial: 'idle',
  states: {
    idle: {
      on: {
        'firmware.update': {
          target: 'busy',
          actions: ['start', { type: 'reply', params: { status: 'Accepted' } }],
        },
      },
    },
    busy: {
      initial: 'scheduled',
      on: {
        // L01.FR.24 / L02.FR.15: a new request cancels the one in progress and starts over.
        'firmware.update': {
          target: '.scheduled',
          reenter: true,
          actions: ['releaseHeld', 'start', { type: 'reply', params: { status: 'AcceptedCanceled' } }],
        },
      },
      states: {
        scheduled: {
          always: [
            // L01.FR.13: not downloading yet because retrieveDateTime is in the future.
            { guard: 'downloadLater', target: 'downloadScheduled' },
            { target: 'downloading' },
          ],
        },
        downloadScheduled: {
          entry: { type: 'status', params: { status: 'DownloadScheduled' } },
          invoke: {
            src: 'deadline',
            input: ({ context }) => ({ until: context.request?.retrieveDateTime ?? null }),
            onDone: 'downloading',
          },
        },
        downloading: {
          entry: [
            { type: 'status', params: { status: 'Downloading' } },
            assign({ attempts: ({ context }) => context.attempts + 1 }),
          ],
          invoke: {
            src: 'download',
            input: ({ context }) => ({
              requestId: context.request?.requestId ?? 0,
              location: context.request?.location ?? '',
              attempt: context.attempts,
            }),
            onDone: [
              {
                guard: ({ event }) => event.output.ok,
                target: 'downloaded',
                actions: assign(({ event }) => ({
                  file: event.output.ok ? event.output.file : null,
                  downloadedAt: event.output.at,
                  lastError: null,
                })),
              },
              {
                // `retries` further attempts, `retryInterval` apart.
                guard: ({ context }) => context.attempts <= (context.request?.retries ?? 0),
                target: 'retryWait',
                actions: assign(({ context, event }) => ({
                  retryAt: addSeconds(event.output.at, context.request?.retryIntervalS ?? 0),
                  lastError: event.output.ok ? null : event.output.reason,
                })),
              },
              {
                // L01.FR.30: every attempt failed.
                target: '#firmware.idle',
                actions: [
                  assign({ lastError: ({ event }) => (event.output.ok ? null : event.output.reason) }),
                  { type: 'status', params: { status: 'DownloadFailed' } },
                  'releaseHeld',
                ],
              },
            ],
          },
        },
        retryWait: {
          invoke: {
            src: 'deadline',
            input: ({ context }) => ({ until: context.retryAt }),
            onDone: 'downloading',
          },
        },
        downloaded: {
          entry: { type: 'status', params: { status: 'Downloaded' } },
          always: [{ guard: 'signed', target: 'verifying' }, { target: 'installPending' }],
        },
        verifying: {
          invoke: {
            src: 'verify',
            input: ({ context }) => ({
              requestId: context.request?.requestId ?? 0,
              file: context.file ?? '',
              certificate: context.request?.signingCertificate ?? '',
              signature: context.request?.signature ?? '',
            }),
            onDone: [
              {
                guard: ({ event }) => event.output,
                target: 'installPending',
                actions: { type: 'status', params: { status: 'SignatureVerified' } },
              },
              {
                // L01.FR.03: InvalidSignature, and the security event.
                target: '#firmware.idle',
                actions: [
                  { type: 'status', params: { status: 'InvalidSignature' } },
                  {
                    type: 'securityEvent',
                    params: ({ context }) => ({
                      type: 'InvalidFirmwareSignature',
                      techInfo: `requestId ${context.request?.requestId ?? '?'}`,
                    }),
                  },
                  'releaseHeld',
                ],
              },
            ],
            onError: {
              target: '#firmware.idle',
              actions: [{ type: 'status', params: { status: 'InvalidSignature' } }, 'releaseHeld'],
            },
          },
        },
        installPending: {
          always: [{ guard: 'installLater', target: 'installScheduled' }, { target: 'holding' }],
        },
        installScheduled: {
          // L01.FR.16: InstallScheduled, then install at installDateTime.
          entry: { type: 'status', params: { status: 'InstallScheduled' } },
          invoke: {
            src: 'deadline',
            input: ({ context }) => ({ until: context.request?.installDateTime ?? null }),
            onDone: 'holding',
          },
        },
        holding: {
          invoke: {
            src: 'hold',
            input: ({ context }) => ({ requestId: context.request?.requestId ?? 0 }),
            // A restored actor that held already keeps holding (the re-run finds nothing to do).
            onDone: {
              target: 'waitingForIdle',
              actions: assign({ holding: ({ context, event }) => context.holding || event.output }),
            },
            onError: 'waitingForIdle',
          },
        },
        waitingForIdle: {
          // L01.FR.06/33: install once every transaction has ended.
          invoke: {
            src: 'transactionsIdle',
            input: ({ context }) => ({ requestId: context.request?.requestId ?? 0 }),
            onDone: 'installing',
          },
        },
        installing: {
          entry: { type: 'status', params: { status: 'Installing' } },
          on: {
            // L01.FR.27: an installation that has begun cannot be cancelled.
            'firmware.update': { actions: { type: 'reply', params: { status: 'Rejected' } } },
          },
          invoke: {
            src: 'install',
            input: ({ context }) => ({
              requestId: context.request?.requestId ?? 0,
              file: context.file ?? '',
              location: context.request?.location ?? '',
              signed: context.request?.signingCertificate != null && context.request.signature != null,
            }),
            onDone: [
              { guard: ({ event }) => event.output === 'Installed', target: 'installed' },
              { guard: ({ event }) => event.output === 'RebootRequired', target: 'rebooting' },
              {
                // L01.FR.29: InstallVerificationFailed, or InstallationFailed.
                target: '#firmware.idle',
                actions: [
                  {
                    type: 'status',
                    params: ({ event }) => ({
                      status: event.output === 'InstallVerificationFailed' ? 'InstallVerificationFailed' : 'InstallationFailed',
                    }),
                  },
                  'releaseHeld',
                ],
              },
            ],
            onError: {
              target: '#firmware.idle',
              actions: [{ type: 'status', params: { status: 'InstallationFailed' } }, 'releaseHeld'],
            },
          },
        },
        rebooting: {
          // L01.FR.15/32: InstallRebooting before the reboot; Installed once running the new firmware.
          entry: { type: 'status', params: { status: 'InstallRebooting' } },
          on: { 'firmware.update': { actions: { type: 'reply', params: { status: 'Rejected' } } } },
          invoke: {
            src: 'reboot',
            input: ({ context }) => ({ requestId: context.request?.requestId ?? 0 }),
            onDone: [
              { guard: ({ event }) => event.output === 'Installed', target: 'installed' },
              {
                target: '#firmware.idle',
                actions: [
                  {
                    type: 'status',
                    params: ({ event }) => ({
                      status: event.output === 'InstallVerificationFailed' ? 'InstallVerificationFailed' : 'InstallationFailed',
                    }),
                  },
                  'releaseHeld',
                ],
              },
            ],
            onError: {
              target: '#firmware.idle',
              actions: [{ type: 'status', params: { status: 'InstallationFailed' } }, 'releaseHeld'],
            },
          },
        },
        installed: {
          // L01.FR.28 Installed; L01.FR.31 the security event FirmwareUpdated.
          entry: [
            { type: 'status', params: { status: 'Installed' } },
            {
              type: 'securityEvent',
              params: ({ context }) => ({
                type: 'FirmwareUpdated',
                techInfo: `requestId ${context.request?.requestId ?? '?'}`,
              }),
            },
            'releaseHeld',
          ],
          always: '#firmware.idle',
        },
      },
    },
  },
});
