/**
 * `transaction:<transactionId>` (its systemId; its child id is `transaction`): one charging session on one EVSE, from the first fact that opens
 * it (EV plugged, bay occupied, idToken accepted, remote start) until its transaction ended or it
 * ended without one. Spawned by the EVSE chart; persisted with it and restored after a power loss.
 *
 * What the session says (TransactionEventRequests, E01–E15) is decided by the pure step function of
 * transaction-rules.ts; this chart shows where the session is (waiting for a start point, the
 * transaction's charging state and authorization, ended) and runs its waits. Every wait that must
 * survive a restart is an absolute deadline in context, awaited by the invoked `deadline` actor,
 * which re-arms itself when the chart is restored (DESIGN.md, "Restore is not a transition").
 */
import { enqueueActions, setup } from 'xstate';
import type { ChargingStateEnumType } from '../src/generated/ocpp-types.js';
import { alignedTickActor, deadlineActor } from './deadline.js';
import {
  initialTransactionContext,
  transactionStep,
  type TransactionContext,
  type TransactionEvent,
  type TransactionInput,
  type TxEffect,
  type TxEventParams,
} from './transaction-rules.js';

export type {
  TransactionContext,
  TransactionEvent,
  TransactionInput,
  TxEffect,
  TxEventParams,
} from './transaction-rules.js';

/**
 * The system id of a session's actor.
 *
 * @example
 * station.system.get(transactionActorId('7f0c...')); // the actor `transaction:7f0c...`
 */
export const transactionActorId = (transactionId: string) => `transaction:${transactionId}`;

/**
 * The child id of an EVSE's session actor: the same for every session (the transaction id is in its
 * systemId and context). xstate memoizes the transitions of each state node per event type it
 * receives, on the machine definition that every station shares, and a child's completion arrives
 * as `xstate.done.actor.<child id>`: a child id per transaction would be a new event type, cached
 * forever, for every session ever run (issue 9, found by the soak bench).
 *
 * @example
 * evse.getSnapshot().children[SESSION_CHILD_ID]; // the open session's actor, if any
 */
export const SESSION_CHILD_ID = 'transaction';

/** What a session tells its EVSE. */
export type TransactionOutput =
  | { type: 'session.started'; transactionId: string }
  | { type: 'session.permitted'; transactionId: string; permitted: boolean };

type TimerDone = { type: `xstate.done.actor.${string}`; output: string };

const CHARGING_STATES: readonly ChargingStateEnumType[] = [
  'Idle',
  'EVConnected',
  'Charging',
  'SuspendedEV',
  'SuspendedEVSE',
];

/** One wait region: `off` until the deadline in context is set, `armed` while it is. */
function deadlineRegion(
  id: string,
  deadline: (context: TransactionContext) => string | null,
  tick: TransactionEvent['type'],
) {
  return {
    initial: 'off',
    states: {
      off: {
        always: { guard: ({ context }: { context: TransactionContext }) => deadline(context) !== null, target: 'armed' },
      },
      armed: {
        always: { guard: ({ context }: { context: TransactionContext }) => deadline(context) === null, target: 'off' },
        invoke: {
          id,
          src: 'deadline' as const,
          input: ({ context }: { context: TransactionContext }) => ({ until: deadline(context) }),
          onDone: {
            target: 'armed',
            reenter: true,
            actions: { type: 'applyTimer' as const, params: { tick } },
          },
        },
      },
    },
  };
}

/** A clock-aligned region (J01/J02): runs while its interval is set. */
function alignedRegion(
  id: string,
  interval: (context: TransactionContext) => number,
  tick: TransactionEvent['type'],
) {
  return {
    initial: 'off',
    states: {
      off: {
        always: { guard: ({ context }: { context: TransactionContext }) => interval(context) > 0, target: 'armed' },
      },
      armed: {
        always: { guard: ({ context }: { context: TransactionContext }) => interval(context) <= 0, target: 'off' },
        invoke: {
          id,
          src: 'alignedTick' as const,
          input: ({ context }: { context: TransactionContext }) => ({ intervalS: interval(context) }),
          onDone: {
            target: 'armed',
            reenter: true,
            actions: { type: 'applyTimer' as const, params: { tick } },
          },
        },
      },
    },
  };
}

/** The enqueue helper of `enqueueActions` (typed loosely: it is only used with this chart's actions). */
interface Enqueue {
  (action: { type: 'transactionEvent'; params: TxEventParams }): void;
  (action: { type: 'effect'; params: { transactionId: string; evseId: number; effect: TxEffect; at: string } }): void;
  assign(assignment: () => TransactionContext): void;
  sendParent(event: TransactionOutput): void;
}

/** Applies one step: the new context, the TransactionEvents to send, the effects, news for the EVSE. */
function stepActions(enqueue: Enqueue, context: TransactionContext, event: TransactionEvent): void {
  const step = transactionStep(context, event);
  // The station time of the step: a timer's is its instant (a clock-aligned sample's grid time, J02).
  const at = 'at' in event ? event.at : step.context.lastEventAt;
  enqueue.assign(() => step.context);
  for (const params of step.events) enqueue({ type: 'transactionEvent', params });
  for (const effect of step.effects) {
    enqueue({ type: 'effect', params: { transactionId: context.transactionId, evseId: context.evseId, effect, at } });
    if (effect.kind === 'started') {
      enqueue.sendParent({ type: 'session.started', transactionId: context.transactionId });
    }
    if (effect.kind === 'permitted') {
      enqueue.sendParent({
        type: 'session.permitted',
        transactionId: context.transactionId,
        permitted: effect.permitted,
      });
    }
  }
}

