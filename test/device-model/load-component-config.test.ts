import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeviceModelConfigError } from '../../src/device-model/errors.js';
import {
  loadComponentConfig,
  type ComponentConfigFile,
} from '../../src/device-model/load-component-config.js';
import type { LoadedComponent } from '../../src/device-model/types.js';
import { EXAMPLE_CONFIG, TWO_EVSES } from './helpers.js';

function attribute(
  components: LoadedComponent[],
  name: string,
  variable: string,
  type = 'Actual',
  instance?: string,
) {
  const component = components.find((c) => c.name === name && c.evseId === undefined);
  const v = component?.variables.find((x) => x.name === variable && x.instance === instance);
  return v?.attributes.find((a) => a.type === type);
}

/** A minimal valid component config with one variable; `patch` edits the variable. */
function component(
  name: string,
  variable: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name,
    properties: {
      V: {
        variable_name: 'V',
        characteristics: { dataType: 'integer', supportsMonitoring: false },
        attributes: [{ type: 'Actual' }],
        ...variable,
      },
    },
    ...extra,
  };
}

async function configError(
  source: readonly ComponentConfigFile[] | string,
  evses = TWO_EVSES,
): Promise<DeviceModelConfigError> {
  try {
    await loadComponentConfig(source, evses);
  } catch (error) {
    assert.ok(error instanceof DeviceModelConfigError, String(error));
    return error;
  }
  assert.fail('expected a DeviceModelConfigError');
}

test('the example config loads: value over default, JSON values as text, omitted mutability is ReadWrite', async () => {
  const components = await loadComponentConfig(EXAMPLE_CONFIG, TWO_EVSES);
  assert.equal(components.length, 24);
  assert.equal(attribute(components, 'OCPPCommCtrlr', 'HeartbeatInterval')?.value, '1800');
  assert.equal(
    attribute(components, 'OCPPCommCtrlr', 'MessageAttempts', 'Actual', 'TransactionEvent')?.value,
    '5',
  );
  // Attribute value wins over the variable's default.
  assert.equal(
    attribute(components, 'AlignedDataCtrlr', 'Measurands')?.value,
    'Energy.Active.Import.Register,Voltage,Frequency',
  );
  assert.equal(attribute(components, 'AuthCtrlr', 'Enabled')?.value, 'true');
  assert.equal(
    attribute(components, 'SmartChargingCtrlr', 'SupportsFeature', 'Actual', 'DynamicProfiles')?.value,
    'false',
  );
  // An empty dateTime in the config leaves the attribute unset.
  assert.equal(attribute(components, 'ClockCtrlr', 'DateTime')?.value, undefined);
  assert.equal(attribute(components, 'SmartChargingCtrlr', 'IgnoredProfilePurposesOffline')?.value, '');
  assert.equal(attribute(components, 'ISO15118Ctrlr', 'MaxScheduleEntries')?.mutability, 'ReadWrite');
  const evse1 = components.find((c) => c.name === 'EVSE' && c.evseId === 1);
  const power = evse1?.variables.find((v) => v.name === 'Power');
  // The default applies to the Actual attribute only.
  assert.deepEqual(
    power?.attributes.map((a) => [a.type, a.value]),
    [
      ['Actual', '0'],
      ['MaxSet', undefined],
    ],
  );
  assert.equal(power?.characteristics.maxLimit, 22000);
  const connector = components.find((c) => c.name === 'Connector' && c.evseId === 2 && c.connectorId === 1);
  assert.equal(
    connector?.variables.find((v) => v.name === 'AvailabilityState')?.attributes[0]?.value,
    'Available',
  );
  // Ordered by EVSE, connector, name.
  assert.deepEqual(
    components.slice(-4).map((c) => `${c.name}@${c.evseId}/${c.connectorId ?? ''}`),
    ['EVSE@1/', 'Connector@1/1', 'EVSE@2/', 'Connector@2/1'],
  );
});

test('broken JSON names the file; all files are checked and reported together', async () => {
  const error = await configError(
    [
      { file: 'standardized/Broken.json', content: '{"name": "Broken", "properties": {' },
      { file: 'standardized/Dup.json', content: '{"name": "Dup", "properties": {}, "name": "Dup2"}' },
      { file: 'standardized/Ok.json', content: component('Ok', {}) },
    ],
    [],
  );
  assert.equal(error.issues.length, 2);
  assert.equal(error.issues[0]?.file, 'standardized/Broken.json');
  assert.match(error.issues[0]?.message ?? '', /^is not valid JSON: /);
  assert.match(
    error.message,
    /standardized\/Dup\.json: is not valid JSON: duplicate key 'name' in \$ \(line 1\)/,
  );
  assert.match(
    error.message,
    /^Invalid device model configuration \(2 problems\):\n- standardized\/Broken\.json/,
  );
});

