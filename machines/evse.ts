/**
 * `evse:<id>`: one EVSE, its connectors (spawned as `connector:<evse>:<id>`) and its charging
 * session (spawned as child `transaction`, systemId `transaction:<transactionId>`, at most one at a
 * time, E01.FR.14).
 *
 * It owns the EVSE's share of availability (G03/G04): the operational status set on the station, on
 * the EVSE and on each connector combine into the effective status each connector reports; a change
 * to Inoperative that arrives while a transaction runs is Scheduled and applied the moment the
 * transaction ends (G03.FR.05, G04.FR.06; Part 6 TC_G_11/14/17). It routes the hardware facts of the
 * EVSE (EV connected, parking bay, energy flow) to its connectors and to the session, opening a
 * session on the first fact that calls for one (machines/evse-fact-routing.ts). The availability
 * table and the AvailabilityState variables are derived from this chart by src/.
 */
import { assign, enqueueActions, setup } from 'xstate';
import type { ReasonEnumType, TriggerReasonEnumType } from '../src/generated/ocpp-types.js';
import { connectorMachine, type ConnectorEvent, type ConnectorOutput } from './connector.js';
import { routeFact, type Enqueue } from './evse-fact-routing.js';
import { hasParent } from './has-parent.js';
import {
  SESSION_CHILD_ID,
  transactionActorId,
  transactionMachine,
  type TransactionEvent,
  type TransactionOutput,
} from './transaction.js';
import type { HostChargingState, TransactionContext, TxSettings } from './transaction-rules.js';

export interface EvseInput {
  evseId: number;
  connectorIds: number[];
  stationOperative?: boolean;
  evseOperative?: boolean;
  /** Connector-level settings; absent = Operative. */
  connectorOperative?: Record<string, boolean>;
  txSettings: TxSettings;
  /** Sessions rebuilt from their stored context (the EVSE's snapshot could not be used). */
  sessions?: TransactionContext[];
}

/** Changes to Inoperative held back until the transaction on this EVSE ends (G03.FR.05, G04.FR.06). */
export interface ScheduledAvailability {
  station?: boolean;
  evse?: boolean;
  connectors: Record<string, boolean>;
}

export interface EvseContext {
  evseId: number;
  connectorIds: number[];
  stationOperative: boolean;
  evseOperative: boolean;
  connectorOperative: Record<string, boolean>;
  scheduled: ScheduledAvailability;
  txSettings: TxSettings;
  /** transactionId of the open session (its actor is child `transaction`, systemId `transaction:<id>`), or null. */
  session: string | null;
  /** The open session's transaction has started (TransactionEvent Started sent) and not ended. */
  transactionActive: boolean;
  /** Connector the EV is connected to, if any. */
  evConnectedOn: number | null;
  /** The parking bay sensor sees an EV. */
  parked: boolean;
  /** A session to rebuild from its stored context when the chart starts (then null). */
  rebuilding: TransactionContext | null;
}

/**
 * Nothing held back: one frozen object shared by every EVSE (issue 9: an empty one per EVSE was
 * ~100 B of each idle station). Changes replace `scheduled`, never mutate it.
 */
const NOTHING_SCHEDULED: ScheduledAvailability = Object.freeze({ connectors: Object.freeze({}) });

/** The status a ChangeAvailability gets (G03/G04). */
export type AvailabilityReply = 'Accepted' | 'Scheduled' | 'Rejected';

