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
        INTERVAL_ELAPSES: { guard: 'mayBootAgain', target: 'awaitingAnswer', actions: 'countBoot' },
        CSMS_TRIGGERS_BOOT: { guard: 'mayBootAgain', target: 'awaitingAnswer', actions: 'countBoot' },
        // Reconnecting while not accepted registers again.
        CSMS_DROPS_CONNECTION: { guard: 'mayBootAgain', target: 'awaitingAnswer', actions: 'countBoot' },
      },
    },
    rejected: {
      on: { INTERVAL_ELAPSES: { guard: 'mayBootAgain', target: 'awaitingAnswer', actions: 'countBoot' } },
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
