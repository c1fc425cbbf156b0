/**
 * The numeric settings the station reads and their bounds: a value outside them would break the
 * station (a negative WebSocketPingInterval makes every connect throw, a MessageTimeout of 0 fails
 * every CALL). setting-rules.ts applies them at write time (settingsValidator) and at use time
 * (readSetting), with the text settings' formats (docs/device-model.md, "Settings the station reads").
 */
import type { VariableRef } from './ports.js';

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
