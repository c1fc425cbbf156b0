/**
 * Loads the device model's component configuration (one JSON file per component, in `standardized/`
 * and `custom/`), validates it against `schemas/component-config.schema.json` and semantically, and
 * fits it to the station's EVSE/connector structure. All problems are collected and thrown together
 * as one {@link DeviceModelConfigError}; nothing is returned (and so nothing stored) when any exists.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import { validate as compiledSchema } from '../generated/component-config-validator.js';
import { DeviceModelConfigError, type DeviceModelConfigIssue } from './errors.js';
import { parseJsonStrict } from './strict-json.js';
import type { EvseStructure, LoadedComponent } from './types.js';
import { numberMonitors } from './configured-monitors.js';
import { fitToEvseStructure, type EvseStructureFit } from './evse-structure.js';
import { componentKey, formatComponentPath, variableKey } from './keys.js';
import { shippedComponents } from './shipped-component-config.js';
import { loadVariable, type RawComponent, type RawVariable } from './load-config-variable.js';

/** One component config given in memory: its (file) name and either JSON text or the parsed object. */
export interface ComponentConfigFile {
  file: string;
  content: unknown;
}

/** A config directory (with `standardized/` and/or `custom/`), or component configs in memory. */
export type ComponentConfigSource = string | readonly ComponentConfigFile[];

/** Options of {@link loadComponentConfig}. */
export interface LoadComponentConfigOptions {
  /**
   * Components on EVSEs or connectors the station's `evses` do not have: `'strict'` (default) makes
   * each an error; `'adapt'` leaves them out, for a config that is only a template (the shipped
   * default device model, used when no config directory is given).
   */
  evseStructure?: EvseStructureFit;
}

/**
 * schemas/component-config.schema.json, compiled by `npm run generate` (ajv standalone, all errors,
 * strict): nothing is compiled at run time (cold start, issue 9).
 */
const validateSchema = compiledSchema as ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * Reads and validates a component configuration. Directory files are read from `standardized/`
 * then `custom/` (each `*.json`, sorted by name). Components are returned ordered by EVSE,
 * connector, name and instance; variables in file order.
 *
 * When the station's `evses` are given, config EVSE/Connector components must exist in it (unless
 * `evseStructure: 'adapt'`, which leaves the others out), and missing ones are synthesized from the
 * first EVSE / first Connector config as template (see {@link fitToEvseStructure}).
 *
 * @example
 * const components = await loadComponentConfig('config/component-config', [
 *   { id: 1, connectors: [{ id: 1 }] },
 *   { id: 2, connectors: [{ id: 1 }] },
 * ]);
 * // The shipped example (2 EVSEs) as the template of a station with one EVSE of two connectors:
 * const adapted = await loadComponentConfig(DEFAULT_CONFIG_DIR, [{ id: 1, connectors: [{ id: 1 }, { id: 2 }] }], {
 *   evseStructure: 'adapt',
 * });
 */
export async function loadComponentConfig(
  source: ComponentConfigSource,
  evses?: readonly EvseStructure[],
  options: LoadComponentConfigOptions = {},
): Promise<LoadedComponent[]> {
  const issues: DeviceModelConfigIssue[] = [];
  const files = typeof source === 'string' ? await readConfigDirectory(source, issues) : source;
  // The shipped config, unedited: loaded at build time (src/device-model/shipped-component-config.ts).
  const shipped =
    typeof source === 'string' && issues.length === 0 ? shippedComponents(source, files) : undefined;
  const components = shipped ?? loadComponentFiles(files, issues);
  const fitted =
    evses === undefined ? components : fitToEvseStructure(components, evses, issues, options.evseStructure);
  numberMonitors(fitted, issues);
  if (issues.length > 0) throw new DeviceModelConfigError(issues);
  return fitted.sort(
    (a, b) =>
      (a.evseId ?? 0) - (b.evseId ?? 0) ||
      (a.connectorId ?? 0) - (b.connectorId ?? 0) ||
      compareText(a.name, b.name) ||
      compareText(a.instance ?? '', b.instance ?? ''),
  );
}

/**
 * Parses, validates and checks each file into its component, and refuses a component defined twice;
 * problems go to `issues`. No EVSE structure, monitor numbering or order yet (loadComponentConfig).
 *
 * @example
 * const issues = [];
 * const components = loadComponentFiles(await readConfigDirectory('config/component-config', issues), issues);
 */
export function loadComponentFiles(
  files: readonly ComponentConfigFile[],
  issues: DeviceModelConfigIssue[],
): LoadedComponent[] {
  const components: LoadedComponent[] = [];
  for (const { file, content } of files) {
    const component = loadComponentFile(file, content, issues);
    if (component !== undefined) components.push(component);
  }
  refuseDuplicateComponents(components, issues);
  return components;
}