/** Facts and commands for this EVSE. `at`: station time; `txId`: the id a new session would take. */
export type EvseEvent =
  | { type: 'availability.station'; operative: boolean; whenIdle?: boolean }
  | {
      type: 'csms.changeAvailability';
      connectorId?: number;
      operative: boolean;
      /** Called with the decision (src/ answers the CSMS with it). */
      reply?: (status: AvailabilityReply) => void;
    }
  | { type: 'status.resync'; connectorId?: number }
  | { type: 'hw.faulted'; connectorId: number; at: string; reason?: ReasonEnumType }
  | { type: 'hw.faultCleared'; connectorId: number; at: string }
  /** An EV is connected with a cable (both ends plugged). */
  | { type: 'hw.plugged'; connectorId: number; at: string; txId: string; energyWh?: number }
  /** The cable left the station's socket (the EV is gone with it). */
  | { type: 'hw.unplugged'; connectorId: number; at: string; energyWh?: number }
  /** The cable left the EV only; a socket cable stays plugged (and locked) at the station. */
  | { type: 'hw.evDisconnected'; connectorId: number; at: string; energyWh?: number }
  | { type: 'hw.parked'; at: string; txId: string; energyWh?: number }
  | { type: 'hw.unparked'; at: string; energyWh?: number }
  | { type: 'hw.chargingState'; state: HostChargingState | null; at: string; energyWh?: number }
  | { type: 'hw.signedData'; at: string; energyWh?: number }
  | { type: 'hw.energy'; at: string; energyWh: number }
  | { type: 'hw.lockFailed'; connectorId: number; at: string }
  /** An authorization for this EVSE: the session's own event, with the id a new session would take. */
  | (Extract<TransactionEvent, { type: 'auth.accepted' | 'auth.remoteStart' }> & { txId: string })
  | Extract<TransactionEvent, { type: 'auth.stop' | 'trigger.transactionEvent' | 'reset.immediate' }>
  | { type: 'host.start'; connectorId?: number; at: string; txId: string; triggerReason?: TriggerReasonEnumType; energyWh?: number }
  | { type: 'host.finish'; reason: ReasonEnumType; triggerReason?: TriggerReasonEnumType; at: string; energyWh?: number }
  | { type: 'tx.settings'; settings: TxSettings }
  | { type: 'resumed'; at: string; resumeTransactions: boolean; settings: TxSettings }
  /** H01: the station marks this EVSE's connectors Reserved, or releases them. */
  | { type: 'reservation.mark'; reserved: boolean }
  | ConnectorOutput
  | TransactionOutput;

/** What this EVSE tells the station. */
export type EvseOutput =
  | { type: 'evse.transaction'; evseId: number; active: boolean }
  | ({ type: 'evse.connectorFacts'; evseId: number } & Omit<ConnectorOutput, 'type'>);

/**
 * The system id of the actor of connector `connectorId` on EVSE `evseId`.
 *
 * @example
 * const connector = station.system.get(connectorActorId(1, 1)); // the actor `connector:1:1`
 */
export const connectorActorId = (evseId: number, connectorId: number) => `connector:${evseId}:${connectorId}`;

/**
 * G03/G04: an EVSE is operative when both the station and the EVSE itself are set Operative.
 *
 * @example
 * effectiveEvseOperative({ ...context, stationOperative: false, evseOperative: true }); // false
 */
export function effectiveEvseOperative(
  context: Pick<EvseContext, 'stationOperative' | 'evseOperative'>,
): boolean {
  return context.stationOperative && context.evseOperative;
}

/**
 * G03/G04: a connector is operative when its EVSE is and its own setting (absent = Operative) is.
 *
 * @example
 * effectiveConnectorOperative({ ...context, connectorOperative: { '2': false } }, 2); // false
 * effectiveConnectorOperative({ ...context, connectorOperative: { '2': false } }, 1); // true
 */
export function effectiveConnectorOperative(
  context: Pick<EvseContext, 'stationOperative' | 'evseOperative' | 'connectorOperative'>,
  connectorId: number,
): boolean {
  return effectiveEvseOperative(context) && (context.connectorOperative[String(connectorId)] ?? true);
}

