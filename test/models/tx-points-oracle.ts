/**
 * What the CSMS must see for each TxStartPoint and TxStopPoint in the session of
 * tx-points.model.test.ts, written from the spec (E01, E06 and their Part 6 test cases, as
 * docs/transactions.md reads them), not from machines/transaction-rules.ts.
 */
import type { ReasonEnumType, TriggerReasonEnumType } from '../../src/generated/ocpp-types.js';
import type { TxPoint } from '../../machines/transaction-rules.js';

/** The facts of the session, in order: they come, then they go. */
export const SESSION = [
  'bay.occupied',
  'ev.connected',
  'auth',
  'signed',
  'charging',
  // ---- from here on the facts go
  'suspendedEV',
  'auth.stop',
  'unplug',
  'bay.vacated',
] as const;
export type SessionStep = (typeof SESSION)[number];

const at = (step: SessionStep) => SESSION.indexOf(step);

/**
 * E01.FR.01-06: the step at which the transaction starts and its triggerReason. PowerPathClosed
 * needs the token and the EV; in this order the token comes later (E01: "the later of the two").
 *
 * @example
 * expectedStart('EVConnected'); // { step: 1, triggerReason: 'CablePluggedIn' }
 */
export function expectedStart(point: TxPoint): { step: number; triggerReason: TriggerReasonEnumType } {
  switch (point) {
    case 'ParkingBayOccupancy':
      return { step: at('bay.occupied'), triggerReason: 'EVDetected' };
    case 'EVConnected':
      return { step: at('ev.connected'), triggerReason: 'CablePluggedIn' };
    case 'Authorized':
    case 'PowerPathClosed':
      return { step: at('auth'), triggerReason: 'Authorized' };
    case 'DataSigned':
      return { step: at('signed'), triggerReason: 'SignedDataReceived' };
    case 'EnergyTransfer':
      return { step: at('charging'), triggerReason: 'ChargingStateChanged' };
  }
}

/**
 * E06: the step at which the transaction ends, its triggerReason and stoppedReason; null when no
 * fact of the session leaves the stop point (DataSigned: nothing tells that signed data stopped).
 *
 * - EnergyTransfer: the EV stops taking energy: StoppedByEV (TC_E_22 errata).
 * - Authorized, PowerPathClosed: the token again ends it, StopAuthorized / Local (TC_E_15/21).
 * - EVConnected: the token only ends the authorization (Updated), the unplug ends it with
 *   EVCommunicationLost and the reason kept from the authorization's end, Local (TC_E_14/20).
 * - ParkingBayOccupancy: the drive-out ends it, EVDeparted, Local kept (TC_E_19).
 *
 * @example
 * expectedEnd('EVConnected'); // { step: 7, triggerReason: 'EVCommunicationLost', stoppedReason: 'Local' }
 */
export function expectedEnd(
  point: TxPoint,
): { step: number; triggerReason: TriggerReasonEnumType; stoppedReason: ReasonEnumType } | null {
  switch (point) {
    case 'EnergyTransfer':
      return { step: at('suspendedEV'), triggerReason: 'ChargingStateChanged', stoppedReason: 'StoppedByEV' };
    case 'Authorized':
    case 'PowerPathClosed':
      return { step: at('auth.stop'), triggerReason: 'StopAuthorized', stoppedReason: 'Local' };
    case 'EVConnected':
      return { step: at('unplug'), triggerReason: 'EVCommunicationLost', stoppedReason: 'Local' };
    case 'ParkingBayOccupancy':
      return { step: at('bay.vacated'), triggerReason: 'EVDeparted', stoppedReason: 'Local' };
    case 'DataSigned':
      return null;
  }
}
