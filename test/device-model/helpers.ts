/**
 * Shared fixtures of the device model tests: a real SQLite file in a temp dir, the example
 * component config, and the official OCPP 2.0.1 schemas to validate what the model produces.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { DeviceModel, type OpenDeviceModelOptions } from '../../src/device-model/device-model.js';
import type {
  GetVariableDataType,
  GetVariableResultType,
  SetVariableDataType,
  SetVariableResultType,
} from '../../src/generated/ocpp-types.js';
import { loadComponentConfig } from '../../src/device-model/load-component-config.js';
import type { EvseStructure, LoadedComponent } from '../../src/device-model/types.js';
import { openStationDatabase, type StationDatabase } from '../../src/store/database.js';

export const EXAMPLE_CONFIG = path.resolve(import.meta.dirname, '../../config/component-config');
export const TWO_EVSES: EvseStructure[] = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

/** A path for a new database file in a fresh temp directory. */
export async function tempDatabaseFile(): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), 'ocpp-dm-')), 'station.db');
}

/** The example config as loaded for two EVSEs (loaded once per test file). */
let example: Promise<LoadedComponent[]> | undefined;
export function exampleComponents(): Promise<LoadedComponent[]> {
  example ??= loadComponentConfig(EXAMPLE_CONFIG, TWO_EVSES);
  return example.then((components) => structuredClone(components));
}

/** Opens the example device model on a new database file; close the store when done. */
export async function openExample(
  options: Partial<Omit<OpenDeviceModelOptions, 'store'>> & { file?: string } = {},
): Promise<{ model: DeviceModel; store: StationDatabase; file: string }> {
  const file = options.file ?? (await tempDatabaseFile());
  const store = await openStationDatabase(file);
  try {
    const model = await DeviceModel.open({
      stationId: 'CS-1',
      components: await exampleComponents(),
      ...options,
      store,
    });
    return { model, store, file };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Every device_model row of the file, ordered, as plain objects (to compare before/after). */
export async function dumpRows(store: StationDatabase): Promise<unknown[]> {
  return store.db
    .selectFrom('device_model')
    .selectAll()
    .orderBy([
      'station_id',
      'component',
      'component_instance',
      'evse_id',
      'connector_id',
      'variable',
      'variable_instance',
      'attribute_type',
    ])
    .execute();
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
ajv.addMetaSchema(draft06);
const validators = new Map<string, ValidateFunction>();

/** Asserts `message` is valid against the official schema `schemas/<name>.json`; throws listing the errors. */
export async function assertOcppValid(name: string, message: unknown): Promise<void> {
  let validate = validators.get(name);
  if (validate === undefined) {
    const schema = JSON.parse(
      await readFile(path.resolve(import.meta.dirname, `../../schemas/${name}.json`), 'utf8'),
    ) as object;
    validate = ajv.compile(schema);
    validators.set(name, validate);
  }
  if (!validate(message)) throw new Error(`${name} invalid: ${ajv.errorsText(validate.errors)}`);
}

/** GetVariables / SetVariables through the model, each response checked against the official schema. */
export async function getVariables(
  model: DeviceModel,
  ...data: GetVariableDataType[]
): Promise<GetVariableResultType[]> {
  const [first, ...rest] = data;
  assert.ok(first);
  const response = model.getVariables({ getVariableData: [first, ...rest] });
  await assertOcppValid('GetVariablesResponse', response);
  return response.getVariableResult;
}

export async function setVariables(
  model: DeviceModel,
  ...data: SetVariableDataType[]
): Promise<SetVariableResultType[]> {
  const [first, ...rest] = data;
  assert.ok(first);
  const response = await model.setVariables({ setVariableData: [first, ...rest] });
  await assertOcppValid('SetVariablesResponse', response);
  return response.setVariableResult;
}

export const cv = (
  component: string,
  variable: string,
  extra: { instance?: string; evse?: { id: number; connectorId?: number }; variableInstance?: string } = {},
) => ({
  component: {
    name: component,
    ...(extra.instance === undefined ? {} : { instance: extra.instance }),
    ...(extra.evse === undefined ? {} : { evse: extra.evse }),
  },
  variable: {
    name: variable,
    ...(extra.variableInstance === undefined ? {} : { instance: extra.variableInstance }),
  },
});

/** Sets one Actual value as the CSMS would; returns the attributeStatus. */
export async function setByCsms(
  model: DeviceModel,
  component: string,
  variable: string,
  value: string,
): Promise<string> {
  const [result] = await setVariables(model, {
    component: { name: component },
    variable: { name: variable },
    attributeValue: value,
  });
  assert.ok(result);
  return result.attributeStatus;
}
