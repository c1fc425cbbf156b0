import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { migrations } from '../../migrations/index.js';
import { generateFreshSchema } from '../../scripts/generate-fresh-schema.js';
import { generateShippedConfig, SHIPPED_CONFIG_DIR } from '../../scripts/generate-shipped-config.js';
import { GENERATED_DIR, SCHEMA_DIR, generateAll } from '../../scripts/generate.js';

test('src/generated/ is byte-identical to a fresh `npm run generate` (run it and commit if this fails)', async () => {
  const fresh = await generateAll();
  assert.deepEqual(
    (await readdir(GENERATED_DIR)).sort(),
    Object.keys(fresh).sort(),
    'files in src/generated/',
  );
  for (const [file, text] of Object.entries(fresh)) {
    const committed = await readFile(path.join(GENERATED_DIR, file), 'utf8');
    assert.ok(committed === text, `src/generated/${file} is stale: run npm run generate`);
  }
});

test('a changed schema changes the generated files, so the check above catches an edit without regenerating', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-schemas-'));
  try {
    await cp(SCHEMA_DIR, dir, { recursive: true });
    const file = path.join(dir, 'BootNotificationRequest.json');
    const schema = JSON.parse(await readFile(file, 'utf8')) as {
      definitions: Record<string, { enum?: string[]; properties?: Record<string, { maxLength?: number }> }>;
    };
    schema.definitions['BootReasonEnumType']?.enum?.push('Sunrise');
    const model = schema.definitions['ChargingStationType']?.properties?.['model'];
    assert.equal(model?.maxLength, 20);
    model.maxLength = 25;
    await writeFile(file, JSON.stringify(schema));

    const [committed, changed] = [await generateAll(), await generateAll(dir)];
    assert.notEqual(changed['ocpp-types.ts'], committed['ocpp-types.ts']);
    assert.match(changed['ocpp-types.ts'] ?? '', /'Sunrise'/);
    assert.notEqual(changed['validators.ts'], committed['validators.ts']);
    assert.match(changed['validators.ts'] ?? '', /> 25\)/);
    assert.match(changed['validators.ts'] ?? '', /"Sunrise"/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a new migration changes the generated fresh schema, so the check above catches it without regenerating', async () => {
  const withNew = {
    ...migrations,
    '9999_stale_check': {
      up: async (db: Parameters<(typeof migrations)[string]['up']>[0]) => {
        await sql`ALTER TABLE station_state ADD COLUMN stale_check text`.execute(db);
      },
    },
  };
  const [committed, changed] = [await generateFreshSchema(), await generateFreshSchema(withNew)];
  assert.notEqual(changed, committed);
  assert.match(changed, /stale_check/);
  assert.match(changed, /"9999_stale_check"/);
});

test('an edited shipped config file changes the generated shipped config, so the first check catches it', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-config-'));
  try {
    await cp(SHIPPED_CONFIG_DIR, dir, { recursive: true });
    const file = path.join(dir, 'standardized/AuthCtrlr.json');
    // Only a description: nothing loaded changes, but the file's hash does.
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('Schema for AuthCtrlr', 'Schema for the AuthCtrlr'),
    );
    const [committed, changed] = [await generateShippedConfig(), await generateShippedConfig(dir)];
    assert.notEqual(changed, committed);
    const digest = (text: string) => /SHIPPED_CONFIG_SHA256 = "([0-9a-f]{64})"/.exec(text)?.[1];
    assert.ok(digest(committed) !== undefined && digest(changed) !== undefined);
    assert.notEqual(digest(changed), digest(committed));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
