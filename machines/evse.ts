/**
 * `evse:<id>`: one EVSE and its connectors (spawned as `connector:<evse>:<id>` children).
 *
 * It owns the EVSE's share of availability (G03/G04): the operational status set on the station,
 * on the EVSE and on each connector combine into the effective status each connector reports.
 * Settings arrive already decided (a ChangeAvailability that must wait for a transaction is held
 * back as Scheduled before it gets here); the persisted copy lives in the store.
 */
import { enqueueActions, setup } from 'xstate';
import { connectorMachine, type ConnectorEvent } from './connector.js';

export interface EvseInput {
  evseId: number;
  connectorIds: number[];
  stationOperative?: boolean;
  evseOperative?: boolean;
  /** Connector-level settings; absent = Operative. */
  connectorOperative?: Record<string, boolean>;
}

export interface EvseContext {
  evseId: number;
  connectorIds: number[];
  stationOperative: boolean;
  evseOperative: boolean;
  connectorOperative: Record<string, boolean>;
}

export type EvseEvent =
  | { type: 'availability.station'; operative: boolean }
  | { type: 'availability.set'; connectorId?: number; operative: boolean }
  | { type: 'link'; canSend: boolean }
  | { type: 'status.resync'; connectorId?: number }
  | { type: 'hw.plugged' | 'hw.unplugged' | 'hw.faulted' | 'hw.faultCleared'; connectorId: number };

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
  actors: { connector: connectorMachine },
  actions: {
    // Provided by src/: evseEffectiveOperativeStatusChangedCallback.
    operativeChanged: (_, _params: { evseId: number; operative: boolean }) => undefined,
    // Push the effective status to every connector (they ignore repeats).
    propagate: enqueueActions(({ context, enqueue }) => {
      for (const connectorId of context.connectorIds) {
        enqueue.sendTo(connectorActorId(context.evseId, connectorId), {
          type: 'availability.effective',
          operative: effectiveConnectorOperative(context, connectorId),
        } satisfies ConnectorEvent);
      }
    }),
  },
}).createMachine({
  id: 'evse',
  context: ({ input }) => ({
    evseId: input.evseId,
    connectorIds: input.connectorIds,
    stationOperative: input.stationOperative ?? true,
    evseOperative: input.evseOperative ?? true,
    connectorOperative: input.connectorOperative ?? {},
  }),
  entry: enqueueActions(({ context, enqueue }) => {
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
        const before = effectiveEvseOperative(context);
        enqueue.assign({ stationOperative: event.operative });
        const after = event.operative && context.evseOperative;
        if (before !== after)
          enqueue({ type: 'operativeChanged', params: { evseId: context.evseId, operative: after } });
        enqueue('propagate');
      }),
    },
    'availability.set': {
      // A connector this EVSE does not have has no setting to keep (hw.* below likewise).
      guard: ({ context, event }) =>
        event.connectorId === undefined ||
        event.connectorId === 0 ||
        context.connectorIds.includes(event.connectorId),
      actions: enqueueActions(({ context, event, enqueue }) => {
        if (event.connectorId === undefined || event.connectorId === 0) {
          const before = effectiveEvseOperative(context);
          enqueue.assign({ evseOperative: event.operative });
          const after = context.stationOperative && event.operative;
          if (before !== after)
            enqueue({ type: 'operativeChanged', params: { evseId: context.evseId, operative: after } });
        } else {
          enqueue.assign({
            connectorOperative: {
              ...context.connectorOperative,
              [String(event.connectorId)]: event.operative,
            },
          });
        }
        enqueue('propagate');
      }),
    },
    link: {
      actions: enqueueActions(({ context, event, enqueue }) => {
        for (const connectorId of context.connectorIds) {
          enqueue.sendTo(connectorActorId(context.evseId, connectorId), event);
        }
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
    'hw.*': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        if (!('connectorId' in event) || !context.connectorIds.includes(event.connectorId)) return;
        enqueue.sendTo(connectorActorId(context.evseId, event.connectorId), {
          type: event.type,
        } as ConnectorEvent);
      }),
    },
  },
});
