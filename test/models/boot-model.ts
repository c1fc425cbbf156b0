/**
 * An abstract model of registration (B01–B04) seen from the CSMS: what the CSMS answers and does,
 * and where the station must then be. It has no invoke/after so xstate/graph can walk it; each
 * generated path is executed against the real runtime in boot.model.test.ts.
 */
import { assign, createMachine } from 'xstate';

/** BootNotifications a path may send: bounds the walk so cycles (Pending → retry) unroll a little. */
export const MAX_BOOTS = 3;

export type BootModelEvent =
  | { type: 'CSMS_ACCEPTS' }
  | { type: 'CSMS_PENDING' }
  | { type: 'CSMS_REJECTS' }
  | { type: 'INTERVAL_ELAPSES' }
  | { type: 'CSMS_TRIGGERS_BOOT' }
  | { type: 'CSMS_DROPS_CONNECTION' };

const bootAgain = { guard: 'mayBootAgain', target: 'awaitingAnswer', actions: 'countBoot' } as const;

export const bootModel = createMachine({
  id: 'bootModel',
  types: {} as { events: BootModelEvent; context: { boots: number } },
  context: { boots: 1 },
  initial: 'awaitingAnswer',
  states: {
    /** The station has sent a BootNotification and waits for the answer. */
    awaitingAnswer: {
      on: { CSMS_ACCEPTS: 'accepted', CSMS_PENDING: 'pending', CSMS_REJECTS: 'rejected' },
    },
    pending: {
      on: {
        INTERVAL_ELAPSES: bootAgain,
        CSMS_TRIGGERS_BOOT: bootAgain,
        CSMS_DROPS_CONNECTION: 'pendingReconnected',
      },
    },
    /**
     * Reconnected while Pending: a reconnect is no reason to boot (Part 4 §5.3) and B02.FR.04 forbids
     * it before the interval, so the station is still Pending and boots when the interval ends.
     */
    pendingReconnected: {
      on: { INTERVAL_ELAPSES: bootAgain, CSMS_TRIGGERS_BOOT: bootAgain },
    },
    rejected: {
      on: { INTERVAL_ELAPSES: bootAgain, CSMS_DROPS_CONNECTION: 'rejectedReconnected' },
    },
    /** Reconnected while Rejected: B03.FR.02, nothing is sent until the interval has passed. */
    rejectedReconnected: {
      on: { INTERVAL_ELAPSES: bootAgain },
    },
    accepted: {
      on: { CSMS_DROPS_CONNECTION: 'resumed' },
    },
    /** Reconnected after having been accepted: no new BootNotification (Part 4 §5.3). */
    resumed: { type: 'final' },
  },
}).provide({
  guards: { mayBootAgain: ({ context }) => context.boots < MAX_BOOTS },
  actions: { countBoot: assign({ boots: ({ context }) => context.boots + 1 }) },
});
