/**
 * Start-up reconciliation of the configured device model with what the store remembers: decides,
 * per attribute, which value is current, and produces the rows that replace the station's rows
 * (only attributes whose value differs from the configuration have one: attribute-row.ts).
 */
import type { Insertable, Selectable } from 'kysely';
import type { DeviceModelTable } from '../store/schema.js';
import { attributeRow, differsFromConfig, rowRef } from './attribute-row.js';
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
  /** The station's rows: one per attribute whose value differs from the config (CSMS, host, override). */
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
 * warned about). `updated_at` is kept for rows whose value and source did not change. An attribute
 * at its config value gets no row (a stored one, from a database of full copies, is dropped).
 *
 * @example
 * const { rows, warnings } = reconcile({ stationId: 'CS-1', index, rows: stored, overrides: new Map(), now });
 */
export function reconcile(input: ReconcileInput): ReconcileResult {
  if (input.rows.length === 0) return reconcileNew(input);
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
        // No row and no override: the index already holds the config value (a new station's case).
        if (row === undefined && override === undefined) continue;
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
      const path = formatVariablePath(rowRef(row));
      warnings.push(
        `${path}: no longer in the configuration; the value '${row.value ?? ''}' set by the ${SETTER[row.value_source]} is dropped`,
      );
    }
  }

  const rows: Array<Insertable<DeviceModelTable>> = [];
  for (const component of index.components) {
    for (const variable of component.variables) {
      for (const attribute of variable.attributes) {
        const value = index.value(attribute);
        const source = index.source(attribute);
        if (!differsFromConfig(attribute, value, source)) continue;
        rows.push(
          attributeRow(input.stationId, variable, attribute, value, source, index.updatedAt(attribute)),
        );
      }
    }
  }
  return { rows, warnings };
}

/**
 * {@link reconcile} of a station without stored rows (a fleet's new station): only the overrides
 * change the freshly built index, so an attribute without one is passed over by a Map lookup, with
 * no row key built and no stored row compared (issue 9: the same result as the general pass, at a
 * fraction of its cost per boot).
 */
function reconcileNew(input: ReconcileInput): ReconcileResult {
  const { index, now, overrides } = input;
  const rows: Array<Insertable<DeviceModelTable>> = [];
  if (overrides.size === 0) return { rows, warnings: [] };
  for (const component of index.components) {
    for (const variable of component.variables) {
      for (const attribute of variable.attributes) {
        const override = overrides.get(attribute);
        if (override === undefined) continue;
        index.assign(attribute, override, 'config', now);
        if (differsFromConfig(attribute, override, 'config'))
          rows.push(attributeRow(input.stationId, variable, attribute, override, 'config', now));
      }
    }
  }
  return { rows, warnings: [] };
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
