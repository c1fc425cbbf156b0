/**
 * What the settings the station reads may be, beyond their dataType: the bounds and formats outside
 * which a value would break the station (a negative WebSocketPingInterval makes every connect
 * throw, a MessageTimeout of 0 fails every CALL, an empty TxStartPoint never starts a transaction).
 *
 * The same rules act twice (docs/device-model.md, "Settings the station reads"):
 * - at write time, {@link settingsValidator} refuses a CSMS value outside them (SetVariables
 *   Rejected with ValueTooLow / ValueTooHigh / InvalidValue), whatever limits a component config
 *   declares (the shipped one declares the same bounds as minLimit/maxLimit, so a CSMS can see them);
 * - at use time, {@link readSetting} clamps a stored value outside them (from an older database, a
 *   host write, a config without limits) and reports it, and never throws.
 *
 * The numeric bounds are in number-setting-rules.ts (re-exported here); the text formats, and the
 * checks of both, are here.
 */
import { IANAZone } from 'luxon';
import { csvEntries } from '../device-model/value-check.js';
import type { DeviceModelValidator } from '../device-model/index.js';
import type { DeviceModelPort, VariableRef } from './ports.js';
import { NUMBER_RULES, type NumberRule } from './number-setting-rules.js';

export { MAX_TIMER_S, NUMBER_RULES, type NumberRule } from './number-setting-rules.js';

const ref = (component: string, variable: string, variableInstance?: string): VariableRef =>
  variableInstance === undefined ? { component, variable } : { component, variable, variableInstance };

/** A format rule of a text setting: the problem with `value`, or undefined when it is fine. */
export interface TextRule {
  ref: VariableRef;
  problem(value: string): string | undefined;
  /** Never show the value (A01.FR.11/12: a password is not logged). */
  secret?: boolean;
}

/** The text settings with a format the station depends on. */
export const TEXT_RULES: readonly TextRule[] = [
  {
    // Empty: no transaction would ever start (or end): Part 2 §2.6.4/2.6.5 "when any event in the list".
    ref: ref('TxCtrlr', 'TxStartPoint'),
    problem: (value) =>
      csvEntries(value).length === 0 ? 'an empty list never starts a transaction' : undefined,
  },
  {
    ref: ref('TxCtrlr', 'TxStopPoint'),
    problem: (value) =>
      csvEntries(value).length === 0 ? 'an empty list never ends a transaction' : undefined,
  },
  {
    // Part 2 §2.1.31: e.g. "Europe/Oslo"; Recurring charging profiles recur in it.
    ref: ref('ClockCtrlr', 'TimeZone'),
    problem: (value) =>
      value === '' || IANAZone.isValidZone(value) ? undefined : `'${value}' is not an IANA time zone`,
  },
  {
    // Part 2 §2.2.1: 16 to 40 characters; profiles 1 and 2 cannot connect without one.
    ref: ref('SecurityCtrlr', 'BasicAuthPassword'),
    secret: true,
    problem: (value) => {
      const length = [...value].length;
      return length < 16 || length > 40 ? `a password has 16 to 40 characters, not ${length}` : undefined;
    },
  },
];

/**
 * A stored setting the station cannot use as it is: `used` is what it uses instead.
 *
 * @example
 * onError: (e) => { if (e instanceof SettingValueError) console.warn(e.variable, e.value, '->', e.used); }
 */
export class SettingValueError extends Error {
  override readonly name = 'SettingValueError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_SETTING_VALUE';
  constructor(
    readonly variable: string,
    /** The stored value ('(hidden)' for a password). */
    readonly value: string,
    /** The value used instead, when the station substitutes one. */
    readonly used: number | boolean | undefined,
    reason: string,
  ) {
    super(`${variable} is '${value}' (${reason})${used === undefined ? '' : `; using ${String(used)}`}`);
  }
}

const sameRef = (a: VariableRef, b: VariableRef): boolean =>
  a.component.toLowerCase() === b.component.toLowerCase() &&
  a.variable.toLowerCase() === b.variable.toLowerCase() &&
  (a.variableInstance ?? '').toLowerCase() === (b.variableInstance ?? '').toLowerCase() &&
  (a.attribute ?? 'Actual') === (b.attribute ?? 'Actual');

const nameOf = (r: VariableRef): string =>
  `${r.component}.${r.variable}${r.variableInstance === undefined ? '' : `[${r.variableInstance}]`}`;

/** The problem with a number for a rule: a reason code and what is wrong, or undefined. */
function numberProblem(
  rule: NumberRule,
  raw: string,
): { reasonCode: 'InvalidValue' | 'ValueTooLow' | 'ValueTooHigh'; message: string } | undefined {
  const value = Number(raw);
  const pattern = rule.decimal === true ? /^-?[0-9]+(\.[0-9]+)?$/ : /^-?[0-9]+$/;
  if (!pattern.test(raw.trim()) || !Number.isFinite(value)) {
    return {
      reasonCode: 'InvalidValue',
      message: `not ${rule.decimal === true ? 'a number' : 'an integer'}`,
    };
  }
  if (value < rule.min) return { reasonCode: 'ValueTooLow', message: `below ${rule.min}: ${rule.why}` };
  if (rule.max !== undefined && value > rule.max) {
    return { reasonCode: 'ValueTooHigh', message: `above ${rule.max}: ${rule.why}` };
  }
  return undefined;
}

