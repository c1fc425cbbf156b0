/**
 * Validation of OCPP 2.0.1 payloads against the official JSON schemas, through the validators that
 * `npm run generate` precompiled into src/generated/validators.ts (no schema is compiled at startup).
 */
import { OCPP_ACTIONS, type OcppAction } from '../generated/ocpp-types.js';
import { requestValidators, responseValidators, type CompiledValidator } from '../generated/validators.js';
import { toValidationFailure, type ValidationFailure } from './failure.js';

const ACTIONS: ReadonlySet<string> = new Set(OCPP_ACTIONS);

/**
 * Whether `action` names an OCPP 2.0.1 action (the Action field of a CALL, without "Request").
 *
 * @example
 * isOcppAction('BootNotification'); // true
 * isOcppAction('BootNotificationRequest'); // false
 */
export function isOcppAction(action: string): action is OcppAction {
  return ACTIONS.has(action);
}

function run(
  validators: Readonly<Record<OcppAction, CompiledValidator>>,
  caller: string,
  action: OcppAction,
  payload: unknown,
): ValidationFailure | null {
  // The type says OcppAction, but JavaScript callers and casts reach here too.
  if (!isOcppAction(action))
    throw new TypeError(`${caller}: "${String(action)}" is not an OCPP 2.0.1 action`);
  const validator = validators[action];
  return validator(payload) ? null : toValidationFailure(validator.errors);
}

/**
 * Validates the payload of a CALL against `<action>Request.json`: null when valid, otherwise the
 * CALLERROR code and description for the first violation. Throws a TypeError for an unknown action.
 *
 * @example
 * validateRequest('Heartbeat', {}); // null
 * validateRequest('BootNotification', { reason: 'PowerUp' })?.code; // 'OccurrenceConstraintViolation'
 */
export function validateRequest(action: OcppAction, payload: unknown): ValidationFailure | null {
  return run(requestValidators, 'validateRequest', action, payload);
}

/**
 * Validates the payload of a CALLRESULT against `<action>Response.json`, like validateRequest.
 *
 * @example
 * validateResponse('Heartbeat', { currentTime: '2025-01-01T00:00:00Z' }); // null
 * validateResponse('Heartbeat', { currentTime: 'yesterday' })?.code; // 'PropertyConstraintViolation'
 */
export function validateResponse(action: OcppAction, payload: unknown): ValidationFailure | null {
  return run(responseValidators, 'validateResponse', action, payload);
}
