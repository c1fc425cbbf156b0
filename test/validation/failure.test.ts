import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ErrorObject } from 'ajv';
import { MAX_DESCRIPTION_LENGTH, toValidationFailure } from '../../src/validation/failure.js';

test('a validator that failed without errors still yields a FormatViolation', () => {
  for (const errors of [null, undefined, []]) {
    const failure = toValidationFailure(errors);
    assert.equal(failure.code, 'FormatViolation');
    assert.equal(failure.description, 'payload: does not match the schema');
    assert.deepEqual(failure.details.errors, [
      { path: '', keyword: 'unknown', message: 'does not match the schema' },
    ]);
  }
});

test('only the first error is reported', () => {
  const errors: ErrorObject[] = [
    {
      keyword: 'type',
      instancePath: '/a',
      schemaPath: '#/type',
      params: { type: 'string' },
      message: 'must be string',
    },
    {
      keyword: 'required',
      instancePath: '',
      schemaPath: '#/required',
      params: { missingProperty: 'b' },
      message: "must have required property 'b'",
    },
  ];
  const failure = toValidationFailure(errors);
  assert.equal(failure.code, 'TypeConstraintViolation');
  assert.deepEqual(failure.details.errors, [{ path: '/a', keyword: 'type', message: 'must be string' }]);
});

test('field names are escaped as JSON Pointer segments (RFC 6901)', () => {
  const failure = toValidationFailure([
    {
      keyword: 'required',
      instancePath: '/x~1y',
      schemaPath: '#/required',
      params: { missingProperty: 'a/b~c' },
    },
  ]);
  assert.equal(failure.details.errors[0]?.path, '/x~1y/a~1b~0c');
});

test('an error without a message (ajv messages off) names its keyword', () => {
  const failure = toValidationFailure([
    { keyword: 'maxLength', instancePath: '/m', schemaPath: '#/maxLength', params: { limit: 3 } },
  ]);
  assert.equal(failure.description, '/m: must pass "maxLength"');
});

test('the description is cut at 255 characters, counting characters rather than UTF-16 units', () => {
  const allowedValues = Array.from({ length: 100 }, (_, i) => `Välue🔌${i}`);
  const failure = toValidationFailure([
    {
      keyword: 'enum',
      instancePath: '/v',
      schemaPath: '#/enum',
      params: { allowedValues },
      message: 'must be equal to one of the allowed values',
    },
  ]);
  const chars = [...failure.description];
  assert.equal(chars.length, MAX_DESCRIPTION_LENGTH);
  assert.equal(chars.at(-1), '…');
  assert.ok(
    !/[\uD800-\uDBFF]$/.test(failure.description.slice(0, -1)),
    'no half surrogate pair before the ellipsis',
  );
  assert.ok(failure.details.errors[0]?.message.endsWith('Välue🔌99'));
});
