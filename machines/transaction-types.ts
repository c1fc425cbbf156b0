/**
 * The vocabulary of one charging session (machines/transaction-rules.ts): its settings, context,
 * events, and the TransactionEvents and effects a step produces. Types only, plus the list of
 * TxStartPoint / TxStopPoint values.
 */
import type {
  ChargingStateEnumType,
  IdTokenInfoType,
  IdTokenType,
  ReasonEnumType,
  TransactionEventEnumType,
  TriggerReasonEnumType,
} from '../src/generated/ocpp-types.js';

/** Values of TxCtrlr.TxStartPoint / TxStopPoint (E01, E06). */
export type TxPoint =
  'ParkingBayOccupancy' | 'EVConnected' | 'Authorized' | 'DataSigned' | 'PowerPathClosed' | 'EnergyTransfer';

export const TX_POINTS: readonly TxPoint[] = [
  'ParkingBayOccupancy',
  'EVConnected',
  'Authorized',
  'DataSigned',
  'PowerPathClosed',
  'EnergyTransfer',
];

/** What the host reports about the energy flow (libocpp on_charging_state_changed). */
export type HostChargingState = 'Charging' | 'SuspendedEV' | 'SuspendedEVSE';

/** The configuration a session follows; read from the device model by src/ and kept current. */
export interface TxSettings {
  /** TxCtrlr.TxStartPoint; in 'host' control ignored (the host starts). */
  startPoints: TxPoint[];
  /** TxCtrlr.TxStopPoint; in 'host' control ignored (the host stops). */
  stopPoints: TxPoint[];
  /** TxCtrlr.EVConnectionTimeOut (s); 0: no timeout. */
  evConnectionTimeOutS: number;
  /** TxCtrlr.StopTxOnEVSideDisconnect (E09/E10). */
  stopTxOnEVSideDisconnect: boolean;
  /** OCPPCommCtrlr... TxCtrlr.UnlockOnEVSideDisconnect (E09.FR.02/03). */
  unlockOnEVSideDisconnect: boolean;
  /** TxCtrlr.StopTxOnInvalidId (E05, C15). */
  stopTxOnInvalidId: boolean;
  /** TxCtrlr.MaxEnergyOnInvalidId (Wh); 0 when absent. */
  maxEnergyOnInvalidIdWh: number;
  /** SampledDataCtrlr.TxUpdatedInterval (s); 0: no periodic TransactionEvent. */
  txUpdatedIntervalS: number;
  /** SampledDataCtrlr.TxEndedInterval (s), only when TxEndedMeasurands is not empty; else 0. */
  txEndedIntervalS: number;
  /** AlignedDataCtrlr.Interval (s) for MeterValueClock TransactionEvents; 0 when off or SendDuringIdle (J01.FR.19). */
  alignedIntervalS: number;
  /** AlignedDataCtrlr.TxEndedInterval (s), only when TxEndedMeasurands is not empty; else 0. */
  alignedTxEndedIntervalS: number;
  /** Connectors of this EVSE whose cable is permanently attached (Connector.ConnectorType c*). */
  fixedCableConnectors: number[];
  /** 'library': start and stop follow TxStartPoint/TxStopPoint; 'host': onTransactionStarted/Finished decide. */
  control: 'library' | 'host';
}

/** Where a TransactionEvent's meter data comes from (src/ reads the meter). */
export type TxMeterData = 'begin' | 'periodic' | 'clock' | 'trigger' | 'end';

/** One TransactionEventRequest to send, before src/ adds the meter values, offline flag and ids. */
export interface TxEventParams {
  eventType: TransactionEventEnumType;
  timestamp: string;
  triggerReason: TriggerReasonEnumType;
  seqNo: number;
  transactionId: string;
  evseId: number;
  /** evse (with connectorId when known) is included (E01.FR.16). */
  evse?: { id: number; connectorId?: number };
  chargingState?: ChargingStateEnumType;
  idToken?: IdTokenType;
  remoteStartId?: number;
  reservationId?: number;
  stoppedReason?: ReasonEnumType;
  /** Seconds charged so far (TransactionType.timeSpentCharging). */
  timeSpentCharging?: number;
  /** Meter data to attach (Started: begin; Ended: end; MeterValuePeriodic/Clock, Trigger: their kind). */
  meter: TxMeterData[];
}

/** Effects on the hardware and the station that follow a step. */
export type TxEffect =
  | { kind: 'permitted'; permitted: boolean }
  | { kind: 'unlock'; connectorId: number }
  /**
   * The cable stays locked until its owner presents this idToken (E05.FR.11, E09.FR.03): the station
   * unlocks it then, with no new session.
   */
  | { kind: 'lockedFor'; connectorId: number; idToken: IdTokenType }
  | { kind: 'recordSample'; sample: 'periodic' | 'clock' }
  /** The transaction started (for smart charging, availability and reset bookkeeping). */
  | { kind: 'started' }
  | { kind: 'ended'; reason: ReasonEnumType };