export const evseMachine = setup({
  types: {
    context: {} as EvseContext,
    input: {} as EvseInput,
    events: {} as EvseEvent,
  },
  actors: { connector: connectorMachine, transaction: transactionMachine },
  actions: {
    // Provided by src/: evseEffectiveOperativeStatusChangedCallback.
    operativeChanged: (_, _params: { evseId: number; operative: boolean }) => undefined,
    // Provided by src/: the decision goes back to the CSMS (calls the event's `reply`).
    replyAvailability: (_, _params: { status: AvailabilityReply }) => undefined,
    // Push the effective status to every connector (they ignore repeats).
    propagate: enqueueActions(({ context, enqueue }) => {
      for (const connectorId of context.connectorIds) {
        enqueue.sendTo(connectorActorId(context.evseId, connectorId), {
          type: 'availability.effective',
          operative: effectiveConnectorOperative(context, connectorId),
        } satisfies ConnectorEvent);
      }
    }),
    toConnector: enqueueActions(({ context, enqueue }, params: { connectorId: number; event: ConnectorEvent }) => {
      if (!context.connectorIds.includes(params.connectorId)) return;
      enqueue.sendTo(connectorActorId(context.evseId, params.connectorId), params.event);
    }),
  },
}).createMachine({
  id: 'evse',
  context: ({ input }) => {
    const rebuilt = input.sessions?.find((s) => !s.ended && !s.discarded);
    return {
      evseId: input.evseId,
      connectorIds: input.connectorIds,
      stationOperative: input.stationOperative ?? true,
      evseOperative: input.evseOperative ?? true,
      connectorOperative: input.connectorOperative ?? {},
      scheduled: NOTHING_SCHEDULED,
      txSettings: input.txSettings,
      session: rebuilt?.transactionId ?? null,
      transactionActive: rebuilt?.started ?? false,
      evConnectedOn: rebuilt?.evConnected ? rebuilt.connectorId : null,
      parked: rebuilt?.parked ?? false,
      rebuilding: rebuilt ?? null,
    };
  },
  entry: enqueueActions(({ context, enqueue }) => {
    if (context.rebuilding !== null) {
      // A session rebuilt from its stored context: its chart goes where the context says.
      const restoreContext = context.rebuilding;
      enqueue.spawnChild('transaction', {
        id: SESSION_CHILD_ID,
        systemId: transactionActorId(restoreContext.transactionId),
        input: {
          evseId: context.evseId,
          transactionId: restoreContext.transactionId,
          settings: context.txSettings,
          at: restoreContext.lastEventAt,
          restoreContext,
        },
      });
      enqueue.assign({ rebuilding: null });
    }
    for (const connectorId of context.connectorIds) {
      enqueue.spawnChild('connector', {
        id: connectorActorId(context.evseId, connectorId),
        systemId: connectorActorId(context.evseId, connectorId),
        input: {
          evseId: context.evseId,
          connectorId,
          operative: effectiveConnectorOperative(context, connectorId),
        },
      });
    }
  }),
  on: {
    'availability.station': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        // G04.FR.06 (Part 6 TC_G_14): an EVSE with a transaction goes Inoperative when it ends.
        if (!event.operative && event.whenIdle && context.transactionActive) {
          enqueue.assign({ scheduled: { ...context.scheduled, station: false } });
          return;
        }
        const before = effectiveEvseOperative(context);
        const scheduled = { ...context.scheduled };
        delete scheduled.station;
        enqueue.assign({ stationOperative: event.operative, scheduled });
        const after = event.operative && context.evseOperative;
        if (before !== after)
          enqueue({ type: 'operativeChanged', params: { evseId: context.evseId, operative: after } });
        enqueue('propagate');
      }),
    },
    'csms.changeAvailability': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const connectorId = event.connectorId ?? 0;
        if (connectorId !== 0 && !context.connectorIds.includes(connectorId)) {
          enqueue({ type: 'replyAvailability', params: { status: 'Rejected' } });
          return;
        }
        const current =
          connectorId === 0 ? context.evseOperative : (context.connectorOperative[String(connectorId)] ?? true);
        const busy =
          context.transactionActive &&
          (connectorId === 0 || context.evConnectedOn === null || context.evConnectedOn === connectorId);
        // G03.FR.05: to Inoperative while a transaction runs here: Scheduled, applied when it ends.
        if (!event.operative && busy && current) {
          enqueue.assign({
            scheduled:
              connectorId === 0
                ? { ...context.scheduled, evse: false }
                : { ...context.scheduled, connectors: { ...context.scheduled.connectors, [String(connectorId)]: false } },
          });
          enqueue({ type: 'replyAvailability', params: { status: 'Scheduled' } });
          return;
        }
        // A change the other way cancels what was scheduled for that level.
        const scheduled = { ...context.scheduled, connectors: { ...context.scheduled.connectors } };
        if (connectorId === 0) delete scheduled.evse;
        else delete scheduled.connectors[String(connectorId)];
        if (connectorId === 0) {
          const before = effectiveEvseOperative(context);
          enqueue.assign({ evseOperative: event.operative, scheduled });
          const after = context.stationOperative && event.operative;
          if (before !== after)
            enqueue({ type: 'operativeChanged', params: { evseId: context.evseId, operative: after } });
        } else {
          enqueue.assign({
            connectorOperative: { ...context.connectorOperative, [String(connectorId)]: event.operative },
            scheduled,
          });
        }
        enqueue('propagate');
        // G03.FR.03/G04.FR.03: already in the requested state is Accepted too.
        enqueue({ type: 'replyAvailability', params: { status: 'Accepted' } });
      }),
    },
    'status.resync': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        for (const connectorId of context.connectorIds) {
          if (event.connectorId === undefined || event.connectorId === connectorId) {
            enqueue.sendTo(connectorActorId(context.evseId, connectorId), { type: 'status.resync' });
          }
        }
      }),
    },
    'session.started': {
      actions: [
        assign({ transactionActive: true }),
        enqueueActions(({ context, enqueue }) =>
          enqueue.sendParent({ type: 'evse.transaction', evseId: context.evseId, active: true } satisfies EvseOutput),
        ),
      ],
    },
    'session.permitted': {},
    'reservation.mark': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        for (const connectorId of context.connectorIds) {
          enqueue.sendTo(connectorActorId(context.evseId, connectorId), {
            type: 'reservation.changed',
            reserved: event.reserved,
          } satisfies ConnectorEvent);
        }
      }),
    },
    'connector.facts': {
      actions: enqueueActions(({ context, event, enqueue, self }) => {
        if (!hasParent(self)) return;
        const { type: _type, ...facts } = event;
        enqueue.sendParent({ type: 'evse.connectorFacts', evseId: context.evseId, ...facts } satisfies EvseOutput);
      }),
    },
    'xstate.done.actor.*': {
      actions: enqueueActions(({ context: ctx, event, enqueue }) => {
        const context = ctx as EvseContext;
        const id = (event as { type: string }).type.slice('xstate.done.actor.'.length);
        // The session's child id is fixed (SESSION_CHILD_ID): one event type however many sessions run.
        if (context.session === null || id !== SESSION_CHILD_ID) return;
        enqueue.stopChild(id);
        const wasActive = context.transactionActive;
        enqueue.assign({ session: null, transactionActive: false });
        if (!wasActive) return;
        // G03.FR.05/G04.FR.06: the transaction ended: the scheduled changes apply now.
        const { scheduled } = context;
        if (scheduled.station !== undefined || scheduled.evse !== undefined || Object.keys(scheduled.connectors).length > 0) {
          const stationOperative = scheduled.station ?? context.stationOperative;
          const evseOperative = scheduled.evse ?? context.evseOperative;
          const before = effectiveEvseOperative(context);
          const after = stationOperative && evseOperative;
          enqueue.assign({
            stationOperative,
            evseOperative,
            connectorOperative: { ...context.connectorOperative, ...scheduled.connectors },
            scheduled: NOTHING_SCHEDULED,
          });
          if (before !== after)
            enqueue({ type: 'operativeChanged', params: { evseId: context.evseId, operative: after } });
          enqueue('propagate');
        }
        enqueue.sendParent({ type: 'evse.transaction', evseId: context.evseId, active: false } satisfies EvseOutput);
      }),
    },
    'hw.*': {
      actions: enqueueActions(({ context, event, enqueue }) => routeFact(context, event, enqueue as unknown as Enqueue)),
    },
    'auth.*': {
      actions: enqueueActions(({ context, event, enqueue }) => routeFact(context, event, enqueue as unknown as Enqueue)),
    },
    'host.*': {
      actions: enqueueActions(({ context, event, enqueue }) => routeFact(context, event, enqueue as unknown as Enqueue)),
    },
    'trigger.transactionEvent': {
      actions: enqueueActions(({ context, event, enqueue }) => routeFact(context, event, enqueue as unknown as Enqueue)),
    },
    'reset.immediate': {
      actions: enqueueActions(({ context, event, enqueue }) => routeFact(context, event, enqueue as unknown as Enqueue)),
    },
    'tx.settings': {
      actions: [
        assign({ txSettings: ({ event }) => event.settings }),
        enqueueActions(({ context, event, enqueue }) => routeFact(context, event, enqueue as unknown as Enqueue)),
      ],
    },
    resumed: {
      actions: [
        assign({ txSettings: ({ event }) => event.settings }),
        enqueueActions(({ context, enqueue }) => {
          for (const connectorId of context.connectorIds) {
            enqueue.sendTo(connectorActorId(context.evseId, connectorId), { type: 'resumed' } satisfies ConnectorEvent);
          }
        }),
        enqueueActions(({ context, event, enqueue }) => routeFact(context, event, enqueue as unknown as Enqueue)),
      ],
    },
  },
});