test('a value that does not fit its dataType names file, Component.Variable[instance]:Attribute and the reason', async () => {
  const error = await configError(
    [
      {
        file: 'a.json',
        content: component('Ctrlr', { instance: 'Main', attributes: [{ type: 'Actual', value: 'abc' }] }),
      },
      {
        file: 'b.json',
        content: component('Other', {
          characteristics: { dataType: 'boolean', supportsMonitoring: true },
          default: 1,
        }),
      },
      {
        file: 'c.json',
        content: component('Third', {
          characteristics: { dataType: 'OptionList', supportsMonitoring: true, valuesList: 'A,B' },
          attributes: [{ type: 'Actual', value: 'C' }],
        }),
      },
    ],
    [],
  );
  assert.deepEqual(error.issues, [
    {
      file: 'a.json',
      location: 'Ctrlr.V[Main]:Actual',
      message:
        "value 'abc' is not an integer (digits, optional leading '-', no leading zeros) (dataType integer)",
    },
    {
      file: 'b.json',
      location: 'Other.V:Actual',
      message: "'default' '1' is not a boolean (true or false) (dataType boolean)",
    },
    {
      file: 'c.json',
      location: 'Third.V:Actual',
      message: "value 'C' is not one of A, B (dataType OptionList)",
    },
  ]);
});

test('values out of minLimit/maxLimit, too long strings and MinSet/MaxSet violations are refused', async () => {
  const error = await configError(
    [
      {
        file: 'a.json',
        content: component('A', {
          characteristics: { dataType: 'integer', supportsMonitoring: true, minLimit: 1, maxLimit: 3 },
          default: '4',
        }),
      },
      {
        file: 'b.json',
        content: component('B', {
          characteristics: { dataType: 'string', supportsMonitoring: true, maxLimit: 3 },
          attributes: [{ type: 'Actual', value: 'EURO' }],
        }),
      },
      {
        file: 'c.json',
        content: component('C', {
          characteristics: { dataType: 'decimal', supportsMonitoring: true },
          attributes: [
            { type: 'Actual', mutability: 'ReadOnly', value: 600 },
            { type: 'Target', value: 600 },
            { type: 'MaxSet', value: 500 },
          ],
        }),
      },
    ],
    [],
  );
  assert.deepEqual(
    error.issues.map((i) => `${i.file} ${i.location} ${i.message}`),
    [
      "a.json A.V:Actual 'default' 4 is above maxLimit 3 (dataType integer)",
      'b.json B.V:Actual value length 4 exceeds maxLimit 3 (dataType string)',
      'c.json C.V:Target value 600 is above the MaxSet value 500 (dataType decimal)',
    ],
  );
});

test('schema violations (unknown attribute type, unknown field, missing field) are located', async () => {
  const error = await configError(
    [
      { file: 'a.json', content: component('A', { attributes: [{ type: 'Maximum' }] }) },
      { file: 'b.json', content: component('B', { monitorz: [] }) },
      { file: 'c.json', content: { name: 'C', properties: { X: { variable_name: 'X', attributes: [{}] } } } },
      { file: 'd.json', content: { properties: {} } },
    ],
    [],
  );
  assert.deepEqual(
    error.issues.map((i) => `${i.file} ${i.location} ${i.message}`),
    [
      "a.json A.V:Maximum 'type' must be equal to one of the allowed values (Actual, Target, MinSet, MaxSet)",
      "b.json B.V must NOT have additional properties ('monitorz')",
      "c.json C.X must have required property 'characteristics'",
      "d.json (component) must have required property 'name'",
    ],
  );
});

