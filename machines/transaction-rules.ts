/**
 * The rules of one charging session on one EVSE (E01–E15, F01–F04, C01/C02 as far as a
 * transaction is concerned, B12, J02), as a pure step function: facts in context, an event in, the
 * new context and the TransactionEventRequests to send out. The statechart (transaction.ts) shows
 * where the session is; this file decides what it says. docs/transactions.md explains each choice
 * with the requirement and the Part 6 test case behind it.
 *
 * Pure: no clock (every event carries its station time `at`), no I/O, no randomness (the
 * transaction id comes with the input).
 */
import type {
  ChargingStateEnumType,
  IdTokenInfoType,
  IdTokenType,
  ReasonEnumType,
  TransactionEventEnumType,
  TriggerReasonEnumType,
} from '../src/generated/ocpp-types.js';
import { addSeconds } from './deadline.js';
import { instantMs } from './instant.js';

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

/**
 * The context a session opens with.
 *
 * @example
 * initialTransactionContext({ evseId: 1, transactionId: 'tx-1', settings, at: '2026-01-01T00:00:00.000Z' });
 */
export function initialTransactionContext(input: TransactionInput): TransactionContext {
  if (input.restoreContext) return { ...input.restoreContext, settings: input.settings };
  return {
    evseId: input.evseId,
    transactionId: input.transactionId,
    settings: input.settings,
    connectorId: input.connectorId ?? null,
    evConnected: input.evConnected ?? false,
    parked: input.parked ?? false,
    hostState: null,
    lockFailed: false,
    faulted: false,
    evSeen: input.evConnected ?? false,
    idToken: null,
    groupIdToken: null,
    authorized: false,
    invalidId: null,
    authEndReason: null,
    started: false,
    startedAt: null,
    ended: false,
    discarded: false,
    seqNo: 0,
    chargingState: null,
    connectorReported: false,
    pendingIdToken: null,
    pendingRemoteStartId: null,
    pendingReservationId: null,
    idTokenSeqNo: null,
    hasCharged: false,
    meterStartWh: null,
    chargingSeconds: 0,
    chargingSince: null,
    permitted: false,
    cableReleased: false,
    evConnectionTimeoutAt: null,
    nextPeriodicAt: null,
    nextEndedSampleAt: null,
    lastEventAt: input.at,
  };
}

const has = (points: readonly TxPoint[], point: TxPoint) => points.includes(point);

/**
 * C01.FR.25 (errata 2.18): two idTokens are equal when idToken and type are; §C.1.1: the idToken
 * string is case insensitive (as src/authorization/id-token-key.ts compares stored tokens).
 */
const sameToken = (a: IdTokenType, b: IdTokenType) =>
  a.type === b.type && a.idToken.toLowerCase() === b.idToken.toLowerCase();

/** E06.FR.03/04/06/07: stop points at which the end of the authorization ends the transaction. */
const authorizationEnds = (s: TxSettings) =>
  has(s.stopPoints, 'Authorized') || has(s.stopPoints, 'PowerPathClosed') || has(s.stopPoints, 'EnergyTransfer');

/**
 * The charging state the session is in (ChargingStateEnumType), from its facts.
 *
 * - no EV connected: Idle; EV connected but not authorized (or the authorization ended): EVConnected;
 * - authorized and connected: what the host reports, SuspendedEVSE until it reports anything (the
 *   power path is not closed yet, Part 6 EnergyTransferStarted step 7) and while the station
 *   withholds energy (invalid idToken with StopTxOnInvalidId false, E05.FR.02; a failed cable lock).
 *
 * @example
 * chargingStateOf({ ...context, evConnected: true, authorized: true, hostState: 'Charging' }); // 'Charging'
 */
export function chargingStateOf(
  c: Pick<
    TransactionContext,
    'evConnected' | 'authorized' | 'ended' | 'invalidId' | 'lockFailed' | 'faulted' | 'hostState'
  > & { settings?: Pick<TxSettings, 'startPoints'> },
): ChargingStateEnumType {
  if (!c.evConnected) return 'Idle';
  if (!c.authorized || c.ended) return 'EVConnected';
  if ((c.invalidId !== null && c.invalidId.suspended) || c.lockFailed || c.faulted) return 'SuspendedEVSE';
  if (c.hostState !== null) return c.hostState;
  // Authorized and connected, before the host reports energy: with TxStartPoint PowerPathClosed the
  // power path counts as closed and the EVSE as not yet offering (SuspendedEVSE, Part 6 TC_E_01,
  // EnergyTransferStarted step 7); otherwise the EV is connected, nothing flows yet (EVConnected,
  // TC_E_10, TC_E_26 step 5).
  return c.settings?.startPoints.includes('PowerPathClosed') ? 'SuspendedEVSE' : 'EVConnected';
}

