/**
 * The in-memory device model: components, variables and attribute states, indexed for
 * case-insensitive lookup by OCPP ComponentType/VariableType or by {@link VariableRef}. It is the
 * read cache of the `device_model` table: reads never touch the database. The components,
 * variables, attributes and lookup maps are shared by every model built from the same loaded
 * components; each station keeps only the values that differ from the configuration, by slot.
 */
import type { AttributeEnumType, ComponentType, VariableType } from '../generated/ocpp-types.js';
import { componentKey, variableKey } from './keys.js';
import type { LoadedComponent, ValueSource, VariableRef } from './types.js';
import { nextDerivedSlots, type DerivationList, type DerivedSlots } from './derived-slots.js';

import {
  sameRef,
  shapeOf,
  type AttributeState,
  type ComponentState,
  type ModelShape,
  type Resolution,
  type ResolvedKey,
  type VariableState,
} from './model-shape.js';

export type { DerivationList } from './derived-slots.js';
// The shared shape's types live next to this file; callers import them from here.
export type { AttributeState, ComponentState, Resolution, VariableState } from './model-shape.js';

/** A station's own value of an attribute: one that differs from the shared configuration. */
interface Assigned {
  readonly value: string | undefined;
  readonly source: ValueSource;
  readonly updatedAt: string;
}

/**
 * The in-memory model of one station: the shared shape of its components (built once per list of
 * loaded components) and the station's own values. Every attribute starts at its config value; a
 * station keeps only the attributes that differ from it (issue 9: a fleet station of the example
 * config holds ~6 of ~266, so one small map by slot instead of three full arrays per station).
 *
 * @example
 * const index = ModelIndex.build(await loadComponentConfig('config/component-config'), new Date().toISOString());
 * const found = index.resolve({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' });
 * if (found.status === 'Found') index.value(found.attribute); // '60'
 */
export class ModelIndex {
  /** Attributes whose value or source differ from the config's, by slot. */
  private readonly assigned = new Map<number, Assigned>();
  /** Attributes derived one by one ({@link derive}), by slot: few, so a map; none until one is derived. */
  private derived: Map<number, () => string | undefined> | undefined;
  /** Attributes derived by lists ({@link deriveAll}): a node shared by the models of this shape. */
  private derivedSlots: DerivedSlots | undefined;
  /** The lists given to {@link deriveAll} and their contexts, in turn: [list, context, list, context, ...]. */
  private contexts: unknown[] | undefined;

  private constructor(
    private readonly shape: ModelShape,
    /** When the model was built: the time of every attribute still at its config value. */
    private readonly builtAt: string,
  ) {}

  /**
   * Refuses (with a {@link DeviceModelConfigError}) components or variables defined twice.
   *
   * @example
   * ModelIndex.build(components, new Date().toISOString()).components.length;
   */
  static build(loaded: readonly LoadedComponent[], now: string): ModelIndex {
    return new ModelIndex(shapeOf(loaded), now);
  }

  get components(): readonly ComponentState[] {
    return this.shape.components;
  }

  /** The stored value of an attribute (not derived). */
  value(attribute: AttributeState): string | undefined {
    const own = this.assigned.get(attribute.slot);
    return own === undefined ? attribute.configValue : own.value;
  }

  /** Who set the stored value. */
  source(attribute: AttributeState): ValueSource {
    return this.assigned.get(attribute.slot)?.source ?? 'config';
  }

  /** When the stored value was set. */
  updatedAt(attribute: AttributeState): string {
    return this.assigned.get(attribute.slot)?.updatedAt ?? this.builtAt;
  }

  /**
   * Sets an attribute's stored value. Back at its config value with source 'config' the attribute
   * keeps no entry of its own (as it has no `device_model` row): its time is then the build time,
   * which nothing reads (only rows that differ from the config are written with their time).
   */
  assign(attribute: AttributeState, value: string | undefined, source: ValueSource, updatedAt: string): void {
    if (value === attribute.configValue && source === 'config') this.assigned.delete(attribute.slot);
    else this.assigned.set(attribute.slot, { value, source, updatedAt });
  }

  /** How many attributes hold a value of their own (not the config's). */
  get assignedCount(): number {
    return this.assigned.size;
  }

  /**
   * The value of an attribute as the station reads and reports it: derived, or stored.
   *
   * @example
   * index.current(attribute); // the clock now for ClockCtrlr.DateTime, the stored value elsewhere
   */
  current(attribute: AttributeState): string | undefined {
    const derive = this.derived?.get(attribute.slot);
    if (derive !== undefined) return derive();
    const listed = this.derivedSlots?.slots.get(attribute.slot);
    if (listed === undefined) return this.value(attribute);
    const value = listed[1] as (context: unknown) => string | undefined;
    return value(this.contexts![2 * listed[0] + 1]);
  }

  /** Whether the attribute's value is derived from the station's state instead of stored. */
  isDerived(attribute: AttributeState): boolean {
    return (this.derived?.has(attribute.slot) ?? false) || (this.derivedSlots?.slots.has(attribute.slot) ?? false);
  }

  /** Makes an attribute's value derived from the station's state (read in place of the stored value). */
  derive(attribute: AttributeState, value: () => string | undefined): void {
    (this.derived ??= new Map()).set(attribute.slot, value);
  }

  /**
   * Derives the attributes of `list` that the model has (others are skipped) from `context`: each
   * read calls the attribute's derivation with it. `list` should be a module constant: its slots
   * are resolved once per shape and sequence of lists and shared. The same list again replaces its
   * context (a restart of the station on the same model) and changes nothing else. A later
   * {@link derive} of the same attribute wins; a new list derived after it takes the attribute
   * back (the same list again does not).
   *
   * @example
   * index.deriveAll([[{ component: 'ClockCtrlr', variable: 'DateTime' }, (c: { clock: StationClock }) => c.clock.nowIso()]], { clock });
   */
  deriveAll<C>(list: DerivationList<C>, context: C): void {
    const contexts = this.contexts ?? [];
    const at = contexts.indexOf(list);
    if (at >= 0 && at % 2 === 0) {
      contexts[at + 1] = context;
      return;
    }
    const index = contexts.length / 2;
    const next = nextDerivedSlots(this.derivedSlots ?? this.shape.derivations, list, index, (ref) => {
      const found = this.resolve(ref);
      return found.status === 'Found' ? found.attribute.slot : undefined;
    });
    for (const [slot, [of]] of next.slots) if (of === index) this.derived?.delete(slot);
    this.derivedSlots = next;
    // A new array of the exact length: push would leave a growth reserve per station.
    this.contexts = contexts.concat([list, context]);
  }

  /** Looks up an attribute by {@link VariableRef} (attribute defaults to Actual). */
  resolve(ref: VariableRef): Resolution {
    const cached = this.shape.resolved.get(ref);
    if (cached !== undefined && sameRef(cached.key, ref)) return cached.resolution;
    const key: ResolvedKey = [
      ref.component,
      ref.componentInstance,
      ref.evseId,
      ref.connectorId,
      ref.variable,
      ref.variableInstance,
      ref.attribute ?? 'Actual',
    ];
    const resolution = this.find(...key);
    this.shape.resolved.set(ref, { key, resolution });
    return resolution;
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
    return this.shape.byComponent.get(componentKey(name, instance, evseId, connectorId));
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
    const component = this.shape.byComponent.get(componentKey(name, instance, evseId, connectorId));
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
