/**
 * What the transaction charts' named effects do (machines/transaction.ts): a TransactionEventRequest
 * becomes a durable queue row written with the EVSE snapshot (E13, E04), the answer is routed back
 * to the session that sent it (E05: its idTokenInfo), and the host and smart charging follow the
 * session (charging permitted, unlock, transaction started/ended).
 */
import type { AnyActorRef } from 'xstate';
import { transactionActorId, type TxEffect, type TxEventParams } from '../../machines/transaction.js';
import type { TransactionEvent } from '../../machines/transaction-rules.js';
import type { ChargePointCallbacks } from '../callbacks.js';
import type { StationClock } from '../clock.js';
import type {
  ChargingProfileType,
  IdTokenType,
  TransactionEventRequest,
  TransactionEventResponse,
} from '../generated/ocpp-types.js';
import type { OwnedMessage, OwnedOutcome } from '../queue/message-queue.js';
import type { StationSmartCharging } from '../smart-charging/station-smart-charging.js';
import type { StationMeters } from '../transactions/station-meters.js';
import { transactionEventRequest } from '../transactions/transaction-event-request.js';
import type { StationPersistence } from './station-persistence.js';
import { LazyMap } from '../lazy-collections.js';

export interface TransactionEffectsOptions {
  persistence: StationPersistence;
  meters: StationMeters;
  callbacks: ChargePointCallbacks;
  smartCharging: Pick<
    StationSmartCharging,
    'transactionStarted' | 'transactionEnded' | 'installRemoteStartProfile'
  >;
  clock: StationClock;
  /** Is the websocket to the CSMS open? (the `offline` flag, E04.FR.03) */
  connected(): boolean;
  /** An actor of the running station by systemId. */
  actor(systemId: string): AnyActorRef | undefined;
  reportError(error: unknown): void;
  /** The host starts and stops transactions itself (it needs no stopTransactionCallback for its own stops). */
  hostControl?(): boolean;
  /**
   * The CSMS's idTokenInfo for a token (from a TransactionEventResponse): the authorization cache
   * seam (C10.FR.04 etc., next issue).
   */
  onIdTokenInfo?(request: TransactionEventRequest, response: TransactionEventResponse): void;
  /** A TransactionEventRequest was queued (the public `transaction` event). */
  queued?(request: TransactionEventRequest, evseId: number): void;
}

/**
 * @example
 * const effects = new TransactionEffects({ persistence, meters, callbacks, smartCharging, clock, connected, actor, reportError });
 * transactionMachine.provide({ actions: { transactionEvent: (_, p) => effects.transactionEvent(p) } });
 */
export class TransactionEffects {
  /** RequestStartTransaction profiles waiting for their transaction to start (K05.FR.03). */
  private readonly pendingProfiles = new LazyMap<string, { evseId: number; profile: ChargingProfileType }>();
  /**
   * Cables kept locked for their owner (E05.FR.11, E09.FR.03), by EVSE: presenting that idToken
   * unlocks it. Not persisted: after a power loss the host's lock state decides.
   */
  private readonly heldCables = new LazyMap<number, { connectorId: number; idToken: IdTokenType }>();

  /** The cable this idToken is waiting to release, if any (and forgets it). */
  takeHeldCable(idToken: IdTokenType): { evseId: number; connectorId: number } | undefined {
    for (const [evseId, held] of this.heldCables) {
      if (held.idToken.idToken === idToken.idToken && held.idToken.type === idToken.type) {
        this.heldCables.delete(evseId);
        return { evseId, connectorId: held.connectorId };
      }
    }
    return undefined;
  }

  constructor(private readonly options: TransactionEffectsOptions) {}

  /** F01.FR.10: installs `profile` for the transaction once it starts. */
  remoteStartProfile(transactionId: string, evseId: number, profile: ChargingProfileType): void {
    this.pendingProfiles.set(transactionId, { evseId, profile });
  }

