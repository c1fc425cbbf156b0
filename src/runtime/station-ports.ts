/**
 * What the link, the persistence and the transaction effects ask of the running station, as
 * methods on shared prototypes. Each station used to hand its parts options objects of closures
 * (7 + 10 + 6 closures of ~56 B, and an options object each); a ports object holds the runtime and
 * little else, so a fleet station keeps ~1.5 KB less (issue 9, docs/fleet/idle-memory.md "Idle memory, fourth
 * round"). The parts call these as methods of their options (`this.options.reportError(e)`), never
 * detached, so `this` is always the ports object.
 */
import type { AnyActorRef } from 'xstate';
import type { RegistrationStatus } from '../../machines/boot.js';
import { evseActorId } from '../../machines/station.js';
import { reservationActorId } from '../../machines/reservation.js';
import type { ChargePointCallbacks } from '../callbacks.js';
import type { StationClock } from '../clock.js';
import type { TransactionEventRequest, TransactionEventResponse } from '../generated/ocpp-types.js';
import type { HandlerContext } from '../handlers/handler-context.js';
import { LOG_UPLOAD_ACTOR_ID } from '../logging/log-upload-persistence.js';
import type { MessageQueue, OwnedMessage } from '../queue/message-queue.js';
import type { StationCertificates } from '../security/station-certificates.js';
import type { StationSmartCharging } from '../smart-charging/station-smart-charging.js';
import type { StationJournal } from '../store/journal.js';
import type { StationMeters } from '../transactions/station-meters.js';
import {
  EVSE_MACHINE_VERSION,
  FIRMWARE_MACHINE_VERSION,
  LOG_UPLOAD_MACHINE_VERSION,
  RESERVATION_MACHINE_VERSION,
} from './machine-versions.js';
import { stationHandlerContext } from './station-handler-context.js';
import type { StationLinkOptions } from './station-link.js';
import type { StationPersistence, StationPersistenceOptions } from './station-persistence.js';
import type { StationRuntime } from './station-runtime.js';
import type { StationRuntimeOptions } from './station-runtime-options.js';
import { REAL_TIMERS, type TimerScheduler } from './timers.js';
import type { TransactionEffectsOptions } from './transaction-effects.js';

/** StationLink's view of the station (src/runtime/station-link.ts). */
export class LinkPorts implements StationLinkOptions {
  constructor(private readonly station: StationRuntime) {}

  get runtime(): StationRuntimeOptions {
    return this.station.options;
  }

  get certificates(): StationCertificates['manager'] {
    return this.station.certificates.manager;
  }

  get queue(): MessageQueue {
    return this.station.queue;
  }

  registration(): RegistrationStatus {
    return this.station.registration;
  }

  handlerContext(after: HandlerContext['afterResponse']): HandlerContext {
    return stationHandlerContext(this.station, this.station.onError, after);
  }

  stopped(): boolean {
    return this.station.isStopped;
  }

  securityEvent(type: string, techInfo?: string, critical?: boolean): Promise<void> {
    return this.station.securityEvent(type, techInfo, critical);
  }

  reportError(error: unknown): void {
    this.station.reportError(error);
  }

  frame(text: string, direction: 'in' | 'out'): void {
    this.station.events.frame(text, direction);
  }

  connected(slot: number, offlineSeconds: number | null): void {
    this.station.events.connected(slot, offlineSeconds);
  }
}

/** StationPersistence's view of the station (src/runtime/station-persistence.ts). */
export class PersistencePorts implements StationPersistenceOptions {
  /** The EVSE ids, once (the persistence checks them at every write). */
  readonly evseIds: readonly number[];

  constructor(private readonly runtime: StationRuntime) {
    this.evseIds = runtime.options.evses.map((e) => e.id);
  }

  get journal(): StationJournal {
    return this.runtime.journal;
  }

  get timers(): TimerScheduler {
    return this.runtime.options.timers ?? REAL_TIMERS;
  }

  get machineVersion(): number {
    return EVSE_MACHINE_VERSION;
  }

  get reservationMachineVersion(): number {
    return RESERVATION_MACHINE_VERSION;
  }

  get firmwareMachineVersion(): number {
    return FIRMWARE_MACHINE_VERSION;
  }

  get logUploadMachineVersion(): number {
    return LOG_UPLOAD_MACHINE_VERSION;
  }

  adopt(messages: OwnedMessage[]): void {
    this.runtime.queue.adopt(messages);
  }

  evse(evseId: number): AnyActorRef | undefined {
    return this.runtime.rootActor?.system.get(evseActorId(evseId));
  }

  stationOperative(): boolean | undefined {
    return this.runtime.rootActor?.getSnapshot().context.stationOperative;
  }

  nowIso(): string {
    return this.runtime.options.clock.nowIso();
  }

  reportError(error: unknown): void {
    this.runtime.reportError(error);
  }

  reservation(reservationId: number): AnyActorRef | undefined {
    return this.runtime.rootActor?.system.get(reservationActorId(reservationId));
  }

  firmware(): AnyActorRef | undefined {
    return this.runtime.rootActor?.system.get('firmware');
  }

  logUpload(): AnyActorRef | undefined {
    return this.runtime.rootActor?.system.get(LOG_UPLOAD_ACTOR_ID);
  }
}

/** TransactionEffects' view of the station (src/runtime/transaction-effects.ts). */
export class TransactionPorts implements TransactionEffectsOptions {
  /**
   * @param callbacks the host callbacks as the user interface hears them (I02–I06, O02.FR.02: it
   *   hears of every TransactionEvent and its answer).
   */
  constructor(
    private readonly runtime: StationRuntime,
    readonly callbacks: ChargePointCallbacks,
  ) {}

  get persistence(): StationPersistence {
    return this.runtime.persistence;
  }

  get meters(): StationMeters {
    return this.runtime.meters;
  }

  get smartCharging(): StationSmartCharging {
    return this.runtime.smartCharging;
  }

  get clock(): StationClock {
    return this.runtime.options.clock;
  }

  connected(): boolean {
    return this.runtime.connected;
  }

  actor(systemId: string): AnyActorRef | undefined {
    return this.runtime.rootActor?.system.get(systemId);
  }

  reportError(error: unknown): void {
    this.runtime.reportError(error);
  }

  hostControl(): boolean {
    return this.runtime.transactionControl === 'host';
  }

  /** C10.FR.05: the TransactionEventResponse's idTokenInfo updates the cache. */
  onIdTokenInfo(request: TransactionEventRequest, response: TransactionEventResponse): void {
    if (request.idToken && response.idTokenInfo)
      this.runtime.tokens.local.learned(request.idToken, response.idTokenInfo);
  }

  queued(request: TransactionEventRequest, evseId: number): void {
    this.runtime.events.transaction(request, evseId);
  }
}
