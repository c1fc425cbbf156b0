/**
 * Start-up reconciliation of the configured device model with what the store remembers: decides,
 * per attribute, which value is current, and produces the rows that replace the station's rows.
 */
import type { Insertable, Selectable } from 'kysely';
import type { DeviceModelTable } from '../store/schema.js';
import { componentKey, variableKey } from './keys.js';
import { refOf, type AttributeState, type ModelIndex, type VariableState } from './model-index.js';
import { formatVariablePath } from './variable-path.js';
import type { ValueSource } from './types.js';
import { checkWrite } from './write-check.js';

const SETTER = { csms: 'CSMS', host: 'host' } as const;

export interface ReconcileInput {
  stationId: string;
  /** Freshly built from the config: every attribute holds its config value. Updated in place. */
  index: ModelIndex;
  /** The station's rows as stored by the previous run. */
  rows: readonly Selectable<DeviceModelTable>[];
  /** Validated start-up override values. */
  overrides: ReadonlyMap<AttributeState, string>;
  now: string;
  /** ConfigurationValueSize/ValueSize: a stored CSMS value longer than this no longer fits. */
  maxValueLength?: number;
}

export interface ReconcileResult {
  rows: Array<Insertable<DeviceModelTable>>;
  /** CSMS and host values that were dropped, and why. */
  warnings: string[];
}

/**
 * Decides each attribute's value at start:
 * 1. a start-up override (CLI `--set`, host configuration) wins; it is configuration, stored with
 *    source 'config', so it lasts only as long as it is given at start;
 * 2. else a value the CSMS (SetVariables) or the host (runtime writes such as a stored network
 *    profile) set in an earlier run survives, if it still passes the checks its writer's new write
 *    would (mutability for the CSMS, format and range for both) under the possibly changed
 *    configuration; if not, the config value applies and a warning says so;
 * 3. else the config value: a changed default applies on the next start.
 * Rows of attributes no longer in the config are not carried over (a dropped CSMS or host value is
 * warned about). `updated_at` is kept for rows whose value and source did not change.
 *
 * @example
 * const { rows, warnings } = reconcile({ stationId: 'CS-1', index, rows: stored, overrides: new Map(), now });
 */
export function reconcile(input: ReconcileInput): ReconcileResult {
  const { index, now } = input;
  const stored = new Map<string, Selectable<DeviceModelTable>>();
  for (const row of input.rows) {
    const key = rowKey(
      row.component,
      row.component_instance,
      row.evse_id,
      row.connector_id,
      row.variable,
      row.variable_instance,
      row.attribute_type,
    );
    stored.set(key, row);
  }
  // One string per distinct stored time (rows written together share it), not one per row.
  const times = new Map<string, string>();
  const timeOf = (text: string) => {
    const known = times.get(text);
    if (known !== undefined) return known;
    times.set(text, text);
    return text;
  };
  // The attribute's value for this start; its time is kept when the stored row already says so.
  const assign = (
    attribute: AttributeState,
    value: string | undefined,
    source: ValueSource,
    row: Selectable<DeviceModelTable> | undefined,
  ): void => {
    const unchanged = row !== undefined && (row.value ?? undefined) === value && row.value_source === source;
    index.assign(attribute, value, source, unchanged ? timeOf(row.updated_at) : now);
  };
  const warnings: string[] = [];
  const survivors: Array<{
    variable: VariableState;
    attribute: AttributeState;
    value: string;
    source: 'csms' | 'host';
  }> = [];

  for (const component of index.components) {
    for (const variable of component.variables) {
      for (const attribute of variable.attributes) {
        const key = rowKey(
          component.name,
          component.instance,
          component.evseId,
          component.connectorId,
          variable.name,
          variable.instance,
          attribute.type,
        );
        const row = stored.get(key);
        stored.delete(key);
        const override = input.overrides.get(attribute);
        if (override !== undefined) {
          assign(attribute, override, 'config', row);
        } else if (row !== undefined && row.value_source !== 'config' && row.value !== null) {
          assign(attribute, row.value, row.value_source, row);
          survivors.push({ variable, attribute, value: row.value, source: row.value_source });
        } else {
          assign(attribute, attribute.configValue, 'config', row);
        }
      }
    }
  }

  // Checked once every attribute holds its candidate, so MinSet/MaxSet bounds see their final values.
  for (const { variable, attribute, value, source } of survivors) {
    const verdict = checkWrite(variable, attribute, value, source, {
      currentValue: (a) => index.value(a),
      ...(input.maxValueLength === undefined ? {} : { maxValueLength: input.maxValueLength }),
    });
    if (verdict.ok) continue;
    warnings.push(
      `${formatVariablePath(refOf(variable, attribute))}: the value '${value}' set by the ${SETTER[source]} no longer fits the configuration ` +
        `(${verdict.additionalInfo}); the configured value ${attribute.configValue === undefined ? '(unset)' : `'${attribute.configValue}'`} applies`,
    );
    assign(attribute, attribute.configValue, 'config', undefined);
  }
  for (const row of stored.values()) {
    if (row.value_source !== 'config') {
      const path = formatVariablePath({
        component: row.component,
        componentInstance: row.component_instance,
        ...(row.evse_id === 0 ? {} : { evseId: row.evse_id }),
        ...(row.connector_id === 0 ? {} : { connectorId: row.connector_id }),
        variable: row.variable,
        variableInstance: row.variable_instance,
        attribute: row.attribute_type,
      });
      warnings.push(
        `${path}: no longer in the configuration; the value '${row.value ?? ''}' set by the ${SETTER[row.value_source]} is dropped`,
      );
    }
  }

  const rows: Array<Insertable<DeviceModelTable>> = [];
  for (const component of index.components) {
    for (const variable of component.variables) {
      const characteristics = characteristicsJson(variable);
      for (const attribute of variable.attributes) {
        rows.push({
          station_id: input.stationId,
          component: component.name,
          component_instance: component.instance ?? '',
          evse_id: component.evseId ?? 0,
          connector_id: component.connectorId ?? 0,
          variable: variable.name,
          variable_instance: variable.instance ?? '',
          attribute_type: attribute.type,
          characteristics_json: characteristics,
          mutability: attribute.mutability,
          persistent: attribute.persistent ? 1 : 0,
          constant: attribute.constant ? 1 : 0,
          value: index.value(attribute) ?? null,
          value_source: index.source(attribute),
          updated_at: index.updatedAt(attribute),
        });
      }
    }
  }
  return { rows, warnings };
}

/** characteristics_json of each variable's (shared, immutable) characteristics, once per process. */
const characteristicsTexts = new WeakMap<object, string>();

/** A fleet's stations share their variables' characteristics: serialized once, not per station (issue 9). */
function characteristicsJson(variable: VariableState): string {
  const characteristics = variable.characteristics as object;
  let text = characteristicsTexts.get(characteristics);
  if (text === undefined) {
    text = JSON.stringify(characteristics);
    characteristicsTexts.set(characteristics, text);
  }
  return text;
}

function rowKey(
  component: string,
  componentInstance: string | undefined,
  evseId: number | undefined,
  connectorId: number | undefined,
  variable: string,
  variableInstance: string | undefined,
  attribute: string,
): string {
  return `${componentKey(component, componentInstance, evseId || undefined, connectorId || undefined)}\u0001${variableKey(variable, variableInstance)}\u0001${attribute}`;
}
