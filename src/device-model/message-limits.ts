/**
 * The DeviceDataCtrlr limits on incoming device model requests: ItemsPerMessage and
 * BytesPerMessage with instance GetVariables, SetVariables or GetReport (Part 2 §2.1.16–2.1.23).
 */
import { OcppRpcError } from '../rpc/errors.js';

/** The request kinds DeviceDataCtrlr limits, named by their variable instance. */
export type LimitedRequest = 'GetVariables' | 'SetVariables' | 'GetReport';

/** Limits of one request kind; absent means unlimited. */
export interface MessageLimits {
  itemsPerMessage?: number;
  bytesPerMessage?: number;
}

/**
 * Throws the CALLERROR for a request over the station's limits: more items than ItemsPerMessage is
 * OccurrenceConstraintViolation (B06.FR.16, B08.FR.17), more bytes than BytesPerMessage is
 * FormatViolation (B06.FR.17, B08.FR.18). OCPP 2.0.1 only says the CSMS SHALL NOT exceed them for
 * SetVariables (B05.FR.11); the station answers SetVariables the same way.
 *
 * `messageBytes` is the length of the received CALL frame, when the RPC layer passes it.
 *
 * @example
 * enforceMessageLimits('GetVariables', { itemsPerMessage: 100 }, 101); // throws OcppRpcError OccurrenceConstraintViolation
 */
export function enforceMessageLimits(
  request: LimitedRequest,
  limits: MessageLimits,
  items: number,
  messageBytes?: number,
): void {
  if (limits.itemsPerMessage !== undefined && items > limits.itemsPerMessage) {
    throw new OcppRpcError(
      'OccurrenceConstraintViolation',
      `${request}Request has ${items} elements, more than ItemsPerMessage${request} (${limits.itemsPerMessage})`,
      { items, itemsPerMessage: limits.itemsPerMessage },
    );
  }
  if (
    limits.bytesPerMessage !== undefined &&
    messageBytes !== undefined &&
    messageBytes > limits.bytesPerMessage
  ) {
    throw new OcppRpcError(
      'FormatViolation',
      `${request}Request is ${messageBytes} bytes, more than BytesPerMessage${request} (${limits.bytesPerMessage})`,
      { bytes: messageBytes, bytesPerMessage: limits.bytesPerMessage },
    );
  }
}