/**
 * May energy flow now? Authorized, EV connected, not withheld (invalid idToken, failed lock, fault),
 * not ended.
 *
 * @example
 * chargingPermitted({ ...context, authorized: true, evConnected: true }); // true
 */
export function chargingPermitted(
  c: Pick<TransactionContext, 'evConnected' | 'authorized' | 'ended' | 'invalidId' | 'lockFailed' | 'faulted'>,
): boolean {
  return (
    c.evConnected &&
    c.authorized &&
    !c.ended &&
    !(c.invalidId !== null && c.invalidId.suspended) &&
    !c.lockFailed &&
    !c.faulted
  );
}

interface SendExtra {
  stoppedReason?: ReasonEnumType;
  meter?: TxMeterData[];
  /** The token that ended the authorization (E07.FR.02), instead of the pending one. */
  idToken?: IdTokenType;
  withoutIdToken?: boolean;
  withEvse?: boolean;
  withChargingState?: boolean;
}

/** Working state of one step. */
class Step {
  readonly events: TxEventParams[] = [];
  readonly effects: TxEffect[] = [];
  constructor(public c: TransactionContext) {}

  set(patch: Partial<TransactionContext>): void {
    this.c = { ...this.c, ...patch };
  }

  /**
   * Sends a TransactionEvent now. Adds what must go in it once: evse with the connector (E01.FR.16),
   * idToken (E03.FR.01), remoteStartId and the RemoteStart trigger (F01/F02, Part 6 §2.1),
   * reservationId (E01.FR.13), chargingState when it changed (E02.FR.13), Begin meter values in the
   * Started event (E01.FR.09).
   */
  send(
    eventType: TransactionEventEnumType,
    triggerReason: TriggerReasonEnumType,
    at: string,
    extra: SendExtra = {},
  ): void {
    const c = this.c;
    const chargingState = chargingStateOf(c);
    const trigger = c.pendingRemoteStartId !== null ? 'RemoteStart' : triggerReason;
    const includeConnector = c.connectorId !== null && c.evConnected && !c.connectorReported;
    const evse =
      eventType === 'Started' || includeConnector || extra.withEvse
        ? { id: c.evseId, ...(c.connectorId !== null && c.evConnected ? { connectorId: c.connectorId } : {}) }
        : undefined;
    const idToken = extra.withoutIdToken ? undefined : (extra.idToken ?? c.pendingIdToken ?? undefined);
    const meter: TxMeterData[] = [...(eventType === 'Started' ? (['begin'] as const) : []), ...(extra.meter ?? [])];
    const params: TxEventParams = {
      eventType,
      timestamp: at,
      triggerReason: trigger,
      seqNo: c.seqNo,
      transactionId: c.transactionId,
      evseId: c.evseId,
      ...(evse ? { evse } : {}),
      // E02.FR.13: whenever it changed; always in Started and Ended, and where Part 6 checks it (Trigger).
      ...(eventType !== 'Updated' ||
      chargingState !== c.chargingState ||
      triggerReason === 'ChargingStateChanged' ||
      extra.withChargingState
        ? { chargingState }
        : {}),
      ...(idToken ? { idToken } : {}),
      ...(c.pendingRemoteStartId !== null ? { remoteStartId: c.pendingRemoteStartId } : {}),
      ...(c.pendingReservationId !== null ? { reservationId: c.pendingReservationId } : {}),
      ...(extra.stoppedReason ? { stoppedReason: extra.stoppedReason } : {}),
      ...(c.started || eventType === 'Started' ? { timeSpentCharging: chargingTime(c, at) } : {}),
      meter,
    };
    this.events.push(params);
    this.set({
      seqNo: c.seqNo + 1,
      chargingState,
      connectorReported: c.connectorReported || (evse?.connectorId !== undefined),
      pendingIdToken: idToken && !extra.idToken ? null : c.pendingIdToken,
      pendingRemoteStartId: null,
      pendingReservationId: null,
      idTokenSeqNo: idToken !== undefined && !extra.idToken ? c.seqNo : c.idTokenSeqNo,
    });
  }
}

