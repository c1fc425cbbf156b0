/**
 * What the device model reports: the base reports of B07 and the custom reports of B08, as
 * ReportDataType entries (NotifyReportRequest.reportData) in model order.
 */
import type {
  ComponentCriterionEnumType,
  ComponentVariableType,
  ReportBaseEnumType,
  ReportDataType,
  VariableAttributeType,
} from '../generated/ocpp-types.js';
import { validForDataType } from './value-check.js';
import {
  componentType,
  variableType,
  type AttributeState,
  type ComponentState,
  type ModelIndex,
  type VariableState,
} from './model-index.js';

/**
 * Cuts a reported value to `maxLength` code points (ReportingValueSize/ValueSize limit
 * GetVariableResult.attributeValue and VariableAttribute.value, Part 2 §2.1.21).
 *
 * @example
 * limitReported('abcdef', 3); // 'abc'
 */
export function limitReported(value: string, maxLength: number | undefined): string {
  if (maxLength === undefined || value.length <= maxLength) return value;
  const points = [...value];
  return points.length <= maxLength ? value : points.slice(0, maxLength).join('');
}

/**
 * One ReportDataType: the variable with the given attributes and its characteristics. WriteOnly
 * values are left out (B07.FR.03/B08.FR.03 as amended by the errata). An unset value is reported as
 * "" when that is a value of the dataType (string, MemberList, SequenceList: TC_B_53_CS wants a
 * value), else left out: B07.FR.11 reports every supported attribute even when unset, so the
 * attribute is there, without a value. Derived values (ClockCtrlr.DateTime, ...) are computed now.
 *
 * @example
 * toReportData(index, variable, variable.attributes, 2500);
 */
export function toReportData(
  index: ModelIndex,
  variable: VariableState,
  attributes: readonly AttributeState[],
  maxLength?: number,
): ReportDataType {
  const reported = attributes.map((attribute): VariableAttributeType => {
    const out: VariableAttributeType = {
      type: attribute.type,
      mutability: attribute.mutability,
      persistent: attribute.persistent,
      constant: attribute.constant,
    };
    if (attribute.mutability === 'WriteOnly') return out;
    const reported = limitReported(index.current(attribute) ?? '', maxLength);
    // Only a value of the dataType: an unset string or list is "" (TC_B_53_CS wants a value), an
    // unset integer, decimal, boolean, dateTime or OptionList is left out (the schema allows it),
    // never "", which no CSMS can read as one.
    if (validForDataType(reported, variable.characteristics)) out.value = reported;
    return out;
  });
  const [first, ...rest] = reported;
  if (first === undefined) throw new Error(`variable ${variable.name} has no attributes to report`);
  return {
    component: componentType(variable.component),
    variable: variableType(variable),
    variableAttribute: [first, ...rest],
    variableCharacteristics: { ...variable.characteristics },
  };
}

/**
 * The data of a base report (B07):
 * - FullInventory: every variable with all its attributes (B07.FR.08, B07.FR.11).
 * - ConfigurationInventory: every variable the operator can set, with only its ReadWrite and
 *   WriteOnly attributes (B07.FR.07; TC_B_12_CS checks that every reported mutability is one of these).
 * - SummaryInventory: AvailabilityState of the ChargingStation, each EVSE, and each Connector whose
 *   state is known and differs from its EVSE's; for components in an abnormal state their
 *   Problem/Tripped/Overload/Fallback variables that are true, plus TechCode and TechInfo where
 *   present (B07.FR.09, ReportBaseEnumType). Monitoring is not implemented, so no monitor alerts.
 *
 * @example
 * baseReportData(index, 'ConfigurationInventory', 2500).length;
 */
export function baseReportData(
  index: ModelIndex,
  reportBase: ReportBaseEnumType,
  maxLength?: number,
): ReportDataType[] {
  const out: ReportDataType[] = [];
  for (const component of index.components) {
    for (const variable of component.variables) {
      if (reportBase === 'FullInventory') {
        out.push(toReportData(index, variable, variable.attributes, maxLength));
      } else if (reportBase === 'ConfigurationInventory') {
        const writable = variable.attributes.filter((a) => a.mutability !== 'ReadOnly');
        if (writable.length > 0) out.push(toReportData(index, variable, writable, maxLength));
      } else if (inSummary(index, component, variable)) {
        out.push(
          toReportData(
            index,
            variable,
            variable.attributes.filter((a) => a.type === 'Actual'),
            maxLength,
          ),
        );
      }
    }
  }
  return out;
}

const ABNORMAL = ['problem', 'tripped', 'overload', 'fallback'];
const DIAGNOSTIC = ['techcode', 'techinfo'];

