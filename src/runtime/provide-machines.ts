/**
 * The station statechart with every effect provided: the named actions and actors of machines/
 * get their bodies here (queue sends, device-model writes, host callbacks). Nothing here throws
 * into the actors: callbacks are guarded (src/callbacks.ts) and failures go to `reportError`.
 */
import { fromPromise } from 'xstate';
import { bootMachine, type RegistrationStatus } from '../../machines/boot.js';
import { backOffSeconds, connectionMachine } from '../../machines/connection.js';
import { connectorMachine, type StatusNotificationInput } from '../../machines/connector.js';
import { evseMachine, type AvailabilityReply } from '../../machines/evse.js';
import { transactionMachine, type TxEffect, type TxEventParams } from '../../machines/transaction.js';
import { timerDelayMs } from '../../machines/long-wait.js';
import { stationMachine, type ResetInput } from '../../machines/station.js';
import type { ChargePointCallbacks } from '../callbacks.js';
import type { StationClock } from '../clock.js';
import type {
  BootNotificationResponse,
  BootReasonEnumType,
  HeartbeatResponse,
} from '../generated/ocpp-types.js';
import type { MessageQueue, QueueGate } from '../queue/message-queue.js';
import type { AvailabilityStateMirror } from './availability-state.js';
import { bootNotificationRequest } from './boot-notification.js';
import type { DeviceModelPort } from './ports.js';
import { readSettings, VARIABLES } from './settings.js';
import { socketActor, type SocketHost } from './socket-actor.js';
import { syncClockFromCsms } from './time-sync.js';
import { alignedTickActor, deadlineActor } from './deadline.js';
import { restorable } from './restorable.js';
import { provideReservationMachine } from '../reservations/provide-reservation.js';
import type { TimerScheduler } from './timers.js';
import { provideFirmwareMachine, type FirmwareEffects } from '../firmware/provide-firmware.js';
import type { StationLogUpload } from '../logging/station-log-upload.js';

/** What the queue may send in each registration state (B01.FR.08, B02.FR.02, B03.FR.02). */
export const GATES: Record<RegistrationStatus, QueueGate> = {
  Unknown: 'bootOnly',
  Pending: 'triggeredOnly',
  // B03.FR.02: nothing but the next BootNotification.
  Rejected: 'bootOnly',
  Accepted: 'open',
};

export interface MachineEffects {
  deviceModel: DeviceModelPort;
  clock: StationClock;
  /** Already guarded: notification callbacks never throw. */
  callbacks: ChargePointCallbacks;
  queue: MessageQueue;
  socketHost: SocketHost;
  availabilityState(): AvailabilityStateMirror | null;
  securityEvent(type: string, techInfo?: string, critical?: boolean): void;
  reportError(error: unknown): void;
  random: () => number;
  timers: TimerScheduler;
  /** ClockCtrlr.TimeZone, for the clock-aligned meter value grid. */
  timeZone(): string | undefined;
  /** A session step asks for a TransactionEventRequest (src/runtime/transaction-effects.ts). */
  transactionEvent(params: TxEventParams): void;
  /** A session step's effect on the hardware and the station. */
  transactionEffect(params: { transactionId: string; evseId: number; effect: TxEffect; at?: string }): void;
  /** B11/B12: everything the station decided is stored before the host resets it. */
  flushed(): Promise<void>;
  /** A TransactionEvent has been decided but is not in the queue yet (it is being stored). */
  messagesPending?(): boolean;
  /**
   * B12: before the host resets, while online, the transaction messages already queued (the Ended
   * events of the reset) get their chance to be answered, within a bound; default: `flushed`.
   */
  beforeReset?(): Promise<void>;
  /** B01.FR.09: the boot reason of the next start (a whole-station reset that waited: ScheduledReset). */
  recordBootReason?(reason: BootReasonEnumType): Promise<void>;
  /** L01/L02: the firmware actor's effects (src/firmware/provide-firmware.ts); absent, it stays idle. */
  firmware?: FirmwareEffects;
  /** B01–B03: the registration status changed (after the queue's gate follows it). */
  registrationChanged?(status: RegistrationStatus): void;
  /** N01: the log upload actor, provided (src/logging/station-log-upload.ts); absent, it stays idle. */
  logUpload?: ReturnType<StationLogUpload['machine']>;
}

/** The decision of a ChangeAvailability goes back to the handler that asked (events carry `reply`). */
function replyAvailability({ event }: { event: unknown }, { status }: { status: AvailabilityReply }): void {
  (event as { reply?: (status: AvailabilityReply) => void }).reply?.(status);
}

/**
 * Provides the station machine's effects.
 *
 * @example
 * const actor = createActor(provideStationMachine(effects), { input });
 */
