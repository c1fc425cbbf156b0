/**
 * Turns the first ajv error of a failed validation into a ValidationFailure: the CALLERROR code, a
 * description naming the field, and the error in `details`.
 */
import type { ErrorObject } from 'ajv';
import { errorCodeFor, type ValidationErrorCode } from './error-codes.js';

export interface ValidationFailure {
  code: ValidationErrorCode;
  description: string;
  details: { errors: Array<{ path: string; keyword: string; message: string }> };
}

/** Part 4 §4.2.3: ErrorDescription is string[255]. */
export const MAX_DESCRIPTION_LENGTH = 255;

/** RFC 6901 escaping of one JSON Pointer segment. */
function pointerSegment(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * JSON Pointer of the field the error is about. ajv reports `required` and `additionalProperties` at
 * the enclosing object; the field itself is more useful (`/chargingStation/vendorName`).
 */
function fieldPath(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params['missingProperty'] === 'string') {
    return `${error.instancePath}/${pointerSegment(params['missingProperty'])}`;
  }
  if (error.keyword === 'additionalProperties' && typeof params['additionalProperty'] === 'string') {
    return `${error.instancePath}/${pointerSegment(params['additionalProperty'])}`;
  }
  return error.instancePath;
}

function messageOf(error: ErrorObject): string {
  // The path already names the field for these two, so ajv's wording ("must have required property
  // 'x'", "must NOT have additional properties") is restated from the field's point of view.
  if (error.keyword === 'required') return 'required property is missing';
  if (error.keyword === 'additionalProperties') return 'property is not defined by the schema';
  const message = error.message ?? `must pass "${error.keyword}"`;
  const allowed = (error.params as Record<string, unknown>)['allowedValues'];
  // ajv's enum message does not say which values are allowed; the CSMS developer needs them.
  if (error.keyword === 'enum' && Array.isArray(allowed)) return `${message}: ${allowed.join(', ')}`;
  return message;
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Builds the failure for the first error of a failed validation; `errors` empty or missing (which ajv
 * never does after `false`) still yields a FormatViolation rather than no answer.
 *
 * @example
 * toValidationFailure([{ keyword: 'maxLength', instancePath: '/chargingStation/model',
 *   schemaPath: '#/properties/model/maxLength', params: { limit: 20 },
 *   message: 'must NOT have more than 20 characters' }]);
 * // { code: 'PropertyConstraintViolation',
 * //   description: '/chargingStation/model: must NOT have more than 20 characters', details: {...} }
 */
export function toValidationFailure(errors: readonly ErrorObject[] | null | undefined): ValidationFailure {
  const first = errors?.[0];
  if (first === undefined) {
    const message = 'does not match the schema';
    return {
      code: 'FormatViolation',
      description: `payload: ${message}`,
      details: { errors: [{ path: '', keyword: 'unknown', message }] },
    };
  }
  const path = fieldPath(first);
  const message = messageOf(first);
  return {
    code: errorCodeFor(first),
    description: truncate(`${path === '' ? 'payload' : path}: ${message}`, MAX_DESCRIPTION_LENGTH),
    details: { errors: [{ path, keyword: first.keyword, message }] },
  };
}
