/**
 * The vocabulary of `firmware` (machines/firmware.ts): its actors and actions, stubs that src/
 * provides (src/firmware/provide-firmware.ts), and its guards. The chart itself is in firmware.ts.
 */
import { assign, enqueueActions, fromPromise, setup } from 'xstate';
import { deadlineActor } from './deadline.js';
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

/** The request's capability during transactions; `download` for snapshots taken before it existed. */
const duringTransaction = (context: FirmwareContext) => context.request?.duringTransaction ?? 'download';

/**
 * @example
 * export const firmwareMachine = firmwareSetup.createMachine({ ... });
 */
export const firmwareSetup = setup({
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
    // Provided by src/: resolves whether a transaction runs now.
    transactionsRunning: fromPromise<boolean, { requestId: number }>(async () => {
      throw new Error('transactionsRunning actor not provided');
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
    // A held connector stays held (a re-run `hold` of a restored actor finds nothing to do).
    held: assign({ holding: ({ context, event }) => context.holding || (event as { output?: unknown }).output === true }),
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
    // `none`: the station cannot download while a transaction runs.
    downloadWaitsForTransactions: ({ context }) => duringTransaction(context) === 'none',
    // `all`: the station installs while transactions run (TC_L_16).
    installDuringTransactions: ({ context }) => duringTransaction(context) === 'all',
    signed: ({ context }) => context.request?.signingCertificate != null && context.request.signature != null,
    installLater: ({ context }) => {
      const at = context.request?.installDateTime;
      return at != null && context.downloadedAt !== null && instantMs(at) > instantMs(context.downloadedAt);
    },
    // The output of `transactionsRunning`.
    running: ({ event }) => (event as { output?: unknown }).output === true,
  },
});
