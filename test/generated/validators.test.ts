import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import draft06MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { OCPP_ACTIONS } from '../../src/generated/ocpp-types.js';
import {
  requestValidators,
  responseValidators,
  type CompiledValidator,
} from '../../src/generated/validators.js';
import { exampleOf, loadSchemas, violationsOf } from '../validation/schema-cases.js';

const schemas = loadSchemas();

function precompiled(name: string): CompiledValidator {
  const action = name.replace(/(Request|Response)$/, '') as (typeof OCPP_ACTIONS)[number];
  return name.endsWith('Request') ? requestValidators[action] : responseValidators[action];
}

/** The official schemas exactly as published, compiled by ajv at runtime: the reference. */
function referenceValidators(): Map<string, ValidateFunction> {
  const ajv = new Ajv({ strict: false, allErrors: false });
  ajv.addMetaSchema(draft06MetaSchema);
  addFormatsModule.default(ajv, ['date-time', 'uri']);
  return new Map([...schemas].map(([name, schema]) => [name, ajv.compile(schema)]));
}

test('each of the 128 schemas has a precompiled validator, one request and one response per action', () => {
  assert.deepEqual(Object.keys(requestValidators), [...OCPP_ACTIONS]);
  assert.deepEqual(Object.keys(responseValidators), [...OCPP_ACTIONS]);
  assert.deepEqual([...schemas.keys()], OCPP_ACTIONS.flatMap((a) => [`${a}Request`, `${a}Response`]).sort());
  for (const name of schemas.keys()) assert.equal(typeof precompiled(name), 'function', name);
});

test('the generated module compiles nothing at import: it imports only ajv runtime helpers and format checks', async () => {
  const source = await readFile(new URL('../../src/generated/validators.ts', import.meta.url), 'utf8');
  const imports = [...source.matchAll(/^import (.+) from '([^']+)';$/gm)].map((m) => m[2]);
  assert.deepEqual(imports.sort(), [
    './ocpp-types.js',
    'ajv',
    'ajv-formats/dist/formats.js',
    'ajv/dist/runtime/ucs2length.js',
  ]);
  assert.match(source, /^import type \{ ErrorObject \} from 'ajv';$/m); // the only use of 'ajv' itself: a type
  assert.doesNotMatch(source, /\brequire\(|new Ajv|\.compile\(/);
});

test('precompiled validators agree with the unmodified schemas compiled at runtime, on valid and invalid payloads', () => {
  const reference = referenceValidators();
  let compared = 0;
  for (const [name, schema] of schemas) {
    const ours = precompiled(name);
    const theirs = reference.get(name);
    assert.ok(theirs);
    const payloads: Array<[string, unknown]> = [
      ['required fields', exampleOf(schema, schema, false)],
      ['every field', exampleOf(schema, schema, true)],
      ['null', null],
      ['array', []],
      ...violationsOf(name, schema).map((c): [string, unknown] => [c.label, c.payload]),
    ];
    for (const [label, payload] of payloads) {
      const verdict = ours(payload);
      assert.equal(verdict, theirs(payload), `${name} ${label}`);
      if (!verdict) {
        const a: ErrorObject | undefined = ours.errors?.[0];
        const b: ErrorObject | undefined = theirs.errors?.[0];
        assert.deepEqual(
          { keyword: a?.keyword, instancePath: a?.instancePath, params: a?.params, message: a?.message },
          { keyword: b?.keyword, instancePath: b?.instancePath, params: b?.params, message: b?.message },
          `${name} ${label}`,
        );
      }
      compared++;
    }
  }
  assert.ok(compared > 5000, `compared ${compared} payloads`);
});
