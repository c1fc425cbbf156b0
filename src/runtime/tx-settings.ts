/**
 * The transaction settings of one EVSE, read from the device model: TxCtrlr (start and stop points,
 * timeouts, invalid-id handling), OCPPCommCtrlr.UnlockOnEVSideDisconnect, SampledDataCtrlr and
 * AlignedDataCtrlr intervals, and which connectors have a permanently attached cable
 * (Connector.ConnectorType starting with `c`, e.g. cType2; `s`: a socket for a detachable cable).
 * A value that cannot be used is read as the documented default (docs/transactions.md).
 */
import { TX_POINTS, type TxPoint, type TxSettings } from '../../machines/transaction-rules.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import type { DeviceModelPort, VariableRef } from './ports.js';
import { placedRef } from '../device-model/placed-refs.js';

const tx = (variable: string): VariableRef => ({ component: 'TxCtrlr', variable });

/** Variables the transactions read (their changes are followed). */
export const TX_VARIABLES = {
  startPoint: tx('TxStartPoint'),
  stopPoint: tx('TxStopPoint'),
  evConnectionTimeOut: tx('EVConnectionTimeOut'),
  stopTxOnEVSideDisconnect: tx('StopTxOnEVSideDisconnect'),
  stopTxOnInvalidId: tx('StopTxOnInvalidId'),
  maxEnergyOnInvalidId: tx('MaxEnergyOnInvalidId'),
  txBeforeAcceptedEnabled: tx('TxBeforeAcceptedEnabled'),
  unlockOnEVSideDisconnect: { component: 'OCPPCommCtrlr', variable: 'UnlockOnEVSideDisconnect' },
  sampledEnabled: { component: 'SampledDataCtrlr', variable: 'Enabled' },
  txUpdatedInterval: { component: 'SampledDataCtrlr', variable: 'TxUpdatedInterval' },
  txEndedInterval: { component: 'SampledDataCtrlr', variable: 'TxEndedInterval' },
  txEndedMeasurands: { component: 'SampledDataCtrlr', variable: 'TxEndedMeasurands' },
  alignedEnabled: { component: 'AlignedDataCtrlr', variable: 'Enabled' },
  alignedInterval: { component: 'AlignedDataCtrlr', variable: 'Interval' },
  alignedSendDuringIdle: { component: 'AlignedDataCtrlr', variable: 'SendDuringIdle' },
  alignedTxEndedInterval: { component: 'AlignedDataCtrlr', variable: 'TxEndedInterval' },
  alignedTxEndedMeasurands: { component: 'AlignedDataCtrlr', variable: 'TxEndedMeasurands' },
  resumeTransactionsOnBoot: { component: 'InternalCtrlr', variable: 'ResumeTransactionsOnBoot' },
} satisfies Record<string, VariableRef>;

/** The connector variable {@link fixedCable} reads. */
const CONNECTOR_TYPE: VariableRef = { component: 'Connector', variable: 'ConnectorType' };

const settingKey = (ref: { component: string; variable: string }) => `${ref.component}\u0000${ref.variable}`;
const TX_SETTING_KEYS: ReadonlySet<string> = new Set(
  [...Object.values(TX_VARIABLES), CONNECTOR_TYPE].map(settingKey),
);

/**
 * Whether a change of this variable may change the transaction settings: one of
 * {@link TX_VARIABLES} or a ConnectorType. Other variables of the same components (a boot's
 * HeartbeatInterval, say) no longer re-read every EVSE's settings (issue 9).
 *
 * @example
 * isTxSetting({ component: 'TxCtrlr', variable: 'TxStartPoint' }); // true
 * isTxSetting({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }); // false
 */
export function isTxSetting(ref: { component: string; variable: string }): boolean {
  return TX_SETTING_KEYS.has(settingKey(ref));
}

/**
 * A TxStartPoint/TxStopPoint MemberList as points, unknown members dropped.
 *
 * @example
 * parseTxPoints('EVConnected, Authorized,Bogus'); // ['EVConnected', 'Authorized']
 */
export function parseTxPoints(value: string | undefined): TxPoint[] {
  if (value === undefined) return [];
  const wanted = value.split(',').map((v) => v.trim());
  return TX_POINTS.filter((point) => wanted.includes(point));
}

