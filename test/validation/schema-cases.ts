/**
 * Test helper: reads the official schemas in schemas/ and derives, for each of them, valid example
 * payloads (only required fields; every field) and one-violation payloads, each with the keyword,
 * OCPP-J code and field path it must be reported with. The expected codes here are written per kind of
 * mutation, independently of src/validation's keyword table.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidationErrorCode } from '../../src/validation/index.js';

export const SCHEMA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schemas');

export interface SchemaNode {
  $ref?: string;
  type?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: boolean;
  items?: SchemaNode;
  minItems?: number;
  maxItems?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  format?: string;
}

export interface MessageSchema extends SchemaNode {
  $id: string;
  definitions?: Record<string, SchemaNode>;
}

export interface ViolationCase {
  /** Human label: schema, field and mutation. */
  label: string;
  payload: unknown;
  keyword: string;
  code: ValidationErrorCode;
  /** JSON Pointer of the offending field, as reported in details.errors[0].path. */
  path: string;
}

/** Schema name (`BootNotificationRequest`) -> parsed official schema, sorted by name. */
export function loadSchemas(): Map<string, MessageSchema> {
  const files = readdirSync(SCHEMA_DIR)
    .filter((f) => /^\w+(Request|Response)\.json$/.test(f))
    .sort();
  return new Map(
    files.map((f) => [
      f.replace(/\.json$/, ''),
      JSON.parse(readFileSync(path.join(SCHEMA_DIR, f), 'utf8')) as MessageSchema,
    ]),
  );
}

function resolve(node: SchemaNode, schema: MessageSchema): SchemaNode {
  let current = node;
  while (current.$ref !== undefined) {
    const name = current.$ref.replace(/^#\/definitions\//, '');
    const target = schema.definitions?.[name];
    if (target === undefined) throw new Error(`${schema.$id}: unresolved $ref ${current.$ref}`);
    current = target;
  }
  return current;
}

/**
 * A valid instance of `node`: with `full`, every optional field is present too. Arrays get
 * max(minItems, 1) elements, numbers their minimum (or 0), enums their first value.
 */
export function exampleOf(node: SchemaNode, schema: MessageSchema, full: boolean): unknown {
  const n = resolve(node, schema);
  if (n.enum !== undefined) return n.enum[0];
  switch (n.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(n.properties ?? {})) {
        if (full || n.required?.includes(key)) out[key] = exampleOf(sub, schema, full);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(n.minItems ?? 0, 1) }, () =>
        exampleOf(n.items ?? {}, schema, full),
      );
    case 'string':
      return n.format === 'date-time' ? '2025-01-01T00:00:00.000Z' : 'x';
    case 'integer':
    case 'number':
      return n.minimum ?? Math.min(0, n.maximum ?? 0);
    case 'boolean':
      return true;
    case undefined:
      return { anyJson: ['DataTransfer data has no type'] };
    default:
      throw new Error(`${schema.$id}: no example for ${JSON.stringify(n)}`);
  }
}

type Key = string | number;

function pointer(keys: readonly Key[]): string {
  return keys.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Copy of `root` with the value at `keys` replaced (or deleted when `value` is `DELETE`). */
const DELETE = Symbol('delete');
function withValue(root: unknown, keys: readonly Key[], value: unknown): unknown {
  if (keys.length === 0) return value;
  const copy = structuredClone(root) as Record<Key, unknown>;
  let parent = copy;
  for (const key of keys.slice(0, -1)) parent = parent[key] as Record<Key, unknown>;
  const last = keys[keys.length - 1] as Key;
  if (value === DELETE) delete parent[last];
  else parent[last] = value;
  return copy;
}

const WRONG_TYPE: Record<string, unknown> = {
  string: 42,
  integer: '42',
  number: '42',
  boolean: 'true',
  object: 'not an object',
  array: 'not an array',
};

/**
 * One payload per constraint of the schema, each breaking exactly that constraint of a full,
 * otherwise valid example, with the keyword, code and field path it must be reported with.
 */
export function violationsOf(name: string, schema: MessageSchema): ViolationCase[] {
  const base = exampleOf(schema, schema, true);
  const cases: ViolationCase[] = [];
  const add = (
    keys: readonly Key[],
    what: string,
    value: unknown,
    keyword: string,
    code: ValidationErrorCode,
    at = pointer(keys),
  ): void => {
    cases.push({
      label: `${name} ${pointer(keys) || '(root)'}: ${what}`,
      payload: withValue(base, keys, value),
      keyword,
      code,
      path: at,
    });
  };

  const visit = (node: SchemaNode, value: unknown, keys: readonly Key[]): void => {
    const n = resolve(node, schema);
    if (n.type !== undefined) {
      // Part 4 §4.3: a payload that is not an object is syntactically incorrect; a field of the wrong
      // JSON type "violates data type constraints".
      const code = keys.length === 0 ? 'FormatViolation' : 'TypeConstraintViolation';
      add(
        keys,
        `${n.type} replaced by ${JSON.stringify(WRONG_TYPE[n.type])}`,
        WRONG_TYPE[n.type],
        'type',
        code,
      );
      if (keys.length > 0) add(keys, 'null instead of leaving the field out', null, 'type', code);
    }
    if (n.type === 'integer')
      add(keys, 'fraction for an integer', 0.5 + (n.minimum ?? 0), 'type', 'TypeConstraintViolation');
    if (n.enum !== undefined)
      add(
        keys,
        'value outside the enumeration',
        'NotAnEnumerationValue',
        'enum',
        'PropertyConstraintViolation',
      );
    if (n.maxLength !== undefined) {
      add(
        keys,
        `${n.maxLength + 1} characters`,
        'x'.repeat(n.maxLength + 1),
        'maxLength',
        'PropertyConstraintViolation',
      );
    }
    if (n.format === 'date-time')
      add(keys, 'impossible date', '2025-02-30T00:00:00Z', 'format', 'PropertyConstraintViolation');
    if (n.minimum !== undefined)
      add(keys, 'below minimum', n.minimum - 1, 'minimum', 'PropertyConstraintViolation');
    if (n.maximum !== undefined)
      add(keys, 'above maximum', n.maximum + 1, 'maximum', 'PropertyConstraintViolation');
    if (n.type === 'array' && Array.isArray(value)) {
      if (n.minItems !== undefined && n.minItems > 0)
        add(keys, 'empty list', [], 'minItems', 'OccurrenceConstraintViolation');
      if (n.maxItems !== undefined) {
        const tooMany = Array.from({ length: n.maxItems + 1 }, () => value[0]);
        add(keys, `${n.maxItems + 1} elements`, tooMany, 'maxItems', 'OccurrenceConstraintViolation');
      }
      visit(n.items ?? {}, value[0], [...keys, 0]);
    }
    if (n.type === 'object' && value !== null && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      if (n.additionalProperties === false) {
        add(
          [...keys, 'unexpectedField'],
          'field the schema does not define',
          1,
          'additionalProperties',
          'FormatViolation',
        );
      }
      for (const field of n.required ?? []) {
        add([...keys, field], 'required field left out', DELETE, 'required', 'OccurrenceConstraintViolation');
      }
      for (const [field, sub] of Object.entries(n.properties ?? {})) {
        if (field in object) visit(sub, object[field], [...keys, field]);
      }
    }
  };
  visit(schema, base, []);
  return cases;
}
