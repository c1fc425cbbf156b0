/**
 * `connection`: the websocket lifecycle toward the CSMS (OCPP 2.0.1 Part 4 §5.3 and B10).
 *
 * The socket itself is the invoked `socket` actor provided by src/ (it opens the websocket for a
 * configuration slot and reports `ws.opened` / `ws.closed`); leaving the `session` state stops it,
 * which closes the socket. The back-off delay (`reconnectDelay`) is provided by src/ too, because
 * it draws a random value.
 */
import { assign, fromCallback, sendParent, setup } from 'xstate';

export interface ConnectionInput {
  /** Configuration slots in NetworkConfigurationPriority order (B10.FR.04: try the first first). */
  priority: number[];
  /** NetworkProfileConnectionAttempts: failed attempts on one slot before the next (B10.FR.03). */
  attemptsPerSlot: number;
  /** RetryBackOffRepeatTimes: how many times the back-off doubles (Part 4 §5.3). */
  backOffRepeatTimes: number;
}

export interface ConnectionContext extends ConnectionInput {
  /** Index into `priority` of the slot in use or tried next. */
  slotIndex: number;
  /** Failed attempts on the current slot since it was chosen. */
  attemptsOnSlot: number;
  /** Consecutive failures since the last successful connection; drives the back-off doubling. */
  failures: number;
  /** Slot of the last successful connection (B10.FR.07 falls back to it). */
  lastGoodSlot: number | null;
}

export type ConnectionEvent =
  /**
   * Begin connecting. `afterOwnClose`: this start follows a connection the station closed itself
   * moments ago (a reboot it carried out): the first attempt waits the back-off, as a reconnect does.
   */
  | { type: 'connection.start'; afterOwnClose?: boolean }
  /**
   * A deliberate reconnect (new credentials, an unresponsive CSMS): close the connection and open a
   * new one after the back-off, like after a lost connection. Ignored while offline or waiting.
   */
  | { type: 'connection.reconnect' }
  | { type: 'connection.goOffline' }
  | { type: 'connection.goOnline' }
  | { type: 'ws.opened'; slot: number; offlineSeconds: number | null }
  | { type: 'ws.closed'; code?: number; reason?: string };

/** Events this machine sends to its parent (the station). */
export type ConnectionOutput =
  { type: 'connection.up'; slot: number; offlineSeconds: number | null } | { type: 'connection.down' };

/**
 * The configuration slot in use or tried next (B10.FR.04: NetworkConfigurationPriority order);
 * the first one if the index points past the list, 1 if the list is empty.
 *
 * @example
 * currentSlot({ priority: [2, 1], slotIndex: 1 }); // 1
 */
export function currentSlot(context: Pick<ConnectionContext, 'priority' | 'slotIndex'>): number {
  return context.priority[context.slotIndex] ?? context.priority[0] ?? 1;
}

/**
 * Back-off before the next attempt, without its random part: RetryBackOffWaitMinimum doubled once per
 * consecutive failure after the first, at most RetryBackOffRepeatTimes times (Part 4 §5.3).
 *
 * @example
 * [1, 2, 3, 4].map((n) => backOffSeconds(10, n, 2)); // [10, 20, 40, 40]
 * backOffSeconds(0, 3, 2); // 0: no back-off configured (never NaN)
 */
export function backOffSeconds(waitMinimumS: number, failures: number, repeatTimes: number): number {
  // Never NaN (0 × Infinity, a NaN setting): NaN would make a 0 ms timer, a tight reconnect loop.
  if (!(waitMinimumS > 0)) return 0;
  const repeat = Number.isFinite(repeatTimes) ? repeatTimes : 0;
  const doublings = Math.max(0, Math.min(failures - 1, repeat));
  return waitMinimumS * 2 ** doublings;
}

