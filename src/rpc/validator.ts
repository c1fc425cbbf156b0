/**
 * What the RPC layer needs from schema validation. `src/validation/` implements exactly this shape;
 * the endpoint takes it as a dependency so that it can be tested and swapped independently.
 */
import type { OcppAction } from '../generated/ocpp-types.js';

export type ValidationErrorCode =
  | 'FormatViolation'
  | 'OccurrenceConstraintViolation'
  | 'PropertyConstraintViolation'
  | 'TypeConstraintViolation';

/** A payload that failed its JSON schema: the OCPP-J code to answer with and what was wrong. */
export interface ValidationFailure {
  code: ValidationErrorCode;
  description: string;
  details: { errors: Array<{ path: string; keyword: string; message: string }> };
}

/** The validation functions used by {@link RpcEndpoint}; pass `src/validation`'s module namespace. */
export interface RpcValidator {
  isOcppAction(action: string): action is OcppAction;
  validateRequest(action: OcppAction, payload: unknown): ValidationFailure | null;
  validateResponse(action: OcppAction, payload: unknown): ValidationFailure | null;
}
