/**
 * What monitoring (N04, N07) needs to know of a monitored variable: whether it exists, its
 * characteristics, and how to read its Actual value. The device model answers it; the monitors live
 * in src/monitoring.
 */
import type {
  ComponentType,
  MutabilityEnumType,
  VariableCharacteristicsType,
  VariableType,
} from '../generated/ocpp-types.js';
import { componentType, refOf, variableType, type ModelIndex } from './model-index.js';
import type { ConfiguredMonitor, LoadedComponent, VariableRef } from './types.js';
import { perComponentList } from './per-component-list.js';

/** A variable a monitor may watch, or why there is none (N04.FR.03/04). */
export type MonitorTarget =
  | { status: 'UnknownComponent' }
  | { status: 'UnknownVariable' }
  | {
      status: 'Found';
      /** The Actual attribute's address; monitors watch the Actual value (N07.FR.16–19). */
      ref: VariableRef;
      /** The names as configured (a report echoes these). */
      component: ComponentType;
      variable: VariableType;
      characteristics: VariableCharacteristicsType;
      /** Of the Actual attribute; undefined when the variable has none (no monitor can watch it). */
      mutability: MutabilityEnumType | undefined;
    };

/** A configured monitor with the variable it watches. */
export interface ConfiguredMonitorAt {
  component: ComponentType;
  variable: VariableType;
  monitor: ConfiguredMonitor;
}

/**
 * Looks up the variable a monitor addresses (names case-insensitive, like every device model lookup).
 *
 * @example
 * monitorTarget(index, { name: 'ChargingStation' }, { name: 'Temperature' }).status; // 'Found'
 */
export function monitorTarget(
  index: ModelIndex,
  component: ComponentType,
  variable: VariableType,
): MonitorTarget {
  const found = index.lookup(component, variable, 'Actual');
  if (found.status === 'UnknownComponent' || found.status === 'UnknownVariable')
    return { status: found.status };
  const state = found.variable;
  const actual = found.status === 'Found' ? found.attribute : undefined;
  const ref =
    actual === undefined
      ? { ...refOf(state, state.attributes[0]!), attribute: 'Actual' as const }
      : refOf(state, actual);
  return {
    status: 'Found',
    ref,
    component: componentType(state.component),
    variable: variableType(state),
    characteristics: state.characteristics,
    mutability: actual?.mutability,
  };
}

/**
 * The configured monitors of loaded components, in component order. Computed once per list of
 * the same components (every station of a fleet shares them, issue 9) and frozen: nothing changes
 * a configured monitor, so every station reads the same entries.
 *
 * @example
 * configuredMonitors(components).map((m) => m.monitor.id); // [1, 2]
 */
export const configuredMonitors: (components: readonly LoadedComponent[]) => readonly ConfiguredMonitorAt[] =
  perComponentList((components) =>
    Object.freeze(
      components.flatMap((c) => {
        const component: ComponentType = { name: c.name };
        if (c.instance !== undefined) component.instance = c.instance;
        if (c.evseId !== undefined) {
          component.evse = { id: c.evseId };
          if (c.connectorId !== undefined) component.evse.connectorId = c.connectorId;
        }
        return c.variables.flatMap((v) =>
          (v.monitors ?? []).map((monitor) => ({
            component,
            variable: v.instance === undefined ? { name: v.name } : { name: v.name, instance: v.instance },
            monitor,
          })),
        );
      }),
    ),
  );