function actual(index: ModelIndex, variable: VariableState | undefined): string | undefined {
  const attribute = variable?.attributes.find((a) => a.type === 'Actual');
  return attribute === undefined ? undefined : index.current(attribute);
}

function variableNamed(component: ComponentState, name: string): VariableState | undefined {
  return component.variables.find((v) => v.instance === undefined && v.name.toLowerCase() === name);
}

function inSummary(index: ModelIndex, component: ComponentState, variable: VariableState): boolean {
  const name = variable.name.toLowerCase();
  if (!variable.attributes.some((a) => a.type === 'Actual')) return false;
  const componentName = component.name.toLowerCase();
  if (name === 'availabilitystate' && variable.instance === undefined && component.instance === undefined) {
    if (componentName === 'chargingstation' && component.evseId === undefined) return true;
    if (componentName === 'evse') return true;
    if (componentName === 'connector' && component.evseId !== undefined) {
      const state = actual(index, variable);
      const evse = index.component('EVSE', undefined, component.evseId);
      return (
        state !== undefined &&
        state !== '' &&
        state !== actual(index, evse === undefined ? undefined : variableNamed(evse, 'availabilitystate'))
      );
    }
    return false;
  }
  const abnormal = component.variables.some(
    (v) => ABNORMAL.includes(v.name.toLowerCase()) && actual(index, v) === 'true',
  );
  if (!abnormal) return false;
  return (ABNORMAL.includes(name) && actual(index, variable) === 'true') || DIAGNOSTIC.includes(name);
}

/**
 * Does the component meet at least one of the criteria (B08.FR.07–10, OR per B08.FR.13)? Active,
 * Available and Enabled match when the component's variable of that name (without instance) has
 * Actual "true" or when the component has no such variable; Problem matches only on "true".
 *
 * @example
 * meetsCriteria(index, component, ['Enabled']);
 */
export function meetsCriteria(
  index: ModelIndex,
  component: ComponentState,
  criteria: readonly ComponentCriterionEnumType[],
): boolean {
  return criteria.some((criterion) => {
    const variable = variableNamed(component, criterion.toLowerCase());
    if (variable === undefined) return criterion !== 'Problem';
    return actual(index, variable) === 'true';
  });
}

const same = (a: string, b: string | undefined): boolean =>
  b !== undefined && a.toLowerCase() === b.toLowerCase();
const given = (text: string | undefined): text is string => text !== undefined && text !== '';

/**
 * Does the variable fall under a requested componentVariable (B08.FR.20–25)? An absent variable
 * means every variable (FR.20), a variable without instance every instance (FR.21), an EVSE
 * without connector every connector and the EVSE itself (FR.22), no EVSE every EVSE and the
 * station level (FR.23), no component instance every instance (FR.25). Names compare
 * case-insensitively; an empty instance counts as absent.
 *
 * @example
 * matchesComponentVariable(variable, { component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'AvailabilityState' } });
 */
export function matchesComponentVariable(variable: VariableState, requested: ComponentVariableType): boolean {
  const { component } = variable;
  const wanted = requested.component;
  if (!same(component.name, wanted.name)) return false;
  if (given(wanted.instance) && !same(wanted.instance, component.instance)) return false;
  if (wanted.evse !== undefined) {
    if (component.evseId !== wanted.evse.id) return false;
    if (wanted.evse.connectorId !== undefined && component.connectorId !== wanted.evse.connectorId)
      return false;
  }
  if (requested.variable === undefined) return true;
  if (!same(variable.name, requested.variable.name)) return false;
  return !given(requested.variable.instance) || same(requested.variable.instance, variable.instance);
}

/**
 * The data of a custom report (B08): every variable (all attributes) of the components meeting the
 * criteria and/or listed in componentVariable; both given means both must hold (B08.FR.05); neither
 * given means everything.
 *
 * @example
 * customReportData(index, { componentCriteria: ['Problem'] }, 2500);
 */
export function customReportData(
  index: ModelIndex,
  request: {
    componentVariable?: readonly ComponentVariableType[];
    componentCriteria?: readonly ComponentCriterionEnumType[];
  },
  maxLength?: number,
): ReportDataType[] {
  const out: ReportDataType[] = [];
  for (const component of index.components) {
    if (
      request.componentCriteria !== undefined &&
      !meetsCriteria(index, component, request.componentCriteria)
    )
      continue;
    for (const variable of component.variables) {
      const listed = request.componentVariable;
      if (listed !== undefined && !listed.some((cv) => matchesComponentVariable(variable, cv))) continue;
      if (variable.attributes.length > 0)
        out.push(toReportData(index, variable, variable.attributes, maxLength));
    }
  }
  return out;
}