function chargingTime(c: TransactionContext, at: string): number {
  if (c.chargingSince === null) return c.chargingSeconds;
  const ms = instantMs(at) - instantMs(c.chargingSince);
  return c.chargingSeconds + (Number.isFinite(ms) && ms > 0 ? Math.round(ms / 1000) : 0);
}

/**
 * One step of a session: the new context, the TransactionEvents to send (in order) and the effects.
 * Events that change nothing produce nothing.
 *
 * @example
 * const { context, events } = transactionStep(context, { type: 'ev.connected', connectorId: 1, at });
 * // TxStartPoint EVConnected: events = [{ eventType: 'Started', triggerReason: 'CablePluggedIn', seqNo: 0, ... }]
 */
export function transactionStep(context: TransactionContext, event: TransactionEvent): TransactionStep {
  const step = new Step(context);
  if ('at' in event) step.set({ lastEventAt: event.at });
  if (context.ended || context.discarded) return { context: step.c, events: [], effects: [] };
  apply(step, event);
  settle(step, event);
  return { context: step.c, events: step.events, effects: step.effects };
}

function apply(step: Step, event: TransactionEvent): void {
  const s = step.c.settings;
  switch (event.type) {
    case 'settings.changed':
      step.set({ settings: event.settings });
      return;
    case 'resumed':
      step.set({ settings: event.settings });
      if (!step.c.started) {
        // A session that had not become a transaction does not outlive a power loss: nothing was
        // sent about it, and the driver is likely gone (docs/transactions.md).
        step.set({ discarded: true });
        return;
      }
      if (!event.resumeTransactions) {
        // InternalCtrlr.ResumeTransactionsOnBoot false: the transaction ended with the power.
        end(step, 'AbnormalCondition', 'PowerLoss', event.at, { withoutIdToken: true });
        return;
      }
      // The host of the new run does not know what the old one allowed: tell it again.
      step.effects.push({ kind: 'permitted', permitted: step.c.permitted });
      return;
    case 'ev.connected': {
      // Repeated facts change nothing; E01.FR.14: while the EV is connected on one connector, a
      // cable on another connector of this EVSE is not this session's.
      if (step.c.evConnected) return;
      step.set({
        evConnected: true,
        evSeen: true,
        connectorId: event.connectorId,
        evConnectionTimeoutAt: null,
        hostState: null,
        // E01.FR.16 (Part 6 §2.1): the first TransactionEvent after every connection of the EV
        // carries evse.id and evse.connectorId (a re-plug too, TC_E_26).
        connectorReported: false,
      });
      const trigger = startTrigger(step.c, event);
      if (trigger) return start(step, trigger, event.at, event.energyWh);
      // E02: a cable plugged into a running transaction (E_26 re-plug, E_10 authorized first).
      if (step.c.started) step.send('Updated', 'CablePluggedIn', event.at);
      return;
    }
    case 'ev.disconnected':
      return evDisconnected(step, event.connectorId, event.at);
    case 'bay.occupied': {
      if (step.c.parked) return;
      step.set({ parked: true });
      const trigger = startTrigger(step.c, event);
      if (trigger) return start(step, trigger, event.at, event.energyWh);
      if (step.c.started) step.send('Updated', 'EVDetected', event.at);
      return;
    }
    case 'bay.vacated':
      if (!step.c.parked) return;
      step.set({ parked: false });
      if (!step.c.started) return;
      // E06.FR.01: the EV left the bay; the stoppedReason is who ended the authorization (Part 6 RS
      // ParkingBayUnoccupied), Local when nobody did.
      if (s.control === 'library' && has(s.stopPoints, 'ParkingBayOccupancy')) {
        return end(step, 'EVDeparted', step.c.authEndReason ?? 'Local', event.at);
      }
      step.send('Updated', 'EVDeparted', event.at);
      return;
    case 'auth.accepted':
    case 'auth.remoteStart': {
      const remote = event.type === 'auth.remoteStart';
      if (step.c.authorized && !remote) return; // already authorized: another token changes nothing (C_04)
      // C01.FR.23: a transaction whose authorization ended is not authorized again by a different
      // idToken (the driver who started it may; the CSMS may, with RequestStartTransaction).
      if (!remote && step.c.started && step.c.idToken !== null && !sameToken(step.c.idToken, event.idToken)) return;
      step.set({
        authorized: true,
        idToken: event.idToken,
        groupIdToken: event.groupIdToken ?? null,
        pendingIdToken: event.idToken,
        authEndReason: null,
        invalidId: null,
        ...(remote ? { pendingRemoteStartId: event.remoteStartId } : {}),
        ...(event.reservationId !== undefined ? { pendingReservationId: event.reservationId } : {}),
      });
      const trigger = startTrigger(step.c, event);
      if (trigger) return start(step, trigger, event.at, event.energyWh);
      // E02.FR.01 / E02.FR.20: authorized during the transaction (remote: RemoteStart, F01).
      if (step.c.started) step.send('Updated', 'Authorized', event.at);
      return;
    }
    case 'auth.stop':
      if (!step.c.authorized) return;
      // E07.FR.01/02: StopAuthorized with the idToken used; Ended when the stop points say so.
      return authorizationEnded(step, event.reason, 'StopAuthorized', event.at, event.idToken);
    case 'remote.stop':
      if (!step.c.started) {
        step.set({ authorized: false, discarded: true });
        return;
      }
      // F03.FR.02-03: RemoteStop; Ended (stoppedReason Remote) when the stop points end it here.
      if (!step.c.authorized) {
        // F03.FR.02: the authorization already ended (TxStopPoint did not end it): the energy is
        // off already; say RemoteStop, and the transaction ends as TxStopPoint says (unplug, ...).
        if (step.c.settings.control === 'library' && authorizationEnds(step.c.settings)) {
          return end(step, 'RemoteStop', 'Remote', event.at);
        }
        step.set({ authEndReason: 'Remote' });
        step.send('Updated', 'RemoteStop', event.at);
        // F03 step 4: the CSMS's stop is a driver's stop: the cable is released.
        if (step.c.connectorId !== null) unlock(step, step.c.connectorId);
        return;
      }
      return authorizationEnded(step, 'Remote', 'RemoteStop', event.at);
    case 'charging.state':
      return hostChargingState(step, event.state, event.at, event.energyWh);
    case 'meter.signed': {
      const trigger = startTrigger(step.c, event);
      if (trigger) start(step, trigger, event.at, event.energyWh);
      return;
    }
    case 'meter.energy': {
      const limit = step.c.invalidId;
      const wh = event.energyWh;
      if (limit && !limit.suspended && limit.untilWh !== null && wh !== undefined && wh >= limit.untilWh) {
        // E05.FR.03: MaxEnergyOnInvalidId reached: energy delivery stops (SuspendedEVSE, E05.FR.02).
        step.set({ invalidId: { suspended: true } });
        if (step.c.started) step.send('Updated', 'ChargingStateChanged', event.at);
      }
      return;
    }
    case 'connector.lockFailed':
      if (step.c.lockFailed) return;
      step.set({ lockFailed: true });
      if (step.c.started && chargingStateOf(step.c) !== step.c.chargingState)
        step.send('Updated', 'ChargingStateChanged', event.at);
      return;
    case 'connector.faulted':
      if (step.c.faulted) return;
      step.set({ faulted: true });
      // E06.FR.16: a transaction stopped by a fault ends with triggerReason AbnormalCondition.
      if (step.c.started) return end(step, 'AbnormalCondition', event.reason ?? 'Other', event.at);
      return;
    case 'connector.faultCleared':
      step.set({ faulted: false });
      return;
    case 'tx.answered':
      return answered(step, event.seqNo, event.idTokenInfo, event.at, event.energyWh);
    case 'trigger.transactionEvent':
      // F06.FR.07: Updated with triggerReason Trigger and the TxUpdatedMeasurands (context Trigger);
      // Part 6 TC_F_13/14 check evse.id and chargingState in it.
      if (step.c.started) {
        step.send('Updated', 'Trigger', event.at, {
          meter: ['trigger'],
          withoutIdToken: true,
          withEvse: true,
          withChargingState: true,
        });
      }
      return;
    case 'reset.immediate':
      // B12.FR.04/08 (errata 2025-09): Ended, ResetCommand, ImmediateReset, no idToken.
      if (step.c.started) {
        step.set({ authorized: false });
        end(step, 'ResetCommand', 'ImmediateReset', event.at, { withoutIdToken: true });
      } else step.set({ discarded: true });
      return;
    case 'host.start':
      if (s.control !== 'host' || step.c.started) return;
      return start(step, event.triggerReason ?? defaultHostTrigger(step.c), event.at, event.energyWh);
    case 'host.finish':
      // Host control only, like host.start (docs/transactions.md, Host API).
      if (s.control !== 'host') return;
      if (!step.c.started) {
        step.set({ discarded: true });
        return;
      }
      return end(step, event.triggerReason ?? 'StopAuthorized', event.reason, event.at);
    case 'timer.evConnection':
      return evConnectionTimeout(step, event.at);
    case 'timer.periodic':
      // A tick of a wait that is no longer armed (stale) changes nothing.
      if (step.c.nextPeriodicAt === null) return;
      step.set({ nextPeriodicAt: nextOnGrid(step.c.nextPeriodicAt, s.txUpdatedIntervalS, event.at) });
      // J02.FR.11: MeterValuePeriodic with the TxUpdatedMeasurands (context Sample.Periodic).
      if (step.c.started) step.send('Updated', 'MeterValuePeriodic', event.at, { meter: ['periodic'] });
      return;
    case 'timer.clock':
      // J01.FR.22: during a transaction the clock-aligned values go in a TransactionEvent.
      if (step.c.started) step.send('Updated', 'MeterValueClock', event.at, { meter: ['clock'] });
      return;
    case 'timer.endedSample':
      if (step.c.nextEndedSampleAt === null) return;
      step.set({ nextEndedSampleAt: nextOnGrid(step.c.nextEndedSampleAt, s.txEndedIntervalS, event.at) });
      step.effects.push({ kind: 'recordSample', sample: 'periodic' });
      return;
    case 'timer.alignedEndedSample':
      step.effects.push({ kind: 'recordSample', sample: 'clock' });
      return;
  }
}

