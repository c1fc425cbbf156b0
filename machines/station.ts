/**
 * `station`: the root actor. It spawns `connection`, `boot` and one `evse:<id>` per EVSE (which spawn
 * their connectors), keeps the two facts everyone depends on (connected? registration status?) and
 * routes events: connection and registration changes become `link` events for the connectors
 * (StatusNotification may only be sent once Accepted, B01.FR.08), reconnects become status resyncs
 * (B04), and host and CSMS events are forwarded to the child that owns them.
 */
import { assign, enqueueActions, fromPromise, setup } from 'xstate';
import type { BootReasonEnumType, ResetEnumType } from '../src/generated/ocpp-types.js';
import { bootMachine, type BootEvent, type BootInput, type RegistrationStatus } from './boot.js';
import { connectionMachine, type ConnectionEvent, type ConnectionInput } from './connection.js';
import { evseMachine, type EvseEvent } from './evse.js';

export interface StationEvseInput {
  evseId: number;
  connectorIds: number[];
  evseOperative?: boolean;
  connectorOperative?: Record<string, boolean>;
}

export interface StationInput {
  evses: StationEvseInput[];
  stationOperative: boolean;
  /** OCPPCommCtrlr.OfflineThreshold (s): a longer offline period resends every status (B04.FR.01). */
  offlineThresholdS: number;
  boot: BootInput;
  connection: ConnectionInput;
}

export interface StationContext {
  evses: StationEvseInput[];
  bootInput: BootInput;
  connectionInput: ConnectionInput;
  stationOperative: boolean;
  offlineThresholdS: number;
  online: boolean;
  registration: RegistrationStatus;
  /** The reset being carried out or waiting for transactions to end (B12.FR.01). */
  reset: ResetInput | null;
}

type HardwareEvent = {
  type: 'hw.plugged' | 'hw.unplugged' | 'hw.faulted' | 'hw.faultCleared';
  evseId: number;
  connectorId: number;
};

export type StationEvent =
  | { type: 'connection.up'; slot: number; offlineSeconds: number | null }
  | { type: 'connection.down' }
  | { type: 'connection.goOffline' }
  | { type: 'connection.goOnline' }
  | { type: 'registration.changed'; status: RegistrationStatus }
  | { type: 'settings.heartbeatInterval'; seconds: number }
  | { type: 'settings.offlineThreshold'; seconds: number }
  | { type: 'availability.station'; operative: boolean }
  | { type: 'availability.set'; evseId: number; connectorId?: number; operative: boolean }
  /**
   * F06: an accepted TriggerMessage(BootNotification). Triggered Heartbeat and StatusNotification
   * do not pass through the machines: the handler sends them itself (they must go out while
   * Pending and even when nothing changed, which the boot and connector charts do not do).
   */
  | { type: 'trigger.BootNotification' }
  | { type: 'reset.execute'; evseId?: number; resetType: ResetEnumType; bootReason: BootReasonEnumType }
  | { type: 'reset.schedule'; evseId?: number; resetType: ResetEnumType }
  /** No transaction left on this EVSE (or on the station when evseId is absent). */
  | { type: 'transactions.idle'; evseId?: number }
  | HardwareEvent;

/**
 * The system id of the actor of EVSE `evseId` (`station.system.get(evseActorId(1))`).
 *
 * @example
 * const evse = station.system.get(evseActorId(1)); // the actor `evse:1`
 */
export const evseActorId = (evseId: number) => `evse:${evseId}`;

/**
 * Whether the station has EVSE `evseId` and, when given and not 0 (the EVSE itself), its connector
 * `connectorId`.
 *
 * @example
 * hasTarget({ evses: [{ evseId: 1, connectorIds: [1] }] }, 1, 2); // false: no connector 2
 */
export function hasTarget(
  context: Pick<StationContext, 'evses'>,
  evseId: number,
  connectorId?: number,
): boolean {
  const evse = context.evses.find((e) => e.evseId === evseId);
  if (!evse) return false;
  return connectorId === undefined || connectorId === 0 || evse.connectorIds.includes(connectorId);
}

export interface ResetInput {
  evseId?: number;
  resetType: ResetEnumType;
  bootReason: BootReasonEnumType;
}

