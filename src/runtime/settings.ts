/**
 * The device-model variables the runtime reads, by name, and their defaults when a configuration
 * leaves them unset. Reading goes through the device model every time so that a SetVariables takes
 * effect without a restart wherever the specification allows it.
 */
import type { DeviceModelPort, VariableRef } from './ports.js';

const comm = (variable: string, variableInstance?: string): VariableRef =>
  variableInstance === undefined
    ? { component: 'OCPPCommCtrlr', variable }
    : { component: 'OCPPCommCtrlr', variable, variableInstance };

/** Well-known variables (OCPP 2.0.1 Part 2 Appendix 3 and the example InternalCtrlr). */
export const VARIABLES = {
  heartbeatInterval: comm('HeartbeatInterval'),
  offlineThreshold: comm('OfflineThreshold'),
  messageTimeout: comm('MessageTimeout', 'Default'),
  messageAttemptsTx: comm('MessageAttempts', 'TransactionEvent'),
  messageAttemptIntervalTx: comm('MessageAttemptInterval', 'TransactionEvent'),
  queueAllMessages: comm('QueueAllMessages'),
  networkConfigurationPriority: comm('NetworkConfigurationPriority'),
  networkProfileConnectionAttempts: comm('NetworkProfileConnectionAttempts'),
  retryBackOffRepeatTimes: comm('RetryBackOffRepeatTimes'),
  retryBackOffRandomRange: comm('RetryBackOffRandomRange'),
  retryBackOffWaitMinimum: comm('RetryBackOffWaitMinimum'),
  webSocketPingInterval: comm('WebSocketPingInterval'),
  activeNetworkProfile: comm('ActiveNetworkProfile'),
  securityProfile: { component: 'SecurityCtrlr', variable: 'SecurityProfile' },
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
  timeAdjustmentReportingThreshold: { component: 'ClockCtrlr', variable: 'TimeAdjustmentReportingThreshold' },
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
  networkProfileConnectionAttempts: number;
  retryBackOffRepeatTimes: number;
  retryBackOffRandomRangeS: number;
  retryBackOffWaitMinimumS: number;
  webSocketPingIntervalS: number;
  securityProfile: number;
}

/**
 * Reads the runtime's settings from the device model, with the defaults the example configuration
 * documents for variables a configuration leaves without a value.
 *
 * @example
 * const { heartbeatIntervalS } = readSettings(deviceModel);
 */
export function readSettings(dm: DeviceModelPort): RuntimeSettings {
  const int = (ref: VariableRef, fallback: number) => dm.getInteger(ref) ?? fallback;
  return {
    heartbeatIntervalS: int(VARIABLES.heartbeatInterval, 1800),
    offlineThresholdS: int(VARIABLES.offlineThreshold, 60),
    messageTimeoutS: int(VARIABLES.messageTimeout, 30),
    transactionAttempts: int(VARIABLES.messageAttemptsTx, 3),
    transactionAttemptIntervalS: int(VARIABLES.messageAttemptIntervalTx, 60),
    queueAllMessages: dm.getBoolean(VARIABLES.queueAllMessages) ?? false,
    networkProfileConnectionAttempts: int(VARIABLES.networkProfileConnectionAttempts, 3),
    retryBackOffRepeatTimes: int(VARIABLES.retryBackOffRepeatTimes, 2),
    retryBackOffRandomRangeS: int(VARIABLES.retryBackOffRandomRange, 2),
    retryBackOffWaitMinimumS: int(VARIABLES.retryBackOffWaitMinimum, 1),
    webSocketPingIntervalS: int(VARIABLES.webSocketPingInterval, 30),
    securityProfile: int(VARIABLES.securityProfile, 1),
  };
}