/** After every step: timers, charging time, the permission the host follows, a session with nothing left. */
function settle(step: Step, event: TransactionEvent): void {
  const at = 'at' in event ? event.at : step.c.lastEventAt;
  // E02.FR.13 / E01.FR.18: a change of the charging state that no event of this step reported
  // (e.g. a fault cleared, a withheld flow released) is reported now.
  if (step.c.started && !step.c.ended && chargingStateOf(step.c) !== step.c.chargingState) {
    step.send('Updated', 'ChargingStateChanged', at);
  }
  const c = step.c;
  // Charging time (TransactionType.timeSpentCharging) counts while energy flows.
  const charging = c.started && !c.ended && chargingStateOf(c) === 'Charging';
  if (charging && c.chargingSince === null) step.set({ chargingSince: at, hasCharged: true });
  if (!charging && c.chargingSince !== null) {
    step.set({ chargingSeconds: chargingTime(c, at), chargingSince: null });
  }
  // C01/E03.FR.05: an authorization waits EVConnectionTimeOut for the EV; after the EV left, only a
  // permanently attached cable must come back in time (E10.FR.02; a socket cable stays locked, E10.FR.01).
  const fixed = step.c.connectorId !== null && step.c.settings.fixedCableConnectors.includes(step.c.connectorId);
  const waitsForEv =
    step.c.authorized &&
    !step.c.evConnected &&
    !step.c.ended &&
    (!step.c.evSeen || fixed) &&
    step.c.settings.evConnectionTimeOutS > 0;
  if (waitsForEv && step.c.evConnectionTimeoutAt === null) {
    step.set({ evConnectionTimeoutAt: addSeconds(at, step.c.settings.evConnectionTimeOutS) });
  } else if (!waitsForEv && step.c.evConnectionTimeoutAt !== null) {
    step.set({ evConnectionTimeoutAt: null });
  }
  const permitted = chargingPermitted(step.c);
  if (permitted !== step.c.permitted) {
    // Energy withheld: what the host said about the energy flow is over; when it may flow again
    // the state is SuspendedEVSE until the host reports it (chargingStateOf).
    step.set({ permitted, ...(permitted ? { cableReleased: false } : { hostState: null }) });
    step.effects.push({ kind: 'permitted', permitted });
  }
  // A session that never became a transaction ends when nothing of it is left.
  if (!step.c.started && !step.c.ended && !step.c.authorized && !step.c.evConnected && !step.c.parked) {
    step.set({ discarded: true });
  }
}