export const transactionMachine = setup({
  types: {
    context: {} as TransactionContext,
    input: {} as TransactionInput,
    events: {} as TransactionEvent,
  },
  actors: { deadline: deadlineActor, alignedTick: alignedTickActor },
  actions: {
    // Provided by src/: builds the TransactionEventRequest (meter values, offline flag, message id)
    // and stores it durably with this chart's snapshot (E13, E04.FR.01).
    transactionEvent: (_, _params: TxEventParams) => undefined,
    // Provided by src/: the host follows (charging permitted, unlock) and the meter samples are kept.
    effect: (_, _params: { transactionId: string; evseId: number; effect: TxEffect; at: string }) => undefined,
    // (The enqueuer of an action defined in setup() does not know the sibling named actions yet.)
    apply: enqueueActions(({ context, event, enqueue }) =>
      stepActions(enqueue as unknown as Enqueue, context, event),
    ),
    // A wait ended: the step for its tick, at the station time the deadline actor fired.
    applyTimer: enqueueActions(({ context, event, enqueue }, params: { tick: TransactionEvent['type'] }) =>
      stepActions(enqueue as unknown as Enqueue, context, {
        type: params.tick,
        at: (event as unknown as TimerDone).output,
      } as TransactionEvent),
    ),
  },
  guards: {
    started: ({ context }) => context.started,
    ended: ({ context }) => context.ended,
    discarded: ({ context }) => context.discarded,
  },
}).createMachine({
  id: 'transaction',
  context: ({ input }) => initialTransactionContext(input),
  initial: 'session',
  // Every fact and command goes through the same step; the states below follow the context.
  on: {
    'ev.connected': { actions: 'apply' },
    'ev.disconnected': { actions: 'apply' },
    'bay.occupied': { actions: 'apply' },
    'bay.vacated': { actions: 'apply' },
    'auth.accepted': { actions: 'apply' },
    'auth.remoteStart': { actions: 'apply' },
    'auth.stop': { actions: 'apply' },
    'remote.stop': { actions: 'apply' },
    'charging.state': { actions: 'apply' },
    'meter.signed': { actions: 'apply' },
    'meter.energy': { actions: 'apply' },
    'connector.lockFailed': { actions: 'apply' },
    'connector.faulted': { actions: 'apply' },
    'connector.faultCleared': { actions: 'apply' },
    'tx.answered': { actions: 'apply' },
    'trigger.transactionEvent': { actions: 'apply' },
    'reset.immediate': { actions: 'apply' },
    'host.start': { actions: 'apply' },
    'host.finish': { actions: 'apply' },
    'settings.changed': { actions: 'apply' },
    resumed: { actions: 'apply' },
  },
  states: {
    /** The session is open; the transaction has not started (no TransactionEvent yet). */
    session: {
      always: [
        { guard: 'started', target: 'transaction' },
        { guard: 'discarded', target: 'discarded' },
      ],
      type: 'parallel',
      states: {
        // C01/E03: an authorization waits EVConnectionTimeOut for the EV.
        evConnection: deadlineRegion('evConnection', (c) => c.evConnectionTimeoutAt, 'timer.evConnection'),
      },
    },
    /** TransactionEvent Started was sent: the transaction runs until Ended. */
    transaction: {
      always: { guard: 'ended', target: 'ended' },
      type: 'parallel',
      states: {
        chargingState: {
          initial: 'Idle',
          states: Object.fromEntries(
            CHARGING_STATES.map((state) => [
              state,
              {
                always: CHARGING_STATES.filter((other) => other !== state).map((other) => ({
                  guard: ({ context }: { context: TransactionContext }) => context.chargingState === other,
                  target: other,
                })),
              },
            ]),
          ),
        },
        authorization: {
          initial: 'unauthorized',
          states: {
            unauthorized: { always: { guard: ({ context }) => context.authorized, target: 'authorized' } },
            authorized: { always: { guard: ({ context }) => !context.authorized, target: 'unauthorized' } },
          },
        },
        evConnection: deadlineRegion('evConnection', (c) => c.evConnectionTimeoutAt, 'timer.evConnection'),
        // J02.FR.11: MeterValuePeriodic every SampledDataTxUpdatedInterval from the start.
        periodic: deadlineRegion('periodic', (c) => c.nextPeriodicAt, 'timer.periodic'),
        // J02: a TxEnded sample every SampledDataTxEndedInterval.
        endedSample: deadlineRegion('endedSample', (c) => c.nextEndedSampleAt, 'timer.endedSample'),
        // J01.FR.22: MeterValueClock on the AlignedDataInterval grid.
        clock: alignedRegion('clock', (c) => c.settings.alignedIntervalS, 'timer.clock'),
        // J02: a TxEnded clock sample every AlignedDataTxEndedInterval.
        alignedEndedSample: alignedRegion(
          'alignedEndedSample',
          (c) => c.settings.alignedTxEndedIntervalS,
          'timer.alignedEndedSample',
        ),
      },
    },
    /** TransactionEvent Ended was sent. */
    ended: { type: 'final' },
    /** The session ended without a transaction. */
    discarded: { type: 'final' },
  },
});
