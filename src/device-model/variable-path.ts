/**
 * The textual address of a device model attribute, used by the CLI (`--set`) and in messages:
 *
 *     Component[Instance]@evse/connector.Variable[Instance]:Attribute
 *
 * Only Component and Variable are required. Names are identifier characters (no `.`, `[`, `@`,
 * `:`, `=`); instances are bracketed and may hold anything but `]` (e.g. `[org.example.feature]`).
 */
import type { AttributeEnumType } from '../generated/ocpp-types.js';
import { formatComponentPath } from './keys.js';
import type { VariableRef } from './types.js';

const ATTRIBUTES: readonly AttributeEnumType[] = ['Actual', 'Target', 'MinSet', 'MaxSet'];
const NAME = /^[A-Za-z0-9*_+|-]+/;
const NUMBER = /^[0-9]+/;

/**
 * A variable path or `--set` argument that does not follow the grammar; `path` is the text as given.
 *
 * @example
 * try {
 *   parseSetArgument('TxCtrlr.TxStartPoint');
 * } catch (error) {
 *   if (error instanceof VariablePathError) console.error(error.message); // ... missing '=value' ...
 * }
 */
export class VariablePathError extends Error {
  override readonly name = 'VariablePathError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_VARIABLE_PATH';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`Invalid variable path '${path}': ${reason}`);
  }
}

/**
 * Parses `Component[Instance]@evse/connector.Variable[Instance]:Attribute` into a {@link VariableRef}.
 * The attribute is matched case-insensitively and returned in its OCPP spelling.
 *
 * @example
 * parseVariablePath('EVSE@1.Power:MaxSet');
 * // { component: 'EVSE', evseId: 1, variable: 'Power', attribute: 'MaxSet' }
 */
export function parseVariablePath(path: string): VariableRef {
  let rest = path;
  function fail(reason: string): never {
    throw new VariablePathError(path, reason);
  }
  const take = (pattern: RegExp): string | undefined => {
    const match = pattern.exec(rest);
    if (!match) return undefined;
    rest = rest.slice(match[0].length);
    return match[0];
  };
  const instance = (of: string): string | undefined => {
    if (!rest.startsWith('[')) return undefined;
    const end = rest.indexOf(']');
    if (end < 0) fail(`'[' after ${of} has no closing ']'`);
    const value = rest.slice(1, end);
    if (value === '') fail(`empty instance '[]' after ${of}`);
    rest = rest.slice(end + 1);
    return value;
  };
  const positive = (what: string): number => {
    const digits = take(NUMBER);
    if (digits === undefined) return fail(`${what} must be a positive integer, found '${rest.slice(0, 10)}'`);
    const value = Number(digits);
    if (value < 1 || !Number.isSafeInteger(value))
      fail(`${what} must be a positive integer, found '${digits}'`);
    return value;
  };

  const component = take(NAME) ?? fail(`expected a component name at '${rest.slice(0, 20)}'`);
  const ref: VariableRef = { component, variable: '' };
  const componentInstance = instance(`component '${component}'`);
  if (componentInstance !== undefined) ref.componentInstance = componentInstance;
  if (rest.startsWith('@')) {
    rest = rest.slice(1);
    ref.evseId = positive('the EVSE id after @');
    if (rest.startsWith('/')) {
      rest = rest.slice(1);
      ref.connectorId = positive('the connector id after /');
    }
  }
  if (!rest.startsWith('.')) {
    fail(
      rest === ''
        ? "missing '.Variable' after the component"
        : `expected '.' before the variable, found '${rest.slice(0, 20)}'`,
    );
  }
  rest = rest.slice(1);
  ref.variable = take(NAME) ?? fail(`expected a variable name after '.', found '${rest.slice(0, 20)}'`);
  const variableInstance = instance(`variable '${ref.variable}'`);
  if (variableInstance !== undefined) ref.variableInstance = variableInstance;
  if (rest.startsWith(':')) {
    const name = rest.slice(1);
    const attribute = ATTRIBUTES.find((a) => a.toLowerCase() === name.toLowerCase());
    if (attribute === undefined)
      fail(`unknown attribute '${name}' (expected one of ${ATTRIBUTES.join(', ')})`);
    ref.attribute = attribute;
    rest = '';
  }
  if (rest !== '') fail(`unexpected '${rest}' after the variable`);
  return ref;
}

/**
 * Parses a CLI `--set` argument `path=value`: the value is everything after the first `=` and may
 * be empty or contain further `=`.
 *
 * @example
 * parseSetArgument('OCPPCommCtrlr.MessageAttempts[TransactionEvent]=3');
 * // { ref: { component: 'OCPPCommCtrlr', variable: 'MessageAttempts', variableInstance: 'TransactionEvent' }, value: '3' }
 */
export function parseSetArgument(arg: string): { ref: VariableRef; value: string } {
  const eq = arg.indexOf('=');
  if (eq < 0) throw new VariablePathError(arg, "missing '=value' (expected Component.Variable=value)");
  return { ref: parseVariablePath(arg.slice(0, eq)), value: arg.slice(eq + 1) };
}

/**
 * Formats a {@link VariableRef} in the path grammar (the inverse of {@link parseVariablePath});
 * the attribute is shown only when it is given.
 *
 * @example
 * formatVariablePath({ component: 'EVSE', evseId: 1, variable: 'Power', attribute: 'MaxSet' }); // 'EVSE@1.Power:MaxSet'
 */
export function formatVariablePath(ref: VariableRef): string {
  const component: { name: string; instance?: string; evseId?: number; connectorId?: number } = {
    name: ref.component,
  };
  if (ref.componentInstance !== undefined) component.instance = ref.componentInstance;
  if (ref.evseId !== undefined) component.evseId = ref.evseId;
  if (ref.connectorId !== undefined) component.connectorId = ref.connectorId;
  let out = `${formatComponentPath(component)}.${ref.variable}`;
  if (ref.variableInstance !== undefined && ref.variableInstance !== '') out += `[${ref.variableInstance}]`;
  if (ref.attribute !== undefined) out += `:${ref.attribute}`;
  return out;
}
