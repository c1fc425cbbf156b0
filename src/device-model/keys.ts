/**
 * Lookup keys of components and variables. Names and instances are identifierStrings, which OCPP
 * defines as case-insensitive (Part 2 §2.1.4), so keys are lower-cased; an absent instance and an
 * empty one are the same (B06.FR.15).
 */

/**
 * Key of a component: name, instance, EVSE id and connector id (0 when absent).
 *
 * @example
 * componentKey('EVSE', undefined, 1, undefined) === componentKey('evse', '', 1, 0); // true
 */
export function componentKey(
  name: string,
  instance: string | undefined,
  evseId: number | undefined,
  connectorId: number | undefined,
): string {
  return `${name.toLowerCase()}\u0000${(instance ?? '').toLowerCase()}\u0000${evseId ?? 0}\u0000${connectorId ?? 0}`;
}

/**
 * Key of a variable within its component: name and instance.
 *
 * @example
 * variableKey('MessageAttempts', 'TransactionEvent') === variableKey('messageattempts', 'transactionevent'); // true
 */
export function variableKey(name: string, instance: string | undefined): string {
  return `${name.toLowerCase()}\u0000${(instance ?? '').toLowerCase()}`;
}

/**
 * The component part of a variable path: `Name[instance]@evse/connector`.
 *
 * @example
 * formatComponentPath({ name: 'Connector', evseId: 1, connectorId: 2 }); // 'Connector@1/2'
 */
export function formatComponentPath(component: {
  name: string;
  instance?: string;
  evseId?: number;
  connectorId?: number;
}): string {
  let out = component.name;
  if (component.instance !== undefined && component.instance !== '') out += `[${component.instance}]`;
  if (component.evseId !== undefined) {
    out += `@${component.evseId}`;
    if (component.connectorId !== undefined) out += `/${component.connectorId}`;
  }
  return out;
}
