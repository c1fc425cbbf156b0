/**
 * The running station: the root actor with every effect provided, the outgoing queue, the RPC
 * session of the current connection and the device-model reactions. ChargePoint (the public facade)
 * owns one of these per start; a reboot builds a new one on the same store.
 */
import { createActor, type Actor, type InspectionEvent } from 'xstate';
import type { RegistrationStatus } from '../../machines/boot.js';
import type { ConnectionEvent } from '../../machines/connection.js';
import type { stationMachine, StationEvent } from '../../machines/station.js';
import {
  guardNotificationCallbacks,
  type ChargePointCallbacks,
  type MessageDirection,
} from '../callbacks.js';
import type { StationClock } from '../clock.js';
import type { BootReasonEnumType, SecurityEventNotificationRequest } from '../generated/ocpp-types.js';
import type { EvseStructure, HandlerContext } from '../handlers/handler-context.js';
import { MessageQueue } from '../queue/message-queue.js';
import {
  StationSmartCharging,
  type SmartChargingRuntimeOptions,
} from '../smart-charging/station-smart-charging.js';
import { loadAvailability, operativeAt } from '../store/availability.js';
import type { StationDatabase } from '../store/database.js';
import { AvailabilityStateMirror } from './availability-state.js';
import { rebootedItself } from './boot-reason.js';
import { isClosingConsequence } from './closing-consequence.js';
import { ConnectionSecurityEvents } from './connection-security-events.js';
import { createCallDispatcher, registrationGate } from './incoming.js';
import { priorityList, readNetworkProfiles, type NetworkProfileSlot } from './network-profiles.js';
import type { DeviceModelPort } from './ports.js';
import { provideStationMachine } from './provide-machines.js';
import type { Session, TlsMaterial } from './session.js';
import type { SocketHost } from './socket-actor.js';
import { readSettings, VARIABLES } from './settings.js';

export interface StationRuntimeOptions {
  stationId: string;
  evses: readonly EvseStructure[];
  store: StationDatabase;
  deviceModel: DeviceModelPort;
  clock: StationClock;
  callbacks: ChargePointCallbacks;
  bootReason: BootReasonEnumType;
  tls?: TlsMaterial;
  inspect?: (event: InspectionEvent) => void;
  /** Where failures that reach nobody else are reported (default: console.error). */
  onError?: (error: unknown) => void;
  /** Random source for the reconnect back-off (Part 4 §5.3); replaceable in tests. */
  random?: () => number;
  /** Horizon and check interval of the host's composite schedules, report size (K). */
  smartCharging?: SmartChargingRuntimeOptions;
  /**
   * Seconds to wait before re-sending a BootNotification that got no answer (timeout, CALLERROR).
   * B01 error handling leaves the interval to the station; default 30.
   */
  bootRetryIntervalS?: number;
}

/** Boot reasons after which the station reports ResetOrReboot instead of StartupOfTheDevice. */
const RESET_REASONS: ReadonlySet<BootReasonEnumType> = new Set([
  'RemoteReset',
  'ScheduledReset',
  'LocalReset',
  'Triggered',
  'FirmwareUpdate',
  'ApplicationReset',
  'Watchdog',
]);

/**
 * @example
 * const runtime = new StationRuntime({ stationId, evses, store, deviceModel, clock, callbacks, bootReason: 'PowerUp' });
 * await runtime.start();
 */
export class StationRuntime {
  readonly queue: MessageQueue;
  readonly smartCharging: StationSmartCharging;
  private actor: Actor<typeof stationMachine> | null = null;
  private session: Session | null = null;
  private profiles: NetworkProfileSlot[] = [];
  /** performance.now() when the link went down: offline time is measured on a monotonic clock. */
  private lastDisconnectAt: number | null = null;
  private readonly connectionEvents = new ConnectionSecurityEvents();
  private readonly unsubscribe: Array<() => void> = [];
  /** Device-model AvailabilityState variables follow the statecharts. */
  private availabilityState: AvailabilityStateMirror | null = null;
  /** Once stopped, the consequences of our own closing are not reported; other failures still are. */
  private stopped = false;

  private readonly options: StationRuntimeOptions;

