/**
 * The host's hardware events as statechart events: each gets the station time, the meter's energy
 * register (for MaxEnergyOnInvalidId and the transaction's meter start) and, where a new session
 * could open, the transaction id it would take (E01.FR.08: unique, a UUID; the machines draw no
 * random numbers). Invalid targets throw a RangeError naming the EVSE and connector.
 */
import { randomUUID } from 'node:crypto';
import type { HostChargingState } from '../../machines/transaction-rules.js';
import type { StationEvent } from '../../machines/station.js';
import type {
  IdTokenType,
  MeterValueType,
  ReasonEnumType,
  TriggerReasonEnumType,
} from '../generated/ocpp-types.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import type { StationRuntime } from '../runtime/station-runtime.js';
import { AUTH_VARIABLES } from '../authorization/authorize-token.js';
import { problemEvent } from '../runtime/hardware-problem.js';

/** What the host tells about a transaction it started itself (libocpp on_transaction_started). */
export interface HostTransactionStart {
  connectorId?: number;
  triggerReason?: TriggerReasonEnumType;
  /** The idToken that authorized it, if any. */
  idToken?: IdTokenType;
  groupIdToken?: IdTokenType;
  remoteStartId?: number;
  reservationId?: number;
}

/** What the host tells about a transaction it finished (libocpp on_transaction_finished). */
export interface HostTransactionFinish {
  reason: ReasonEnumType;
  triggerReason?: TriggerReasonEnumType;
}

/** The token a start button or an EV without authorization uses (Part 6 §2.1: idToken ""). */
export const NO_AUTHORIZATION_TOKEN: IdTokenType = { idToken: '', type: 'NoAuthorization' };

/**
 * @example
 * const events = new HostEvents(runtime, evses);
 * events.plugged(1, 1);
 */
export class HostEvents {
  constructor(
    private readonly runtime: () => StationRuntime,
    private readonly evses: readonly EvseStructure[],
  ) {}

  /** An EV is connected with a cable (both ends). Without AuthCtrlr.Enabled it may charge at once. */
  plugged(evseId: number, connectorId: number): void {
    this.check(evseId, connectorId);
    const runtime = this.runtime();
    this.send({ type: 'hw.plugged', evseId, connectorId, at: this.now(), txId: randomUUID(), ...this.energy(evseId) });
    // C01: with authorization disabled, a connected EV is authorized without a token.
    if (runtime.options.deviceModel.getBoolean(AUTH_VARIABLES.enabled) === false) {
      const session = runtime.openSession(evseId);
      if (session && !session.authorized) {
        this.send({
          type: 'auth.accepted',
          evseId,
          idToken: NO_AUTHORIZATION_TOKEN,
          at: this.now(),
          txId: session.transactionId,
          ...this.energy(evseId),
        });
      }
    }
  }

  /** The host authorized a token on its own (libocpp on_authorized): no AuthorizeRequest. */
  authorized(evseId: number, connectorId: number, idToken: IdTokenType): void {
    this.check(evseId, connectorId);
    const existing = this.runtime().openSession(evseId);
    this.send({
      type: 'auth.accepted',
      evseId,
      idToken,
      at: this.now(),
      txId: existing?.transactionId ?? randomUUID(),
      ...this.energy(evseId),
    });
  }

  /** The cable left the station's socket (and the EV with it). */
  unplugged(evseId: number, connectorId: number): void {
    this.check(evseId, connectorId);
    this.send({ type: 'hw.unplugged', evseId, connectorId, at: this.now(), ...this.energy(evseId) });
  }

  /** The cable left the EV (E09/E10); a socket cable stays plugged at the station. */
  evDisconnected(evseId: number, connectorId: number): void {
    this.check(evseId, connectorId);
    this.send({ type: 'hw.evDisconnected', evseId, connectorId, at: this.now(), ...this.energy(evseId) });
  }

  faulted(evseId: number, connectorId: number, reason?: ReasonEnumType): void {
    this.check(evseId, connectorId);
    this.send({ type: 'hw.faulted', evseId, connectorId, at: this.now(), ...(reason ? { reason } : {}) });
  }

  faultCleared(evseId: number, connectorId: number): void {
    this.check(evseId, connectorId);
    this.send({ type: 'hw.faultCleared', evseId, connectorId, at: this.now() });
  }

