/**
 * `boot`: registration of the station at the CSMS (B01–B04) and the heartbeat (G02).
 *
 * BootNotification and Heartbeat are effects provided by src/ (they go through the RPC layer) that
 * answer with an event carrying the call's id (`bootNotification.done` / `.error`, `heartbeat.done` /
 * `.error`), not invoked actors (issue 9: no actor per call); the machine decides what happens with
 * the answers, and leaving the state that made a call makes a later answer to it stale. The registration status is
 * reported to the parent so that the outgoing queue and the incoming-call gate follow it.
 *
 * The wait before the next BootNotification (Pending, Rejected, or no answer) is counted from the
 * answer and runs on through a lost connection: B02.FR.04 / B03.FR.02 forbid booting again before
 * it has passed, and Part 4 §5.3 says a reconnect needs no BootNotification by itself. When it
 * ends while offline, the BootNotification goes out on the next connection. Those waits are
 * `longWaitMachine`s: an interval from the CSMS may be longer than one timer can hold. The heartbeat
 * wait, the one every idle station keeps, is a delayed `heartbeat.due` event instead (a chain of
 * timers too), so it costs no actor.
 */
import { and, assign, cancel, enqueueActions, raise, sendParent, setup } from 'xstate';
import type {
  BootNotificationResponse,
  BootReasonEnumType,
  HeartbeatResponse,
  RegistrationStatusEnumType,
} from '../src/generated/ocpp-types.js';
import type { ConnectionEvent } from './connection.js';
import { longWaitMachine, timerDelayMs, waitMs } from './long-wait.js';

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
  /** The connection to the CSMS is up: a wait that ends now may boot at once. */
  online: boolean;
  /** BootNotifications of this connection that got no answer at all (timed out) in a row. */
  unanswered: number;
  /**
   * Id of the call (BootNotification or Heartbeat) the chart waits for in `registering` or
   * `accepted.beating`; leaving the state moves it on, so a late answer changes nothing.
   */
  callId: number;
}

/**
 * After this many BootNotifications in a row time out on an open connection, the station closes it
 * and connects again (after the back-off): a CSMS that answers nothing on a socket that is alive
 * has lost track of it (e.g. it still attributes the station to the connection before a reboot),
 * and only a new connection can recover.
 */
export const UNANSWERED_BOOTS_BEFORE_RECONNECT = 3;

export type BootEvent =
  | { type: 'connection.up'; offlineSeconds: number | null }
  | { type: 'connection.down' }
  | { type: 'trigger.BootNotification' }
  | { type: 'settings.heartbeatInterval'; seconds: number }
  /** The heartbeat wait's timer fired; `leftMs` of the interval is still to wait (a chain of timers). */
  | { type: 'heartbeat.due'; leftMs: number }
  /** The answers to the call `id` (the `bootNotification` / `heartbeat` effects, provided by src/). */
  | { type: 'bootNotification.done'; id: number; output: BootNotificationResponse }
  | { type: 'bootNotification.error'; id: number; error: unknown }
  | { type: 'heartbeat.done'; id: number; output: HeartbeatResponse }
  | { type: 'heartbeat.error'; id: number; error: unknown };

/** The id of the pending `heartbeat.due` (cancelled when the chart leaves `accepted.idle`). */
const HEARTBEAT_DUE_ID = 'heartbeatDue';

/** Events this machine sends to its parent (the station). */
export type BootOutput = { type: 'registration.changed'; status: RegistrationStatus };

/** The BootNotification timed out (RpcTimeoutError, src/rpc/errors.ts): sent, and nothing came back. */
const timedOut = ({ event }: { event: unknown }) =>
  (event as { error?: { name?: unknown } }).error?.name === 'RpcTimeoutError';

/** The answer is to the call the chart waits for (not a stale one). */
const awaited = ({ context, event }: { context: BootContext; event: unknown }) =>
  (event as { id?: unknown }).id === context.callId;

/** The awaited BootNotificationResponse has this status. */
const isStatus =
  (status: RegistrationStatusEnumType) =>
  (args: { context: BootContext; event: unknown }) =>
    awaited(args) && (args.event as { output?: BootNotificationResponse }).output?.status === status;

/**
 * The wait before the next BootNotification: when it ends online the station boots, when it ends
 * offline it boots on the next connection (B02.FR.08, B03.FR.06).
 */
function retryWait() {
  return {
    id: 'retryWait',
    src: 'wait',
    input: ({ context }: { context: BootContext }) => ({ ms: waitMs(context.retryIntervalS) }),
    onDone: [{ guard: 'online', target: 'registering' }, { target: 'disconnected' }],
  } as const;
}

