import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SCHEMA_DIR } from '../../scripts/generate.js';
import { generateValidators } from '../../scripts/generate-validators.js';

/** Runs the generator over a copy of schemas/ in which `edit` changed one schema file. */
async function generateWith(file: string, edit: (schema: Record<string, unknown>) => void): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-schemas-'));
  try {
    await cp(SCHEMA_DIR, dir, { recursive: true });
    const schema = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as Record<string, unknown>;
    edit(schema);
    await writeFile(path.join(dir, file), JSON.stringify(schema));
    return await generateValidators(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function definitionsOf(schema: Record<string, unknown>): Record<string, Record<string, unknown>> {
  return schema['definitions'] as Record<string, Record<string, unknown>>;
}

test('the generated code is deterministic and shares each definition across messages', async () => {
  const [a, b] = [await generateValidators(SCHEMA_DIR), await generateValidators(SCHEMA_DIR)];
  assert.ok(a === b);
  // IdTokenType (used by 9 messages) is compiled once; no schema is compiled twice.
  assert.equal(a.match(/sourceURL="urn:ocpp201:definition:IdTokenType"/g)?.length, 1);
  const compiled = [...a.matchAll(/sourceURL="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(compiled).size, compiled.length);
  // Annotations are not carried into the code.
  assert.doesNotMatch(a, /"(description|javaType|comment)":/);
});

test('a misspelled keyword stops the generator (ajv strict mode), naming schemas/', async () => {
  await assert.rejects(
    generateWith('HeartbeatRequest.json', (s) => {
      s['maxLenght'] = 3;
    }),
    /^Error: schemas\/: strict mode: unknown keyword: "maxLenght"/,
  );
});

test('two copies of a definition that differ in structure stop the generator, naming both files', async () => {
  await assert.rejects(
    generateWith('ResetRequest.json', (s) => {
      const custom = definitionsOf(s)['CustomDataType'];
      if (custom) custom['required'] = ['vendorId', 'extra'];
    }),
    /schemas\/(\w+)\.json: definition CustomDataType differs from schemas\/(\w+)\.json/,
  );
});

test('a schema without $id or not draft-06 is refused by name', async () => {
  await assert.rejects(
    generateWith('ResetResponse.json', (s) => {
      delete s['$id'];
    }),
    { message: 'schemas/ResetResponse.json: expected a draft-06 schema with an $id' },
  );
  await assert.rejects(
    generateWith('ResetResponse.json', (s) => {
      s['$schema'] = 'http://json-schema.org/draft-07/schema#';
    }),
    { message: 'schemas/ResetResponse.json: expected a draft-06 schema with an $id' },
  );
});