export interface TransactionContext {
  evseId: number;
  transactionId: string;
  settings: TxSettings;
  // Facts of the session.
  connectorId: number | null;
  evConnected: boolean;
  parked: boolean;
  hostState: HostChargingState | null;
  lockFailed: boolean;
  faulted: boolean;
  /** The EV was connected at some point of this session. */
  evSeen: boolean;
  // Authorization.
  idToken: IdTokenType | null;
  groupIdToken: IdTokenType | null;
  authorized: boolean;
  /** StopTxOnInvalidId false: charging withheld (SuspendedEVSE), or allowed up to a register value. */
  invalidId: null | { suspended: true } | { suspended: false; untilWh: number | null };
  /** Why the authorization ended: the stoppedReason of the Ended event that follows. */
  authEndReason: ReasonEnumType | null;
  // The transaction.
  started: boolean;
  startedAt: string | null;
  ended: boolean;
  /** The session is over without a transaction (nothing left to wait for). */
  discarded: boolean;
  /** seqNo of the next TransactionEventRequest (E01.FR.07: from 0, +1 each). */
  seqNo: number;
  /** Last chargingState sent (E02.FR.13: sent whenever it changes). */
  chargingState: ChargingStateEnumType | null;
  /** evse.connectorId has been sent (E01.FR.16). */
  connectorReported: boolean;
  /** Include idToken in the next TransactionEvent (E03.FR.01, E02.FR.01). */
  pendingIdToken: IdTokenType | null;
  /** F01/F02: the next TransactionEvent is RemoteStart with this remoteStartId (Part 6 §2.1). */
  pendingRemoteStartId: number | null;
  /** E01.FR.13 / H01.FR.15: the next TransactionEvent carries this reservationId. */
  pendingReservationId: number | null;
  /** The seqNo of the TransactionEvent that carried the authorizing idToken (its answer is checked, E05). */
  idTokenSeqNo: number | null;
  /** Energy has flowed during the transaction (TxStopPoint EnergyTransfer ends when it stops). */
  hasCharged: boolean;
  meterStartWh: number | null;
  /** Charging time so far (s) and since when the current charging period runs. */
  chargingSeconds: number;
  chargingSince: string | null;
  /** Charging may go on (authorized, EV connected, nothing withholds it): told to the host. */
  permitted: boolean;
  /** The cable was unlocked since charging was last permitted (the host locks it to charge). */
  cableReleased: boolean;
  // Deadlines (station time).
  evConnectionTimeoutAt: string | null;
  nextPeriodicAt: string | null;
  nextEndedSampleAt: string | null;
  /** Station time of the last event handled. */
  lastEventAt: string;
}

export interface TransactionInput {
  evseId: number;
  transactionId: string;
  settings: TxSettings;
  at: string;
  /** Facts of the EVSE when the session opens. */
  connectorId?: number | null;
  evConnected?: boolean;
  parked?: boolean;
  /**
   * Rebuild a session from its stored context (the `transaction_record` table) when its snapshot
   * could not be used; the chart's states follow the context, so it lands where it was.
   */
  restoreContext?: TransactionContext;
}

/**
 * Events of a session. Every one carries the station time it happened at and, when src/ knows it,
 * the meter's energy register then (Energy.Active.Import.Register, Wh).
 */
export type TransactionEvent = (
  | { type: 'ev.connected'; connectorId: number; at: string }
  /** The EV is gone: the cable left the EV (a socket cable stays in, E09/E10) or the station. */
  | { type: 'ev.disconnected'; connectorId: number; at: string }
  | { type: 'bay.occupied'; at: string }
  | { type: 'bay.vacated'; at: string }
  | {
      type: 'auth.accepted';
      idToken: IdTokenType;
      groupIdToken?: IdTokenType;
      reservationId?: number;
      at: string;
    }
  | {
      type: 'auth.remoteStart';
      idToken: IdTokenType;
      groupIdToken?: IdTokenType;
      remoteStartId: number;
      reservationId?: number;
      at: string;
    }
  /** E07: the driver ended the authorization (same token, or same group); MasterPass: C16. */
  | { type: 'auth.stop'; idToken?: IdTokenType; reason: 'Local' | 'MasterPass'; at: string }
  | { type: 'remote.stop'; at: string }
  | { type: 'charging.state'; state: HostChargingState | null; at: string }
  | { type: 'meter.signed'; at: string }
  /** A new energy register reading (only acted on while MaxEnergyOnInvalidId is being counted). */
  | { type: 'meter.energy'; at: string }
  | { type: 'connector.lockFailed'; at: string }
  | { type: 'connector.faulted'; reason?: ReasonEnumType; at: string }
  | { type: 'connector.faultCleared'; at: string }
  /** The CSMS answered the TransactionEvent with seqNo (E05: its idTokenInfo). */
  | { type: 'tx.answered'; seqNo: number; idTokenInfo?: IdTokenInfoType; at: string }
  | { type: 'trigger.transactionEvent'; at: string }
  | { type: 'reset.immediate'; at: string }
  /** libocpp-style control: the host started / finished the transaction. */
  | { type: 'host.start'; triggerReason?: TriggerReasonEnumType; at: string }
  | { type: 'host.finish'; reason: ReasonEnumType; triggerReason?: TriggerReasonEnumType; at: string }
  | { type: 'settings.changed'; settings: TxSettings }
  /** The station started again and restored this session from its snapshot. */
  | { type: 'resumed'; at: string; resumeTransactions: boolean; settings: TxSettings }
  | { type: 'timer.evConnection'; at: string }
  | { type: 'timer.periodic'; at: string }
  | { type: 'timer.clock'; at: string }
  | { type: 'timer.endedSample'; at: string }
  | { type: 'timer.alignedEndedSample'; at: string }
) & { energyWh?: number };

/** The outcome of one step. */
export interface TransactionStep {
  context: TransactionContext;
  events: TxEventParams[];
  effects: TxEffect[];
}
