/**
 * What a session's context says, derived from its facts (machines/transaction-rules.ts): the
 * charging state, whether energy may flow, the charging time so far, and the tests of settings and
 * tokens the rules share.
 */
import type { ChargingStateEnumType, IdTokenType } from '../src/generated/ocpp-types.js';
import { instantMs } from './instant.js';
import type { TransactionContext, TxPoint, TxSettings } from './transaction-types.js';

/** The point is among the TxStartPoint / TxStopPoint values. */
export const has = (points: readonly TxPoint[], point: TxPoint) => points.includes(point);

/**
 * C01.FR.25 (errata 2.18): two idTokens are equal when idToken and type are; §C.1.1: the idToken
 * string is case insensitive (as src/authorization/id-token-key.ts compares stored tokens).
 */
export const sameToken = (a: IdTokenType, b: IdTokenType) =>
  a.type === b.type && a.idToken.toLowerCase() === b.idToken.toLowerCase();

/** E06.FR.03/04/06/07: stop points at which the end of the authorization ends the transaction. */
export const authorizationEnds = (s: TxSettings) =>
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

/** Seconds charged by `at`: the closed charging periods plus the one running, if any. */
export function chargingTime(c: TransactionContext, at: string): number {
  if (c.chargingSince === null) return c.chargingSeconds;
  const ms = instantMs(at) - instantMs(c.chargingSince);
  return c.chargingSeconds + (Number.isFinite(ms) && ms > 0 ? Math.round(ms / 1000) : 0);
}
