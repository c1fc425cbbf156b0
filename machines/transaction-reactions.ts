/**
 * How a session reacts to the facts that start, end or change it (machines/transaction-rules.ts):
 * the start and end of the transaction, the end of the authorization, the EV gone or late, the
 * energy flow the host reports, the CSMS's verdict on the idToken, and the grid of the periodic
 * timers.
 */
import type { IdTokenInfoType, IdTokenType, ReasonEnumType, TriggerReasonEnumType } from '../src/generated/ocpp-types.js';
import { addSeconds } from './deadline.js';
import { instantMs } from './instant.js';
import { authorizationEnds, chargingStateOf, has } from './transaction-facts.js';
import type { Step } from './transaction-step.js';
import type { HostChargingState, TransactionContext, TransactionEvent } from './transaction-types.js';

/** The trigger reason with which this event starts the transaction, or null (E01.FR.01-06). */
export function startTrigger(c: TransactionContext, event: TransactionEvent): TriggerReasonEnumType | null {
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

/** The trigger reason of a host.start that names none: the most recent fact that opened the session. */
export function defaultHostTrigger(c: TransactionContext): TriggerReasonEnumType {
  if (c.authorized) return 'Authorized';
  if (c.evConnected) return 'CablePluggedIn';
  return 'EVDetected';
}

/** E01: Started, with everything known so far; periodic timers start here. */
export function start(step: Step, trigger: TriggerReasonEnumType, at: string, energyWh: number | undefined): void {
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
export function end(
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
export function unlock(step: Step, connectorId: number): void {
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
export function authorizationEnded(
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
export function evDisconnected(step: Step, connectorId: number, at: string): void {
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
export function evConnectionTimeout(step: Step, at: string): void {
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
export function hostChargingState(
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
export function answered(
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
export function nextOnGrid(previous: string | null, intervalS: number, at: string): string | null {
  if (intervalS <= 0) return null;
  let next = previous === null ? addSeconds(at, intervalS) : addSeconds(previous, intervalS);
  // After a power loss or a long stall: skip the points that have passed.
  const now = instantMs(at);
  while (instantMs(next) <= now) next = addSeconds(next, intervalS);
  return next;
}