/** The trigger reason with which this event starts the transaction, or null (E01.FR.01-06). */
function startTrigger(c: TransactionContext, event: TransactionEvent): TriggerReasonEnumType | null {
  if (c.started || c.ended || c.settings.control !== 'library') return null;
  const sp = c.settings.startPoints;
  const powerPath = has(sp, 'PowerPathClosed') && c.authorized && c.evConnected;
  switch (event.type) {
    case 'bay.occupied':
      return has(sp, 'ParkingBayOccupancy') ? 'EVDetected' : null;
    case 'ev.connected':
      return has(sp, 'EVConnected') || powerPath ? 'CablePluggedIn' : null;
    case 'auth.accepted':
      return has(sp, 'Authorized') || powerPath ? 'Authorized' : null;
    case 'auth.remoteStart':
      return has(sp, 'Authorized') || powerPath ? 'RemoteStart' : null;
    case 'meter.signed':
      return has(sp, 'DataSigned') ? 'SignedDataReceived' : null;
    case 'charging.state':
      return has(sp, 'EnergyTransfer') && event.state === 'Charging' && c.authorized && c.evConnected
        ? 'ChargingStateChanged'
        : null;
    default:
      return null;
  }
}

function defaultHostTrigger(c: TransactionContext): TriggerReasonEnumType {
  if (c.authorized) return 'Authorized';
  if (c.evConnected) return 'CablePluggedIn';
  return 'EVDetected';
}