  parked(evseId: number, occupied: boolean): void {
    this.check(evseId);
    this.send(
      occupied
        ? { type: 'hw.parked', evseId, at: this.now(), txId: randomUUID(), ...this.energy(evseId) }
        : { type: 'hw.unparked', evseId, at: this.now(), ...this.energy(evseId) },
    );
  }

  chargingState(evseId: number, state: HostChargingState | null): void {
    this.check(evseId);
    this.send({ type: 'hw.chargingState', evseId, state, at: this.now(), ...this.energy(evseId) });
  }

  /** The cable lock failed: no charging (the session withholds energy), and the CSMS is told (TC_G_20). */
  lockFailed(evseId: number, connectorId: number): void {
    this.check(evseId, connectorId);
    this.send({ type: 'hw.lockFailed', evseId, connectorId, at: this.now() });
    const runtime = this.runtime();
    runtime.queue
      .send('NotifyEvent', problemEvent('ConnectorPlugRetentionLock', evseId, connectorId, this.now()))
      .catch((error: unknown) => {
        // Offline and not queued: the problem stays visible in the connector's status report.
        if ((error as Error).name !== 'NotDeliveredError') runtime.options.onError?.(error);
      });
  }

  /** A new reading; a signed one may start a transaction (DataSigned, E01.FR.04). */
  meterValue(evseId: number, reading: MeterValueType): void {
    if (evseId !== 0) this.check(evseId);
    const runtime = this.runtime();
    runtime.meters.onMeterValue(evseId, reading);
    const signReadings =
      runtime.options.deviceModel.getBoolean({ component: 'SampledDataCtrlr', variable: 'SignReadings' }) === true;
    if (evseId !== 0 && signReadings && runtime.meters.hasSignedReading(evseId)) {
      this.send({ type: 'hw.signedData', evseId, at: this.now(), ...this.energy(evseId) });
    }
  }

  hostStart(evseId: number, start: HostTransactionStart): string {
    this.check(evseId, start.connectorId);
    const runtime = this.runtime();
    const existing = runtime.openSession(evseId);
    const txId = existing?.transactionId ?? randomUUID();
    if (start.connectorId !== undefined && !existing?.evConnected) {
      this.send({ type: 'hw.plugged', evseId, connectorId: start.connectorId, at: this.now(), txId, ...this.energy(evseId) });
    }
    if (start.idToken) {
      this.send(
        start.remoteStartId !== undefined
          ? {
              type: 'auth.remoteStart',
              evseId,
              idToken: start.idToken,
              ...(start.groupIdToken ? { groupIdToken: start.groupIdToken } : {}),
              remoteStartId: start.remoteStartId,
              at: this.now(),
              txId,
            }
          : {
              type: 'auth.accepted',
              evseId,
              idToken: start.idToken,
              ...(start.groupIdToken ? { groupIdToken: start.groupIdToken } : {}),
              ...(start.reservationId !== undefined ? { reservationId: start.reservationId } : {}),
              at: this.now(),
              txId,
            },
      );
    }
    this.send({
      type: 'host.start',
      evseId,
      at: this.now(),
      txId,
      ...(start.triggerReason ? { triggerReason: start.triggerReason } : {}),
      ...this.energy(evseId),
    });
    return runtime.openSession(evseId)?.transactionId ?? txId;
  }

  hostFinish(evseId: number, finish: HostTransactionFinish): void {
    this.check(evseId);
    this.send({
      type: 'host.finish',
      evseId,
      reason: finish.reason,
      ...(finish.triggerReason ? { triggerReason: finish.triggerReason } : {}),
      at: this.now(),
      ...this.energy(evseId),
    });
  }

  private send(event: StationEvent): void {
    this.runtime().send(event);
  }

  private now(): string {
    return this.runtime().options.clock.nowIso();
  }

  private energy(evseId: number): { energyWh?: number } {
    const wh = this.runtime().meters.energyWh(evseId);
    return wh === undefined ? {} : { energyWh: wh };
  }

  private check(evseId: number, connectorId?: number): void {
    const evse = this.evses.find((e) => e.id === evseId);
    if (!evse) throw new RangeError(`no EVSE ${evseId} (this station has EVSE ${this.evses.map((e) => e.id).join(', ')})`);
    if (connectorId !== undefined && !evse.connectors.some((c) => c.id === connectorId)) {
      throw new RangeError(`no connector ${connectorId} on EVSE ${evseId}`);
    }
  }
}
