/**
 * `connector:<evse>:<id>`: one connector's status (G01) and its StatusNotification reporting.
 *
 * Two regions: `status` shows the OCPP connector status as a state (derived from the facts in
 * context by `connectorStatus`, so it can never disagree with them), and `report` sends a
 * StatusNotification whenever the status differs from what the CSMS last acknowledged and the
 * station may send (connected and Accepted, B01.FR.08). Because `reported` only changes on an
 * acknowledged send, statuses that changed while offline are sent on reconnect (B04.FR.02), and a
 * `status.resync` forgets it so all are sent (B01.FR.05, B04.FR.01, F06 TriggerMessage).
 *
 * The StatusNotification is an effect provided by src/ that answers with an event carrying the
 * call's id (`statusNotification.done` / `.error`), not an invoked actor: no actor per report
 * (issue 9, boot storm). A restored connector never resumes a wait (`resumed` resets the region).
 */
import { assign, enqueueActions, setup } from 'xstate';
import type { ConnectorStatusEnumType } from '../src/generated/ocpp-types.js';
import { CONNECTOR_STATUSES, connectorStatus, type ConnectorFacts } from './connector-status.js';
import { hasParent } from './has-parent.js';

export interface ConnectorInput extends Partial<ConnectorFacts> {
  evseId: number;
  connectorId: number;
}

export interface ConnectorContext extends ConnectorFacts {
  evseId: number;
  connectorId: number;
  /** The station is connected and Accepted: StatusNotification may be sent. */
  canSend: boolean;
  /** Last status the CSMS acknowledged; null = unknown to the CSMS, send it. */
  reported: ConnectorStatusEnumType | null;
  /**
   * Id of the StatusNotification the report region waits for while `sending`; leaving `sending`
   * moves it on, so an answer to a call that is no longer awaited (resync, resumed) is ignored.
   */
  callId: number;
  /** The status of the StatusNotification in flight (null when none): what its answer acknowledges. */
  inFlight: ConnectorStatusEnumType | null;
}

export type ConnectorEvent =
  | { type: 'hw.plugged' }
  | { type: 'hw.unplugged' }
  | { type: 'hw.faulted' }
  | { type: 'hw.faultCleared' }
  | { type: 'availability.effective'; operative: boolean }
  | { type: 'reservation.changed'; reserved: boolean }
  | { type: 'link'; canSend: boolean }
  | { type: 'status.resync' }
  /**
   * Restored from a snapshot after a restart: the CSMS must be told every status again (B01.FR.05)
   * once the new connection is accepted, and a report that was in flight is not awaited.
   */
  | { type: 'resumed' }
  /** The answer to the StatusNotification `callId`: the status the CSMS acknowledged. */
  | { type: 'statusNotification.done'; id: number; output: ConnectorStatusEnumType }
  /** StatusNotification `callId` was not acknowledged (offline and not queued, CALLERROR, timeout). */
  | { type: 'statusNotification.error'; id: number; error: unknown };

/** What a connector tells its EVSE (and the EVSE the station): its facts, for reservations (H01). */
export type ConnectorOutput = {
  type: 'connector.facts';
  connectorId: number;
  operative: boolean;
  faulted: boolean;
  plugged: boolean;
};

export interface StatusNotificationInput {
  evseId: number;
  connectorId: number;
  status: ConnectorStatusEnumType;
}

/** What the `statusNotification` effect is given: the request, and the id its answer must carry. */
export interface StatusNotificationParams extends StatusNotificationInput {
  id: number;
}

/** The answer is to the StatusNotification the report region waits for (not a stale one). */
const awaited = ({ context, event }: { context: ConnectorContext; event: unknown }) =>
  (event as { id?: unknown }).id === context.callId;

/** The facts the station's reservations follow (H01.FR.11–17). */
function factsOf(context: ConnectorContext): ConnectorOutput {
  return {
    type: 'connector.facts',
    connectorId: context.connectorId,
    operative: context.operative,
    faulted: context.faulted,
    plugged: context.plugged,
  };
}

const statusStates = Object.fromEntries(
  CONNECTOR_STATUSES.map((status) => [
    status,
    {
      entry: {
        type: 'statusChanged' as const,
        params: ({ context }: { context: ConnectorContext }) => ({
          evseId: context.evseId,
          connectorId: context.connectorId,
          status,
        }),
      },
      always: CONNECTOR_STATUSES.filter((other) => other !== status).map((other) => ({
        guard: ({ context }: { context: ConnectorContext }) => connectorStatus(context) === other,
        target: other,
      })),
    },
  ]),
);

