/**
 * The OCPP calls the charts make as effects (issue 9, boot storm): BootNotification and Heartbeat
 * (machines/boot.ts) and StatusNotification (machines/connector.ts). Each is an entry action that
 * sends the CALL through the queue and answers the chart with an event, `<call>.done` with the
 * output or `<call>.error` with the error, carrying the call's id. An invoked promise actor per call
 * cost an actor (creation, start, an AbortController, its inspection events, its done event and
 * its stop); the event costs one event.
 *
 * The chart moves its `callId` on when it leaves the state that made the call, so an answer to a
 * call that is no longer awaited (the state was left, a new call made) is not even sent: it would
 * change nothing (the chart ignores a stale id too), and the call itself may still go on, as an
 * invoked actor's did when its state was left. A stopped actor gets nothing.
 */
import type { AnyActorRef } from 'xstate';
import type {
  BootNotificationResponse,
  BootReasonEnumType,
  ConnectorStatusEnumType,
  HeartbeatResponse,
} from '../generated/ocpp-types.js';
import type { StatusNotificationParams } from '../../machines/connector.js';
import { bootNotificationRequest } from './boot-notification.js';
import type { MachineEffects } from './provide-machines.js';
import type { AnyActorSystem } from './system-effects.js';

/** What a provided action of a chart is called with (the part these effects read). */
export interface CallArgs {
  self: AnyActorRef;
  system: AnyActorSystem;
}

/**
 * Answers the chart `self` with the outcome of `call` as `<name>.done` (output) or `<name>.error`
 * (error), both carrying `id`, unless the chart has stopped or no longer awaits `id`.
 *
 * @example
 * answer(self, 'heartbeat', params.id, queue.send('Heartbeat', {})); // later: { type: 'heartbeat.done', id, output }
 */
export function answer(self: AnyActorRef, name: string, id: number, call: Promise<unknown>): void {
  call.then(
    (output) => deliver(self, id, { type: `${name}.done`, id, output }),
    (error: unknown) => deliver(self, id, { type: `${name}.error`, id, error }),
  );
}

function deliver(self: AnyActorRef, id: number, event: { type: string; id: number; output?: unknown; error?: unknown }): void {
  const snapshot = self.getSnapshot() as { status: string; context?: { callId?: unknown } };
  if (snapshot.status !== 'active' || snapshot.context?.callId !== id) return;
  self.send(event);
}

/**
 * A chart's call action: runs `run` (its promise is the call) and answers the chart with the outcome
 * (see {@link answer}). Never throws: a synchronous failure is the call's error.
 *
 * @example
 * bootMachine.provide({ actions: { heartbeat: callAction('heartbeat', async () => ({ currentTime })) } });
 */
export function callAction<P extends { id: number }>(
  name: string,
  run: (params: P, args: CallArgs) => Promise<unknown>,
): (args: CallArgs, params: P) => void {
  return (args, params) => {
    let call: Promise<unknown>;
    try {
      call = run(params, args);
    } catch (error) {
      call = Promise.reject(error);
    }
    answer(args.self, name, params.id, call);
  };
}

/**
 * The effects of the call actions, given how to find a station's {@link MachineEffects} from its
 * actor system (src/runtime/provide-machines.ts provides them to the charts).
 *
 * @example
 * connectorMachine.provide({ actions: { statusNotification: callEffects(station).statusNotification } });
 */
export function callEffects(station: (system: AnyActorSystem) => MachineEffects) {
  return {
    /** StatusNotification; the answer's output is the status that was acknowledged. */
    statusNotification: callAction<StatusNotificationParams>('statusNotification', (params, { system }) =>
      sendStatus(station(system), params),
    ),
    /** BootNotification (B01.FR.01); the host's bootNotificationCallback sees the response first. */
    bootNotification: callAction<{ id: number; reason: BootReasonEnumType }>('bootNotification', (params, { system }) =>
      sendBoot(station(system), params.reason),
    ),
    /** Heartbeat (G02.FR.01). */
    heartbeat: callAction<{ id: number }>('heartbeat', (_, { system }) => sendHeartbeat(station(system))),
  };
}
async function sendStatus(
  effects: MachineEffects,
  params: StatusNotificationParams,
): Promise<ConnectorStatusEnumType> {
  // G03.FR.05/G04.FR.06 (Part 6 TC_G_11/14/17): a connector made Unavailable because a
  // transaction ended reports it after that transaction's Ended event, which is still being
  // stored when the status changes; causal order for the CSMS.
  if (params.status === 'Unavailable' && effects.messagesPending?.()) await effects.flushed();
  await effects.queue.send('StatusNotification', {
    timestamp: effects.clock.nowIso(),
    connectorStatus: params.status,
    evseId: params.evseId,
    connectorId: params.connectorId,
  });
  return params.status;
}

async function sendBoot(effects: MachineEffects, reason: BootReasonEnumType): Promise<BootNotificationResponse> {
  const { queue, deviceModel, callbacks } = effects;
  const response = (await queue.send(
    'BootNotification',
    bootNotificationRequest(deviceModel, reason),
  )) as BootNotificationResponse;
  callbacks.bootNotificationCallback?.(response);
  return response;
}

async function sendHeartbeat(effects: MachineEffects): Promise<HeartbeatResponse> {
  return (await effects.queue.send('Heartbeat', {})) as HeartbeatResponse;
}
