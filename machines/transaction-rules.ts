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
import { addSeconds } from './deadline.js';
import { authorizationEnds, chargingPermitted, chargingStateOf, chargingTime, has, sameToken } from './transaction-facts.js';
import {
  answered,
  authorizationEnded,
  defaultHostTrigger,
  end,
  evConnectionTimeout,
  evDisconnected,
  hostChargingState,
  nextOnGrid,
  start,
  startTrigger,
  unlock,
} from './transaction-reactions.js';
import { Step } from './transaction-step.js';
import type { TransactionContext, TransactionEvent, TransactionInput, TransactionStep } from './transaction-types.js';

// The vocabulary and the derived facts live next to this file; callers import them from here.
export { chargingPermitted, chargingStateOf } from './transaction-facts.js';
export { TX_POINTS } from './transaction-types.js';
export type {
  HostChargingState,
  TransactionContext,
  TransactionEvent,
  TransactionInput,
  TransactionStep,
  TxEffect,
  TxEventParams,
  TxMeterData,
  TxPoint,
  TxSettings,
} from './transaction-types.js';

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