/**
 * Is this connector's cable permanently attached? ConnectorType `c...` (cType2, cCCS2, ...) is a
 * cable, `s...` (sType2, ...) a socket (OCPP 2.0.1 Part 2 Appendix: ConnectorEnumType).
 *
 * @example
 * fixedCable(dm, 1, 1); // false for sType2
 */
export function fixedCable(dm: DeviceModelPort, evseId: number, connectorId: number): boolean {
  const type = dm.get(placedRef(CONNECTOR_TYPE, evseId, connectorId));
  return type !== undefined && /^c/.test(type);
}

/**
 * The settings a session on `evse` follows now.
 *
 * @example
 * const settings = readTxSettings(deviceModel, { id: 1, connectors: [{ id: 1 }] }, 'library');
 */
export function readTxSettings(
  dm: DeviceModelPort,
  evse: EvseStructure,
  control: TxSettings['control'],
): TxSettings {
  const int = (ref: VariableRef, fallback: number) => {
    const value = dm.getInteger(ref);
    return value === undefined || value < 0 ? fallback : value;
  };
  const sampled = dm.getBoolean(TX_VARIABLES.sampledEnabled) !== false;
  const aligned = dm.getBoolean(TX_VARIABLES.alignedEnabled) !== false;
  const measured = (ref: VariableRef) => (dm.get(ref) ?? '').trim() !== '';
  // J01.FR.19/20: with SendDuringIdle, no clock-aligned values while a transaction runs.
  const sendDuringIdle = dm.getBoolean(TX_VARIABLES.alignedSendDuringIdle) === true;
  return {
    startPoints: parseTxPoints(dm.get(TX_VARIABLES.startPoint) ?? 'PowerPathClosed'),
    stopPoints: parseTxPoints(dm.get(TX_VARIABLES.stopPoint) ?? 'EVConnected,Authorized'),
    evConnectionTimeOutS: int(TX_VARIABLES.evConnectionTimeOut, 120),
    stopTxOnEVSideDisconnect: dm.getBoolean(TX_VARIABLES.stopTxOnEVSideDisconnect) ?? true,
    unlockOnEVSideDisconnect: dm.getBoolean(TX_VARIABLES.unlockOnEVSideDisconnect) ?? true,
    stopTxOnInvalidId: dm.getBoolean(TX_VARIABLES.stopTxOnInvalidId) ?? true,
    maxEnergyOnInvalidIdWh: int(TX_VARIABLES.maxEnergyOnInvalidId, 0),
    txUpdatedIntervalS: sampled ? int(TX_VARIABLES.txUpdatedInterval, 0) : 0,
    txEndedIntervalS: sampled && measured(TX_VARIABLES.txEndedMeasurands) ? int(TX_VARIABLES.txEndedInterval, 0) : 0,
    alignedIntervalS: aligned && !sendDuringIdle ? int(TX_VARIABLES.alignedInterval, 0) : 0,
    alignedTxEndedIntervalS:
      aligned && measured(TX_VARIABLES.alignedTxEndedMeasurands) ? int(TX_VARIABLES.alignedTxEndedInterval, 0) : 0,
    fixedCableConnectors: evse.connectors.filter((c) => fixedCable(dm, evse.id, c.id)).map((c) => c.id),
    control,
  };
}

/**
 * The settings a session on each EVSE follows now, by EVSE id.
 *
 * @example
 * txSettingsByEvse(deviceModel, [{ id: 1, connectors: [{ id: 1 }] }], 'library')['1'];
 */
export function txSettingsByEvse(
  dm: DeviceModelPort,
  evses: readonly EvseStructure[],
  control: TxSettings['control'],
): Record<string, TxSettings> {
  return Object.fromEntries(evses.map((evse) => [String(evse.id), readTxSettings(dm, evse, control)]));
}

/**
 * InternalCtrlr.ResumeTransactionsOnBoot: do open transactions go on after a power loss? Default false
 * (libocpp's default): they end with stoppedReason PowerLoss.
 *
 * @example
 * resumeTransactionsOnBoot(deviceModel); // false unless configured
 */
export function resumeTransactionsOnBoot(dm: DeviceModelPort): boolean {
  return dm.getBoolean(TX_VARIABLES.resumeTransactionsOnBoot) === true;
}
