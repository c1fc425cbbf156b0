/**
 * Which OCPP-J CALLERROR code a schema violation is reported with (OCPP 2.0.1 Part 4, §4.3,
 * table "Valid Error Codes"). docs/validation.md gives the reasoning for each row.
 */
import type { ErrorObject } from 'ajv';

export type ValidationErrorCode =
  | 'FormatViolation'
  | 'OccurrenceConstraintViolation'
  | 'PropertyConstraintViolation'
  | 'TypeConstraintViolation';

/**
 * Code of each ajv error keyword that the 128 OCPP 2.0.1 schemas can produce. Keywords that never
 * fail on their own (`$ref`, `items`, `properties`, and `additionalItems`, a no-op next to a
 * non-array `items` in draft-06) are absent; test/validation/error-codes.test.ts checks that every
 * constraint keyword of schemas/ is listed here.
 */
export const KEYWORD_ERROR_CODES: Readonly<Record<string, ValidationErrorCode>> = {
  // Part 4: "at least one of the fields violates occurrence constraints" = the cardinality column
  // of the message tables (1..1 missing, 0..* / 1..* / 1..4 lists too short or too long).
  // B06.FR.16, B08.FR.17, N06.FR.06 use the same code for "more elements than allowed".
  required: 'OccurrenceConstraintViolation',
  minItems: 'OccurrenceConstraintViolation',
  maxItems: 'OccurrenceConstraintViolation',
  // Part 4: "violates data type constraints (e.g. "somestring": 12)".
  type: 'TypeConstraintViolation',
  // Part 4: "at least one field contains an invalid value": right type, value outside its domain.
  enum: 'PropertyConstraintViolation',
  maxLength: 'PropertyConstraintViolation',
  minimum: 'PropertyConstraintViolation',
  maximum: 'PropertyConstraintViolation',
  format: 'PropertyConstraintViolation',
  // Part 4: "Payload for Action is syntactically incorrect": a field the PDU does not define.
  additionalProperties: 'FormatViolation',
};

/**
 * The CALLERROR code for one ajv error. A payload that is not a JSON object at all (`null`, an array,
 * a string: a `type` error at the root) is syntactically incorrect, so FormatViolation; a keyword
 * missing from the table also falls back to FormatViolation, the most general of the four.
 *
 * @example
 * errorCodeFor({ keyword: 'required', instancePath: '', schemaPath: '#/required',
 *   params: { missingProperty: 'reason' } }); // 'OccurrenceConstraintViolation'
 */
export function errorCodeFor(error: ErrorObject): ValidationErrorCode {
  if (error.keyword === 'type' && error.instancePath === '') return 'FormatViolation';
  return Object.hasOwn(KEYWORD_ERROR_CODES, error.keyword)
    ? (KEYWORD_ERROR_CODES[error.keyword] ?? 'FormatViolation')
    : 'FormatViolation';
}
