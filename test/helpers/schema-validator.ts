/**
 * Test stand-in for `src/validation/` (built on another branch) with the same three functions:
 * compiles the official schemas from `schemas/` with ajv (draft-06 meta schema, ajv-formats) on first
 * use of each action. The lead replaces imports of this file with `src/validation/index.js` on merge.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { OCPP_ACTIONS, type OcppAction } from '../../src/generated/ocpp-types.js';
import type { RpcValidator, ValidationErrorCode, ValidationFailure } from '../../src/rpc/validator.js';

const schemaDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../schemas');
const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const ajv = new Ajv({ strict: false, allErrors: false });
ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
addFormats(ajv);

const compiled = new Map<string, ValidateFunction>();
const actions: ReadonlySet<string> = new Set(OCPP_ACTIONS);

function validatorFor(name: string): ValidateFunction {
  let fn = compiled.get(name);
  if (!fn) {
    const schema = JSON.parse(readFileSync(path.join(schemaDir, `${name}.json`), 'utf8')) as object;
    fn = ajv.compile(schema);
    compiled.set(name, fn);
  }
  return fn;
}

function codeFor(error: ErrorObject): ValidationErrorCode {
  switch (error.keyword) {
    case 'required':
    case 'minItems':
    case 'maxItems':
      return 'OccurrenceConstraintViolation';
    case 'type':
      return error.instancePath === '' ? 'FormatViolation' : 'TypeConstraintViolation';
    case 'enum':
    case 'maxLength':
    case 'minLength':
    case 'minimum':
    case 'maximum':
    case 'pattern':
    case 'format':
    case 'multipleOf':
      return 'PropertyConstraintViolation';
    default:
      return 'FormatViolation';
  }
}

function check(name: string, payload: unknown): ValidationFailure | null {
  const fn = validatorFor(name);
  if (fn(payload)) return null;
  const errors = (fn.errors ?? []).map((e) => ({
    path: e.instancePath || '/',
    keyword: e.keyword,
    message: e.message ?? '',
  }));
  const first = (fn.errors ?? [])[0];
  const head = errors[0];
  return {
    code: first ? codeFor(first) : 'FormatViolation',
    description: head ? `${head.path}: ${head.message}` : `${name} is invalid`,
    details: { errors },
  };
}

export function isOcppAction(action: string): action is OcppAction {
  return actions.has(action);
}

export function validateRequest(action: OcppAction, payload: unknown): ValidationFailure | null {
  return check(`${action}Request`, payload);
}

export function validateResponse(action: OcppAction, payload: unknown): ValidationFailure | null {
  return check(`${action}Response`, payload);
}

/** The three functions as the object {@link RpcEndpoint} takes. */
export const schemaValidator: RpcValidator = { isOcppAction, validateRequest, validateResponse };