  /** A session step asks for a TransactionEventRequest: stored with the snapshot, then sent. */
  transactionEvent(params: TxEventParams): void {
    const { options } = this;
    const request = transactionEventRequest(params, {
      meterValue: options.meters.forTransactionEvent(params),
      offline: !options.connected(),
    });
    try {
      options.persistence.enqueueMessage(
        'TransactionEvent',
        request,
        transactionActorId(params.transactionId),
        `tx:${params.transactionId}:${params.seqNo}`,
      );
    } catch (error) {
      // Only a bug of ours builds an invalid request: reported with the field it names.
      options.reportError(error);
      return;
    }
    options.queued?.(request, params.evseId);
    options.callbacks.transactionEventCallback?.(request);
  }

  /** A session step's effect on the hardware, the meters and smart charging. */
  transactionEffect({
    transactionId,
    evseId,
    effect,
    at,
  }: {
    transactionId: string;
    evseId: number;
    effect: TxEffect;
    /** Station time of the step (for a TxEnded sample: its interval's instant). */
    at?: string;
  }): void {
    const { options } = this;
    switch (effect.kind) {
      case 'permitted':
        options.callbacks.chargingPermittedChangedCallback?.(evseId, effect.permitted);
        return;
      case 'unlock':
        this.heldCables.delete(evseId);
        // E06.FR.10 / E09.FR.02: the cable is released (libocpp unlock_connector_callback).
        Promise.resolve()
          .then(() => options.callbacks.unlockConnectorCallback?.(evseId, effect.connectorId))
          .catch((error: unknown) => options.reportError(error));
        return;
      case 'lockedFor':
        this.heldCables.set(evseId, { connectorId: effect.connectorId, idToken: effect.idToken });
        return;
      case 'recordSample':
        // J02 (Part 6 TC_J_03): a clock-aligned TxEnded sample carries its grid instant.
        options.meters.recordSample(transactionId, evseId, effect.sample, at ?? options.clock.nowIso());
        return;
      case 'started': {
        try {
          options.smartCharging.transactionStarted({
            evseId,
            transactionId,
            startTime: options.clock.nowIso(),
          });
        } catch (error) {
          options.reportError(error);
        }
        const pending = this.pendingProfiles.get(transactionId);
        this.pendingProfiles.delete(transactionId);
        if (pending) {
          options.smartCharging
            .installRemoteStartProfile(pending.evseId, pending.profile, transactionId)
            .catch((error: unknown) => options.reportError(error));
        }
        return;
      }
      case 'ended':
        this.pendingProfiles.delete(transactionId);
        options.meters.finish(transactionId);
        // libocpp stop_transaction_callback: the host stops the energy transfer for this reason
        // (also told by chargingPermittedChangedCallback; its answer is not needed here).
        if (!options.hostControl?.()) {
          Promise.resolve()
            .then(() => options.callbacks.stopTransactionCallback?.(evseId, effect.reason))
            .catch((error: unknown) => options.reportError(error));
        }
        options.smartCharging
          .transactionEnded(transactionId)
          .catch((error: unknown) => options.reportError(error));
        return;
    }
  }

  /**
   * A TransactionEvent row left the queue (answered, or given up by E13.FR.04): its row goes with the
   * next snapshot, and an answer to an event that carried an idToken reaches its session (E05).
   */
  settled(message: OwnedMessage, outcome: OwnedOutcome): void {
    const { options } = this;
    options.persistence.deleteRow(message.rowId);
    if (outcome.kind !== 'answered' || message.action !== 'TransactionEvent') return;
    const request = message.payload as TransactionEventRequest;
    const response = (outcome.response ?? {}) as TransactionEventResponse;
    options.callbacks.transactionEventResponseCallback?.(request, response);
    if (request.idToken && response.idTokenInfo) {
      try {
        options.onIdTokenInfo?.(request, response);
      } catch (error) {
        options.reportError(error);
      }
      const session = options.actor(message.owner);
      const evseId = (session?.getSnapshot() as { context?: { evseId?: number } } | undefined)?.context
        ?.evseId;
      const energyWh = evseId === undefined ? undefined : options.meters.energyWh(evseId);
      session?.send({
        type: 'tx.answered',
        seqNo: request.seqNo,
        idTokenInfo: response.idTokenInfo,
        at: options.clock.nowIso(),
        ...(energyWh === undefined ? {} : { energyWh }),
      } satisfies TransactionEvent);
    }
  }
}