export const connectionMachine = setup({
  types: {
    context: {} as ConnectionContext,
    input: {} as ConnectionInput,
    events: {} as ConnectionEvent,
  },
  actors: {
    // Provided by src/: opens the websocket for `input.slot`, sends ws.opened / ws.closed back.
    socket: fromCallback<ConnectionEvent, { slot: number }>(() => undefined),
  },
  actions: {
    notifyUp: sendParent(({ event }): ConnectionOutput =>
      event.type === 'ws.opened'
        ? { type: 'connection.up', slot: event.slot, offlineSeconds: event.offlineSeconds }
        : { type: 'connection.up', slot: 0, offlineSeconds: null },
    ),
    notifyDown: sendParent((): ConnectionOutput => ({ type: 'connection.down' })),
    // The next attempt is the first of a new series: RetryBackOffWaitMinimum plus the random part.
    backOffFromMinimum: assign({ failures: 1, attemptsOnSlot: 0 }),
  },
  delays: {
    // Provided by src/ (adds the random part); this default keeps pure tests deterministic.
    reconnectDelay: () => 1000,
  },
}).createMachine({
  id: 'connection',
  context: ({ input }) => ({
    ...input,
    slotIndex: 0,
    attemptsOnSlot: 0,
    failures: 0,
    lastGoodSlot: null,
  }),
  initial: 'idle',
  states: {
    idle: {
      on: {
        'connection.start': [
          // Part 4 §5.3: a CSMS may still be tearing down the connection the station just closed; a
          // new one at once can race with that (seen with a real CSMS 60-150 ms after a reset).
          {
            guard: ({ event }) => event.afterOwnClose === true,
            target: 'waiting',
            actions: 'backOffFromMinimum',
          },
          { target: 'session' },
        ],
      },
    },
    session: {
      invoke: { id: 'socket', src: 'socket', input: ({ context }) => ({ slot: currentSlot(context) }) },
      initial: 'opening',
      on: {
        'connection.goOffline': '#connection.offline',
        // Leaving the session closes the socket; the next attempt waits the back-off (Part 4 §5.3).
        'connection.reconnect': { target: '#connection.waiting', actions: 'backOffFromMinimum' },
      },
      states: {
        opening: {
          on: {
            'ws.opened': {
              target: 'open',
              actions: assign(({ context }) => ({
                attemptsOnSlot: 0,
                failures: 0,
                lastGoodSlot: currentSlot(context),
              })),
            },
            'ws.closed': {
              target: '#connection.waiting',
              actions: assign(({ context }) => nextAttempt(context)),
            },
          },
        },
        open: {
          entry: 'notifyUp',
          exit: 'notifyDown',
          on: {
            // A drop after a success: reconnect to the same slot, back-off from the minimum again.
            'ws.closed': { target: '#connection.waiting', actions: 'backOffFromMinimum' },
          },
        },
      },
    },
    waiting: {
      after: { reconnectDelay: 'session' },
      on: {
        'connection.goOnline': 'session',
        'connection.goOffline': 'offline',
      },
    },
    offline: {
      on: {
        'connection.goOnline': {
          target: 'session',
          actions: assign({ failures: 0, attemptsOnSlot: 0 }),
        },
      },
    },
  },
});

/**
 * After a failed attempt: count it, and once the slot has had its NetworkProfileConnectionAttempts
 * move to the next slot of NetworkConfigurationPriority (B10.FR.03), wrapping around. When every slot
 * has failed, the next round starts at the slot of the last successful connection (B10.FR.07).
 */
function nextAttempt(context: ConnectionContext): Partial<ConnectionContext> {
  const failures = context.failures + 1;
  const attemptsOnSlot = context.attemptsOnSlot + 1;
  if (attemptsOnSlot < Math.max(1, context.attemptsPerSlot) || context.priority.length <= 1) {
    return { failures, attemptsOnSlot };
  }
  let slotIndex = context.slotIndex + 1;
  if (slotIndex >= context.priority.length) {
    const good = context.lastGoodSlot === null ? -1 : context.priority.indexOf(context.lastGoodSlot);
    slotIndex = good >= 0 ? good : 0;
  }
  return { failures, attemptsOnSlot: 0, slotIndex };
}
