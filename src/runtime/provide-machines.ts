/**
 * The station statechart with every effect provided: the named actions and actors of machines/
 * get their bodies here (queue sends, device-model writes, host callbacks). Nothing here throws
 * into the actors: callbacks are guarded (src/callbacks.ts) and failures go to `reportError`.
 *
 * Provided once per process, not per station (issue 9: ~70 state nodes and ~230 transitions in
 * nine machines were most of a fleet station's heap): each implementation finds its station's
 * {@link MachineEffects} through the actor system it runs in (src/runtime/system-effects.ts).
 */
import { fromPromise } from 'xstate';
import { bootMachine, type RegistrationStatus } from '../../machines/boot.js';
import { backOffSeconds, connectionMachine } from '../../machines/connection.js';
import { connectorMachine } from '../../machines/connector.js';
import { evseMachine, type AvailabilityReply } from '../../machines/evse.js';
import { transactionMachine, type TxEffect, type TxEventParams } from '../../machines/transaction.js';
import { timerDelayMs } from '../../machines/long-wait.js';
import { stationMachine, type ResetInput } from '../../machines/station.js';
import type { ChargePointCallbacks } from '../callbacks.js';
import type { StationClock } from '../clock.js';
import type { BootReasonEnumType } from '../generated/ocpp-types.js';
import type { MessageQueue, QueueGate } from '../queue/message-queue.js';
import type { AvailabilityStateMirror } from './availability-state.js';
import { callEffects } from './call-effects.js';
import type { DeviceModelPort } from './ports.js';
import { readSettings, VARIABLES } from './settings.js';
import { socketActor, type SocketHost } from './socket-actor.js';
import { syncClockFromCsms } from './time-sync.js';
import { alignedTickActor, deadlineActor } from './deadline.js';
import { restorable } from './restorable.js';
import { provideReservationMachine } from '../reservations/provide-reservation.js';
import type { TimerScheduler } from './timers.js';
import { provideFirmwareMachine, type FirmwareEffects } from '../firmware/provide-firmware.js';
import { provideLogUploadMachine, type StationLogUploadPorts } from '../logging/station-log-upload.js';
import { effectsOf, type AnyActorSystem } from './system-effects.js';

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
  /** N01: the log upload actor's ports (src/logging/station-log-upload.ts); absent, it stays idle. */
  logUpload?: StationLogUploadPorts;
}

/** The decision of a ChangeAvailability goes back to the handler that asked (events carry `reply`). */
function replyAvailability({ event }: { event: unknown }, { status }: { status: AvailabilityReply }): void {
  (event as { reply?: (status: AvailabilityReply) => void }).reply?.(status);
}

/** The station's effects, from the actor system of the running actor. */
const station = (system: AnyActorSystem) => effectsOf<MachineEffects>(system);

/** A station's optional part, or a precise error when a chart needs one the station was not given. */
function required<K extends 'firmware' | 'logUpload'>(system: AnyActorSystem, key: K): NonNullable<MachineEffects[K]> {
  const part = station(system)[key];
  if (part === undefined) throw new Error(`the station runs without MachineEffects.${key}, which its ${key} actor needs`);
  return part as NonNullable<MachineEffects[K]>;
}

const operational = (operative: boolean) => (operative ? 'Operative' : 'Inoperative');

let provided: ReturnType<typeof provideStationMachine> | undefined;

/**
 * The provided station machine of this process (built on first use). Create its actors with
 * `createWithEffects(effects, () => createActor(providedStationMachine(), ...))` so the
 * implementations find the station's effects (src/runtime/station-actor.ts does).
 *
 * @example
 * const actor = createWithEffects(effects, () => createActor(providedStationMachine(), { input }));
 */
export function providedStationMachine() {
  provided ??= provideStationMachine();
  return provided;
}