export const stationMachine = setup({
  types: {
    context: {} as StationContext,
    input: {} as StationInput,
    events: {} as StationEvent,
  },
  actors: {
    connection: connectionMachine,
    boot: bootMachine,
    evse: evseMachine,
    // Provided by src/: records the next boot reason and calls resetCallback (B11/B12).
    performReset: fromPromise<void, ResetInput>(async () => {
      throw new Error('performReset actor not provided');
    }),
  },
  actions: {
    // Provided by src/: the outgoing queue and the incoming-call gate follow these.
    registrationChanged: (_, _params: { status: RegistrationStatus }) => undefined,
    // Provided by src/: csEffectiveOperativeStatusChangedCallback.
    stationOperativeChanged: (_, _params: { operative: boolean }) => undefined,
    rememberReset: assign({
      reset: ({ event }) => {
        const e = event as Extract<StationEvent, { type: 'reset.execute' | 'reset.schedule' }>;
        return {
          resetType: e.resetType,
          bootReason: e.type === 'reset.execute' ? e.bootReason : 'ScheduledReset',
          ...(e.evseId === undefined ? {} : { evseId: e.evseId }),
        };
      },
    }),
    broadcastLink: enqueueActions(({ context, enqueue }) => {
      const canSend = context.online && context.registration === 'Accepted';
      for (const evse of context.evses) {
        enqueue.sendTo(evseActorId(evse.evseId), { type: 'link', canSend } satisfies EvseEvent);
      }
    }),
    resyncAll: enqueueActions(({ context, enqueue }) => {
      for (const evse of context.evses) {
        enqueue.sendTo(evseActorId(evse.evseId), { type: 'status.resync' } satisfies EvseEvent);
      }
    }),
  },
}).createMachine({
  id: 'station',
  context: ({ input }) => ({
    evses: input.evses,
    bootInput: input.boot,
    connectionInput: input.connection,
    stationOperative: input.stationOperative,
    offlineThresholdS: input.offlineThresholdS,
    online: false,
    registration: 'Unknown',
    reset: null,
  }),
  entry: enqueueActions(({ context, enqueue }) => {
    for (const evse of context.evses) {
      enqueue.spawnChild('evse', {
        id: evseActorId(evse.evseId),
        systemId: evseActorId(evse.evseId),
        input: { ...evse, stationOperative: context.stationOperative },
      });
    }
  }),
  invoke: [
    {
      id: 'connection',
      systemId: 'connection',
      src: 'connection',
      input: ({ context }) => context.connectionInput,
    },
    { id: 'boot', systemId: 'boot', src: 'boot', input: ({ context }) => context.bootInput },
  ],
  type: 'parallel',
  on: {
    'connection.up': {
      actions: [
        assign({ online: true }),
        enqueueActions(({ context, event, enqueue }) => {
          enqueue.sendTo('boot', {
            type: 'connection.up',
            offlineSeconds: event.offlineSeconds,
          } satisfies BootEvent);
          // B04.FR.01: offline longer than OfflineThreshold -> report every connector;
          // otherwise (B04.FR.02) only the changed ones, which the connectors know themselves.
          if (event.offlineSeconds !== null && event.offlineSeconds > context.offlineThresholdS)
            enqueue('resyncAll');
        }),
        'broadcastLink',
      ],
    },
    'connection.down': {
      actions: [
        assign({ online: false }),
        enqueueActions(({ enqueue }) =>
          enqueue.sendTo('boot', { type: 'connection.down' } satisfies BootEvent),
        ),
        'broadcastLink',
      ],
    },
    'connection.goOffline': {
      actions: enqueueActions(({ enqueue, event }) =>
        enqueue.sendTo('connection', event satisfies ConnectionEvent),
      ),
    },
    'connection.goOnline': {
      actions: enqueueActions(({ enqueue, event }) =>
        enqueue.sendTo('connection', event satisfies ConnectionEvent),
      ),
    },
    'registration.changed': {
      actions: [
        assign({ registration: ({ event }) => event.status }),
        { type: 'registrationChanged', params: ({ event }) => ({ status: event.status }) },
        'broadcastLink',
      ],
    },
    'settings.heartbeatInterval': {
      actions: enqueueActions(({ enqueue, event }) => enqueue.sendTo('boot', event satisfies BootEvent)),
    },
    'settings.offlineThreshold': { actions: assign({ offlineThresholdS: ({ event }) => event.seconds }) },
    'trigger.BootNotification': {
      actions: enqueueActions(({ enqueue, event }) => enqueue.sendTo('boot', event satisfies BootEvent)),
    },
    'availability.station': {
      guard: ({ context, event }) => context.stationOperative !== event.operative,
      actions: [
        assign({ stationOperative: ({ event }) => event.operative }),
        { type: 'stationOperativeChanged', params: ({ event }) => ({ operative: event.operative }) },
        enqueueActions(({ context, event, enqueue }) => {
          for (const evse of context.evses) {
            enqueue.sendTo(evseActorId(evse.evseId), {
              type: 'availability.station',
              operative: event.operative,
            } satisfies EvseEvent);
          }
        }),
      ],
    },
    'availability.set': {
      // Events for an EVSE or connector that does not exist are dropped: sending to a missing
      // child would throw and stop the root actor.
      guard: ({ context, event }) => hasTarget(context, event.evseId, event.connectorId),
      actions: enqueueActions(({ enqueue, event }) => {
        const forward: EvseEvent =
          event.connectorId === undefined
            ? { type: 'availability.set', operative: event.operative }
            : { type: 'availability.set', connectorId: event.connectorId, operative: event.operative };
        enqueue.sendTo(evseActorId(event.evseId), forward);
      }),
    },
    'hw.*': {
      guard: ({ context, event }) => {
        const hw = event as HardwareEvent;
        return hasTarget(context, hw.evseId, hw.connectorId);
      },
      actions: enqueueActions(({ enqueue, event }) => {
        const hw = event as HardwareEvent;
        enqueue.sendTo(evseActorId(hw.evseId), {
          type: hw.type,
          connectorId: hw.connectorId,
        } satisfies EvseEvent);
      }),
    },
  },
  states: {
    operation: {
      initial: 'running',
      states: {
        running: {
          on: {
            'reset.execute': { target: 'resetting', actions: 'rememberReset' },
            'reset.schedule': { target: 'resetScheduled', actions: 'rememberReset' },
          },
        },
        resetScheduled: {
          on: {
            // B12.FR.03/07: the transactions ended normally; now reset.
            'transactions.idle': {
              guard: ({ context, event }) =>
                context.reset?.evseId === undefined || context.reset.evseId === event.evseId,
              target: 'resetting',
              actions: assign({
                reset: ({ context }) =>
                  context.reset ? { ...context.reset, bootReason: 'ScheduledReset' as const } : null,
              }),
            },
            // An Immediate reset does not wait (B12.FR.02).
            'reset.execute': { target: 'resetting', actions: 'rememberReset' },
          },
        },
        resetting: {
          invoke: {
            src: 'performReset',
            input: ({ context }) => context.reset ?? { resetType: 'Immediate', bootReason: 'RemoteReset' },
            onDone: { target: 'running', actions: assign({ reset: null }) },
            onError: { target: 'running', actions: assign({ reset: null }) },
          },
        },
      },
    },
  },
});
