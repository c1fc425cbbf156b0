/**
 * The TransactionEventRequest a session step asks for (machines/transaction-rules.ts), with what
 * src/ knows and the chart does not: the meter values and whether the station is offline
 * (E04.FR.03, E11.FR.02, E12.FR.02: `offline` is true for an event that happened while the
 * station had no connection to the CSMS; absent otherwise).
 */
import type { TxEventParams } from '../../machines/transaction-rules.js';
import type { MeterValueType, TransactionEventRequest, TransactionType } from '../generated/ocpp-types.js';

/**
 * @example
 * transactionEventRequest(params, { meterValue: undefined, offline: false });
 * // { eventType: 'Started', timestamp, triggerReason: 'CablePluggedIn', seqNo: 0, transactionInfo: { transactionId, chargingState: 'EVConnected' }, evse: { id: 1, connectorId: 1 } }
 */
export function transactionEventRequest(
  params: TxEventParams,
  extra: { meterValue: MeterValueType[] | undefined; offline: boolean },
): TransactionEventRequest {
  const transactionInfo: TransactionType = {
    transactionId: params.transactionId,
    ...(params.chargingState ? { chargingState: params.chargingState } : {}),
    ...(params.timeSpentCharging !== undefined ? { timeSpentCharging: params.timeSpentCharging } : {}),
    ...(params.stoppedReason ? { stoppedReason: params.stoppedReason } : {}),
    ...(params.remoteStartId !== undefined ? { remoteStartId: params.remoteStartId } : {}),
  };
  const meterValue = extra.meterValue && extra.meterValue.length > 0 ? extra.meterValue : undefined;
  return {
    eventType: params.eventType,
    timestamp: params.timestamp,
    triggerReason: params.triggerReason,
    seqNo: params.seqNo,
    ...(extra.offline ? { offline: true } : {}),
    ...(params.reservationId !== undefined ? { reservationId: params.reservationId } : {}),
    transactionInfo,
    ...(params.evse ? { evse: params.evse } : {}),
    ...(params.idToken ? { idToken: params.idToken } : {}),
    ...(meterValue ? { meterValue: meterValue as [MeterValueType, ...MeterValueType[]] } : {}),
  };
}
