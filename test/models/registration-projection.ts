/**
 * Projection of registration (machines/boot.ts, B01–B04, G02 heartbeat) and of the websocket
 * lifecycle (machines/connection.ts, Part 4 §5.3) as the CSMS and the network see them: what the
 * CSMS answers to BootNotification and Heartbeat, connections it drops, the station taken offline
 * and back by its host (disconnectWebsocket / connectWebsocket), intervals that end.
 *
 * Each transition names (meta.fires) the production transitions the runtime must take;
 * registration.model.test.ts proves the naming complete (checkProjection) and true (the runtime).
 * Written from the spec: a reconnect is no reason to boot again (Part 4 §5.3), Pending and Rejected
 * wait their interval (B02.FR.04, B03.FR.02) that runs on through a lost connection, Pending may be
 * triggered (F06.FR.10), once Accepted a reconnect resumes without a BootNotification.
 */
import { assign, setup } from 'xstate';

export type RegistrationEvent =
  | { type: 'START' }
  | { type: 'START_AFTER_OWN_RESET' }
  | { type: 'CSMS_ACCEPTS' }
  | { type: 'CSMS_PENDING' }
  | { type: 'CSMS_REJECTS' }
  | { type: 'CSMS_CALLERROR' }
  | { type: 'CSMS_SILENT' }
  | { type: 'INTERVAL_ENDS' }
  | { type: 'CSMS_TRIGGERS_BOOT' }
  | { type: 'CSMS_SETS_HEARTBEAT_INTERVAL' }
  | { type: 'CSMS_DROPS_CONNECTION' }
  | { type: 'CSMS_DROPS_HOST_RECONNECTS_AT_ONCE' }
  | { type: 'CSMS_DROPS_HOST_GOES_OFFLINE' }
  | { type: 'HOST_OFFLINE_PAST_INTERVAL' }
  | { type: 'HEARTBEAT_ANSWERED' }
  | { type: 'HEARTBEAT_CALLERROR' }
  | { type: 'NEW_PASSWORD_REFUSED_THEN_KNOWN' };

const boot = (s: string) => `boot.${s}`;
const done = (i: number) => `${boot('registering')} --bootNotification.done#${i}--> `;
export const B = {
  startUp: `${boot('disconnected')} --connection.up#1--> boot.registering`,
  resume: `${boot('disconnected')} --connection.up#0--> boot.accepted`,
  accepted: `${done(0)}boot.accepted`,
  pending: `${done(1)}boot.pending`,
  rejected: `${done(2)}boot.rejected`,
  callError: 'boot.registering --bootNotification.error#2--> boot.waitingToRetry',
  timedOut: 'boot.registering --bootNotification.error#1--> boot.waitingToRetry',
  lastTimedOut: 'boot.registering --bootNotification.error#0--> boot.waitingToRetry',
  registeringDown: 'boot.registering --connection.down--> boot.disconnected',
  retry: (s: string) => `boot.${s} --xstate.done.actor.retryWait#0--> boot.registering`,
  retryOffline: (s: string) => `boot.${s} --xstate.done.actor.retryWait#1--> boot.disconnected`,
  trigger: (s: string) => `boot.${s} --trigger.BootNotification--> boot.registering`,
  rootUp: 'boot --connection.up--> (internal)',
  rootDown: 'boot --connection.down--> (internal)',
  rootHeartbeat: 'boot --settings.heartbeatInterval--> (internal)',
  idleHeartbeat: 'boot.accepted.idle --settings.heartbeatInterval--> boot.accepted.idle',
  acceptedDown: 'boot.accepted --connection.down--> boot.disconnected',
  beat: 'boot.accepted.idle --heartbeat.due#1--> boot.accepted.beating',
  beatDone: 'boot.accepted.beating --heartbeat.done--> boot.accepted.idle',
  beatError: 'boot.accepted.beating --heartbeat.error--> boot.accepted.idle',
};
export const C = {
  start: 'connection.idle --connection.start#1--> connection.session',
  startAfterReset: 'connection.idle --connection.start#0--> connection.waiting',
  opened: 'connection.session.opening --ws.opened--> connection.session.open',
  dropped: 'connection.session.open --ws.closed--> connection.waiting',
  backOffEnds: 'connection.waiting --xstate.after.reconnectDelay.connection.waiting--> connection.session',
  waitingOnline: 'connection.waiting --connection.goOnline--> connection.session',
  waitingOffline: 'connection.waiting --connection.goOffline--> connection.offline',
  sessionOffline: 'connection.session --connection.goOffline--> connection.offline',
  reconnect: 'connection.session --connection.reconnect--> connection.waiting',
  refused: 'connection.session.opening --ws.closed--> connection.waiting',
  offlineOnline: 'connection.offline --connection.goOnline--> connection.session',
};

/** A drop and the automatic reconnect after the back-off (Part 4 §5.3). */
const reconnect = [C.dropped, C.backOffEnds, C.opened];
/** The host takes the station offline until the retry interval has ended, then online (B02.FR.04). */
const offlinePastInterval = (state: string) => [
  C.sessionOffline,
  B.rootDown,
  B.retryOffline(state),
  C.offlineOnline,
  C.opened,
  B.startUp,
];
const fires = (...keys: string[]) => ({ meta: { fires: keys } });

