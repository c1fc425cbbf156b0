/**
 * Variables whose new value only takes effect after a reboot: a SetVariables of a changed value is
 * stored and answered with RebootRequired (SetVariableStatusEnumType) instead of Accepted.
 */
import type { VariableState } from './model-index.js';

/** A variable (any EVSE/connector; any instance when `variableInstance` is absent). */
export interface RebootRequiredVariable {
  component: string;
  variable: string;
  variableInstance?: string;
}

/**
 * The runtime reads these only when it (re)starts its connection logic at boot:
 * - OCPPCommCtrlr.NetworkConfigurationPriority: B10.FR.01 allows Accepted or RebootRequired, and
 *   B10.FR.04 has the station use the new first entry "after a reboot".
 * - InternalCtrlr.NetworkConnectionProfiles: the profile list the priority refers to (written by
 *   B09 SetNetworkProfile), loaded together with it at boot.
 */
export const REBOOT_REQUIRED_VARIABLES: readonly RebootRequiredVariable[] = [
  { component: 'OCPPCommCtrlr', variable: 'NetworkConfigurationPriority' },
  { component: 'InternalCtrlr', variable: 'NetworkConnectionProfiles' },
];

/**
 * Whether `variable` is in `list` (names compare case-insensitively).
 *
 * @example
 * requiresReboot(REBOOT_REQUIRED_VARIABLES, variable); // true for OCPPCommCtrlr.NetworkConfigurationPriority
 */
export function requiresReboot(list: readonly RebootRequiredVariable[], variable: VariableState): boolean {
  const same = (a: string, b: string | undefined): boolean =>
    b !== undefined && a.toLowerCase() === b.toLowerCase();
  return list.some(
    (entry) =>
      same(entry.component, variable.component.name) &&
      same(entry.variable, variable.name) &&
      (entry.variableInstance === undefined || same(entry.variableInstance, variable.instance)),
  );
}