test('semantic checks: list without valuesList, limits, default without Actual, repeated attribute, required keys, EVSE/Connector addressing', async () => {
  const error = await configError(
    [
      {
        file: 'a.json',
        content: component('A', { characteristics: { dataType: 'MemberList', supportsMonitoring: true } }),
      },
      {
        file: 'b.json',
        content: component('B', {
          characteristics: { dataType: 'integer', supportsMonitoring: true, minLimit: 5, maxLimit: 1 },
        }),
      },
      { file: 'c.json', content: component('C', { default: 1, attributes: [{ type: 'Target' }] }) },
      { file: 'd.json', content: component('D', { attributes: [{ type: 'Actual' }, {}] }) },
      { file: 'e.json', content: component('E', {}, { required: ['V', 'W'] }) },
      { file: 'f.json', content: component('EVSE', {}) },
      { file: 'g.json', content: component('Connector', {}, { evse_id: 1 }) },
      {
        file: 'h.json',
        content: component('H', {
          characteristics: { dataType: 'string', supportsMonitoring: true, maxLimit: 2.5 },
        }),
      },
    ],
    [],
  );
  assert.deepEqual(
    error.issues.map((i) => `${i.file} ${i.location} ${i.message}`),
    [
      'a.json A.V dataType MemberList needs a non-empty valuesList',
      'b.json B.V minLimit 5 is greater than maxLimit 1',
      "c.json C.V 'default' is given but the variable has no Actual attribute",
      'd.json D.V:Actual attribute type Actual is listed twice',
      "e.json E 'required' names 'W', which is not a key of 'properties'",
      "f.json EVSE an EVSE component needs 'evse_id' and no 'connector_id'",
      "g.json Connector@1 a Connector component needs 'evse_id' and 'connector_id'",
      'h.json H.V maxLimit 2.5 of a string is a length and must be a non-negative integer',
      "g.json Connector@1 EVSE 1 is not in the station's EVSE structure",
    ],
  );
});

test('components and variables defined twice are refused (names compare case-insensitively)', async () => {
  const error = await configError(
    [
      { file: 'standardized/A.json', content: component('TxCtrlr', {}) },
      { file: 'custom/A.json', content: component('txctrlr', {}) },
      {
        file: 'standardized/B.json',
        content: {
          name: 'B',
          properties: {
            One: {
              variable_name: 'Limit',
              instance: 'X',
              characteristics: { dataType: 'integer', supportsMonitoring: false },
              attributes: [{}],
            },
            Two: {
              variable_name: 'limit',
              instance: 'x',
              characteristics: { dataType: 'integer', supportsMonitoring: false },
              attributes: [{}],
            },
          },
        },
      },
    ],
    [],
  );
  assert.deepEqual(
    error.issues.map((i) => `${i.file} ${i.location} ${i.message}`),
    [
      "standardized/B.json B.limit[x] defined twice (properties 'One' and 'Two')",
      'custom/A.json txctrlr component also defined in standardized/A.json',
    ],
  );
});

test('missing EVSEs and connectors are copied from the first configured ones', async () => {
  const components = await loadComponentConfig(EXAMPLE_CONFIG, [
    { id: 1, connectors: [{ id: 1 }, { id: 2 }] },
    { id: 2, connectors: [{ id: 1 }] },
    { id: 3, connectors: [{ id: 1 }] },
  ]);
  const evses = components.filter((c) => c.name === 'EVSE');
  const connectors = components.filter((c) => c.name === 'Connector');
  assert.deepEqual(
    evses.map((c) => c.evseId),
    [1, 2, 3],
  );
  assert.deepEqual(
    connectors.map((c) => [c.evseId, c.connectorId]),
    [
      [1, 1],
      [1, 2],
      [2, 1],
      [3, 1],
    ],
  );
  const copy = evses[2];
  assert.match(copy?.file ?? '', /custom\/EVSE_1\.json \(copied for EVSE@3\)$/);
  assert.deepEqual(copy?.variables, evses[0]?.variables);
  assert.notEqual(copy?.variables, evses[0]?.variables);
  assert.match(connectors[1]?.file ?? '', /custom\/Connector_1_1\.json \(copied for Connector@1\/2\)$/);
});

test('config EVSEs outside the structure, gaps in the structure and a missing template are errors', async () => {
  const error = await configError(EXAMPLE_CONFIG, [{ id: 1, connectors: [{ id: 1 }] }]);
  assert.deepEqual(
    error.issues.map((i) => `${path.basename(i.file ?? '')} ${i.location} ${i.message}`),
    [
      "Connector_2_1.json Connector@2/1 EVSE 2 is not in the station's EVSE structure",
      "EVSE_2.json EVSE@2 EVSE 2 is not in the station's EVSE structure",
    ],
  );
  const gaps = await configError([], [{ id: 2, connectors: [{ id: 1 }, { id: 3 }] }]);
  assert.deepEqual(
    gaps.issues.map((i) => `${i.location}: ${i.message}`),
    [
      'EVSE structure: EVSE ids must be 1..1 without gaps or repeats, got 2',
      'EVSE structure: connector ids of EVSE 2 must be 1..m (m >= 1) without gaps or repeats, got 1, 3',
      'EVSE structure: the station has EVSE 2, but the config has no EVSE component to copy',
      'EVSE structure: the station has connector 1 on EVSE 2, but the config has no Connector component to copy',
      'EVSE structure: the station has connector 3 on EVSE 2, but the config has no Connector component to copy',
    ],
  );
  const connector = await configError(
    [{ file: 'c.json', content: component('Connector', {}, { evse_id: 1, connector_id: 2 }) }],
    [{ id: 1, connectors: [{ id: 1 }] }],
  );
  assert.match(
    connector.message,
    /c\.json: Connector@1\/2: connector 2 of EVSE 1 is not in the station's EVSE structure/,
  );
});

