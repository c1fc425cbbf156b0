/**
 * The shipped component config loaded at build time (src/generated/shipped-component-config.ts,
 * src/device-model/shipped-component-config.ts; cold start of issue 9): taken only when the files
 * hash the same, and then the same components as loading the files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DeviceModelConfigIssue } from '../../src/device-model/errors.js';
import {
  loadComponentConfig,
  loadComponentFiles,
  readConfigDirectory,
} from '../../src/device-model/load-component-config.js';
import { configDigest, shippedComponents } from '../../src/device-model/shipped-component-config.js';
import type { EvseStructure } from '../../src/device-model/types.js';
import { EXAMPLE_CONFIG, TWO_EVSES } from './helpers.js';

async function shippedFiles() {
  const issues: DeviceModelConfigIssue[] = [];
  const files = await readConfigDirectory(EXAMPLE_CONFIG, issues);
  assert.deepEqual(issues, []);
  return files;
}

/** A copy of the shipped config in a temp dir, changed by `edit`. */
async function editedCopy<T>(
  edit: (dir: string) => Promise<void>,
  use: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-shipped-'));
  try {
    await cp(EXAMPLE_CONFIG, dir, { recursive: true });
    await edit(dir);
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('the stored components are the shipped files as loaded, with their file paths', async () => {
  const files = await shippedFiles();
  const issues: DeviceModelConfigIssue[] = [];
  const loaded = loadComponentFiles(files, issues);
  assert.deepEqual(issues, []);
  const stored = shippedComponents(EXAMPLE_CONFIG, files);
  assert.ok(stored !== undefined, 'the shipped files match the generated hash (else: npm run generate)');
  assert.deepEqual(stored, loaded);
  // Each call gives its own copy: fitting one station's EVSEs must not change the next one's.
  stored[0]!.variables.length = 0;
  assert.deepEqual(shippedComponents(EXAMPLE_CONFIG, files), loaded);
});

test('loadComponentConfig of the shipped directory is the same with and without the stored components', async () => {
  const files = await shippedFiles();
  const structures: EvseStructure[][] = [
    TWO_EVSES,
    [{ id: 1, connectors: [{ id: 1 }, { id: 2 }] }],
    [1, 2, 3, 4].map((id) => ({ id, connectors: [{ id: 1 }] })),
  ];
  for (const evses of structures) {
    // Given in memory, the files are always parsed and checked.
    const parsed = await loadComponentConfig(files, evses, { evseStructure: 'adapt' });
    assert.deepEqual(await loadComponentConfig(EXAMPLE_CONFIG, evses, { evseStructure: 'adapt' }), parsed);
  }
  assert.deepEqual(
    await loadComponentConfig(EXAMPLE_CONFIG, TWO_EVSES),
    await loadComponentConfig(files, TWO_EVSES),
  );
});

test('an edited copy of the shipped config hashes differently and its edit is loaded', async () => {
  const original = await loadComponentConfig(EXAMPLE_CONFIG, TWO_EVSES);
  const valueOf = (components: typeof original) =>
    components
      .find((c) => c.name === 'AuthCtrlr')
      ?.variables.find((v) => v.name === 'Enabled')
      ?.attributes.find((a) => a.type === 'Actual')?.value;
  assert.equal(valueOf(original), 'true');
  await editedCopy(
    async (dir) => {
      const file = path.join(dir, 'standardized/AuthCtrlr.json');
      const json = JSON.parse(await readFile(file, 'utf8')) as {
        properties: { AuthCtrlrEnabled: { attributes: { value: unknown }[] } };
      };
      json.properties.AuthCtrlrEnabled.attributes[0]!.value = false;
      await writeFile(file, JSON.stringify(json, null, 2));
    },
    async (dir) => {
      const files = await readConfigDirectory(dir, []);
      assert.equal(shippedComponents(dir, files), undefined);
      assert.equal(valueOf(await loadComponentConfig(dir, TWO_EVSES)), 'false');
    },
  );
  // A file with a broken duplicate key is refused, not taken from the stored components.
  await editedCopy(
    async (dir) => {
      const file = path.join(dir, 'standardized/AuthCtrlr.json');
      await writeFile(
        file,
        (await readFile(file, 'utf8')).replace('"name": "AuthCtrlr",', '"name": "AuthCtrlr", "name": "X",'),
      );
    },
    async (dir) => {
      await assert.rejects(loadComponentConfig(dir, TWO_EVSES), /AuthCtrlr\.json/);
    },
  );
});

test('the digest covers file names and texts: a renamed or added file, or a moved byte, changes it', async () => {
  const files = await shippedFiles();
  const digest = configDigest(EXAMPLE_CONFIG, files);
  assert.match(digest ?? '', /^[0-9a-f]{64}$/);
  // The same files under another directory: the same digest (only relative names count).
  await editedCopy(
    async () => {},
    async (dir) => assert.equal(configDigest(dir, await readConfigDirectory(dir, [])), digest),
  );
  await editedCopy(
    (dir) => rename(path.join(dir, 'custom/EVSE_2.json'), path.join(dir, 'custom/EVSE_3.json')),
    async (dir) => assert.notEqual(configDigest(dir, await readConfigDirectory(dir, [])), digest),
  );
  await editedCopy(
    (dir) => writeFile(path.join(dir, 'custom/Extra.json'), '{"name":"Extra","properties":{}}'),
    async (dir) => assert.notEqual(configDigest(dir, await readConfigDirectory(dir, [])), digest),
  );
  const [a, b] = [files[0]!, files[1]!];
  const moved = [
    { file: a.file, content: `${String(a.content)}${String(b.content).slice(0, 1)}` },
    { file: b.file, content: String(b.content).slice(1) },
    ...files.slice(2),
  ];
  assert.notEqual(configDigest(EXAMPLE_CONFIG, moved), digest);
  assert.equal(configDigest(EXAMPLE_CONFIG, [{ file: a.file, content: {} }]), undefined, 'parsed content');
});