export function provideStationMachine(effects: MachineEffects) {
  const { deviceModel: dm, clock, callbacks, queue } = effects;
  const operational = (operative: boolean) => (operative ? 'Operative' : 'Inoperative');

  const connector = connectorMachine.provide({
    actors: {
      statusNotification: fromPromise(async ({ input }: { input: StatusNotificationInput }) => {
        // G03.FR.05/G04.FR.06 (Part 6 TC_G_11/14/17): a connector made Unavailable because a
        // transaction ended reports it after that transaction's Ended event, which is still being
        // stored when the status changes; causal order for the CSMS.
        if (input.status === 'Unavailable' && effects.messagesPending?.()) await effects.flushed();
        await queue.send('StatusNotification', {
          timestamp: clock.nowIso(),
          connectorStatus: input.status,
          evseId: input.evseId,
          connectorId: input.connectorId,
        });
        return input.status;
      }),
    },
    actions: {
      operativeChanged: (_, p) =>
        callbacks.connectorEffectiveOperativeStatusChangedCallback?.(
          p.evseId,
          p.connectorId,
          operational(p.operative),
        ),
      statusChanged: (_, p) =>
        effects.availabilityState()?.connectorStatus(p.evseId, p.connectorId, p.status),
    },
  });
  const transaction = transactionMachine.provide({
    actors: {
      deadline: deadlineActor(clock, effects.timers),
      alignedTick: alignedTickActor(clock, effects.timers, effects.timeZone, effects.reportError),
    },
    actions: {
      transactionEvent: (_, params) => effects.transactionEvent(params),
      effect: (_, params) => effects.transactionEffect(params),
    },
  });
  // Restorable: spawned with `input.restore`, an EVSE resumes from its persisted snapshot.
  const evse = restorable(
    evseMachine.provide({
      actors: { connector, transaction },
      actions: {
        replyAvailability,
      operativeChanged: (_, p) => {
          effects.availabilityState()?.evseOperativeChanged(p.evseId, p.operative);
          callbacks.evseEffectiveOperativeStatusChangedCallback?.(p.evseId, operational(p.operative));
        },
      },
    }),
  );
  const boot = bootMachine.provide({
    actors: {
      bootNotification: fromPromise(async ({ input }: { input: { reason: BootReasonEnumType } }) => {
        const response = (await queue.send(
          'BootNotification',
          bootNotificationRequest(dm, input.reason),
        )) as BootNotificationResponse;
        callbacks.bootNotificationCallback?.(response);
        return response;
      }),
      heartbeat: fromPromise(async () => (await queue.send('Heartbeat', {})) as HeartbeatResponse),
    },
    actions: {
      // B01.FR.06 / G02.FR.06: only when the clock is configured to follow the CSMS.
      syncClock: (_, { currentTime }) =>
        void syncClockFromCsms(
          {
            deviceModel: dm,
            clock,
            callbacks,
            reportError: effects.reportError,
            securityEvent: (type, techInfo) => effects.securityEvent(type, techInfo),
          },
          currentTime,
        ),
      storeHeartbeatInterval: (_, { seconds }) => {
        if (dm.getInteger(VARIABLES.heartbeatInterval) === seconds) return;
        dm.set(VARIABLES.heartbeatInterval, String(seconds), 'csms').catch(effects.reportError);
      },
    },
  });
  const connection = connectionMachine.provide({
    actors: { socket: socketActor(effects.socketHost) },
    delays: {
      // Part 4 §5.3: the doubling back-off plus a random part, capped to what a timer can wait.
      reconnectDelay: ({ context }) => {
        const s = readSettings(dm);
        const base = backOffSeconds(s.retryBackOffWaitMinimumS, context.failures, s.retryBackOffRepeatTimes);
        return timerDelayMs(Math.round((base + effects.random() * s.retryBackOffRandomRangeS) * 1000));
      },
    },
  });
  return stationMachine.provide({
    actors: {
      connection,
      boot,
      evse,
      // H01–H04: `reservation:<id>`, restorable like the EVSEs.
      reservation: provideReservationMachine({ clock, timers: effects.timers, queue, flushed: effects.flushed }),
      ...(effects.firmware ? { firmware: provideFirmwareMachine(effects.firmware) } : {}),
      ...(effects.logUpload ? { logUpload: effects.logUpload } : {}),
      performReset: fromPromise(async ({ input }: { input: ResetInput }) => {
        // B12.FR.04: the Ended events of the transactions stopped for the reset are stored first
        // (and, online, delivered if they can be: the host may power off as soon as it is called).
        await (effects.beforeReset ? effects.beforeReset() : effects.flushed());
        try {
          // A scheduled whole-station reset records its boot reason now that it runs (an Immediate
          // one was recorded by the Reset handler before its response).
          if (input.evseId === undefined && input.bootReason === 'ScheduledReset') {
            await effects.recordBootReason?.(input.bootReason);
          }
          await callbacks.resetCallback?.(input.evseId, input.resetType);
        } catch (error) {
          effects.reportError(error);
          throw error;
        }
      }),
    },
    actions: {
      replyAvailability,
      // ReserveNow / CancelReservation: the decision goes back to the handler that asked.
      replyReservation: ({ event }, { status }) =>
        (event as { reply?: (status: unknown) => void }).reply?.(
          (event as { type: string }).type === 'csms.cancelReservation' ? status === 'Accepted' : status,
        ),
      registrationChanged: (_, { status }) => {
        queue.setGate(GATES[status]);
        effects.registrationChanged?.(status);
      },
      stationOperativeChanged: (_, { operative }) => {
        effects.availabilityState()?.stationOperativeChanged(operative);
        callbacks.csEffectiveOperativeStatusChangedCallback?.(operational(operative));
      },
    },
  });
}