/** While waiting for the next BootNotification (Pending, Rejected, no answer). */
const waiting = (state: 'pending' | 'rejected' | 'waitingToRetry') => ({
  on: {
    INTERVAL_ENDS: { target: 'registering', ...fires(B.retry(state)) },
    HOST_OFFLINE_PAST_INTERVAL: {
      target: 'registering',
      actions: 'answered',
      ...fires(...offlinePastInterval(state)),
    },
    // Part 4 §5.3, B02.FR.04, B03.FR.02: a reconnect changes nothing; the interval runs on.
    CSMS_DROPS_CONNECTION: {
      target: state,
      actions: 'answered',
      ...fires(...reconnect, B.rootDown, B.rootUp),
    },
    ...(state === 'rejected'
      ? {}
      : { CSMS_TRIGGERS_BOOT: { target: 'registering', ...fires(B.trigger(state)) } }),
    // B02.FR.01: the CSMS may configure a Pending station (the heartbeat interval is stored).
    ...(state === 'pending'
      ? { CSMS_SETS_HEARTBEAT_INTERVAL: { target: state, ...fires(B.rootHeartbeat) } }
      : {}),
  },
});

export const registrationProjection = setup({
  types: { events: {} as RegistrationEvent, context: {} as { silent: number } },
  guards: { notLastSilence: ({ context }) => context.silent < 2 },
  actions: {
    silence: assign({ silent: ({ context }) => context.silent + 1 }),
    // An answer, or a new connection, starts the count of unanswered BootNotifications again.
    answered: assign({ silent: 0 }),
  },
}).createMachine({
  id: 'registrationProjection',
  context: { silent: 0 },
  initial: 'stopped',
  states: {
    stopped: {
      on: {
        START: { target: 'registering', ...fires(C.start, C.opened, B.startUp) },
        // A station that carried out a reset waits the back-off before its first connection.
        START_AFTER_OWN_RESET: {
          target: 'registering',
          ...fires(C.startAfterReset, C.backOffEnds, C.opened, B.startUp),
        },
      },
    },
    /** A BootNotification is on its way; the CSMS has not answered. */
    registering: {
      on: {
        CSMS_ACCEPTS: { target: 'accepted', actions: 'answered', ...fires(B.accepted) },
        CSMS_PENDING: { target: 'pending', actions: 'answered', ...fires(B.pending) },
        CSMS_REJECTS: { target: 'rejected', actions: 'answered', ...fires(B.rejected) },
        CSMS_CALLERROR: { target: 'waitingToRetry', actions: 'answered', ...fires(B.callError) },
        // B01: no answer within the message timeout; after UNANSWERED_BOOTS_BEFORE_RECONNECT (3) in
        // a row the station also opens a new connection (the CSMS lost track of this one).
        CSMS_SILENT: [
          { guard: 'notLastSilence', target: 'waitingToRetry', actions: 'silence', ...fires(B.timedOut) },
          {
            // Whether the new connection or the end of the retry wait comes first depends on how
            // long closing the old one takes: the path ends here, with what holds either way.
            target: 'reconnected',
            actions: 'answered',
            ...fires(B.lastTimedOut, C.reconnect, C.backOffEnds, C.opened, B.rootDown),
          },
        ],
        // The BootNotification in flight is lost with the connection; it is sent again on the next.
        CSMS_DROPS_CONNECTION: {
          target: 'registering',
          ...fires(...reconnect, B.registeringDown, B.startUp),
        },
      },
    },
    // (Built by a helper, so typed loosely: its action names are the ones of setup() above.)
    pending: waiting('pending') as never,
    rejected: waiting('rejected') as never,
    waitingToRetry: waiting('waitingToRetry') as never,
    /** A new connection after the third unanswered BootNotification (the end of a path). */
    reconnected: { type: 'final' },
    accepted: {
      on: {
        HEARTBEAT_ANSWERED: { target: 'accepted', ...fires(B.beat, B.beatDone) },
        HEARTBEAT_CALLERROR: { target: 'accepted', ...fires(B.beat, B.beatError) },
        CSMS_SETS_HEARTBEAT_INTERVAL: { target: 'accepted', ...fires(B.idleHeartbeat) },
        // Part 4 §5.3: once Accepted, a reconnect resumes without a BootNotification.
        CSMS_DROPS_CONNECTION: { target: 'accepted', ...fires(...reconnect, B.acceptedDown, B.resume) },
        // A01: a new BasicAuthPassword is used at once on a new connection; the CSMS refuses the
        // handshake until it knows the password too, then the station resumes (no boot).
        NEW_PASSWORD_REFUSED_THEN_KNOWN: {
          target: 'accepted',
          ...fires(C.reconnect, C.refused, C.backOffEnds, C.opened, B.acceptedDown, B.resume),
        },
        CSMS_DROPS_HOST_RECONNECTS_AT_ONCE: {
          target: 'accepted',
          ...fires(C.dropped, C.waitingOnline, C.opened, B.acceptedDown, B.resume),
        },
        CSMS_DROPS_HOST_GOES_OFFLINE: {
          target: 'accepted',
          ...fires(C.dropped, C.waitingOffline, C.offlineOnline, C.opened, B.acceptedDown, B.resume),
        },
      },
    },
  },
});

/** Transitions the outside cannot take (yet), and why. */
export const UNREACHABLE_BOOT: Record<string, string> = {
  'boot.accepted.idle --heartbeat.due#0--> (internal)':
    'the next timer of a heartbeat interval longer than one timer holds (~24.8 days): test/machines/boot.test.ts runs it on a simulated clock',
};
export const UNREACHABLE_CONNECTION: Record<string, string> = {};
