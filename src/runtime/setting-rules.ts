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
 */
import { IANAZone } from 'luxon';
import { csvEntries } from '../device-model/value-check.js';
import type { DeviceModelValidator } from '../device-model/index.js';
import type { DeviceModelPort, VariableRef } from './ports.js';

/** The longest wait one timer holds, in whole seconds: floor((2^31-1) ms / 1000). */
export const MAX_TIMER_S = 2_147_483;

/** Bounds of one numeric setting. */
export interface NumberRule {
  ref: VariableRef;
  min: number;
  max?: number;
  /** A decimal setting (else integer). */
  decimal?: boolean;
  /** What the station uses when the value is unset or cannot be read. */
  fallback: number;
  /** Why these bounds: the reason a value outside them is refused. */
  why: string;
}

const ref = (component: string, variable: string, variableInstance?: string): VariableRef =>
  variableInstance === undefined ? { component, variable } : { component, variable, variableInstance };

const seconds = (what: string) => `${what}; a wait longer than ${MAX_TIMER_S} s cannot be timed`;

/** The numeric settings and their bounds. */
export const NUMBER_RULES = {
  heartbeatInterval: {
    ref: ref('OCPPCommCtrlr', 'HeartbeatInterval'),
    min: 1,
    fallback: 1800,
    why: 'Part 2 §2.1.5: minLimit 1 (0 would be a busy loop)',
  },
  offlineThreshold: {
    ref: ref('OCPPCommCtrlr', 'OfflineThreshold'),
    min: 0,
    fallback: 60,
    why: 'a duration in seconds',
  },
  messageTimeout: {
    ref: ref('OCPPCommCtrlr', 'MessageTimeout', 'Default'),
    min: 1,
    max: MAX_TIMER_S,
    fallback: 30,
    why: seconds('a CALL needs time for its answer (0 or less fails every CALL)'),
  },
  messageQueueSizeThreshold: {
    ref: ref('InternalCtrlr', 'MessageQueueSizeThreshold'),
    min: 1,
    fallback: 10000,
    why: 'the example InternalCtrlr: minLimit 1; messages queued beyond it are thinned (J02.FR.12/13)',
  },
  messageAttemptsTx: {
    ref: ref('OCPPCommCtrlr', 'MessageAttempts', 'TransactionEvent'),
    min: 0,
    fallback: 3,
    why: 'a number of attempts (0 and 1 both mean: no retry, E13.FR.02)',
  },
  messageAttemptIntervalTx: {
    ref: ref('OCPPCommCtrlr', 'MessageAttemptInterval', 'TransactionEvent'),
    min: 0,
    fallback: 60,
    why: 'a duration in seconds',
  },
  networkProfileConnectionAttempts: {
    ref: ref('OCPPCommCtrlr', 'NetworkProfileConnectionAttempts'),
    min: 0,
    fallback: 3,
    why: 'a number of attempts (0 acts as 1: a slot is tried at least once)',
  },
  retryBackOffRepeatTimes: {
    ref: ref('OCPPCommCtrlr', 'RetryBackOffRepeatTimes'),
    min: 0,
    fallback: 2,
    why: 'a number of doublings',
  },
  retryBackOffRandomRange: {
    ref: ref('OCPPCommCtrlr', 'RetryBackOffRandomRange'),
    min: 0,
    max: MAX_TIMER_S,
    fallback: 2,
    why: seconds('a duration in seconds'),
  },
  retryBackOffWaitMinimum: {
    ref: ref('OCPPCommCtrlr', 'RetryBackOffWaitMinimum'),
    min: 0,
    max: MAX_TIMER_S,
    fallback: 1,
    why: seconds('a duration in seconds'),
  },
  webSocketPingInterval: {
    ref: ref('OCPPCommCtrlr', 'WebSocketPingInterval'),
    min: 0,
    max: MAX_TIMER_S,
    fallback: 30,
    why: seconds('Part 4 §8.4: 0 disables pings, negative values are not allowed'),
  },
  resetRetries: {
    ref: ref('OCPPCommCtrlr', 'ResetRetries'),
    min: 0,
    fallback: 0,
    why: 'a number of retries',
  },
  securityProfile: {
    ref: ref('SecurityCtrlr', 'SecurityProfile'),
    min: 1,
    max: 3,
    fallback: 1,
    why: 'A00: security profiles 1, 2 and 3',
  },
  timeAdjustmentReportingThreshold: {
    ref: ref('ClockCtrlr', 'TimeAdjustmentReportingThreshold'),
    min: 0,
    fallback: 0,
    why: 'a duration in seconds (0: clock adjustments are not reported)',
  },
  evConnectionTimeOut: {
    ref: ref('TxCtrlr', 'EVConnectionTimeOut'),
    min: 0,
    max: MAX_TIMER_S,
    fallback: 120,
    why: seconds('a duration in seconds'),
  },
  maxEnergyOnInvalidId: {
    ref: ref('TxCtrlr', 'MaxEnergyOnInvalidId'),
    min: 0,
    fallback: 0,
    why: 'an amount of energy in Wh',
  },
  sampledTxUpdatedInterval: {
    ref: ref('SampledDataCtrlr', 'TxUpdatedInterval'),
    min: 0,
    max: MAX_TIMER_S,
    fallback: 0,
    why: seconds('Part 2 §2.7.8: 0 means no sampled data during the transaction'),
  },
  sampledTxEndedInterval: {
    ref: ref('SampledDataCtrlr', 'TxEndedInterval'),
    min: 0,
    max: MAX_TIMER_S,
    fallback: 0,
    why: seconds('Part 2 §2.7.5: 0 means only the values at start and end'),
  },
  alignedInterval: {
    ref: ref('AlignedDataCtrlr', 'Interval'),
    min: 0,
    max: 86_400,
    fallback: 0,
    why: 'Part 2 §2.7.12: evenly spaced intervals of one day (0: no clock-aligned data)',
  },
  alignedTxEndedInterval: {
    ref: ref('AlignedDataCtrlr', 'TxEndedInterval'),
    min: 0,
    max: 86_400,
    fallback: 0,
    why: 'Part 2 §2.7.16: evenly spaced intervals of one day',
  },
  authCacheLifeTime: {
    ref: ref('AuthCacheCtrlr', 'LifeTime'),
    min: 0,
    fallback: 86_400,
    why: 'a duration in seconds',
  },
  limitChangeSignificance: {
    ref: ref('SmartChargingCtrlr', 'LimitChangeSignificance'),
    min: 0,
    decimal: true,
    fallback: 0,
    why: 'a percentage of change (K: SC.03)',
  },
  supplyVoltage: {
    ref: ref('SmartChargingCtrlr', 'SupplyVoltage'),
    min: 1,
    fallback: 230,
    why: 'a line voltage; A and W are converted with it',
  },
  compositeScheduleDefaultLimitAmps: {
    ref: ref('SmartChargingCtrlr', 'CompositeScheduleDefaultLimitAmps'),
    min: 0,
    fallback: 48,
    why: 'a current in A',
  },
  compositeScheduleDefaultLimitWatts: {
    ref: ref('SmartChargingCtrlr', 'CompositeScheduleDefaultLimitWatts'),
    min: 0,
    fallback: 33_120,
    why: 'a power in W',
  },
  compositeScheduleDefaultNumberPhases: {
    ref: ref('SmartChargingCtrlr', 'CompositeScheduleDefaultNumberPhases'),
    min: 1,
    max: 3,
    fallback: 3,
    why: 'an AC connection has 1, 2 or 3 phases',
  },
} satisfies Record<string, NumberRule>;

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