/** Provides the station machine's effects; every implementation reads them from its actor system. */
function provideStationMachine() {
  const calls = callEffects(station);
  const connector = connectorMachine.provide({
    actions: {
      // The StatusNotification as an effect answering with an event (src/runtime/call-effects.ts).
      statusNotification: calls.statusNotification,
      operativeChanged: ({ system }, p) =>
        station(system).callbacks.connectorEffectiveOperativeStatusChangedCallback?.(
          p.evseId,
          p.connectorId,
          operational(p.operative),
        ),
      statusChanged: ({ system }, p) =>
        station(system).availabilityState()?.connectorStatus(p.evseId, p.connectorId, p.status),
    },
  });
  const transaction = transactionMachine.provide({
    actors: {
      deadline: deadlineActor(station),
      alignedTick: alignedTickActor(station),
    },
    actions: {
      transactionEvent: ({ system }, params) => station(system).transactionEvent(params),
      effect: ({ system }, params) => station(system).transactionEffect(params),
    },
  });
  // Restorable: spawned with `input.restore`, an EVSE resumes from its persisted snapshot.
  const evse = restorable(
    evseMachine.provide({
      actors: { connector, transaction },
      actions: {
        replyAvailability,
        operativeChanged: ({ system }, p) => {
          const effects = station(system);
          effects.availabilityState()?.evseOperativeChanged(p.evseId, p.operative);
          effects.callbacks.evseEffectiveOperativeStatusChangedCallback?.(p.evseId, operational(p.operative));
        },
      },
    }),
  );
  const boot = bootMachine.provide({
    actions: {
      // BootNotification and Heartbeat as effects answering with events (src/runtime/call-effects.ts).
      bootNotification: calls.bootNotification,
      heartbeat: calls.heartbeat,
      // B01.FR.06 / G02.FR.06: only when the clock is configured to follow the CSMS.
      syncClock: ({ system }, { currentTime }) => {
        const effects = station(system);
        void syncClockFromCsms(
          {
            deviceModel: effects.deviceModel,
            clock: effects.clock,
            callbacks: effects.callbacks,
            reportError: effects.reportError,
            securityEvent: (type, techInfo) => effects.securityEvent(type, techInfo),
          },
          currentTime,
        );
      },
      storeHeartbeatInterval: ({ system }, { seconds }) => {
        const { deviceModel: dm, reportError } = station(system);
        if (dm.getInteger(VARIABLES.heartbeatInterval) === seconds) return;
        dm.set(VARIABLES.heartbeatInterval, String(seconds), 'csms').catch(reportError);
      },
    },
  });
  const connection = connectionMachine.provide({
    actors: { socket: socketActor((system) => station(system).socketHost) },
    delays: {
      // Part 4 §5.3: the doubling back-off plus a random part, capped to what a timer can wait.
      reconnectDelay: ({ context, system }) => {
        const effects = station(system);
        const s = readSettings(effects.deviceModel);
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
      reservation: provideReservationMachine(station),
      firmware: provideFirmwareMachine((system) => required(system, 'firmware')),
      logUpload: provideLogUploadMachine((system) => required(system, 'logUpload')),
      performReset: fromPromise(async ({ input, system }: { input: ResetInput; system: AnyActorSystem }) => {
        const effects = station(system);
        // B12.FR.04: the Ended events of the transactions stopped for the reset are stored first
        // (and, online, delivered if they can be: the host may power off as soon as it is called).
        await (effects.beforeReset ? effects.beforeReset() : effects.flushed());
        try {
          // A scheduled whole-station reset records its boot reason now that it runs (an Immediate
          // one was recorded by the Reset handler before its response).
          if (input.evseId === undefined && input.bootReason === 'ScheduledReset') {
            await effects.recordBootReason?.(input.bootReason);
          }
          await effects.callbacks.resetCallback?.(input.evseId, input.resetType);
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
      registrationChanged: ({ system }, { status }) => {
        const effects = station(system);
        effects.queue.setGate(GATES[status]);
        effects.registrationChanged?.(status);
      },
      stationOperativeChanged: ({ system }, { operative }) => {
        const effects = station(system);
        effects.availabilityState()?.stationOperativeChanged(operative);
        effects.callbacks.csEffectiveOperativeStatusChangedCallback?.(operational(operative));
      },
    },
  });
}
