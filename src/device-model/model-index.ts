/**
 * The in-memory device model: components, variables and attribute states, indexed for
 * case-insensitive lookup by OCPP ComponentType/VariableType or by {@link VariableRef}. It is the
 * read cache of the `device_model` table: reads never touch the database.
 */
import type {
  AttributeEnumType,
  ComponentType,
  MutabilityEnumType,
  VariableCharacteristicsType,
  VariableType,
} from '../generated/ocpp-types.js';
import { DeviceModelConfigError, type DeviceModelConfigIssue } from './errors.js';
import { componentKey, formatComponentPath, variableKey } from './keys.js';
import type { LoadedComponent, ValueSource, VariableRef } from './types.js';

/** One attribute with its current value. */
export interface AttributeState {
  readonly type: AttributeEnumType;
  readonly mutability: MutabilityEnumType;
  readonly persistent: boolean;
  readonly constant: boolean;
  /** The value from the component config, used when no CSMS value or override applies. */
  readonly configValue: string | undefined;
  value: string | undefined;
  source: ValueSource;
  updatedAt: string;
  /**
   * A value the station derives from its state instead of storing it (ClockCtrlr.DateTime is the
   * clock, ChargingStation.Model what BootNotification reports, ...): read in place of `value`.
   */
  derive?: () => string | undefined;
}

/**
 * The value of an attribute as the station reads and reports it: derived, or stored.
 *
 * @example
 * currentValue(attribute); // the clock now for ClockCtrlr.DateTime, the stored value elsewhere
 */
export function currentValue(attribute: AttributeState): string | undefined {
  return attribute.derive === undefined ? attribute.value : attribute.derive();
}

export interface VariableState {
  readonly component: ComponentState;
  readonly name: string;
  readonly instance: string | undefined;
  readonly characteristics: VariableCharacteristicsType;
  /** In config order. */
  readonly attributes: readonly AttributeState[];
}

export interface ComponentState {
  readonly name: string;
  readonly instance: string | undefined;
  readonly evseId: number | undefined;
  readonly connectorId: number | undefined;
  readonly file: string;
  /** In config order. */
  readonly variables: readonly VariableState[];
  readonly byVariable: ReadonlyMap<string, VariableState>;
}

/** Result of looking an attribute up, in the order B05.FR.04–06 / B06.FR.06–08 test them. */
export type Resolution =
  | { status: 'UnknownComponent' }
  | { status: 'UnknownVariable'; component: ComponentState }
  | { status: 'NotSupportedAttributeType'; variable: VariableState }
  | { status: 'Found'; variable: VariableState; attribute: AttributeState };

/**
 * Builds the in-memory model from loaded components; every attribute starts at its config value.
 * Refuses (with a {@link DeviceModelConfigError}) components or variables defined twice.
 *
 * @example
 * const index = ModelIndex.build(await loadComponentConfig('config/component-config'), new Date().toISOString());
 * index.resolve({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }).status; // 'Found'
 */
export class ModelIndex {
  private constructor(
    readonly components: readonly ComponentState[],
    private readonly byComponent: ReadonlyMap<string, ComponentState>,
  ) {}

  static build(loaded: readonly LoadedComponent[], now: string): ModelIndex {
    const issues: DeviceModelConfigIssue[] = [];
    const components: ComponentState[] = [];
    const byComponent = new Map<string, ComponentState>();
    for (const source of loaded) {
      const variables: VariableState[] = [];
      const byVariable = new Map<string, VariableState>();
      const component: ComponentState = {
        name: source.name,
        instance: source.instance,
        evseId: source.evseId,
        connectorId: source.connectorId,
        file: source.file,
        variables,
        byVariable,
      };
      const key = componentKey(source.name, source.instance, source.evseId, source.connectorId);
      if (byComponent.has(key)) {
        issues.push({
          file: source.file,
          location: formatComponentPath(source),
          message: 'component defined twice',
        });
        continue;
      }
      for (const v of source.variables) {
        const variable: VariableState = {
          component,
          name: v.name,
          instance: v.instance,
          characteristics: v.characteristics,
          attributes: v.attributes.map((a) => ({
            type: a.type,
            mutability: a.mutability,
            persistent: a.persistent,
            constant: a.constant,
            configValue: a.value,
            value: a.value,
            source: 'config',
            updatedAt: now,
          })),
        };
        const vkey = variableKey(v.name, v.instance);
        if (byVariable.has(vkey)) {
          issues.push({
            file: source.file,
            location: `${formatComponentPath(source)}.${v.name}`,
            message: 'variable defined twice',
          });
          continue;
        }
        byVariable.set(vkey, variable);
        variables.push(variable);
      }
      byComponent.set(key, component);
      components.push(component);
    }
    if (issues.length > 0) throw new DeviceModelConfigError(issues);
    return new ModelIndex(components, byComponent);
  }

