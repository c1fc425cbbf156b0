/** Schema validation of OCPP 2.0.1 messages, with failures mapped to OCPP-J CALLERROR codes. */
export type { ValidationErrorCode } from './error-codes.js';
export type { ValidationFailure } from './failure.js';
export { isOcppAction, validateRequest, validateResponse } from './validate.js';
