/**
 * The console commands of the simulated station, one per line on stdin. Parsing is syntax only
 * (numbers, token types, argument counts); whether an EVSE or connector exists is checked when the
 * command runs against the station's structure.
 */
import type { IdTokenEnumType } from '../generated/ocpp-types.js';
import type { ExternalLimitSource } from '../smart-charging/external-limits.js';
import { parseSetArgument, VariablePathError } from '../device-model/variable-path.js';
import type { VariableRef } from '../device-model/types.js';
import { SIM_FIRMWARE_OUTCOMES, type SimFirmwareOutcome } from './sim-firmware.js';

export type ConsoleCommand =
  | { name: 'help' }
  | {
      name: 'plug' | 'unplug' | 'unplug-ev' | 'fault' | 'clear' | 'lock-fail';
      evseId: number;
      connectorId: number | undefined;
    }
  | { name: 'park' | 'unpark' | 'sign'; evseId: number }
  | { name: 'auth'; idToken: string; tokenType: IdTokenEnumType; evseId: number | undefined }
  | { name: 'charge' | 'suspend'; evseId: number }
  | { name: 'meter'; evseId: number; energyWh: number; powerW: number | undefined }
  | { name: 'offline' | 'online' | 'status' | 'quit' | 'display' }
  /** N09/N10: customer data the simulated station holds under a customerIdentifier. */
  | { name: 'customer'; action: 'add'; customerIdentifier: string; text: string }
  /** C16.FR.01: the user's choice in the master-pass UI (`--master-pass-ui`). */
  | { name: 'masterpass-select'; selection: 'all' | number[] }
  | {
      name: 'limit';
      /** 0 = the whole station (grid connection). */
      evseId: number;
      source: ExternalLimitSource;
      /** Absent: `limit <evse> clear` (K13). */
      set?: { limit: number; unit: 'A' | 'W' };
    }
  /** The hardware changes a variable's value (monitors see it; the CSMS is not the writer). */
  | { name: 'dm'; path: string; ref: VariableRef; value: string }
  /** N02–N08: list the installed monitors, or fire one. */
  | { name: 'monitor'; action: 'list' }
  | { name: 'monitor'; action: 'trigger'; id: number }
  /** L01: how the next firmware installation ends (docs/cli.md). */
  | { name: 'firmware'; action: 'next'; outcome: SimFirmwareOutcome };

export type CommandName = ConsoleCommand['name'];

/**
 * A line that is not a valid command; the message says what is wrong and the usage.
 *
 * @example
 * try {
 *   parseCommand('plug');
 * } catch (error) {
 *   if (error instanceof CommandSyntaxError) console.error(error.message); // plug: expected 1 to 2 arguments, ...
 * }
 */
export class CommandSyntaxError extends Error {
  override readonly name = 'CommandSyntaxError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_CLI_COMMAND';
}

/** IdTokenEnumType (Part 2 §2.2 / IdTokenType.type). */
export const ID_TOKEN_TYPES: readonly IdTokenEnumType[] = [
  'Central',
  'eMAID',
  'ISO14443',
  'ISO15693',
  'KeyCode',
  'Local',
  'MacAddress',
  'NoAuthorization',
];
/** Sources of an external limit (ChargingLimitSourceEnumType without CSO, K11.FR.05). */
const LIMIT_SOURCES: readonly ExternalLimitSource[] = ['EMS', 'SO', 'Other'];

/** IdTokenType.idToken is identifierString(36). */
const ID_TOKEN = /^[A-Za-z0-9*\-_=:+|@.]{1,36}$/;

/** Usage of each command, also the `help` text. */
export const COMMAND_USAGE: Readonly<Record<CommandName, string>> = {
  help: 'help                          list the commands',
  plug: 'plug <evse> [connector]       plug a cable (EV) into a connector (default connector 1)',
  unplug: 'unplug <evse> [connector]     the cable leaves the station side (refused while locked)',
  'unplug-ev': 'unplug-ev <evse> [connector]  the cable leaves the EV side only (a socket cable stays in)',
  park: 'park <evse>                   the parking bay sensor sees an EV arrive',
  unpark: 'unpark <evse>                 the parking bay sensor sees the EV leave',
  auth: 'auth <idToken> [type] [evse]  present an id token (type default ISO14443)',
  charge: 'charge <evse>                 the EV asks for power (it flows once the station permits)',
  suspend: 'suspend <evse>                the EV pauses charging',
  meter: 'meter <evse> <Wh> [W]         set the energy register (Wh) and, while charging, the power (W)',
  fault: 'fault <evse> [connector]      the connector hardware reports a fault',
  clear: 'clear <evse> [connector]      the fault (and a pending lock failure) is gone',
  'lock-fail':
    'lock-fail <evse> [connector]  the cable retention lock fails at its next attempt, until clear',
  sign: 'sign <evse>                   the meter delivers a signed reading now (--signing-meter)',
  offline: 'offline                       close the websocket now and stay offline',
  online: 'online                        reconnect now',
  status: 'status                        connection, registration, connectors, reservations, local list and cache',
  display: 'display                       what the screen shows now: display messages in order, tariff and cost',
  customer:
    'customer add <customerIdentifier> <text>   store customer data the station holds (CustomerInformation reports and clears it)',
  'masterpass-select':
    'masterpass-select all | masterpass-select <evse> [<evse> ...]   the master-pass UI choice: stop every listed transaction (--master-pass-ui)',
  limit:
    'limit <evse> <value> <A|W> [EMS|SO|Other] | limit <evse> clear [EMS|SO|Other]   an external system sets / releases a charging limit (evse 0: the station)',
  dm: 'dm set <Component[Inst]@evse/conn.Variable[Inst]:Attr>=<value>   the hardware changes a variable (monitors fire)',
  monitor: 'monitor list | monitor trigger <monitorId>   list the installed monitors / fire one (e.g. a hard-wired one)',
  firmware: `firmware next <${SIM_FIRMWARE_OUTCOMES.join('|')}>   how the next firmware installation ends (default Installed)`,
  quit: 'quit                          stop the station and exit',
};

