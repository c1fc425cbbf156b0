/**
 * Fits the configured components to the station's EVSE/connector structure. A station may have
 * more EVSEs or connectors than the config describes (a simulator with 20 EVSEs, one example
 * config): the missing `EVSE` and `Connector` components are copies of the first configured one.
 * A config describing EVSEs or connectors the station does not have is an error, except for the
 * shipped default device model, which follows the station (`'adapt'`).
 */
import type { DeviceModelConfigIssue } from './errors.js';
import { formatComponentPath } from './keys.js';
import type { EvseStructure, LoadedComponent } from './types.js';

/**
 * How a config that describes EVSEs or connectors the station does not have is treated:
 * `'strict'` (a user's config) reports each such component as an error; `'adapt'` (the shipped
 * default device model) leaves them out. Missing EVSEs and connectors are copied in both.
 */
export type EvseStructureFit = 'strict' | 'adapt';

/**
 * Checks `evses` (numbered 1..n, connectors 1..m on each: Part 1 §7), refuses (`'strict'`) or leaves
 * out (`'adapt'`) components placed on EVSEs or connectors the structure does not have, and
 * synthesizes missing `EVSE` components from the configured EVSE with the lowest id and missing
 * `Connector` components from the configured connector with the lowest (EVSE, connector) id.
 * Problems are appended to `issues`.
 *
 * @example
 * const issues: DeviceModelConfigIssue[] = [];
 * const all = fitToEvseStructure(components, [{ id: 1, connectors: [{ id: 1 }] }, { id: 2, connectors: [{ id: 1 }] }], issues);
 * const one = fitToEvseStructure(shipped, [{ id: 1, connectors: [{ id: 1 }] }], issues, 'adapt'); // EVSE 2 left out
 */
export function fitToEvseStructure(
  components: readonly LoadedComponent[],
  evses: readonly EvseStructure[],
  issues: DeviceModelConfigIssue[],
  fit: EvseStructureFit = 'strict',
): LoadedComponent[] {
  const structureIssue = (message: string): void => {
    issues.push({ location: 'EVSE structure', message });
  };
  const connectorsOf = new Map<number, Set<number>>();
  for (const evse of evses) connectorsOf.set(evse.id, new Set(evse.connectors.map((c) => c.id)));
  // Part 1 §7.1/§7.2: EVSEs numbered 1..n and connectors 1..m per EVSE, no gaps.
  if (!sameIds(evses.map((e) => e.id))) {
    structureIssue(
      `EVSE ids must be 1..${evses.length} without gaps or repeats, got ${evses.map((e) => e.id).join(', ') || 'none'}`,
    );
  }
  for (const evse of evses) {
    const ids = evse.connectors.map((c) => c.id);
    if (ids.length === 0 || !sameIds(ids)) {
      structureIssue(
        `connector ids of EVSE ${evse.id} must be 1..m (m >= 1) without gaps or repeats, got ${ids.join(', ') || 'none'}`,
      );
    }
  }

  const fitting: LoadedComponent[] = [];
  for (const component of components) {
    const outside = outsideOf(component, connectorsOf);
    if (outside === undefined) fitting.push(component);
    else if (fit === 'strict')
      issues.push({ file: component.file, location: formatComponentPath(component), message: outside });
  }

  // Templates come from the whole config; with 'adapt' they are kept anyway (EVSE 1 and connector 1/1 exist).
  const byLowestId = (a: LoadedComponent, b: LoadedComponent): number =>
    (a.evseId ?? 0) - (b.evseId ?? 0) || (a.connectorId ?? 0) - (b.connectorId ?? 0);
  const evseComponents = components
    .filter((c) => c.name.toLowerCase() === 'evse' && c.instance === undefined)
    .sort(byLowestId);
  const connectorComponents = components
    .filter((c) => c.name.toLowerCase() === 'connector' && c.instance === undefined)
    .sort(byLowestId);
  const evseTemplate = evseComponents[0];
  const connectorTemplate = connectorComponents[0];

  const out = fitting;
  for (const evse of evses) {
    if (!evseComponents.some((c) => c.evseId === evse.id)) {
      if (evseTemplate === undefined)
        structureIssue(`the station has EVSE ${evse.id}, but the config has no EVSE component to copy`);
      else out.push(copyComponent(evseTemplate, evse.id, undefined));
    }
    for (const connector of evse.connectors) {
      if (!connectorComponents.some((c) => c.evseId === evse.id && c.connectorId === connector.id)) {
        if (connectorTemplate === undefined) {
          structureIssue(
            `the station has connector ${connector.id} on EVSE ${evse.id}, but the config has no Connector component to copy`,
          );
        } else out.push(copyComponent(connectorTemplate, evse.id, connector.id));
      }
    }
  }
  return out;
}

/** Why a component lies outside the structure, or undefined when it fits (station-level ones always do). */
function outsideOf(
  component: LoadedComponent,
  connectorsOf: ReadonlyMap<number, ReadonlySet<number>>,
): string | undefined {
  if (component.evseId === undefined) return undefined;
  const connectors = connectorsOf.get(component.evseId);
  if (connectors === undefined) return `EVSE ${component.evseId} is not in the station's EVSE structure`;
  if (component.connectorId !== undefined && !connectors.has(component.connectorId))
    return `connector ${component.connectorId} of EVSE ${component.evseId} is not in the station's EVSE structure`;
  return undefined;
}

function sameIds(ids: readonly number[]): boolean {
  const sorted = [...ids].sort((a, b) => a - b);
  return sorted.every((id, index) => id === index + 1);
}

function copyComponent(
  template: LoadedComponent,
  evseId: number,
  connectorId: number | undefined,
): LoadedComponent {
  const copy: LoadedComponent = {
    file: `${template.file} (copied for ${formatComponentPath({ name: template.name, evseId, ...(connectorId === undefined ? {} : { connectorId }) })})`,
    name: template.name,
    evseId,
    variables: structuredClone(template.variables),
  };
  if (connectorId !== undefined) copy.connectorId = connectorId;
  return copy;
}