test("evseStructure 'adapt' leaves out what the station lacks and copies what it has more of", async () => {
  const placement = (components: LoadedComponent[]) =>
    components
      .filter((c) => c.evseId !== undefined)
      .map(
        (c) =>
          `${c.name}@${c.evseId}${c.connectorId === undefined ? '' : `/${c.connectorId}`} ${c.file.replace(/^.*\/custom\//, '')}`,
      );
  const one = await loadComponentConfig(EXAMPLE_CONFIG, [{ id: 1, connectors: [{ id: 1 }] }], {
    evseStructure: 'adapt',
  });
  assert.deepEqual(placement(one), ['EVSE@1 EVSE_1.json', 'Connector@1/1 Connector_1_1.json']);
  const twoConnectors = await loadComponentConfig(
    EXAMPLE_CONFIG,
    [{ id: 1, connectors: [{ id: 1 }, { id: 2 }] }],
    {
      evseStructure: 'adapt',
    },
  );
  assert.deepEqual(placement(twoConnectors), [
    'EVSE@1 EVSE_1.json',
    'Connector@1/1 Connector_1_1.json',
    'Connector@1/2 Connector_1_1.json (copied for Connector@1/2)',
  ]);
  const three = await loadComponentConfig(
    EXAMPLE_CONFIG,
    [1, 2, 3].map((id) => ({ id, connectors: [{ id: 1 }] })),
    { evseStructure: 'adapt' },
  );
  assert.deepEqual(placement(three), [
    'EVSE@1 EVSE_1.json',
    'Connector@1/1 Connector_1_1.json',
    'EVSE@2 EVSE_2.json',
    'Connector@2/1 Connector_2_1.json',
    'EVSE@3 EVSE_1.json (copied for EVSE@3)',
    'Connector@3/1 Connector_1_1.json (copied for Connector@3/1)',
  ]);
  // Station-level components are the same whatever the structure.
  const stationLevel = (components: LoadedComponent[]) => components.filter((c) => c.evseId === undefined);
  assert.deepEqual(stationLevel(one), stationLevel(three));
  // Only the placement is relaxed: a broken structure and broken files are still errors.
  await assert.rejects(
    loadComponentConfig(EXAMPLE_CONFIG, [{ id: 2, connectors: [{ id: 1 }] }], { evseStructure: 'adapt' }),
    /EVSE ids must be 1\.\.1 without gaps or repeats, got 2/,
  );
  await assert.rejects(
    loadComponentConfig(
      [
        {
          file: 'c.json',
          content: component('Connector', { default: 'x' }, { evse_id: 2, connector_id: 1 }),
        },
      ],
      [{ id: 1, connectors: [{ id: 1 }] }],
      { evseStructure: 'adapt' },
    ),
    /c\.json: Connector@2\/1\.V:Actual: 'default' 'x' is not an integer/,
  );
});

test('a directory is read from standardized/ and custom/; errors name the file on disk', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-config-'));
  await cp(EXAMPLE_CONFIG, dir, { recursive: true });
  const file = path.join(dir, 'standardized', 'OCPPCommCtrlr.json');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace('"default": "1800"', '"default": "soon"'));
  await writeFile(path.join(dir, 'custom', 'README.txt'), 'not a component');
  const error = await configError(dir);
  assert.equal(error.issues.length, 1);
  assert.equal(error.issues[0]?.file, file);
  assert.match(
    error.message,
    /OCPPCommCtrlr\.json: OCPPCommCtrlr\.HeartbeatInterval:Actual: 'default' 'soon' is not an integer/,
  );

  const empty = await mkdtemp(path.join(tmpdir(), 'ocpp-config-'));
  const missing = await configError(empty, []);
  assert.match(missing.message, /has neither a 'standardized\/' nor a 'custom\/' subdirectory/);
});