/** E01: Started, with everything known so far; periodic timers start here. */
function start(step: Step, trigger: TriggerReasonEnumType, at: string, energyWh: number | undefined): void {
  const s = step.c.settings;
  step.set({
    started: true,
    startedAt: at,
    meterStartWh: energyWh ?? null,
    nextPeriodicAt: s.txUpdatedIntervalS > 0 ? addSeconds(at, s.txUpdatedIntervalS) : null,
    nextEndedSampleAt: s.txEndedIntervalS > 0 ? addSeconds(at, s.txEndedIntervalS) : null,
  });
  step.send('Started', trigger, at);
  step.effects.push({ kind: 'started' });
}

/**
 * E06: Ended; the cable is unlocked (E06.FR.10) unless `keepLocked` (E05.FR.11, E09.FR.03), and the
 * timers stop.
 */
function end(
  step: Step,
  trigger: TriggerReasonEnumType,
  reason: ReasonEnumType,
  at: string,
  extra: { idToken?: IdTokenType; withoutIdToken?: boolean; keepLocked?: boolean } = {},
): void {
  if (!step.c.started || step.c.ended) return;
  const { keepLocked, ...sendExtra } = extra;
  step.set({ ended: true });
  step.send('Ended', trigger, at, {
    // E06.FR.08/09, E07.FR.04/05: the reason is given, Local included.
    stoppedReason: reason,
    meter: ['end'],
    withChargingState: true,
    ...sendExtra,
  });
  step.set({ nextPeriodicAt: null, nextEndedSampleAt: null, evConnectionTimeoutAt: null });
  if (step.c.connectorId !== null) {
    if (!keepLocked) unlock(step, step.c.connectorId);
    else holdLock(step, step.c.connectorId);
  }
  step.effects.push({ kind: 'ended', reason });
}

/** A socket's cable kept locked after the transaction is released by its owner's idToken. */
function holdLock(step: Step, connectorId: number): void {
  // A fixed cable has no lock; a cable unlocked since it was last locked is not locked any more.
  if (step.c.settings.fixedCableConnectors.includes(connectorId) || step.c.idToken === null) return;
  if (step.c.cableReleased) return;
  step.effects.push({ kind: 'lockedFor', connectorId, idToken: step.c.idToken });
}