  constructor(options: StationRuntimeOptions) {
    // Host callbacks run inside actions and socket listeners: a throwing one is reported, not fatal.
    this.options = {
      ...options,
      callbacks: guardNotificationCallbacks(options.callbacks, (e) => this.reportError(e)),
    };
    const dm = options.deviceModel;
    this.queue = new MessageQueue({
      db: options.store.db,
      stationId: options.stationId,
      clock: options.clock,
      settings: () => {
        const s = readSettings(dm);
        return {
          transactionAttempts: s.transactionAttempts,
          transactionAttemptIntervalS: s.transactionAttemptIntervalS,
          queueAllMessages: s.queueAllMessages,
        };
      },
      onError: (e) => this.reportError(e),
      onDiscarded: (action, _payload, error) =>
        this.reportError(new Error(`${action} discarded: ${String(error)}`)),
    });
    this.smartCharging = new StationSmartCharging({
      stationId: options.stationId,
      db: options.store.db,
      deviceModel: dm,
      clock: options.clock,
      callbacks: this.options.callbacks,
      queue: this.queue,
      evses: options.evses,
      reportError: (e) => this.reportError(e),
      ...options.smartCharging,
    });
  }

  /** The root actor (inspect it, or read children with `station.system.get(id)`). */
  get station(): Actor<typeof stationMachine> {
    if (!this.actor) throw new Error('station not started');
    return this.actor;
  }

  get registration(): RegistrationStatus {
    return this.actor?.getSnapshot().context.registration ?? 'Unknown';
  }

  get connected(): boolean {
    return this.session !== null;
  }