  /** Looks up an attribute by {@link VariableRef} (attribute defaults to Actual). */
  resolve(ref: VariableRef): Resolution {
    return this.find(
      ref.component,
      ref.componentInstance,
      ref.evseId,
      ref.connectorId,
      ref.variable,
      ref.variableInstance,
      ref.attribute ?? 'Actual',
    );
  }

  /** Looks up an attribute as addressed in a Get/SetVariables request (attributeType defaults to Actual). */
  lookup(
    component: ComponentType,
    variable: VariableType,
    attributeType: AttributeEnumType | undefined,
  ): Resolution {
    return this.find(
      component.name,
      component.instance,
      component.evse?.id,
      component.evse?.connectorId,
      variable.name,
      variable.instance,
      attributeType ?? 'Actual',
    );
  }

  /** The component at exactly this address, if any. */
  component(
    name: string,
    instance?: string,
    evseId?: number,
    connectorId?: number,
  ): ComponentState | undefined {
    return this.byComponent.get(componentKey(name, instance, evseId, connectorId));
  }

  private find(
    name: string,
    instance: string | undefined,
    evseId: number | undefined,
    connectorId: number | undefined,
    variableName: string,
    variableInstance: string | undefined,
    type: AttributeEnumType,
  ): Resolution {
    const component = this.byComponent.get(componentKey(name, instance, evseId, connectorId));
    if (component === undefined) return { status: 'UnknownComponent' };
    const variable = component.byVariable.get(variableKey(variableName, variableInstance));
    if (variable === undefined) return { status: 'UnknownVariable', component };
    const attribute = variable.attributes.find((a) => a.type === type);
    if (attribute === undefined) return { status: 'NotSupportedAttributeType', variable };
    return { status: 'Found', variable, attribute };
  }
}

/**
 * The canonical {@link VariableRef} of an attribute (names as configured).
 *
 * @example
 * refOf(variable, attribute); // { component: 'EVSE', evseId: 1, variable: 'Power', attribute: 'MaxSet' }
 */
export function refOf(variable: VariableState, attribute: AttributeState): VariableRef {
  const { component } = variable;
  const ref: VariableRef = { component: component.name, variable: variable.name, attribute: attribute.type };
  if (component.instance !== undefined) ref.componentInstance = component.instance;
  if (component.evseId !== undefined) ref.evseId = component.evseId;
  if (component.connectorId !== undefined) ref.connectorId = component.connectorId;
  if (variable.instance !== undefined) ref.variableInstance = variable.instance;
  return ref;
}

/**
 * The OCPP ComponentType of a component (names as configured).
 *
 * @example
 * componentType(index.component('Connector', undefined, 1, 1)!); // { name: 'Connector', evse: { id: 1, connectorId: 1 } }
 */
export function componentType(component: ComponentState): ComponentType {
  const out: ComponentType = { name: component.name };
  if (component.instance !== undefined) out.instance = component.instance;
  if (component.evseId !== undefined) {
    out.evse = { id: component.evseId };
    if (component.connectorId !== undefined) out.evse.connectorId = component.connectorId;
  }
  return out;
}

/**
 * The OCPP VariableType of a variable (names as configured).
 *
 * @example
 * variableType(variable); // { name: 'MessageAttempts', instance: 'TransactionEvent' }
 */
export function variableType(variable: VariableState): VariableType {
  return variable.instance === undefined
    ? { name: variable.name }
    : { name: variable.name, instance: variable.instance };
}