/** The text printed by `help`. */
export const HELP_TEXT = `Commands:\n${Object.values(COMMAND_USAGE)
  .map((line) => `  ${line}`)
  .join('\n')}`;

/**
 * Parses one console line. Returns undefined for a blank line or a `#` comment; throws
 * {@link CommandSyntaxError} for anything else it cannot run.
 *
 * @example
 * parseCommand('plug 1');      // { name: 'plug', evseId: 1, connectorId: undefined }
 * parseCommand('meter 2 1500 7400'); // { name: 'meter', evseId: 2, energyWh: 1500, powerW: 7400 }
 */
export function parseCommand(line: string): ConsoleCommand | undefined {
  const words = line
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  const [first, ...args] = words;
  if (first === undefined || first.startsWith('#')) return undefined;
  const name = first.toLowerCase();
  if (!isCommandName(name)) {
    throw new CommandSyntaxError(`unknown command '${first}' (type 'help' for the list)`);
  }
  const usage = () => `usage: ${COMMAND_USAGE[name].replace(/\s{2,}.*$/, '')}`;
  const arity = (min: number, max: number) => {
    if (args.length < min || args.length > max) {
      const got =
        args.length === 0 ? 'no arguments' : `${args.length} argument${args.length === 1 ? '' : 's'}`;
      throw new CommandSyntaxError(
        `${name}: expected ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, got ${got}; ${usage()}`,
      );
    }
  };
  const positive = (what: string, word: string | undefined): number => {
    if (
      word === undefined ||
      !/^[0-9]+$/.test(word) ||
      Number(word) < 1 ||
      !Number.isSafeInteger(Number(word))
    ) {
      throw new CommandSyntaxError(
        `${name}: ${what} must be a positive integer, got '${word ?? ''}'; ${usage()}`,
      );
    }
    return Number(word);
  };
  const nonNegative = (what: string, word: string | undefined): number => {
    if (word === undefined || !/^[0-9]+$/.test(word) || !Number.isSafeInteger(Number(word))) {
      throw new CommandSyntaxError(
        `${name}: ${what} must be a non-negative integer, got '${word ?? ''}'; ${usage()}`,
      );
    }
    return Number(word);
  };

  const source = (word: string | undefined): ExternalLimitSource => {
    if (word === undefined) return 'EMS';
    const found = LIMIT_SOURCES.find((s) => s.toLowerCase() === word.toLowerCase());
    if (found === undefined) {
      throw new CommandSyntaxError(`${name}: unknown source '${word}' (one of ${LIMIT_SOURCES.join(', ')})`);
    }
    return found;
  };

  switch (name) {
    case 'dm': {
      if (args[0]?.toLowerCase() !== 'set' || args.length < 2) {
        throw new CommandSyntaxError(`dm: expected 'set <path>=<value>'; ${usage()}`);
      }
      const text = args.slice(1).join(' ');
      try {
        const { ref, value } = parseSetArgument(text);
        return { name, path: text.slice(0, text.indexOf('=')), ref, value };
      } catch (error) {
        if (error instanceof VariablePathError) throw new CommandSyntaxError(`dm: ${error.message}`);
        throw error;
      }
    }
    case 'monitor': {
      const action = args[0]?.toLowerCase();
      if (action === 'list') {
        arity(1, 1);
        return { name, action };
      }
      if (action === 'trigger') {
        arity(2, 2);
        return { name, action, id: nonNegative('<monitorId>', args[1]) };
      }
      throw new CommandSyntaxError(`monitor: expected 'list' or 'trigger <monitorId>'; ${usage()}`);
    }
    case 'firmware': {
      if (args[0]?.toLowerCase() !== 'next') {
        throw new CommandSyntaxError(`firmware: expected 'next <outcome>'; ${usage()}`);
      }
      arity(2, 2);
      const outcome = SIM_FIRMWARE_OUTCOMES.find((o) => o.toLowerCase() === args[1]?.toLowerCase());
      if (outcome === undefined) {
        throw new CommandSyntaxError(
          `firmware: unknown outcome '${args[1] ?? ''}' (one of ${SIM_FIRMWARE_OUTCOMES.join(', ')})`,
        );
      }
      return { name, action: 'next', outcome };
    }
    case 'limit': {
      arity(2, 4);
      const evseId = nonNegative('<evse>', args[0]);
      if (args[1]?.toLowerCase() === 'clear') {
        arity(2, 3);
        return { name, evseId, source: source(args[2]) };
      }
      arity(3, 4);
      const value = args[1] ?? '';
      if (!/^[0-9]+(\.[0-9]+)?$/.test(value)) {
        throw new CommandSyntaxError(
          `limit: <value> must be a number >= 0 or 'clear', got '${value}'; ${usage()}`,
        );
      }
      const unit = args[2]?.toUpperCase();
      if (unit !== 'A' && unit !== 'W') {
        throw new CommandSyntaxError(`limit: <unit> must be A or W, got '${args[2] ?? ''}'; ${usage()}`);
      }
      return { name, evseId, source: source(args[3]), set: { limit: Number(value), unit } };
    }
    case 'customer': {
      // The text is the rest of the line, spaces kept.
      const match = /^\S+\s+(\S+)(?:\s+(\S+)(?:\s+(.*))?)?$/.exec(line.trim());
      if (match?.[1]?.toLowerCase() !== 'add' || match[2] === undefined || !match[3]?.trim()) {
        throw new CommandSyntaxError(`customer: expected 'add <customerIdentifier> <text>'; ${usage()}`);
      }
      // CustomerInformationRequest.customerIdentifier is string(64).
      if (match[2].length > 64) {
        throw new CommandSyntaxError(`customer: the customerIdentifier is longer than 64 characters`);
      }
      return { name, action: 'add', customerIdentifier: match[2], text: match[3].trim() };
    }
    case 'help':
    case 'display':
    case 'offline':
    case 'online':
    case 'status':
    case 'quit':
      arity(0, 0);
      return { name };
    case 'plug':
    case 'unplug':
    case 'unplug-ev':
    case 'fault':
    case 'clear':
    case 'lock-fail':
      arity(1, 2);
      return {
        name,
        evseId: positive('<evse>', args[0]),
        connectorId: args[1] === undefined ? undefined : positive('[connector]', args[1]),
      };
    case 'charge':
    case 'suspend':
    case 'park':
    case 'unpark':
    case 'sign':
      arity(1, 1);
      return { name, evseId: positive('<evse>', args[0]) };
    case 'meter':
      arity(2, 3);
      return {
        name,
        evseId: positive('<evse>', args[0]),
        energyWh: nonNegative('<Wh>', args[1]),
        powerW: args[2] === undefined ? undefined : nonNegative('[W]', args[2]),
      };
    case 'masterpass-select': {
      if (args.length === 0) {
        throw new CommandSyntaxError(`masterpass-select: expected 'all' or EVSE ids; ${usage()}`);
      }
      if (args.length === 1 && args[0]?.toLowerCase() === 'all') return { name, selection: 'all' };
      const evseIds = args.map((word) => positive('<evse>', word));
      return { name, selection: [...new Set(evseIds)] };
    }
    case 'auth': {
      arity(1, 3);
      const idToken = args[0] ?? '';
      if (!ID_TOKEN.test(idToken)) {
        throw new CommandSyntaxError(
          `auth: the idToken '${idToken}' is not an identifierString of at most 36 characters (a-z A-Z 0-9 * - _ = : + | @ .)`,
        );
      }
      let tokenType: IdTokenEnumType = 'ISO14443';
      let evseWord: string | undefined;
      if (args[1] !== undefined) {
        // `auth TOKEN 2` is the EVSE (type defaulted); `auth TOKEN Local 2` names both.
        const type = ID_TOKEN_TYPES.find((t) => t.toLowerCase() === args[1]?.toLowerCase());
        if (type !== undefined) {
          tokenType = type;
          evseWord = args[2];
        } else if (args.length === 2 && /^[0-9]+$/.test(args[1])) {
          evseWord = args[1];
        } else {
          throw new CommandSyntaxError(
            `auth: unknown token type '${args[1]}' (one of ${ID_TOKEN_TYPES.join(', ')})`,
          );
        }
      }
      return {
        name,
        idToken,
        tokenType,
        evseId: evseWord === undefined ? undefined : positive('[evse]', evseWord),
      };
    }
  }
}

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMAND_USAGE, name);
}
