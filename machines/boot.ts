/**
 * `boot`: registration of the station at the CSMS (B01–B04) and the heartbeat (G02).
 *
 * BootNotification and Heartbeat are invoked actors provided by src/ (they go through the RPC
 * layer); the machine decides what happens with their answers. The registration status is
 * reported to the parent so that the outgoing queue and the incoming-call gate follow it.
 */
import { assign, fromPromise, sendParent, setup } from 'xstate';
import type {
  BootNotificationResponse,
  BootReasonEnumType,
  HeartbeatResponse,
  RegistrationStatusEnumType,
} from '../src/generated/ocpp-types.js';

export const BOOT_MACHINE_VERSION = 1;

export type RegistrationStatus = RegistrationStatusEnumType | 'Unknown';

export interface BootInput {
  reason: BootReasonEnumType;
  /** OCPPCommCtrlr.HeartbeatInterval (s), until a BootNotificationResponse says otherwise. */
  heartbeatIntervalS: number;
  /** Wait before re-sending a BootNotification that got no answer (B01 error handling; B02.FR.07). */
  defaultRetryIntervalS: number;
}

export interface BootContext extends BootInput {
  status: RegistrationStatus;
  /** Interval (s) from the last non-Accepted response, or the default (B02.FR.08, B03.FR.06). */
  retryIntervalS: number;
  /** Accepted once since this boot: a reconnect resumes without a new BootNotification (Part 4 §5.3). */
  accepted: boolean;
  /** The BootNotification being sent was requested by a TriggerMessage (reason Triggered). */
  triggered: boolean;
}

export type BootEvent =
  | { type: 'connection.up'; offlineSeconds: number | null }
  | { type: 'connection.down' }
  | { type: 'trigger.BootNotification' }
  | { type: 'trigger.Heartbeat' }
  | { type: 'settings.heartbeatInterval'; seconds: number };

/** Events this machine sends to its parent (the station). */
export type BootOutput = { type: 'registration.changed'; status: RegistrationStatus };

const isStatus =
  (status: RegistrationStatusEnumType) =>
  ({ event }: { event: unknown }) =>
    (event as { output?: BootNotificationResponse }).output?.status === status;

export const bootMachine = setup({
  types: {
    context: {} as BootContext,
    input: {} as BootInput,
    events: {} as BootEvent,
  },
  actors: {
    // Provided by src/: send the CALL through the queue/RPC layer and resolve with the response.
    bootNotification: fromPromise<BootNotificationResponse, { reason: BootReasonEnumType }>(async () => {
      throw new Error('bootNotification actor not provided');
    }),
    heartbeat: fromPromise<HeartbeatResponse, void>(async () => {
      throw new Error('heartbeat actor not provided');
    }),
  },
  actions: {
    // Provided by src/: B01.FR.06 / G02.FR.06 time synchronisation from the CSMS's currentTime.
    syncClock: (_, _params: { currentTime: string }) => undefined,
    // Provided by src/: B01.FR.04 writes the accepted interval to OCPPCommCtrlr.HeartbeatInterval.
    storeHeartbeatInterval: (_, _params: { seconds: number }) => undefined,
    reportStatus: sendParent(({ context }): BootOutput => ({
      type: 'registration.changed',
      status: context.status,
    })),
  },
  delays: {
    retryInterval: ({ context }) => Math.max(1, context.retryIntervalS) * 1000,
    heartbeatInterval: ({ context }) => Math.max(1, context.heartbeatIntervalS) * 1000,
  },
}).createMachine({
  id: 'boot',
  context: ({ input }) => ({
    ...input,
    status: 'Unknown',
    retryIntervalS: input.defaultRetryIntervalS,
    accepted: false,
    triggered: false,
  }),
  initial: 'disconnected',
  on: {
    'connection.down': '.disconnected',
    'settings.heartbeatInterval': { actions: assign({ heartbeatIntervalS: ({ event }) => event.seconds }) },
  },
  states: {
    disconnected: {
      on: {
        'connection.up': [
          { guard: ({ context }) => context.accepted, target: 'accepted' },
          { target: 'registering' },
        ],
      },
    },
    registering: {
      // Whatever the answer, the next BootNotification is not the triggered one again.
      exit: assign({ triggered: false }),
      invoke: {
        src: 'bootNotification',
        // TC_B_02_CS step 15: a BootNotification requested by TriggerMessage has reason Triggered
        // (BootReasonEnumType: "requested by the CSMS via a TriggerMessage"); retries keep the boot's own reason.
        input: ({ context }) => ({ reason: context.triggered ? 'Triggered' : context.reason }),
        onDone: [
          {
            guard: isStatus('Accepted'),
            target: 'accepted',
            actions: [
              assign(({ context, event }) => ({
                status: 'Accepted' as const,
                accepted: true,
                // B01.FR.04: adopt the interval when it is > 0.
                heartbeatIntervalS:
                  event.output.interval > 0 ? event.output.interval : context.heartbeatIntervalS,
              })),
              { type: 'syncClock', params: ({ event }) => ({ currentTime: event.output.currentTime }) },
              {
                type: 'storeHeartbeatInterval',
                params: ({ context }) => ({ seconds: context.heartbeatIntervalS }),
              },
              'reportStatus',
            ],
          },
          {
            guard: isStatus('Pending'),
            target: 'pending',
            actions: [
              assign(({ context, event }) => ({
                status: 'Pending' as const,
                // B02.FR.07/08: the CSMS's interval if > 0, else our own.
                retryIntervalS:
                  event.output.interval > 0 ? event.output.interval : context.defaultRetryIntervalS,
              })),
              { type: 'syncClock', params: ({ event }) => ({ currentTime: event.output.currentTime }) },
              'reportStatus',
            ],
          },
          {
            target: 'rejected',
            actions: [
              assign(({ context, event }) => ({
                status: 'Rejected' as const,
                // B03.FR.05/06.
                retryIntervalS:
                  event.output.interval > 0 ? event.output.interval : context.defaultRetryIntervalS,
              })),
              { type: 'syncClock', params: ({ event }) => ({ currentTime: event.output.currentTime }) },
              'reportStatus',
            ],
          },
        ],
        // No answer (timeout, CALLERROR, connection lost): retry after a waiting interval.
        onError: 'waitingToRetry',
      },
    },
    waitingToRetry: {
      after: { retryInterval: 'registering' },
      // F06.FR.10: an accepted TriggerMessage(BootNotification) is sent now, not after the wait.
      on: { 'trigger.BootNotification': { target: 'registering', actions: assign({ triggered: true }) } },
    },
    pending: {
      // B02.FR.04: not before the interval, unless triggered (F06).
      after: { retryInterval: 'registering' },
      on: { 'trigger.BootNotification': { target: 'registering', actions: assign({ triggered: true }) } },
    },
    rejected: {
      // B03.FR.02: nothing is sent until the interval expired.
      after: { retryInterval: 'registering' },
    },
    accepted: {
      initial: 'idle',
      on: { 'trigger.Heartbeat': '.beating' },
      states: {
        idle: {
          after: { heartbeatInterval: 'beating' },
          on: {
            'settings.heartbeatInterval': {
              target: 'idle',
              reenter: true,
              actions: assign({ heartbeatIntervalS: ({ event }) => event.seconds }),
            },
          },
        },
        beating: {
          invoke: {
            src: 'heartbeat',
            onDone: {
              target: 'idle',
              actions: {
                type: 'syncClock',
                params: ({ event }) => ({ currentTime: event.output.currentTime }),
              },
            },
            onError: 'idle',
          },
        },
      },
    },
  },
});