/** Unlocks the cable of a connector, unless it is permanently attached or was unlocked in this step. */
function unlock(step: Step, connectorId: number): void {
  if (step.c.settings.fixedCableConnectors.includes(connectorId)) return;
  if (step.effects.some((e) => e.kind === 'unlock' && e.connectorId === connectorId)) return;
  step.effects.push({ kind: 'unlock', connectorId });
  step.set({ cableReleased: true });
}

/**
 * The authorization ended (StopAuthorized, RemoteStop, Deauthorized, timeout, EV-side disconnect):
 * Ended when TxStopPoint holds Authorized, PowerPathClosed or EnergyTransfer (E06.FR.03/04/06/07),
 * else Updated, keeping the reason for the Ended that comes later (Part 6 RS StopAuthorized).
 * The cable is unlocked when the driver (E07.FR.07, errata 2.27: with the StopAuthorized event,
 * whether it ends the transaction or not) or the CSMS (F03 step 4: "equal to a local action")
 * ended it; not after Deauthorized (E05.FR.11: locked until the owner presents his identifier);
 * `keepLocked` for the EV-side disconnect (E09.FR.02/03 decide there).
 */
function authorizationEnded(
  step: Step,
  reason: ReasonEnumType,
  trigger: TriggerReasonEnumType,
  at: string,
  idToken?: IdTokenType,
  keepLocked = trigger !== 'StopAuthorized' && trigger !== 'RemoteStop',
): void {
  step.set({ authorized: false, authEndReason: reason, pendingIdToken: null, invalidId: null });
  if (!step.c.started) return;
  if (step.c.settings.control === 'library' && authorizationEnds(step.c.settings)) {
    return end(step, trigger, reason, at, { ...(idToken ? { idToken } : {}), keepLocked });
  }
  step.send('Updated', trigger, at, idToken ? { idToken } : {});
  if (step.c.connectorId === null) return;
  if (!keepLocked) unlock(step, step.c.connectorId);
  else holdLock(step, step.c.connectorId);
}

/**
 * The EV is gone: the cable left the EV (E09/E10) or the station. Whether the cable is unlocked
 * follows UnlockOnEVSideDisconnect (E09.FR.02/03; a socket cable left in place stays locked until
 * the driver presents the idToken), and while the transaction goes on suspended it stays locked
 * (E10.FR.01). (A cable that left the station has nothing left to lock.)
 */
function evDisconnected(step: Step, connectorId: number, at: string): void {
  const c = step.c;
  if (!c.evConnected || (c.connectorId !== null && c.connectorId !== connectorId)) return;
  const wasCharging = c.started && chargingStateOf(c) === 'Charging';
  step.set({ evConnected: false, hostState: null });
  if (!c.started) return;
  const s = c.settings;
  const keepLocked = !s.unlockOnEVSideDisconnect;
  if (s.control === 'library' && (has(s.stopPoints, 'EVConnected') || has(s.stopPoints, 'PowerPathClosed'))) {
    // E06.FR.02/06: the EV is gone; the reason is who ended the authorization, else EVDisconnected.
    // Part 6 TC_E_20/37: Ended at once, whatever StopTxOnEVSideDisconnect says.
    return end(step, 'EVCommunicationLost', c.authEndReason ?? 'EVDisconnected', at, { keepLocked });
  }
  if (s.stopTxOnEVSideDisconnect && c.authorized) {
    // E09.FR.01: deauthorized (E09.FR.02/03: unlocked only when UnlockOnEVSideDisconnect).
    return authorizationEnded(step, 'EVDisconnected', 'EVCommunicationLost', at, undefined, keepLocked);
  }
  if (s.control === 'library' && has(s.stopPoints, 'EnergyTransfer') && wasCharging) {
    // E06.FR.07: with TxStopPoint EnergyTransfer the energy transfer stopped with the EV (Part 6
    // TC_E_26 leaves EnergyTransfer out of the suspending configurations).
    return end(step, 'EVCommunicationLost', c.authEndReason ?? 'EVDisconnected', at, { keepLocked });
  }
  // E10: the transaction goes on; a fixed cable must come back within EVConnectionTimeOut
  // (E10.FR.02), a socket cable stays locked (E10.FR.01).
  step.send('Updated', 'EVCommunicationLost', at);
}