export const connectorMachine = setup({
  types: {
    context: {} as ConnectorContext,
    input: {} as ConnectorInput,
    events: {} as ConnectorEvent,
  },
  actions: {
    // Provided by src/: sends the StatusNotificationRequest (timestamped there) and answers with a
    // `statusNotification.done` carrying `id` and the acknowledged status, or `.error` (issue 9: an
    // effect and an event instead of an invoked actor per call).
    statusNotification: (_, _params: StatusNotificationParams) => undefined,
    // Provided by src/: connectorEffectiveOperativeStatusChangedCallback.
    operativeChanged: (_, _params: { evseId: number; connectorId: number; operative: boolean }) => undefined,
    // Provided by src/: mirrors the status into the device model (Connector.AvailabilityState).
    statusChanged: (_, _params: { evseId: number; connectorId: number; status: ConnectorStatusEnumType }) =>
      undefined,
    // H01.FR.11–17: the station decides reservations from every connector's facts.
    reportFacts: enqueueActions(({ context, enqueue, self }) => {
      if (hasParent(self)) enqueue.sendParent(factsOf(context));
    }),
    reportCreatedFacts: enqueueActions(({ context, enqueue, self }) => {
      if (context.operative && !context.faulted && !context.plugged) return;
      if (hasParent(self)) enqueue.sendParent(factsOf(context));
    }),
  },
  guards: {
    awaited,
    mustReport: ({ context }) => context.canSend && connectorStatus(context) !== context.reported,
  },
}).createMachine({
  id: 'connector',
  context: ({ input }) => ({
    evseId: input.evseId,
    connectorId: input.connectorId,
    faulted: input.faulted ?? false,
    operative: input.operative ?? true,
    plugged: input.plugged ?? false,
    reserved: input.reserved ?? false,
    canSend: false,
    reported: null,
    callId: 0,
    inFlight: null,
  }),
  type: 'parallel',
  // H01.FR.11–17: at creation only facts the station does not assume already are told (it starts
  // every connector operative, unplugged and not faulted, machines/station-reservations.ts):
  // issue 9, no event for nothing (four per fresh boot of two EVSEs).
  entry: 'reportCreatedFacts',
  states: {
    // The facts live in their own region: a handler on the root would compete with the report
    // region's transitions for the same event and lose the update (xstate selects one per region).
    facts: {
      initial: 'tracking',
      states: {
        tracking: {
          on: {
            'hw.plugged': { actions: [assign({ plugged: true }), 'reportFacts'] },
            'hw.unplugged': { actions: [assign({ plugged: false }), 'reportFacts'] },
            'hw.faulted': { actions: [assign({ faulted: true }), 'reportFacts'] },
            'hw.faultCleared': { actions: [assign({ faulted: false }), 'reportFacts'] },
            'reservation.changed': { actions: assign({ reserved: ({ event }) => event.reserved }) },
            'availability.effective': {
              guard: ({ context, event }) => context.operative !== event.operative,
              actions: [
                assign({ operative: ({ event }) => event.operative }),
                {
                  type: 'operativeChanged',
                  params: ({ context }) => ({
                    evseId: context.evseId,
                    connectorId: context.connectorId,
                    operative: context.operative,
                  }),
                },
                'reportFacts',
              ],
            },
            link: { actions: assign({ canSend: ({ event }) => event.canSend }) },
          },
        },
      },
    },
    status: {
      initial: 'Available',
      states: statusStates,
    },
    report: {
      initial: 'idle',
      on: {
        'status.resync': { target: '.idle', actions: assign({ reported: null }) },
        resumed: { target: '.idle', actions: [assign({ reported: null, canSend: false }), 'reportFacts'] },
      },
      states: {
        idle: {
          always: { guard: 'mustReport', target: 'sending' },
        },
        sending: {
          entry: [
            assign({ inFlight: ({ context }) => connectorStatus(context) }),
            {
              type: 'statusNotification',
              params: ({ context }) => ({
                id: context.callId,
                evseId: context.evseId,
                connectorId: context.connectorId,
                status: context.inFlight ?? connectorStatus(context),
              }),
            },
          ],
          // Whatever ends the wait (answer, resync, resumed), a later answer to this call is stale.
          exit: assign({ callId: ({ context }) => context.callId + 1, inFlight: null }),
          on: {
            'statusNotification.done': {
              guard: 'awaited',
              target: 'idle',
              actions: assign({ reported: ({ event }) => event.output }),
            },
            // Not acknowledged (offline and not queued, CALLERROR, timeout): wait for the next
            // change, link or resync instead of retrying in a loop.
            'statusNotification.error': { guard: 'awaited', target: 'failed' },
          },
        },
        failed: {
          on: {
            link: 'idle',
            'hw.*': 'idle',
            'availability.effective': 'idle',
            'reservation.changed': 'idle',
          },
        },
      },
    },
  },
});
