/**
 * `station`: the root actor. It spawns `connection`, `boot` and one `evse:<id>` per EVSE (which spawn
 * their connectors), keeps the two facts everyone depends on (connected? registration status?) and
 * routes events: connection and registration changes become `link` events for the connectors
 * (StatusNotification may only be sent once Accepted, B01.FR.08), reconnects become status resyncs
 * (B04), and host and CSMS events are forwarded to the child that owns them. Its input, context
 * and events are declared in machines/station-types.ts.
 */
import { assign, enqueueActions, fromPromise, setup, type AnyActorRef } from 'xstate';
import { bootMachine, type BootEvent, type RegistrationStatus } from './boot.js';
import { connectionMachine, type ConnectionEvent } from './connection.js';
import type { ConnectorEvent } from './connector.js';
import { connectorActorId, evseMachine, type AvailabilityReply, type EvseEvent } from './evse.js';
import { firmwareMachine } from './firmware.js';
import { logUploadMachine } from './log-upload.js';
import { reservationActorId, reservationMachine } from './reservation.js';
import { initialReservationContext, reservationChildId, reservationStep } from './station-reservations.js';
import {
  evseActorId,
  evseResumes,
  hasTarget,
  type EvseDirected,
  type ResetInput,
  type StationContext,
  type StationEvent,
  type StationInput,
} from './station-types.js';

export {
  evseActorId,
  hasTarget,
  type ResetInput,
  type StationContext,
  type StationEvent,
  type StationEvseInput,
  type StationInput,
} from './station-types.js';

