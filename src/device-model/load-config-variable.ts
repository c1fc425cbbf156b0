/**
 * The variables of a component config file (load-component-config.ts): the raw shape the schema
 * guarantees, and how one variable becomes a LoadedVariable with checked values.
 */
import type {
  AttributeEnumType,
  MutabilityEnumType,
  VariableCharacteristicsType,
} from '../generated/ocpp-types.js';
import type { DeviceModelConfigIssue } from './errors.js';
import { checkValue } from './value-check.js';
import type { LoadedAttribute, LoadedComponent, LoadedVariable } from './types.js';
import { loadMonitors, type RawMonitor } from './configured-monitors.js';
import { formatComponentPath } from './keys.js';

/** OCPP 2.0.1 VariableAttributeType.value is string[0..2500] (Part 2 §2.50). */
const MAX_VALUE_LENGTH = 2500;
const LIST_TYPES = new Set(['OptionList', 'SequenceList', 'MemberList']);
const LENGTH_LIMITED_TYPES = new Set(['string', 'OptionList', 'SequenceList', 'MemberList']);
/** Types whose empty value has no meaning: an empty string in the config leaves the attribute unset. */
const EMPTY_MEANS_UNSET = new Set(['integer', 'decimal', 'boolean', 'dateTime']);

/** The raw shape the schema guarantees. */
export interface RawAttribute {
  type?: AttributeEnumType;
  mutability?: MutabilityEnumType;
  persistent?: boolean;
  constant?: boolean;
  value?: string | number | boolean;
}
/** A variable (a key of `properties`) as the schema guarantees it. */
export interface RawVariable {
  variable_name: string;
  instance?: string;
  characteristics: VariableCharacteristicsType;
  attributes: RawAttribute[];
  default?: string | number | boolean;
  monitors?: RawMonitor[];
}
/** A component config file as the schema guarantees it. */
export interface RawComponent {
  name: string;
  instance?: string;
  evse_id?: number;
  connector_id?: number;
  properties: Record<string, RawVariable>;
  required?: string[];
}

/**
 * One variable of a component config file: its characteristics checked (valuesList of a list type,
 * limits), its attributes' values checked against them (MinSet/MaxSet bound what is set, Part 1
 * §4.3), `default` as the Actual value, and its monitors. Problems go to `issues`.
 */
export function loadVariable(
  file: string,
  component: LoadedComponent,
  key: string,
  raw: RawVariable,
  issues: DeviceModelConfigIssue[],
): LoadedVariable {
  const variable: LoadedVariable = {
    key,
    name: raw.variable_name,
    characteristics: { ...raw.characteristics },
    attributes: [],
  };
  if (raw.instance !== undefined) variable.instance = raw.instance;
  const where = (attribute?: AttributeEnumType): string =>
    formatComponentPath(component) +
    `.${variable.name}${variable.instance === undefined ? '' : `[${variable.instance}]`}` +
    (attribute === undefined ? '' : `:${attribute}`);
  const problem = (message: string, attribute?: AttributeEnumType): void => {
    issues.push({ file, location: where(attribute), message });
  };

  const { dataType, minLimit, maxLimit, valuesList } = variable.characteristics;
  if (LIST_TYPES.has(dataType) && (valuesList === undefined || valuesList.trim() === '')) {
    problem(`dataType ${dataType} needs a non-empty valuesList`);
  }
  if (minLimit !== undefined && maxLimit !== undefined && minLimit > maxLimit) {
    problem(`minLimit ${minLimit} is greater than maxLimit ${maxLimit}`);
  }
  if (LENGTH_LIMITED_TYPES.has(dataType)) {
    for (const [name, limit] of [
      ['minLimit', minLimit],
      ['maxLimit', maxLimit],
    ] as const) {
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
        problem(`${name} ${limit} of a ${dataType} is a length and must be a non-negative integer`);
      }
    }
  }

  const types = raw.attributes.map((a) => a.type ?? 'Actual');
  if (raw.default !== undefined && !types.includes('Actual'))
    problem("'default' is given but the variable has no Actual attribute");
  const configured = (value: string | number | boolean | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return text === '' && EMPTY_MEANS_UNSET.has(dataType) ? undefined : text;
  };
  const numeric = (type: AttributeEnumType): number | undefined => {
    if (dataType !== 'integer' && dataType !== 'decimal') return undefined;
    const text = configured(raw.attributes.find((a) => (a.type ?? 'Actual') === type)?.value);
    const value = text === undefined ? NaN : Number(text);
    return Number.isFinite(value) ? value : undefined;
  };
  const bounds: { min?: number; max?: number } = {};
  const min = numeric('MinSet');
  const max = numeric('MaxSet');
  if (min !== undefined) bounds.min = min;
  if (max !== undefined) bounds.max = max;

  const check = (
    text: string | undefined,
    label: string,
    type: AttributeEnumType,
    mutability: MutabilityEnumType,
  ): string | undefined => {
    if (text === undefined) return undefined;
    if ([...text].length > MAX_VALUE_LENGTH) {
      problem(`${label} is longer than ${MAX_VALUE_LENGTH} characters`, type);
      return undefined;
    }
    // MinSet/MaxSet bound values that are set (Part 1 §4.3): Target, and a writable Actual; a ReadOnly Actual reports state.
    const setBounds = type === 'Target' || (type === 'Actual' && mutability !== 'ReadOnly') ? bounds : {};
    const result = checkValue(text, variable.characteristics, { setBounds });
    if (!result.ok) {
      problem(`${label} ${result.message} (dataType ${dataType})`, type);
      return undefined;
    }
    return result.value;
  };
  const actualMutability =
    raw.attributes.find((a) => (a.type ?? 'Actual') === 'Actual')?.mutability ?? 'ReadWrite';
  const defaultValue = check(configured(raw.default), "'default'", 'Actual', actualMutability);

  raw.attributes.forEach((rawAttribute, index) => {
    const type = rawAttribute.type ?? 'Actual';
    if (types.indexOf(type) !== index) {
      problem(`attribute type ${type} is listed twice`, type);
      return;
    }
    const attribute: LoadedAttribute = {
      type,
      mutability: rawAttribute.mutability ?? 'ReadWrite',
      // Every value is stored in the station database and survives a reboot; report that unless the config says otherwise.
      persistent: rawAttribute.persistent ?? true,
      constant: rawAttribute.constant ?? false,
    };
    const value =
      rawAttribute.value !== undefined
        ? check(configured(rawAttribute.value), 'value', type, attribute.mutability)
        : type === 'Actual'
          ? defaultValue
          : undefined;
    if (value !== undefined) attribute.value = value;
    variable.attributes.push(attribute);
  });
  if (raw.monitors !== undefined && raw.monitors.length > 0) {
    variable.monitors = loadMonitors(raw.monitors, variable.characteristics, (message) => problem(message));
  }
  return variable;
}
