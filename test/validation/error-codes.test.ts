import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ErrorObject } from 'ajv';
import { KEYWORD_ERROR_CODES, errorCodeFor } from '../../src/validation/error-codes.js';
import { loadSchemas } from './schema-cases.js';

/** Keywords that only annotate, identify or structure; they cannot fail on their own. */
const NON_CONSTRAINTS = new Set([
  '$schema',
  '$id',
  '$ref',
  'comment',
  'description',
  'javaType',
  'default',
  'definitions',
  'properties',
  'items',
]);

/** Every keyword used at a schema position in schemas/, with how often. */
function keywordsInSchemas(): Map<string, number> {
  const counts = new Map<string, number>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    for (const [key, value] of Object.entries(node)) {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (key === 'properties' || key === 'definitions') Object.values(value as object).forEach(visit);
      else if (key === 'items' || key === 'additionalProperties') visit(value);
    }
  };
  for (const schema of loadSchemas().values()) visit(schema);
  return counts;
}

function ajvError(keyword: string, instancePath: string): ErrorObject {
  return { keyword, instancePath, schemaPath: `#/${keyword}`, params: {} };
}

test('every constraint keyword of the 128 schemas has a code, and every row of the table is used', () => {
  const used = keywordsInSchemas();
  // additionalItems sits next to a single `items` schema, where draft-06 ignores it: it never fails.
  const constraints = [...used.keys()]
    .filter((k) => !NON_CONSTRAINTS.has(k) && k !== 'additionalItems')
    .sort();
  assert.deepEqual(constraints, Object.keys(KEYWORD_ERROR_CODES).sort());
});

test('keywords map to the OCPP-J codes of Part 4 §4.3', () => {
  const expected: Array<[string, string]> = [
    ['required', 'OccurrenceConstraintViolation'],
    ['minItems', 'OccurrenceConstraintViolation'],
    ['maxItems', 'OccurrenceConstraintViolation'],
    ['type', 'TypeConstraintViolation'],
    ['enum', 'PropertyConstraintViolation'],
    ['maxLength', 'PropertyConstraintViolation'],
    ['minimum', 'PropertyConstraintViolation'],
    ['maximum', 'PropertyConstraintViolation'],
    ['format', 'PropertyConstraintViolation'],
    ['additionalProperties', 'FormatViolation'],
  ];
  for (const [keyword, code] of expected)
    assert.equal(errorCodeFor(ajvError(keyword, '/field')), code, keyword);
});

test('a wrong type at the root (the payload is not an object) is a FormatViolation, below it a TypeConstraintViolation', () => {
  assert.equal(errorCodeFor(ajvError('type', '')), 'FormatViolation');
  assert.equal(errorCodeFor(ajvError('type', '/a')), 'TypeConstraintViolation');
  assert.equal(errorCodeFor(ajvError('type', '/a/0')), 'TypeConstraintViolation');
});

test('a keyword outside the table falls back to FormatViolation, also for Object.prototype names', () => {
  for (const keyword of ['pattern', 'const', 'uniqueItems', 'constructor', '__proto__', 'toString']) {
    assert.equal(errorCodeFor(ajvError(keyword, '/x')), 'FormatViolation', keyword);
  }
});