export const stationMachine = setup({
  types: {
    context: {} as StationContext,
    input: {} as StationInput,
    events: {} as StationEvent,
  },
  guards: {
    // Facts for an EVSE or connector the station does not have are dropped (docs/statecharts.md).
    evseExists: ({ context, event }) => {
      const e = event as { evseId: number; connectorId?: number };
      return hasTarget(context, e.evseId, e.connectorId);
    },
  },
  actors: {
    connection: connectionMachine,
    boot: bootMachine,
    evse: evseMachine,
    reservation: reservationMachine,
    // L01/L02: `firmware`, restorable from its snapshot (provided by src/).
    firmware: firmwareMachine,
    // N01: `log-upload`, restorable from its snapshot (provided by src/).
    logUpload: logUploadMachine,
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
    // Provided by src/: the decision goes back to the CSMS (calls the event's `reply`).
    replyAvailability: (_, _params: { status: AvailabilityReply }) => undefined,
    // Provided by src/: the ReserveNow / CancelReservation answer (calls the event's `reply`).
    replyReservation: (_, _params: { status: string }) => undefined,
    // H01–H04: the plan of machines/station-reservations.ts, carried out.
    reservationStep: enqueueActions(({ context, event, enqueue }) => {
      const plan = reservationStep(context, event as Parameters<typeof reservationStep>[1]);
      for (const id of plan.stop) enqueue.stopChild(id);
      if (Object.keys(plan.patch).length > 0) enqueue.assign(plan.patch);
      for (const child of plan.spawn) {
        enqueue.spawnChild('reservation', {
          id: child.id,
          systemId: child.systemId,
          input: child.input as never,
        });
      }
      for (const message of plan.send) enqueue.sendTo(message.to, message.event as never);
      const reply = plan.reply;
      if (!reply) return;
      const status = reply.kind === 'reserveNow' ? reply.status : reply.accepted ? 'Accepted' : 'Rejected';
      enqueue({ type: 'replyReservation', params: { status } } as never);
    }),
    // B12.FR.04/08: end the transactions (of one EVSE) before the reset.
    endTransactionsForReset: enqueueActions(({ context, event, enqueue }) => {
      const e = event as Extract<StationEvent, { type: 'reset.execute' }>;
      for (const evse of context.evses) {
        if (e.evseId !== undefined && e.evseId !== evse.evseId) continue;
        enqueue.sendTo(evseActorId(evse.evseId), { type: 'reset.immediate', at: e.at } satisfies EvseEvent);
      }
    }),
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
    toEvse: enqueueActions(({ enqueue, event }) => {
      const { evseId, ...rest } = event as EvseDirected;
      enqueue.sendTo(evseActorId(evseId), rest as EvseEvent);
    }),
    startFirmware: enqueueActions(({ context, enqueue, system }) => {
      if (system.get('firmware') !== undefined) return;
      enqueue.spawnChild('firmware', { id: 'firmware', systemId: 'firmware', input: context.firmwareInput });
    }),
    startLogUpload: enqueueActions(({ context, enqueue, system }) => {
      if (system.get('log-upload') !== undefined) return;
      enqueue.spawnChild('logUpload', {
        id: 'log-upload',
        systemId: 'log-upload',
        input: context.logUploadInput,
      });
    }),
    broadcastLink: enqueueActions(({ context, enqueue, system }) => {
      const canSend = context.online && context.registration === 'Accepted';
      // Connected but not Accepted yet (every boot's connection.up) changes nothing for connectors
      // that could not send already (issue 9: four events per boot). A repeated `true` is still
      // said: a connector whose report failed tries again on it.
      if (!canSend && !context.canSendTold) return;
      enqueue.assign({ canSendTold: canSend });
      // B01.FR.08: straight to the connectors (by their systemIds), not through their EVSEs, which
      // had nothing to add (issue 9: one event per EVSE per change).
      for (const evse of context.evses) {
        for (const connectorId of evse.connectorIds) {
          const connector = system.get(connectorActorId(evse.evseId, connectorId)) as AnyActorRef | undefined;
          if (connector) enqueue.sendTo(connector, { type: 'link', canSend } satisfies ConnectorEvent);
        }
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
    canSendTold: false,
    reset: null,
    activeEvses: input.activeEvses ?? [],
    stationScheduledInoperative: false,
    firmwareInput: input.firmware ?? {},
    logUploadInput: input.logUpload ?? {},
    ...initialReservationContext(input.evses, input.connectorTypes ?? {}, input.reservations ?? []),
  }),
  entry: enqueueActions(({ context, enqueue }) => {
    for (const evse of context.evses) {
      enqueue.spawnChild('evse', {
        id: evseActorId(evse.evseId),
        systemId: evseActorId(evse.evseId),
        // The EVSE's input as it came (issue 9: a `{ ...evse }` copy gives every EVSE input a
        // hidden class of its own on V8); an EVSE defaults to an operative station.
        input: context.stationOperative ? evse : { ...evse, stationOperative: false },
      });
    }
    // Reservations resume from their snapshots (their deadlines re-arm), or start from their records.
    // Child ids are slots (initialReservationContext put restored[i] in slot i); systemIds name the reservation.
    (context.restoredReservations ?? []).forEach((r, slot) => {
      const input = r.restore === undefined ? { reservation: r.reservation } : { restore: r.restore };
      enqueue.spawnChild('reservation', {
        id: reservationChildId(slot),
        systemId: reservationActorId(r.reservation.reservationId),
        input: input as never,
      });
    });
    if (context.restoredReservations !== null) enqueue.assign({ restoredReservations: null });
    // L01/N01: a firmware update or log upload in progress resumes from its snapshot at start; an
    // idle one starts at its first request (`service.start`).
    if (context.firmwareInput.restore !== undefined) enqueue('startFirmware');
    if (context.logUploadInput.restore !== undefined) enqueue('startLogUpload');
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
    'service.start': [
      { guard: ({ event }) => event.service === 'firmware', actions: 'startFirmware' },
      { actions: 'startLogUpload' },
    ],
    'trigger.BootNotification': {
      actions: enqueueActions(({ enqueue, event }) => enqueue.sendTo('boot', event satisfies BootEvent)),
    },
    'csms.changeAvailability': [
      {
        // G04: the whole station. Going Inoperative with transactions running is Scheduled: the
        // idle EVSEs follow at once, the others when their transaction ends (G04.FR.06, TC_G_14).
        guard: ({ event }) => event.evseId === 0,
        actions: enqueueActions(({ context, event, enqueue }) => {
          const scheduled = !event.operative && context.activeEvses.length > 0;
          if (context.stationOperative !== event.operative) {
            enqueue.assign({ stationOperative: event.operative, stationScheduledInoperative: scheduled });
            if (!scheduled)
              enqueue({ type: 'stationOperativeChanged', params: { operative: event.operative } });
            for (const evse of context.evses) {
              enqueue.sendTo(evseActorId(evse.evseId), {
                type: 'availability.station',
                operative: event.operative,
                whenIdle: true,
              } satisfies EvseEvent);
            }
          }
          // G04.FR.03: already in the requested state is Accepted too.
          enqueue({ type: 'replyAvailability', params: { status: scheduled ? 'Scheduled' : 'Accepted' } });
        }),
      },
      {
        // Events for an EVSE that does not exist are answered, not forwarded: sending to a missing
        // child would throw and stop the root actor.
        guard: ({ context, event }) => hasTarget(context, event.evseId),
        actions: enqueueActions(({ enqueue, event }) =>
          enqueue.sendTo(evseActorId(event.evseId), {
            type: 'csms.changeAvailability',
            operative: event.operative,
            ...(event.connectorId === undefined ? {} : { connectorId: event.connectorId }),
            ...(event.reply ? { reply: event.reply } : {}),
          } satisfies EvseEvent),
        ),
      },
      { actions: { type: 'replyAvailability', params: { status: 'Rejected' } } },
    ],
    'evse.transaction': {
      actions: [
        enqueueActions(({ context, event, enqueue }) => {
          const activeEvses = event.active
            ? [...new Set([...context.activeEvses, event.evseId])]
            : context.activeEvses.filter((id) => id !== event.evseId);
          enqueue.assign({ activeEvses });
          // G04.FR.06: the last transaction ended; the scheduled station-level change has been applied
          // by each EVSE; now the station as a whole is Inoperative too.
          if (activeEvses.length === 0 && context.stationScheduledInoperative) {
            enqueue.assign({ stationScheduledInoperative: false });
            enqueue({ type: 'stationOperativeChanged', params: { operative: false } });
          }
          if (!event.active) enqueue.raise({ type: 'transactions.idle', evseId: event.evseId });
        }),
        'reservationStep',
      ],
    },
    'trigger.transactionEvent': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        for (const evse of context.evses) {
          if (event.evseId !== undefined && event.evseId !== evse.evseId) continue;
          enqueue.sendTo(evseActorId(evse.evseId), {
            type: 'trigger.transactionEvent',
            at: event.at,
          } satisfies EvseEvent);
        }
      }),
    },
    'tx.settings': {
      guard: ({ context, event }) => hasTarget(context, event.evseId),
      actions: enqueueActions(({ enqueue, event }) =>
        enqueue.sendTo(evseActorId(event.evseId), {
          type: 'tx.settings',
          settings: event.settings,
        } satisfies EvseEvent),
      ),
    },
    resumed: {
      actions: [
        enqueueActions(({ context, event, enqueue }) => {
          for (const evse of context.evses) {
            // Issue 9: an EVSE created from its input alone is not told (eight events per fresh boot).
            if (!evseResumes(evse)) continue;
            const settings = event.settings[String(evse.evseId)] ?? evse.txSettings;
            enqueue.sendTo(evseActorId(evse.evseId), {
              type: 'resumed',
              at: event.at,
              resumeTransactions: event.resumeTransactions,
              settings,
            } satisfies EvseEvent);
          }
        }),
        'reservationStep',
      ],
    },
    'csms.reserveNow': { actions: 'reservationStep' },
    'csms.cancelReservation': { actions: 'reservationStep' },
    'reservation.ended': { actions: 'reservationStep' },
    'evse.connectorFacts': { actions: 'reservationStep' },
    // A reservation actor finished (machines/station-reservations.ts stops it; other ids are ignored).
    'xstate.done.actor.*': { actions: 'reservationStep' },
    'hw.*': { guard: 'evseExists', actions: 'toEvse' },
    // H03.FR.09: an authorization that names a reservation consumes it.
    'auth.*': { guard: 'evseExists', actions: ['toEvse', 'reservationStep'] },
    'host.*': { guard: 'evseExists', actions: 'toEvse' },
  },
  states: {
    operation: {
      initial: 'running',
      states: {
        running: {
          on: {
            'reset.execute': { target: 'resetting', actions: ['rememberReset', 'endTransactionsForReset'] },
            'reset.schedule': { target: 'resetScheduled', actions: 'rememberReset' },
          },
        },
        resetScheduled: {
          // B12.FR.01/05: nothing to wait for (any more): reset now.
          always: {
            guard: ({ context }) =>
              context.reset?.evseId === undefined
                ? context.activeEvses.length === 0
                : !context.activeEvses.includes(context.reset.evseId),
            target: 'resetting',
            actions: assign({
              reset: ({ context }) =>
                context.reset ? { ...context.reset, bootReason: 'ScheduledReset' as const } : null,
            }),
          },
          on: {
            // An Immediate reset does not wait (B12.FR.02).
            'reset.execute': { target: 'resetting', actions: ['rememberReset', 'endTransactionsForReset'] },
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