function compareText(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The `*.json` files of `dir`'s `standardized/` then `custom/` (each sorted by name), as text;
 * problems (no such subdirectory, unreadable file) go to `issues`.
 *
 * @example
 * const files = await readConfigDirectory('config/component-config', []);
 */
export async function readConfigDirectory(
  dir: string,
  issues: DeviceModelConfigIssue[],
): Promise<ComponentConfigFile[]> {
  const out: ComponentConfigFile[] = [];
  let found = 0;
  for (const sub of ['standardized', 'custom']) {
    const subdir = path.join(dir, sub);
    const info = await stat(subdir).catch(() => undefined);
    if (info === undefined) continue;
    if (!info.isDirectory()) {
      issues.push({ file: subdir, message: 'is not a directory' });
      continue;
    }
    found++;
    const names = (await readdir(subdir)).filter((name) => name.endsWith('.json')).sort();
    for (const name of names) {
      const file = path.join(subdir, name);
      try {
        out.push({ file, content: await readFile(file, 'utf8') });
      } catch (error) {
        issues.push({ file, message: `cannot be read (${(error as Error).message})` });
      }
    }
  }
  if (found === 0)
    issues.push({ file: dir, message: "has neither a 'standardized/' nor a 'custom/' subdirectory" });
  return out;
}

function loadComponentFile(
  file: string,
  content: unknown,
  issues: DeviceModelConfigIssue[],
): LoadedComponent | undefined {
  let data = content;
  if (typeof content === 'string') {
    try {
      data = parseJsonStrict(content);
    } catch (error) {
      issues.push({ file, message: `is not valid JSON: ${(error as Error).message}` });
      return undefined;
    }
  }
  if (!validateSchema(data)) {
    for (const error of validateSchema.errors ?? []) issues.push(schemaIssue(file, data, error));
    return undefined;
  }
  const raw = data as unknown as RawComponent;
  const component: LoadedComponent = { file, name: raw.name, variables: [] };
  if (raw.instance !== undefined) component.instance = raw.instance;
  if (raw.evse_id !== undefined) component.evseId = raw.evse_id;
  if (raw.connector_id !== undefined) component.connectorId = raw.connector_id;
  const where = formatComponentPath(component);
  const lower = raw.name.toLowerCase();
  if (lower === 'evse' && (raw.evse_id === undefined || raw.connector_id !== undefined)) {
    issues.push({
      file,
      location: where,
      message: "an EVSE component needs 'evse_id' and no 'connector_id'",
    });
  }
  if (lower === 'connector' && (raw.evse_id === undefined || raw.connector_id === undefined)) {
    issues.push({
      file,
      location: where,
      message: "a Connector component needs 'evse_id' and 'connector_id'",
    });
  }
  for (const key of raw.required ?? []) {
    if (!(key in raw.properties))
      issues.push({
        file,
        location: where,
        message: `'required' names '${key}', which is not a key of 'properties'`,
      });
  }
  const seen = new Map<string, string>();
  for (const [key, rawVariable] of Object.entries(raw.properties)) {
    const variable = loadVariable(file, component, key, rawVariable, issues);
    const vkey = variableKey(variable.name, variable.instance);
    const previous = seen.get(vkey);
    if (previous !== undefined) {
      issues.push({
        file,
        location: `${where}.${variable.name}${variable.instance === undefined ? '' : `[${variable.instance}]`}`,
        message: `defined twice (properties '${previous}' and '${key}')`,
      });
    }
    seen.set(vkey, key);
    component.variables.push(variable);
  }
  return component;
}

function refuseDuplicateComponents(
  components: readonly LoadedComponent[],
  issues: DeviceModelConfigIssue[],
): void {
  const seen = new Map<string, LoadedComponent>();
  for (const component of components) {
    const key = componentKey(component.name, component.instance, component.evseId, component.connectorId);
    const previous = seen.get(key);
    if (previous === undefined) seen.set(key, component);
    else
      issues.push({
        file: component.file,
        location: formatComponentPath(component),
        message: `component also defined in ${previous.file}`,
      });
  }
}

/** Turns an ajv error into an issue located at the component/variable/attribute it concerns. */
function schemaIssue(file: string, data: unknown, error: ErrorObject): DeviceModelConfigIssue {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const root = (typeof data === 'object' && data !== null ? data : {}) as Partial<RawComponent>;
  let location = typeof root.name === 'string' ? root.name : '(component)';
  let rest = segments;
  if (segments[0] === 'properties' && segments[1] !== undefined) {
    const variable = root.properties?.[segments[1]] as Partial<RawVariable> | undefined;
    const name = typeof variable?.variable_name === 'string' ? variable.variable_name : segments[1];
    const instance = typeof variable?.instance === 'string' ? `[${variable.instance}]` : '';
    location += `.${name}${instance}`;
    rest = segments.slice(2);
    if (rest[0] === 'attributes' && rest[1] !== undefined) {
      const attribute = variable?.attributes?.[Number(rest[1])];
      location += `:${typeof attribute?.type === 'string' ? attribute.type : `attributes[${rest[1]}]`}`;
      rest = rest.slice(2);
    }
  }
  const field = rest.length > 0 ? `'${rest.join('.')}' ` : '';
  const params = error.params as Record<string, unknown>;
  let detail = '';
  if (Array.isArray(params.allowedValues)) detail = ` (${params.allowedValues.join(', ')})`;
  else if (typeof params.additionalProperty === 'string') detail = ` ('${params.additionalProperty}')`;
  else if (typeof params.missingProperty === 'string') detail = '';
  return { file, location, message: `${field}${error.message ?? 'is invalid'}${detail}` };
}
