/**
 * One `device_model` row of a station: an attribute whose value differs from the shared, loaded
 * configuration (a CSMS or host value, or a start-up override that differs from the config value).
 * Attributes at their config value have no row (issue 9: a fleet's new station writes none).
 */
import type { Insertable, Selectable } from 'kysely';
import type { DeviceModelTable } from '../store/schema.js';
import type { AttributeState, VariableState } from './model-index.js';
import type { ValueSource, VariableRef } from './types.js';

/** characteristics_json of each variable's (shared, immutable) characteristics, once per process. */
const characteristicsTexts = new WeakMap<object, string>();

/**
 * A variable's characteristics as stored in `characteristics_json`; a fleet's stations share their
 * variables' characteristics, so each is serialized once, not per station (issue 9).
 *
 * @example
 * characteristicsJson(variable); // '{"dataType":"integer","supportsMonitoring":true,"unit":"s"}'
 */
export function characteristicsJson(variable: VariableState): string {
  const characteristics = variable.characteristics as object;
  let text = characteristicsTexts.get(characteristics);
  if (text === undefined) {
    text = JSON.stringify(characteristics);
    characteristicsTexts.set(characteristics, text);
  }
  return text;
}

/**
 * Whether an attribute's value needs a row: every CSMS or host value does (it survives restarts,
 * and a later change of the config default must not replace it, as in libocpp, whose config
 * initialisation updates only values whose source is 'default'); a 'config' value (an override)
 * only when it differs from the config value.
 *
 * @example
 * differsFromConfig(attribute, '123', 'config'); // true when the config says something else
 */
export function differsFromConfig(
  attribute: AttributeState,
  value: string | undefined,
  source: ValueSource,
): boolean {
  return source !== 'config' || value !== attribute.configValue;
}

/**
 * The row of an attribute's value, with the attribute's metadata as the current configuration
 * says (mutability, persistent, constant, characteristics): a row's metadata is always the config's.
 *
 * @example
 * attributeRow('CS-1', variable, attribute, '300', 'csms', '2026-12-04T10:00:00.000Z');
 */
export function attributeRow(
  stationId: string,
  variable: VariableState,
  attribute: AttributeState,
  value: string | undefined,
  source: ValueSource,
  updatedAt: string,
): Insertable<DeviceModelTable> {
  const { component } = variable;
  return {
    station_id: stationId,
    component: component.name,
    component_instance: component.instance ?? '',
    evse_id: component.evseId ?? 0,
    connector_id: component.connectorId ?? 0,
    variable: variable.name,
    variable_instance: variable.instance ?? '',
    attribute_type: attribute.type,
    characteristics_json: characteristicsJson(variable),
    mutability: attribute.mutability,
    persistent: attribute.persistent ? 1 : 0,
    constant: attribute.constant ? 1 : 0,
    value: value ?? null,
    value_source: source,
    updated_at: updatedAt,
  };
}

/**
 * The variable path a stored row addresses (the inverse of {@link attributeRow}'s key columns: 0 and
 * '' mean "not addressed"), for warnings about rows and for reading the configuration of a row.
 *
 * @example
 * formatVariablePath(rowRef(row)); // 'EVSE[1].AvailabilityState/Actual'
 */
export function rowRef(
  row: Pick<
    Selectable<DeviceModelTable>,
    'component' | 'component_instance' | 'evse_id' | 'connector_id' | 'variable' | 'variable_instance' | 'attribute_type'
  >,
): VariableRef {
  return {
    component: row.component,
    componentInstance: row.component_instance,
    ...(row.evse_id === 0 ? {} : { evseId: row.evse_id }),
    ...(row.connector_id === 0 ? {} : { connectorId: row.connector_id }),
    variable: row.variable,
    variableInstance: row.variable_instance,
    attribute: row.attribute_type,
  };
}