export const bootMachine = setup({
  types: {
    context: {} as BootContext,
    input: {} as BootInput,
    events: {} as BootEvent,
  },
  actors: {
    wait: longWaitMachine,
  },
  actions: {
    // Provided by src/: send the CALL through the queue/RPC layer and answer with
    // `bootNotification.done` (the response) or `.error`, carrying `id`.
    bootNotification: (_, _params: { id: number; reason: BootReasonEnumType }) => undefined,
    // Provided by src/: the same for the Heartbeat (`heartbeat.done` / `.error`).
    heartbeat: (_, _params: { id: number }) => undefined,
    // Provided by src/: B01.FR.06 / G02.FR.06 time synchronisation from the CSMS's currentTime.
    syncClock: (_, _params: { currentTime: string }) => undefined,
    // Provided by src/: B01.FR.04 writes the accepted interval to OCPPCommCtrlr.HeartbeatInterval.
    storeHeartbeatInterval: (_, _params: { seconds: number }) => undefined,
    reportStatus: sendParent(({ context }): BootOutput => ({
      type: 'registration.changed',
      status: context.status,
    })),
    // B02.FR.07/08, B03.FR.05/06: wait the CSMS's interval when it is > 0, else our own.
    notAccepted: assign(({ context }, params: { status: 'Pending' | 'Rejected'; interval: number }) => ({
      status: params.status,
      retryIntervalS: params.interval > 0 ? params.interval : context.defaultRetryIntervalS,
    })),
    countUnanswered: assign({ unanswered: ({ context }) => context.unanswered + 1 }),
    resetUnanswered: assign({ unanswered: 0 }),
    // A new connection (machines/connection.ts, `connection.reconnect`), found by its stable systemId.
    requestReconnect: enqueueActions(({ enqueue, system }) => {
      const connection = system.get('connection');
      if (connection) enqueue.sendTo(connection, { type: 'connection.reconnect' } satisfies ConnectionEvent);
    }),
    // Leaving a state that made a call: a later answer to it is stale.
    callOver: assign({ callId: ({ context }) => context.callId + 1 }),
    markOnline: assign({ online: true }),
    markOffline: assign({ online: false }),
    markTriggered: assign({ triggered: true }),
    // One timer of the heartbeat wait: at most what a timer holds, the rest carried by the event.
    armHeartbeat: raise(
      (_, params: { leftMs: number }) => ({
        type: 'heartbeat.due' as const,
        leftMs: params.leftMs - timerDelayMs(params.leftMs),
      }),
      { id: HEARTBEAT_DUE_ID, delay: (_, params: { leftMs: number }) => timerDelayMs(params.leftMs) },
    ),
  },
  guards: {
    awaited,
    online: ({ context }) => context.online,
    acceptedBefore: ({ context }) => context.accepted,
    timedOut,
    lastUnanswered: (args) =>
      timedOut(args) && args.context.unanswered + 1 >= UNANSWERED_BOOTS_BEFORE_RECONNECT,
  },
}).createMachine({
  id: 'boot',
  context: ({ input }) => ({
    ...input,
    status: 'Unknown',
    retryIntervalS: input.defaultRetryIntervalS,
    accepted: false,
    triggered: false,
    online: false,
    unanswered: 0,
    callId: 0,
  }),
  initial: 'disconnected',
  // States that do not handle these themselves (the waits) only note the link: their timer runs on.
  on: {
    'connection.up': { actions: ['markOnline', 'resetUnanswered'] },
    'connection.down': { actions: 'markOffline' },
    'settings.heartbeatInterval': { actions: assign({ heartbeatIntervalS: ({ event }) => event.seconds }) },
  },
  states: {
    /** Offline, and either never registered or the wait for the next BootNotification is over. */
    disconnected: {
      on: {
        'connection.up': [
          // Part 4 §5.3: once Accepted, a reconnect resumes without a BootNotification.
          { guard: 'acceptedBefore', target: 'accepted', actions: ['markOnline', 'resetUnanswered'] },
          { target: 'registering', actions: ['markOnline', 'resetUnanswered'] },
        ],
      },
    },
    registering: {
      entry: {
        type: 'bootNotification',
        // TC_B_02_CS step 15: a BootNotification requested by TriggerMessage has reason Triggered
        // (BootReasonEnumType: "requested by the CSMS via a TriggerMessage"); retries keep the boot's own reason.
        params: ({ context }) => ({ id: context.callId, reason: context.triggered ? 'Triggered' : context.reason }),
      },
      // Whatever the answer, the next BootNotification is not the triggered one again.
      exit: [assign({ triggered: false }), 'callOver'],
      on: {
        'bootNotification.done': [
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
              'resetUnanswered',
            ],
          },
          {
            guard: isStatus('Pending'),
            target: 'pending',
            actions: [
              {
                type: 'notAccepted',
                params: ({ event }) => ({ status: 'Pending', interval: event.output.interval }),
              },
              { type: 'syncClock', params: ({ event }) => ({ currentTime: event.output.currentTime }) },
              'reportStatus',
              'resetUnanswered',
            ],
          },
          {
            guard: 'awaited',
            target: 'rejected',
            actions: [
              {
                type: 'notAccepted',
                params: ({ event }) => ({ status: 'Rejected', interval: event.output.interval }),
              },
              { type: 'syncClock', params: ({ event }) => ({ currentTime: event.output.currentTime }) },
              'reportStatus',
              'resetUnanswered',
            ],
          },
        ],
        // No answer (timeout, CALLERROR): retry after a waiting interval. The last of
        // UNANSWERED_BOOTS_BEFORE_RECONNECT timeouts in a row also asks for a new connection.
        'bootNotification.error': [
          {
            guard: and(['awaited', 'lastUnanswered']),
            target: 'waitingToRetry',
            actions: ['resetUnanswered', 'requestReconnect'],
          },
          { guard: and(['awaited', 'timedOut']), target: 'waitingToRetry', actions: 'countUnanswered' },
          { guard: 'awaited', target: 'waitingToRetry', actions: 'resetUnanswered' },
        ],
        // The BootNotification in flight is lost with the connection (no answer, no interval to
        // honour): it is sent again on the next connection.
        'connection.down': { target: 'disconnected', actions: 'markOffline' },
      },
    },
    waitingToRetry: {
      // B01 error handling: a waiting interval before sending again.
      invoke: retryWait(),
      // F06.FR.10: an accepted TriggerMessage(BootNotification) is sent now, not after the wait.
      on: { 'trigger.BootNotification': { target: 'registering', actions: 'markTriggered' } },
    },
    pending: {
      // B02.FR.04/08: not before the interval, unless triggered (F06).
      invoke: retryWait(),
      on: { 'trigger.BootNotification': { target: 'registering', actions: 'markTriggered' } },
    },
    rejected: {
      // B03.FR.02/06: nothing is sent until the interval expired.
      invoke: retryWait(),
    },
    accepted: {
      initial: 'idle',
      // Heartbeats only while connected; the reconnect comes back here without a boot.
      on: { 'connection.down': { target: 'disconnected', actions: 'markOffline' } },
      states: {
        idle: {
          // G02.FR.01: the next Heartbeat after the interval, as a delayed event to itself rather
          // than a wait actor (issue 9: two fewer actors per boot, one fewer per idle station). The
          // boot chart is never restored from a snapshot (every start creates it), so nothing has to
          // re-arm this timer after a restart (DESIGN.md, "Restore is not a transition").
          entry: { type: 'armHeartbeat', params: ({ context }) => ({ leftMs: waitMs(context.heartbeatIntervalS) }) },
          exit: cancel(HEARTBEAT_DUE_ID),
          on: {
            'heartbeat.due': [
              // An interval longer than one timer holds runs on as a chain of timers (long-wait.ts).
              {
                guard: ({ event }) => event.leftMs > 0,
                actions: { type: 'armHeartbeat', params: ({ event }) => ({ leftMs: event.leftMs }) },
              },
              { target: 'beating' },
            ],
            'settings.heartbeatInterval': {
              target: 'idle',
              reenter: true,
              actions: assign({ heartbeatIntervalS: ({ event }) => event.seconds }),
            },
          },
        },
        beating: {
          // G02.FR.01: the Heartbeat, answered by `heartbeat.done` / `.error` with this call's id.
          entry: { type: 'heartbeat', params: ({ context }) => ({ id: context.callId }) },
          exit: 'callOver',
          on: {
            'heartbeat.done': {
              guard: 'awaited',
              target: 'idle',
              actions: {
                type: 'syncClock',
                params: ({ event }) => ({ currentTime: event.output.currentTime }),
              },
            },
            'heartbeat.error': { guard: 'awaited', target: 'idle' },
          },
        },
      },
    },
  },
});