/**
 * Reads a numeric setting safely: unset gives the fallback; a value that is not a number gives the
 * fallback, one outside the bounds the nearest bound, each reported through `warn`. Never throws.
 *
 * @example
 * readSetting(deviceModel, NUMBER_RULES.webSocketPingInterval); // -1 stored -> 0 (and a warning)
 */
export function readSetting(
  dm: Pick<DeviceModelPort, 'get'>,
  rule: NumberRule,
  warn?: (problem: SettingValueError) => void,
): number {
  const raw = dm.get(rule.ref);
  if (raw === undefined || raw.trim() === '') return rule.fallback;
  const problem = numberProblem(rule, raw);
  if (problem === undefined) return Number(raw);
  const used =
    problem.reasonCode === 'ValueTooLow'
      ? rule.min
      : problem.reasonCode === 'ValueTooHigh'
        ? (rule.max ?? rule.fallback)
        : rule.fallback;
  warn?.(new SettingValueError(nameOf(rule.ref), raw, used, problem.message));
  return used;
}

/**
 * Reads a boolean setting safely: "true"/"false" in any case; anything else gives the fallback,
 * reported through `warn` when set. Never throws.
 *
 * @example
 * readBooleanSetting(deviceModel, { component: 'OCPPCommCtrlr', variable: 'QueueAllMessages' }, false);
 */
export function readBooleanSetting(
  dm: Pick<DeviceModelPort, 'get'>,
  variable: VariableRef,
  fallback: boolean,
  warn?: (problem: SettingValueError) => void,
): boolean {
  const raw = dm.get(variable);
  if (raw === undefined || raw.trim() === '') return fallback;
  const lower = raw.trim().toLowerCase();
  if (lower === 'true' || lower === 'false') return lower === 'true';
  warn?.(new SettingValueError(nameOf(variable), raw, fallback, 'not a boolean'));
  return fallback;
}

/**
 * The verdict of the rules on a CSMS write of `value` to `variable`: undefined when no rule objects.
 *
 * @example
 * settingProblem({ component: 'OCPPCommCtrlr', variable: 'WebSocketPingInterval' }, '-1');
 * // { reasonCode: 'ValueTooLow', additionalInfo: 'OCPPCommCtrlr.WebSocketPingInterval -1 is below 0: ...' }
 */
export function settingProblem(
  variable: VariableRef,
  value: string,
): { reasonCode: string; additionalInfo: string } | undefined {
  for (const rule of Object.values(NUMBER_RULES) as NumberRule[]) {
    if (!sameRef(rule.ref, variable)) continue;
    const problem = numberProblem(rule, value);
    if (problem === undefined) return undefined;
    return {
      reasonCode: problem.reasonCode,
      additionalInfo: `${nameOf(rule.ref)} ${value} is ${problem.message}`,
    };
  }
  for (const rule of TEXT_RULES) {
    if (!sameRef(rule.ref, variable)) continue;
    const problem = rule.problem(value);
    return problem === undefined
      ? undefined
      : { reasonCode: 'InvalidValue', additionalInfo: `${nameOf(rule.ref)}: ${problem}` };
  }
  return undefined;
}

/**
 * The device-model rule on CSMS writes of the settings above (B05.FR.07/08: Rejected with a reason
 * code), for any component config, with or without limits of its own.
 *
 * @example
 * deviceModel.addValidator(settingsValidator);
 * // SetVariables OCPPCommCtrlr.WebSocketPingInterval = -1 -> Rejected, ValueTooLow
 */
export const settingsValidator: DeviceModelValidator = (variable, value) => {
  const problem = settingProblem(variable, value);
  return problem === undefined ? undefined : { status: 'Rejected', ...problem };
};

/**
 * Every stored setting the station cannot use as it is (the start-up check: values from an older
 * database or a config without limits), each as the {@link SettingValueError} its reader reports.
 *
 * @example
 * for (const problem of storedSettingProblems(deviceModel)) onError(problem);
 */
export function storedSettingProblems(dm: Pick<DeviceModelPort, 'get'>): SettingValueError[] {
  const problems: SettingValueError[] = [];
  for (const rule of Object.values(NUMBER_RULES) as NumberRule[])
    readSetting(dm, rule, (p) => problems.push(p));
  for (const rule of TEXT_RULES) {
    const value = dm.get(rule.ref);
    const problem = value === undefined ? undefined : rule.problem(value);
    if (value !== undefined && problem !== undefined) {
      problems.push(
        new SettingValueError(nameOf(rule.ref), rule.secret ? '(hidden)' : value, undefined, problem),
      );
    }
  }
  return problems;
}
