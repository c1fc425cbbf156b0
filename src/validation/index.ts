/** Schema validation of OCPP 2.0.1 messages, with failures mapped to OCPP-J CALLERROR codes. */
export type { ValidationErrorCode } from './error-codes.js';
export type { ValidationFailure } from './failure.js';
export { isOcppAction, validateRequest, validateResponse } from './validate.js';

import type { RpcValidator } from '../rpc/validator.js';
import { isOcppAction, validateRequest, validateResponse } from './validate.js';

/**
 * The precompiled validators as the RPC endpoint's dependency.
 *
 * @example
 * new RpcEndpoint({ validator: ocppValidator, ... });
 */
export const ocppValidator: RpcValidator = { isOcppAction, validateRequest, validateResponse };