/** E03.FR.05/15, E10.FR.02, C01: the EV did not connect in time. */
function evConnectionTimeout(step: Step, at: string): void {
  const c = step.c;
  // Only an armed wait times out (a stale tick changes nothing).
  if (!c.authorized || c.evConnected || c.evConnectionTimeoutAt === null) return;
  step.set({ authorized: false, authEndReason: 'Timeout', pendingIdToken: null, evConnectionTimeoutAt: null });
  if (!c.started) return;
  // E03.FR.15: with ParkingBayOccupancy in TxStopPoint only deauthorized (it ends when the EV leaves
  // the bay); E03.FR.05: else ended (Timeout) where the end of the authorization ends it: Part 6
  // TC_E_05 expects Ended exactly when TxStopPoint holds Authorized (docs/transactions.md).
  const s = c.settings;
  if (s.control === 'library' && !has(s.stopPoints, 'ParkingBayOccupancy') && authorizationEnds(s)) {
    return end(step, 'EVConnectTimeout', 'Timeout', at);
  }
  step.send('Updated', 'EVConnectTimeout', at);
}

/** Energy flow reported by the host. */
function hostChargingState(
  step: Step,
  state: HostChargingState | null,
  at: string,
  energyWh: number | undefined,
): void {
  const c = step.c;
  if (c.hostState === state) return;
  const wasCharging = chargingStateOf(c) === 'Charging';
  step.set({ hostState: state });
  const trigger = startTrigger(step.c, { type: 'charging.state', state, at });
  if (trigger) return start(step, trigger, at, energyWh);
  if (!step.c.started) return;
  const now = chargingStateOf(step.c);
  // E06.FR.07 (Part 6 TC_E_22 errata): with TxStopPoint EnergyTransfer the transaction ends when the
  // EV stops taking energy. A pause the station makes (SuspendedEVSE, e.g. a limit of 0) does not end it.
  if (
    c.settings.control === 'library' &&
    has(c.settings.stopPoints, 'EnergyTransfer') &&
    wasCharging &&
    now === 'SuspendedEV'
  ) {
    return end(step, 'ChargingStateChanged', 'StoppedByEV', at);
  }
  // E01.FR.18/19: the charging state changed.
  if (now !== step.c.chargingState) step.send('Updated', 'ChargingStateChanged', at);
}

/** E05, C02: the CSMS's verdict on the idToken of a TransactionEvent. */
function answered(
  step: Step,
  seqNo: number,
  info: IdTokenInfoType | undefined,
  at: string,
  energyWh: number | undefined,
): void {
  const c = step.c;
  if (info === undefined || seqNo !== c.idTokenSeqNo || !c.authorized) return;
  if (info.groupIdToken) step.set({ groupIdToken: info.groupIdToken });
  if (info.status === 'Accepted') return;
  if (c.settings.stopTxOnInvalidId) {
    // E05.FR.09/10, E06.FR.04: Deauthorized; Ended with DeAuthorized when the stop points say so.
    return authorizationEnded(step, 'DeAuthorized', 'Deauthorized', at);
  }
  // E05.FR.02/03: energy only up to MaxEnergyOnInvalidId, measured from the start of the transaction.
  const max = c.settings.maxEnergyOnInvalidIdWh;
  if (max > 0) {
    const base = c.meterStartWh ?? energyWh ?? null;
    step.set({ invalidId: { suspended: false, untilWh: base === null ? null : base + max } });
    if (base !== null && energyWh !== undefined && energyWh >= base + max) {
      step.set({ invalidId: { suspended: true } });
      if (c.started) step.send('Updated', 'ChargingStateChanged', at);
    }
    return;
  }
  step.set({ invalidId: { suspended: true } });
  if (c.started) step.send('Updated', 'ChargingStateChanged', at);
}

/** The next point of a grid of `intervalS` after `at`, continuing from `previous`. */
function nextOnGrid(previous: string | null, intervalS: number, at: string): string | null {
  if (intervalS <= 0) return null;
  let next = previous === null ? addSeconds(at, intervalS) : addSeconds(previous, intervalS);
  // After a power loss or a long stall: skip the points that have passed.
  const now = instantMs(at);
  while (instantMs(next) <= now) next = addSeconds(next, intervalS);
  return next;
}
