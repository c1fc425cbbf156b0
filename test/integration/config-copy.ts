/**
 * A private copy of the example component config for tests that change configuration defaults:
 * copied to a temp directory, then edited file by file.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_CONFIG_DIR } from '../../src/charge-point.js';

interface VariableJson {
  variable_name: string;
  instance?: string;
  attributes: Array<{ type?: string; value?: unknown }>;
  default?: unknown;
}

/** Copies the example config to a fresh temp directory and returns its path. */
export async function copyExampleConfig(): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'ocpp-config-')), 'component-config');
  await cp(DEFAULT_CONFIG_DIR, dir, { recursive: true });
  return dir;
}

/**
 * Edits one variable of a component file (`standardized/OCPPCommCtrlr.json`) in place and returns
 * the edited file's path.
 */
export async function editVariable(
  configDir: string,
  file: string,
  variableName: string,
  edit: (variable: VariableJson) => void,
): Promise<string> {
  const full = path.join(configDir, file);
  const json = JSON.parse(await readFile(full, 'utf8')) as { properties: Record<string, VariableJson> };
  const variable = Object.values(json.properties).find((v) => v.variable_name === variableName);
  if (!variable) throw new Error(`${file} has no variable ${variableName}`);
  edit(variable);
  await writeFile(full, JSON.stringify(json, null, 2));
  return full;
}

/** Sets the Actual attribute's configured value of a variable. */
export function setActualValue(value: unknown): (variable: VariableJson) => void {
  return (variable) => {
    const actual = variable.attributes.find((a) => (a.type ?? 'Actual') === 'Actual');
    if (!actual) throw new Error(`${variable.variable_name} has no Actual attribute`);
    actual.value = value;
  };
}
