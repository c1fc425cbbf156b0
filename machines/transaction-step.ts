/**
 * The working state of one step of a session (machines/transaction-rules.ts): the context as it
 * changes, and the TransactionEvents and effects collected so far.
 */
import type {
  IdTokenType,
  ReasonEnumType,
  TransactionEventEnumType,
  TriggerReasonEnumType,
} from '../src/generated/ocpp-types.js';
import { chargingStateOf, chargingTime } from './transaction-facts.js';
import type { TransactionContext, TxEffect, TxEventParams, TxMeterData } from './transaction-types.js';

export interface SendExtra {
  stoppedReason?: ReasonEnumType;
  meter?: TxMeterData[];
  /** The token that ended the authorization (E07.FR.02), instead of the pending one. */
  idToken?: IdTokenType;
  withoutIdToken?: boolean;
  withEvse?: boolean;
  withChargingState?: boolean;
}

/** Working state of one step. */
export class Step {
  readonly events: TxEventParams[] = [];
  readonly effects: TxEffect[] = [];
  constructor(public c: TransactionContext) {}

  set(patch: Partial<TransactionContext>): void {
    this.c = { ...this.c, ...patch };
  }

  /**
   * Sends a TransactionEvent now. Adds what must go in it once: evse with the connector (E01.FR.16),
   * idToken (E03.FR.01), remoteStartId and the RemoteStart trigger (F01/F02, Part 6 §2.1),
   * reservationId (E01.FR.13), chargingState when it changed (E02.FR.13), Begin meter values in the
   * Started event (E01.FR.09).
   */
  send(
    eventType: TransactionEventEnumType,
    triggerReason: TriggerReasonEnumType,
    at: string,
    extra: SendExtra = {},
  ): void {
    const c = this.c;
    const chargingState = chargingStateOf(c);
    const trigger = c.pendingRemoteStartId !== null ? 'RemoteStart' : triggerReason;
    const includeConnector = c.connectorId !== null && c.evConnected && !c.connectorReported;
    const evse =
      eventType === 'Started' || includeConnector || extra.withEvse
        ? { id: c.evseId, ...(c.connectorId !== null && c.evConnected ? { connectorId: c.connectorId } : {}) }
        : undefined;
    const idToken = extra.withoutIdToken ? undefined : (extra.idToken ?? c.pendingIdToken ?? undefined);
    const meter: TxMeterData[] = [...(eventType === 'Started' ? (['begin'] as const) : []), ...(extra.meter ?? [])];
    const params: TxEventParams = {
      eventType,
      timestamp: at,
      triggerReason: trigger,
      seqNo: c.seqNo,
      transactionId: c.transactionId,
      evseId: c.evseId,
      ...(evse ? { evse } : {}),
      // E02.FR.13: whenever it changed; always in Started and Ended, and where Part 6 checks it (Trigger).
      ...(eventType !== 'Updated' ||
      chargingState !== c.chargingState ||
      triggerReason === 'ChargingStateChanged' ||
      extra.withChargingState
        ? { chargingState }
        : {}),
      ...(idToken ? { idToken } : {}),
      ...(c.pendingRemoteStartId !== null ? { remoteStartId: c.pendingRemoteStartId } : {}),
      ...(c.pendingReservationId !== null ? { reservationId: c.pendingReservationId } : {}),
      ...(extra.stoppedReason ? { stoppedReason: extra.stoppedReason } : {}),
      ...(c.started || eventType === 'Started' ? { timeSpentCharging: chargingTime(c, at) } : {}),
      meter,
    };
    this.events.push(params);
    this.set({
      seqNo: c.seqNo + 1,
      chargingState,
      connectorReported: c.connectorReported || (evse?.connectorId !== undefined),
      pendingIdToken: idToken && !extra.idToken ? null : c.pendingIdToken,
      pendingRemoteStartId: null,
      pendingReservationId: null,
      idTokenSeqNo: idToken !== undefined && !extra.idToken ? c.seqNo : c.idTokenSeqNo,
    });
  }
}