  async start(): Promise<void> {
    const { options } = this;
    const dm = options.deviceModel;
    const settings = readSettings(dm);
    this.profiles = readNetworkProfiles(dm);
    const priority = priorityList(dm, this.profiles);
    if (priority.length === 0) {
      throw new Error('no network connection profile: set InternalCtrlr.NetworkConnectionProfiles');
    }
    await this.queue.load();
    await this.smartCharging.start();
    const availability = await loadAvailability(options.store.db, options.stationId);
    this.availabilityState = new AvailabilityStateMirror(dm, options.evses, (e) => this.reportError(e), {
      stationOperative: operativeAt(availability, 0, 0),
      evseOperative: new Map(options.evses.map((e) => [e.id, operativeAt(availability, e.id, 0)])),
    });

    const machine = provideStationMachine({
      deviceModel: dm,
      clock: options.clock,
      callbacks: options.callbacks,
      queue: this.queue,
      socketHost: this.socketHost(),
      availabilityState: () => this.availabilityState,
      securityEvent: (type, techInfo, critical) => void this.securityEvent(type, techInfo, critical),
      reportError: (e) => this.reportError(e),
      random: options.random ?? Math.random,
    });
    this.actor = createActor(machine, {
      input: {
        evses: options.evses.map((evse) => ({
          evseId: evse.id,
          connectorIds: evse.connectors.map((c) => c.id),
          evseOperative: operativeAt(availability, evse.id, 0),
          connectorOperative: Object.fromEntries(
            evse.connectors.map((c) => [String(c.id), operativeAt(availability, evse.id, c.id)]),
          ),
        })),
        stationOperative: operativeAt(availability, 0, 0),
        offlineThresholdS: settings.offlineThresholdS,
        boot: {
          reason: options.bootReason,
          heartbeatIntervalS: settings.heartbeatIntervalS,
          defaultRetryIntervalS: options.bootRetryIntervalS ?? 30,
        },
        connection: {
          priority,
          attemptsPerSlot: settings.networkProfileConnectionAttempts,
          backOffRepeatTimes: settings.retryBackOffRepeatTimes,
        },
      },
      ...(options.inspect ? { inspect: options.inspect } : {}),
    });
    // One bad event never takes the station down: actor errors are reported, not thrown.
    this.actor.subscribe({ error: (error) => this.reportError(error) });
    this.unsubscribe.push(
      dm.onChange((change) => {
        const same = (ref: { component: string; variable: string }) =>
          ref.component === change.ref.component && ref.variable === change.ref.variable;
        const seconds = Number(change.value);
        if (same(VARIABLES.heartbeatInterval) && Number.isInteger(seconds)) {
          this.send({ type: 'settings.heartbeatInterval', seconds });
        }
        if (same(VARIABLES.offlineThreshold) && Number.isInteger(seconds)) {
          this.send({ type: 'settings.offlineThreshold', seconds });
        }
      }),
    );
    this.actor.start();
    // A04: every boot is a security event (TC_A_*: StartupOfTheDevice or ResetOrReboot).
    void this.securityEvent(
      RESET_REASONS.has(options.bootReason) ? 'ResetOrReboot' : 'StartupOfTheDevice',
      `boot reason ${options.bootReason}`,
    );
    this.actor.system.get('connection')?.send({
      type: 'connection.start',
      afterOwnClose: rebootedItself(options.bootReason),
    } satisfies ConnectionEvent);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.unsubscribe.splice(0)) off();
    this.actor?.stop();
    await this.smartCharging.stop();
    await this.queue.stop();
    this.session?.close();
    this.session = null;
    // Writes of the mirror in flight must land before the caller closes the store.
    await this.availabilityState?.flushed();
  }

  /** Sends an event to the root actor (hardware events, offline/online, ...). */
  send(event: StationEvent): void {
    this.actor?.send(event);
  }

  /**
   * A04: records a security event (securityEventCallback, A04.FR.04) and, when critical, sends it
   * to the CSMS with guaranteed delivery (A04.FR.01/02).
   */
  async securityEvent(type: string, techInfo?: string, critical = true): Promise<void> {
    this.options.callbacks.securityEventCallback?.(type, techInfo);
    if (!critical) return;
    const payload: SecurityEventNotificationRequest = {
      type,
      timestamp: this.options.clock.nowIso(),
      ...(techInfo === undefined ? {} : { techInfo: techInfo.slice(0, 255) }),
    };
    await this.queue
      .send('SecurityEventNotification', payload, { durable: true })
      .catch((e: unknown) => this.reportError(e));
  }

  private reportError(error: unknown): void {
    if (this.stopped && isClosingConsequence(error)) return;
    (this.options.onError ?? ((e: unknown) => console.error('[ocpp-station]', e)))(error);
  }

  private handlerContext(afterResponse: HandlerContext['afterResponse']): HandlerContext {
    const { options } = this;
    return {
      stationId: options.stationId,
      evses: options.evses,
      deviceModel: options.deviceModel,
      db: options.store.db,
      queue: this.queue,
      clock: options.clock,
      callbacks: options.callbacks,
      smartCharging: this.smartCharging,
      station: this.station,
      registration: () => this.registration,
      afterResponse,
      hasActiveTransaction: () => false,
      reportError: (e) => this.reportError(e),
      securityEvent: (type, techInfo, critical) => void this.securityEvent(type, techInfo, critical),
      // A deliberate reconnect waits the back-off like a lost connection (machines/connection.ts).
      reconnect: () =>
        this.actor?.system
          .get('connection')
          ?.send({ type: 'connection.reconnect' } satisfies ConnectionEvent),
    };
  }

  /** The `socket` actor's view of this station (src/runtime/socket-actor.ts). */
  private socketHost(): SocketHost {
    const { options } = this;
    return {
      stationId: options.stationId,
      deviceModel: options.deviceModel,
      callbacks: options.callbacks,
      ...(options.tls ? { tls: options.tls } : {}),
      profile: (slot) => this.profiles.find((p) => p.configurationSlot === slot),
      createDispatch: () => createCallDispatcher((after) => this.handlerContext(after)),
      gate: (action) => registrationGate(this.registration)(action),
      ...(options.callbacks.ocppMessagesCallback
        ? {
            onFrame: (message: string, direction: MessageDirection) => {
              // Nothing is reported after stop(): the frames of our own closing are not news.
              if (!this.stopped) options.callbacks.ocppMessagesCallback?.(message, direction);
            },
          }
        : {}),
      linkUp: (session) => {
        this.session = session;
        this.connectionEvents.onConnected();
        this.queue.attach((action, payload, messageId) => session.call(action, payload, messageId));
        // B04: how long the station was offline decides which statuses are reported again.
        return this.lastDisconnectAt === null
          ? null
          : Math.round((performance.now() - this.lastDisconnectAt) / 1000);
      },
      linkDown: () => {
        this.session = null;
        this.lastDisconnectAt = performance.now();
        this.queue.attach(null);
      },
      connectFailed: (error) => {
        const event = this.connectionEvents.onConnectFailed(error);
        if (event) void this.securityEvent(event.type, event.techInfo, event.critical);
      },
      // Appendix 1: InvalidMessages (not critical: logged through securityEventCallback only).
      invalidFrame: (description) => void this.securityEvent('InvalidMessages', description, false),
      reportError: (e) => this.reportError(e),
    };
  }
}
