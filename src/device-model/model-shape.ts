/**
 * The immutable part of a device model (model-index.ts): components, variables and attributes as the
 * configuration gives them, with their lookup maps, built once per list of loaded components and
 * shared by every station built from it (issue 9).
 */
import type {
  AttributeEnumType,
  MutabilityEnumType,
  VariableCharacteristicsType,
} from '../generated/ocpp-types.js';
import { DeviceModelConfigError, type DeviceModelConfigIssue } from './errors.js';
import { componentKey, formatComponentPath, variableKey } from './keys.js';
import type { LoadedComponent, VariableRef } from './types.js';
import { perComponentList } from './per-component-list.js';
import { noDerivedSlots, type DerivedSlots } from './derived-slots.js';

/**
 * One attribute of the model: what the configuration says of it, shared by every station built
 * from the same loaded components (issue 9: a fleet keeps one copy). Its value for a station is in
 * that station's {@link ModelIndex} (`index.value(attribute)`), at `slot`.
 */
export interface AttributeState {
  readonly type: AttributeEnumType;
  readonly mutability: MutabilityEnumType;
  readonly persistent: boolean;
  readonly constant: boolean;
  /** The value from the component config, used when no CSMS value or override applies. */
  readonly configValue: string | undefined;
  /** Position of this attribute among the model's attributes (a station's values are keyed by it). */
  readonly slot: number;
}

/** One variable of the model, shared like its attributes. */
export interface VariableState {
  readonly component: ComponentState;
  readonly name: string;
  readonly instance: string | undefined;
  readonly characteristics: VariableCharacteristicsType;
  /** In config order. */
  readonly attributes: readonly AttributeState[];
}

/** One component of the model, shared like its variables. */
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

/** The immutable part of a model: components, variables, attributes and their lookup maps. */
export interface ModelShape {
  readonly components: readonly ComponentState[];
  readonly byComponent: ReadonlyMap<string, ComponentState>;
  /**
   * Resolutions by the VariableRef object asked with: the station reads the same constant refs
   * (settings, transaction rules) over and over, each a lower-cased key built twice (issue 9).
   * The ref's fields are kept and compared, so a ref object changed in place is resolved anew.
   */
  readonly resolved: WeakMap<VariableRef, { key: ResolvedKey; resolution: Resolution }>;
  /** The derived slots of the models of this shape, by the lists given to {@link ModelIndex.deriveAll}. */
  readonly derivations: DerivedSlots;
}

/** The fields of a VariableRef that a resolution depends on. */
export type ResolvedKey = readonly [
  string,
  string | undefined,
  number | undefined,
  number | undefined,
  string,
  string | undefined,
  AttributeEnumType,
];

/** Does `ref` still say what it said when `key` was taken (no allocation: this runs per read)? */
export function sameRef(key: ResolvedKey, ref: VariableRef): boolean {
  return (
    key[0] === ref.component &&
    key[1] === ref.componentInstance &&
    key[2] === ref.evseId &&
    key[3] === ref.connectorId &&
    key[4] === ref.variable &&
    key[5] === ref.variableInstance &&
    key[6] === (ref.attribute ?? 'Actual')
  );
}

/**
 * The shape of `loaded`, built once for the same components: every station of a fleet shares it
 * (src/fleet/station-fleet.ts).
 */
export const shapeOf = perComponentList(buildShape);

/** Refuses (with a {@link DeviceModelConfigError}) components or variables defined twice. */
function buildShape(loaded: readonly LoadedComponent[]): ModelShape {
  const issues: DeviceModelConfigIssue[] = [];
  const components: ComponentState[] = [];
  const byComponent = new Map<string, ComponentState>();
  let slots = 0;
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
      const vkey = variableKey(v.name, v.instance);
      if (byVariable.has(vkey)) {
        issues.push({
          file: source.file,
          location: `${formatComponentPath(source)}.${v.name}`,
          message: 'variable defined twice',
        });
        continue;
      }
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
          slot: slots++,
        })),
      };
      byVariable.set(vkey, variable);
      variables.push(variable);
    }
    byComponent.set(key, component);
    components.push(component);
  }
  if (issues.length > 0) throw new DeviceModelConfigError(issues);
  return {
    components,
    byComponent,
    resolved: new WeakMap(),
    derivations: noDerivedSlots(),
  };
}
