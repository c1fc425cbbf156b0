/**
 * `firmware`: one firmware update at a time (L01 secure, L02 non-secure), invoked by the station with
 * systemId `firmware`. It downloads (with `retries` and `retryInterval`), verifies the signature of a
 * signed update, waits for `installDateTime` and for the transactions to end (the connectors made
 * Unavailable meanwhile, L01.FR.07), then installs through the host; each state it enters is told
 * to the CSMS with a FirmwareStatusNotification carrying the request's requestId (L01.FR.01/10).
 * What may happen while a transaction runs is the station's capability, carried by the request
 * (`duringTransaction`: none, download, all; machines/firmware-types.ts).
 *
 * Waits that must survive a power loss (retrieveDateTime, the retry interval, installDateTime) are
 * absolute instants handed to the `deadline` actor. Installing is an effect that must never run
 * twice: src/ knows whether this actor was restored into `installing` or `rebooting`, and then
 * reports what happened instead of installing again (DESIGN.md, "Restore is not a transition").
 * The states tagged `installed` come after the host began installing: the update can no longer be
 * cancelled there (L01.FR.27).
 *
 * The chart never reads a clock: the request carries the instant it was received, and every
 * download attempt reports the instant it ended.
 */
import { assign } from 'xstate';
import { addSeconds } from './deadline.js';
import { firmwareSetup } from './firmware-setup.js';

export type {
  FirmwareRequest,
  FirmwareDuringTransaction,
  DownloadResult,
  InstallOutcome,
  InstallInput,
  FirmwareReply,
  FirmwareContext,
  FirmwareInput,
  FirmwareEvent,
  StatusParams,
} from './firmware-types.js';

/** The tag of the states where the host has begun installing (L01.FR.27: no cancelling). */
export const FIRMWARE_INSTALL_TAG = 'installStarted';

const requestIdOf = ({ context }: { context: { request: { requestId: number } | null } }) => ({
  requestId: context.request?.requestId ?? 0,
});
// L01.FR.27: an installation that has begun cannot be cancelled.
const refuseNewRequest = { 'firmware.update': { actions: { type: 'reply', params: { status: 'Rejected' } } } } as const;

export const firmwareMachine = firmwareSetup.createMachine({
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
            { target: 'downloadGate' },
          ],
        },
        downloadScheduled: {
          entry: { type: 'status', params: { status: 'DownloadScheduled' } },
          invoke: {
            src: 'deadline',
            input: ({ context }) => ({ until: context.request?.retrieveDateTime ?? null }),
            onDone: 'downloadGate',
          },
        },
        downloadGate: {
          always: [{ guard: 'downloadWaitsForTransactions', target: 'downloadChecking' }, { target: 'downloading' }],
        },
        downloadChecking: {
          // `none`: a station that cannot download while charging first looks whether it is charging.
          invoke: {
            src: 'transactionsRunning',
            input: requestIdOf,
            onDone: [{ guard: 'running', target: 'downloadHolding' }, { target: 'downloading' }],
            onError: 'downloading',
          },
        },
        downloadHolding: {
          // L01.FR.13: DownloadScheduled "because it is busy charging"; L01.FR.07: no new sessions
          // meanwhile (they could keep the update from ever starting).
          entry: { type: 'status', params: { status: 'DownloadScheduled' } },
          invoke: { src: 'hold', input: requestIdOf, onDone: { target: 'downloadWaiting', actions: 'held' }, onError: 'downloadWaiting' },
        },
        downloadWaiting: {
          invoke: { src: 'transactionsIdle', input: requestIdOf, onDone: 'downloading' },
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
            onDone: 'downloadGate',
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
              { target: 'signatureInvalid' },
            ],
            // An unreadable file cannot be verified either.
            onError: 'signatureInvalid',
          },
        },
        signatureInvalid: {
          // L01.FR.03: InvalidSignature, and the security event.
          entry: [
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
          always: '#firmware.idle',
        },
        installPending: {
          always: [{ guard: 'installLater', target: 'installScheduled' }, { target: 'installGate' }],
        },
        installScheduled: {
          // L01.FR.16: InstallScheduled, then install at installDateTime.
          entry: { type: 'status', params: { status: 'InstallScheduled' } },
          invoke: {
            src: 'deadline',
            input: ({ context }) => ({ until: context.request?.installDateTime ?? null }),
            onDone: 'installGate',
          },
        },
        installGate: {
          // `all` (TC_L_16): Installing at once, transactions or not; else L01.FR.06.
          always: [{ guard: 'installDuringTransactions', target: 'installing' }, { target: 'holding' }],
        },
        holding: {
          invoke: { src: 'hold', input: requestIdOf, onDone: { target: 'idleChecking', actions: 'held' }, onError: 'idleChecking' },
        },
        idleChecking: {
          invoke: {
            src: 'transactionsRunning',
            input: requestIdOf,
            onDone: [{ guard: 'running', target: 'waitingForIdle' }, { target: 'installing' }],
            onError: 'waitingForIdle',
          },
        },
        waitingForIdle: {
          // L01.FR.06: install once every transaction has ended; L01.FR.34 (TC_L_15 step 9):
          // InstallScheduled says so meanwhile (unless installDateTime already did).
          entry: { type: 'status', params: { status: 'InstallScheduled' } },
          invoke: { src: 'transactionsIdle', input: requestIdOf, onDone: 'installing' },
        },
        installing: {
          tags: [FIRMWARE_INSTALL_TAG],
          entry: { type: 'status', params: { status: 'Installing' } },
          on: refuseNewRequest,
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
              { guard: ({ event }) => event.output === 'RebootRequired', target: 'activationChecking' },
              { target: 'failed' },
            ],
            onError: 'failed',
          },
        },
        activationChecking: {
          // L01.FR.33: the reboot that activates the firmware waits for the transactions to end.
          tags: [FIRMWARE_INSTALL_TAG],
          on: refuseNewRequest,
          invoke: {
            src: 'transactionsRunning',
            input: requestIdOf,
            onDone: [{ guard: 'running', target: 'activationHolding' }, { target: 'rebooting' }],
            onError: 'activationHolding',
          },
        },
        activationHolding: {
          // L01.FR.07 (through L01.FR.33): no new sessions while waiting to activate.
          tags: [FIRMWARE_INSTALL_TAG],
          on: refuseNewRequest,
          invoke: { src: 'hold', input: requestIdOf, onDone: { target: 'activationWaiting', actions: 'held' }, onError: 'activationWaiting' },
        },
        activationWaiting: {
          tags: [FIRMWARE_INSTALL_TAG],
          on: refuseNewRequest,
          invoke: { src: 'transactionsIdle', input: requestIdOf, onDone: 'rebooting' },
        },
        rebooting: {
          // L01.FR.15/32: InstallRebooting before the reboot; Installed once running the new firmware.
          tags: [FIRMWARE_INSTALL_TAG],
          entry: { type: 'status', params: { status: 'InstallRebooting' } },
          on: refuseNewRequest,
          invoke: {
            src: 'reboot',
            input: requestIdOf,
            onDone: [{ guard: ({ event }) => event.output === 'Installed', target: 'installed' }, { target: 'failed' }],
            onError: 'failed',
          },
        },
        failed: {
          // L01.FR.29: InstallVerificationFailed, or InstallationFailed (also for a host that threw).
          entry: [
            {
              type: 'status',
              params: ({ event }) => ({
                status:
                  (event as { output?: unknown }).output === 'InstallVerificationFailed'
                    ? 'InstallVerificationFailed'
                    : 'InstallationFailed',
              }),
            },
            'releaseHeld',
          ],
          always: '#firmware.idle',
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
