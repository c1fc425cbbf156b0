/**
 * The device-model variables the runtime reads, by name, and their defaults when a configuration
 * leaves them unset. Reading goes through the device model every time so that a SetVariables takes
 * effect without a restart wherever the specification allows it. Values outside the bounds of
 * setting-rules.ts are clamped (or defaulted) and reported, never thrown.
 */
import type { QueueSettings } from '../queue/queue-types.js';
import type { DeviceModelPort, VariableRef } from './ports.js';
import { NUMBER_RULES, readBooleanSetting, readSetting, type SettingValueError } from './setting-rules.js';

const comm = (variable: string, variableInstance?: string): VariableRef =>
  variableInstance === undefined
    ? { component: 'OCPPCommCtrlr', variable }
    : { component: 'OCPPCommCtrlr', variable, variableInstance };

/** Well-known variables (OCPP 2.0.1 Part 2 Appendix 3 and the example InternalCtrlr). */
export const VARIABLES = {
  heartbeatInterval: NUMBER_RULES.heartbeatInterval.ref,
  offlineThreshold: NUMBER_RULES.offlineThreshold.ref,
  messageTimeout: NUMBER_RULES.messageTimeout.ref,
  messageAttemptsTx: NUMBER_RULES.messageAttemptsTx.ref,
  messageAttemptIntervalTx: NUMBER_RULES.messageAttemptIntervalTx.ref,
  queueAllMessages: comm('QueueAllMessages'),
  networkConfigurationPriority: comm('NetworkConfigurationPriority'),
  networkProfileConnectionAttempts: NUMBER_RULES.networkProfileConnectionAttempts.ref,
  retryBackOffRepeatTimes: NUMBER_RULES.retryBackOffRepeatTimes.ref,
  retryBackOffRandomRange: NUMBER_RULES.retryBackOffRandomRange.ref,
  retryBackOffWaitMinimum: NUMBER_RULES.retryBackOffWaitMinimum.ref,
  webSocketPingInterval: NUMBER_RULES.webSocketPingInterval.ref,
  activeNetworkProfile: comm('ActiveNetworkProfile'),
  securityProfile: NUMBER_RULES.securityProfile.ref,
  basicAuthPassword: { component: 'SecurityCtrlr', variable: 'BasicAuthPassword' },
  allowSecurityProfileDowngrade: { component: 'SecurityCtrlr', variable: 'AllowSecurityProfileDowngrade' },
  identity: { component: 'SecurityCtrlr', variable: 'Identity' },
  networkConnectionProfiles: { component: 'InternalCtrlr', variable: 'NetworkConnectionProfiles' },
  chargePointVendor: { component: 'InternalCtrlr', variable: 'ChargePointVendor' },
  chargePointModel: { component: 'InternalCtrlr', variable: 'ChargePointModel' },
  chargeBoxSerialNumber: { component: 'InternalCtrlr', variable: 'ChargeBoxSerialNumber' },
  firmwareVersion: { component: 'InternalCtrlr', variable: 'FirmwareVersion' },
  iccid: { component: 'InternalCtrlr', variable: 'ICCID' },
  imsi: { component: 'InternalCtrlr', variable: 'IMSI' },
  timeSource: { component: 'ClockCtrlr', variable: 'TimeSource' },
  timeAdjustmentReportingThreshold: NUMBER_RULES.timeAdjustmentReportingThreshold.ref,
} satisfies Record<string, VariableRef>;

/**
 * EVSE.AllowReset of one EVSE (B11.FR.10: may it be reset on its own?).
 *
 * @example
 * deviceModel.getBoolean(evseAllowReset(1)); // true when EVSE 1 can be reset alone
 */
export const evseAllowReset = (evseId: number): VariableRef => ({
  component: 'EVSE',
  evseId,
  variable: 'AllowReset',
});

export interface RuntimeSettings {
  heartbeatIntervalS: number;
  offlineThresholdS: number;
  messageTimeoutS: number;
  transactionAttempts: number;
  transactionAttemptIntervalS: number;
  queueAllMessages: boolean;
  messageQueueSizeThreshold: number;
  networkProfileConnectionAttempts: number;
  retryBackOffRepeatTimes: number;
  retryBackOffRandomRangeS: number;
  retryBackOffWaitMinimumS: number;
  webSocketPingIntervalS: number;
  securityProfile: number;
}

/**
 * Reads the runtime's settings from the device model, with the defaults the example configuration
 * documents for variables a configuration leaves without a value. A stored value outside its bounds
 * (setting-rules.ts) is clamped, one that cannot be read replaced by the default; `warn` hears of
 * each. Never throws.
 *
 * @example
 * const { heartbeatIntervalS } = readSettings(deviceModel);
 */
export function readSettings(
  dm: Pick<DeviceModelPort, 'get'>,
  warn?: (problem: SettingValueError) => void,
): RuntimeSettings {
  const n = (rule: (typeof NUMBER_RULES)[keyof typeof NUMBER_RULES]) => readSetting(dm, rule, warn);
  const r = NUMBER_RULES;
  return {
    heartbeatIntervalS: n(r.heartbeatInterval),
    offlineThresholdS: n(r.offlineThreshold),
    messageTimeoutS: n(r.messageTimeout),
    transactionAttempts: n(r.messageAttemptsTx),
    transactionAttemptIntervalS: n(r.messageAttemptIntervalTx),
    queueAllMessages: readBooleanSetting(dm, VARIABLES.queueAllMessages, false, warn),
    messageQueueSizeThreshold: n(r.messageQueueSizeThreshold),
    networkProfileConnectionAttempts: n(r.networkProfileConnectionAttempts),
    retryBackOffRepeatTimes: n(r.retryBackOffRepeatTimes),
    retryBackOffRandomRangeS: n(r.retryBackOffRandomRange),
    retryBackOffWaitMinimumS: n(r.retryBackOffWaitMinimum),
    webSocketPingIntervalS: n(r.webSocketPingInterval),
    securityProfile: n(r.securityProfile),
  };
}

/**
 * The settings the outgoing queue reads (src/queue/message-queue.ts), from the device model now.
 *
 * @example
 * new MessageQueue({ ..., settings: () => queueSettings(deviceModel) });
 */
export function queueSettings(dm: Pick<DeviceModelPort, 'get'>): QueueSettings {
  const s = readSettings(dm);
  return {
    transactionAttempts: s.transactionAttempts,
    transactionAttemptIntervalS: s.transactionAttemptIntervalS,
    queueAllMessages: s.queueAllMessages,
    sizeThreshold: s.messageQueueSizeThreshold,
  };
}
