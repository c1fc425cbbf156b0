/**
 * The checks an outgoing CALL passes before the queue accepts it (DESIGN.md: every outgoing message
 * is validated before it is sent). They run before a durable message is written, so the store never
 * holds a message that the RPC layer would refuse: such a message could never be delivered and, being
 * durable, would hold back every later durable message (A04.FR.02, E13.FR.03 keep them in order).
 * The same checks run on rows read back from the store (stored-message.ts).
 */
import { STATION_INITIATED_ACTIONS } from '../rpc/action-directions.js';
import { RpcInvalidMessageError, type RpcErrorCode, type RpcErrorDetails } from '../rpc/errors.js';
import { isOcppAction, validateRequest } from '../validation/index.js';

/** Why an outgoing CALL cannot be sent, with the OCPP-J code the RPC layer would refuse it with. */
export interface OutgoingProblem {
  /** Which part is wrong: the action name or the payload. */
  field: 'action' | 'payload';
  code: RpcErrorCode;
  /** Names the offending field of the payload (JSON Pointer) when there is one. */
  description: string;
  details: RpcErrorDetails;
}

/**
 * Finds what stops `action` with `payload` from being sent by a Charging Station: an action that is
 * not OCPP 2.0.1 or not station-initiated, or a payload failing `<action>Request.json`. Null when
 * the CALL is fine. Never throws.
 *
 * @example
 * findOutgoingProblem('SecurityEventNotification', { type: 'X'.repeat(51), timestamp: '2026-01-01T00:00:00Z' });
 * // { field: 'payload', code: 'PropertyConstraintViolation',
 * //   description: '/type: must NOT have more than 50 characters', details: {...} }
 */
export function findOutgoingProblem(action: string, payload: unknown): OutgoingProblem | null {
  if (!isOcppAction(action)) {
    return {
      field: 'action',
      code: 'NotImplemented',
      description: `${JSON.stringify(action)} is not an OCPP 2.0.1 action`,
      details: {},
    };
  }
  if (!STATION_INITIATED_ACTIONS.has(action)) {
    return {
      field: 'action',
      code: 'NotSupported',
      description: `${action} is not sent by a Charging Station`,
      details: {},
    };
  }
  const failure = validateRequest(action, payload);
  if (failure === null) return null;
  return { field: 'payload', code: failure.code, description: failure.description, details: failure.details };
}

/**
 * The payload as it will be stored and sent: its JSON text and the value parsed back from it, so a
 * durable message is sent the same in this run and after a restart, and later changes to the
 * caller's object do not change the queued message. Null when the payload is not JSON
 * (undefined, a function, a BigInt, a cycle); `reason` then says why.
 *
 * @example
 * jsonSnapshot({ at: new Date(0) }); // { json: '{"at":"1970-01-01T00:00:00.000Z"}', value: { at: '1970-...' } }
 */
export function jsonSnapshot(payload: unknown): { json: string; value: unknown } | { reason: string } {
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch (error) {
    return { reason: (error as Error).message };
  }
  if (json === undefined) return { reason: `${typeof payload} has no JSON form` };
  return { json, value: JSON.parse(json) as unknown };
}

/**
 * Checks a CALL about to be queued and returns the payload to store and send (see
 * {@link jsonSnapshot}); throws an RpcInvalidMessageError (direction 'outgoing-call', the OCPP-J
 * code the RPC layer would refuse it with, a description naming the field) when it cannot be sent.
 *
 * @example
 * const { json, value } = checkOutgoingCall('Heartbeat', {}, randomUUID());
 */
export function checkOutgoingCall(
  action: string,
  payload: unknown,
  messageId: string,
): { json: string; value: unknown } {
  const snapshot = jsonSnapshot(payload);
  if ('reason' in snapshot) {
    const description = `payload is not JSON: ${snapshot.reason}`;
    throw new RpcInvalidMessageError('outgoing-call', action, messageId, 'FormatViolation', description);
  }
  const problem = findOutgoingProblem(action, snapshot.value);
  if (problem) {
    const { code, description, details } = problem;
    throw new RpcInvalidMessageError('outgoing-call', action, messageId, code, description, details);
  }
  return snapshot;
}
