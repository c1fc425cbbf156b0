/** Transaction settings for machine tests: the shipped defaults (TxStartPoint PowerPathClosed). */
import type { TxSettings } from '../../machines/transaction-rules.js';

export const TX_SETTINGS: TxSettings = {
  startPoints: ['PowerPathClosed'],
  stopPoints: ['EVConnected', 'Authorized'],
  evConnectionTimeOutS: 120,
  stopTxOnEVSideDisconnect: true,
  unlockOnEVSideDisconnect: true,
  stopTxOnInvalidId: true,
  maxEnergyOnInvalidIdWh: 0,
  txUpdatedIntervalS: 0,
  txEndedIntervalS: 0,
  alignedIntervalS: 0,
  alignedTxEndedIntervalS: 0,
  fixedCableConnectors: [],
  control: 'library',
};

/** A station time for events. */
export const AT = '2026-01-01T00:00:00.000Z';
