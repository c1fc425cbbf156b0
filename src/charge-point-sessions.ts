/**
 * The host's side of a ChargePoint's charging sessions: hardware events (cable, EV, parking bay,
 * energy flow, meter, lock), token presentation and, under host control, the libocpp-style
 * transaction start/finish. ChargePoint (src/charge-point.ts) inherits these; they live here so
 * that each file holds one concept (docs/transactions.md has the rules behind them).
 */
import type { AuthorizationVerdict } from './authorization/authorize-token.js';
import type { PresentationResult, TokenPresentation } from './authorization/token-presentation.js';
import type { IdTokenType, MeterValueType, ReasonEnumType } from './generated/ocpp-types.js';
import type { StationRuntime } from './runtime/station-runtime.js';
import { ChargePointEvents } from './charge-point-events.js';
import type { HostEvents, HostTransactionFinish, HostTransactionStart } from './transactions/host-events.js';

/**
 * The session API of {@link ChargePoint}.
 *
 * @example
 * station.onSessionStarted(1, 1);
 * await station.onAuthorizationPresented({ idToken: 'ABC123', type: 'ISO14443' });
 */
export abstract class ChargePointSessions extends ChargePointEvents {
  protected abstract readonly host: HostEvents;
  protected abstract readonly presentation: TokenPresentation;
  /** The running station, null before start and after stop. */
  protected abstract get running(): StationRuntime | null;
  /** The running station; throws when not started. */
  abstract get station(): StationRuntime;

  /**
   * An EV was connected to the connector with a cable (both ends plugged): the connector becomes
   * Occupied and the session follows TxStartPoint (EVConnected, PowerPathClosed).
   *
   * @example
   * station.onSessionStarted(1, 1);
   */
  onSessionStarted(evseId: number, connectorId: number): void {
    this.host.plugged(evseId, connectorId);
  }

  /**
   * The cable was removed from the station (the EV is gone with it): the connector becomes Available
   * and the session follows TxStopPoint (E06).
   *
   * @example
   * station.onSessionFinished(1, 1);
   */
  onSessionFinished(evseId: number, connectorId: number): void {
    this.host.unplugged(evseId, connectorId);
  }

  /**
   * The cable was pulled out of the EV only (E09/E10). A detachable cable stays plugged (and locked)
   * in the station's socket, so the connector stays Occupied; a permanently attached cable frees it.
   *
   * @example
   * station.onEvDisconnected(1, 1);
   */
  onEvDisconnected(evseId: number, connectorId: number): void {
    this.host.evDisconnected(evseId, connectorId);
  }

  /**
   * The connector is faulted: status Faulted until `onFaultCleared`; a running transaction ends
   * (AbnormalCondition, E06.FR.16) with `reason` (default Other).
   *
   * @example
   * station.onFaulted(2, 1, 'GroundFault');
   */
  onFaulted(evseId: number, connectorId: number, reason?: ReasonEnumType): void {
    this.host.faulted(evseId, connectorId, reason);
  }

  /**
   * The fault on the connector is gone.
   *
   * @example
   * station.onFaultCleared(2, 1);
   */
  onFaultCleared(evseId: number, connectorId: number): void {
    this.host.faultCleared(evseId, connectorId);
  }

  /**
   * The parking bay sensor of an EVSE sees an EV arrive (TxStartPoint ParkingBayOccupancy, E01.FR.01).
   *
   * @example
   * station.onParkingBayOccupied(1);
   */
  onParkingBayOccupied(evseId: number): void {
    this.host.parked(evseId, true);
  }

  /**
   * The EV left the parking bay (TxStopPoint ParkingBayOccupancy, E06.FR.01).
   *
   * @example
   * station.onParkingBayUnoccupied(1);
   */
  onParkingBayUnoccupied(evseId: number): void {
    this.host.parked(evseId, false);
  }

  /**
   * The energy flow changed (libocpp on_charging_state_changed): Charging, SuspendedEV (the EV takes
   * no energy), SuspendedEVSE (the station offers none), or null (nothing reported).
   *
   * @example
   * station.onChargingStateChanged(1, 'Charging');
   */
  onChargingStateChanged(evseId: number, state: 'Charging' | 'SuspendedEV' | 'SuspendedEVSE' | null): void {
    this.host.chargingState(evseId, state);
  }

  /**
   * Energy flows to the EV (TxStartPoint EnergyTransfer, E01.FR.06).
   *
   * @example
   * station.onEnergyTransferStarted(1);
   */
  onEnergyTransferStarted(evseId: number): void {
    this.host.chargingState(evseId, 'Charging');
  }

  /**
   * The power path is closed (the contactor): energy is offered, the EV does not take it yet.
   *
   * @example
   * station.onPowerPathClosed(1);
   */
  onPowerPathClosed(evseId: number): void {
    this.host.chargingState(evseId, 'SuspendedEV');
  }

  /**
   * The EV stopped taking energy (SuspendedEV, E01.FR.19; TxStopPoint EnergyTransfer ends here).
   *
   * @example
   * station.onEvSuspended(1);
   */
  onEvSuspended(evseId: number): void {
    this.host.chargingState(evseId, 'SuspendedEV');
  }

  /**
   * The connector's cable retention lock failed: no charging on it (Part 6 TC_G_20).
   *
   * @example
   * station.onConnectorLockFailed(1, 1);
   */
  onConnectorLockFailed(evseId: number, connectorId: number): void {
    this.host.lockFailed(evseId, connectorId);
  }

  /**
   * A new reading of an EVSE's meter (0: the main meter), with every value it measured; the library
   * reports what is configured (J01–J03). A signed reading can start a transaction (DataSigned).
   *
   * @example
   * station.onMeterValue(1, { timestamp: new Date().toISOString(), sampledValue: [{ value: 1520, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } }] });
   */
  onMeterValue(evseId: number, meterValue: MeterValueType): void {
    this.host.meterValue(evseId, meterValue);
  }

  /**
   * A driver presents an idToken (card, PIN, app): it stops the session it authorized (E07), or is
   * authorized (C01/C10–C15: local list, cache, AuthorizeRequest, offline rules) and handed to
   * `evseId` (or the EVSE whose EV waits, else the first free one). A token of a session's group
   * stops it (C09); a master-pass token stops every session or opens the master-pass UI (C16).
   * What it did is resolved.
   *
   * @example
   * const result = await station.onAuthorizationPresented({ idToken: 'ABC123', type: 'ISO14443' });
   * if (result.action === 'rejected') display(result.reason);
   */
  onAuthorizationPresented(idToken: IdTokenType, evseId?: number): Promise<PresentationResult> {
    return this.presentation.present(idToken, evseId);
  }

  /**
   * C16.FR.01: the user of the master-pass UI (shown through `masterPassUiCallback`) chose which
   * transactions to stop: `'all'` or EVSE ids of the choice. Each ends as E07 says, stoppedReason
   * MasterPass. Throws when no choice is open or an EVSE is not in it.
   *
   * @example
   * const { transactionIds } = station.onMasterPassSelected([1]);
   */
  onMasterPassSelected(selection: 'all' | readonly number[]): { evseIds: number[]; transactionIds: string[] } {
    return this.presentation.selectMasterPass(selection);
  }

  /**
   * The host authorized a token itself (libocpp on_authorized): it goes to the EVSE's session as an
   * Accepted authorization, without asking the CSMS (its TransactionEvent carries it, E03.FR.01).
   *
   * @example
   * station.onAuthorized(1, 1, { idToken: 'PIN-4711', type: 'KeyCode' });
   */
  onAuthorized(evseId: number, connectorId: number, idToken: IdTokenType): void {
    this.host.authorized(evseId, connectorId, idToken);
  }

  /**
   * libocpp validate_token: the AuthorizeResponse-shaped verdict on a token (C01), not acted upon.
   *
   * @example
   * const { idTokenInfo } = await station.validateToken({ idToken: 'ABC123', type: 'ISO14443' });
   */
  async validateToken(idToken: IdTokenType): Promise<{ idTokenInfo: AuthorizationVerdict['idTokenInfo'] }> {
    return { idTokenInfo: (await this.station.authorize(idToken)).idTokenInfo };
  }

  /**
   * libocpp get_evse_transaction_id: the transactionId running on an EVSE, if any.
   *
   * @example
   * station.getEvseTransactionId(1);
   */
  getEvseTransactionId(evseId: number): string | undefined {
    return this.getTransactionId(evseId);
  }

  /**
   * C01 only (libocpp validate_token): the verdict on a token, without acting on it.
   *
   * @example
   * const { idTokenInfo } = await station.authorize({ idToken: 'ABC123', type: 'ISO14443' });
   */
  authorize(idToken: IdTokenType): Promise<AuthorizationVerdict> {
    return this.station.authorize(idToken);
  }

  /**
   * Host control (`transactionControl: 'host'`, libocpp on_transaction_started): the host started a
   * transaction; resolves its transactionId.
   *
   * @example
   * const id = station.onTransactionStarted(1, { connectorId: 1, idToken: { idToken: 'A', type: 'ISO14443' } });
   */
  onTransactionStarted(evseId: number, start: HostTransactionStart = {}): string {
    return this.host.hostStart(evseId, start);
  }

  /**
   * Host control (libocpp on_transaction_finished): the host finished the transaction of an EVSE.
   *
   * @example
   * station.onTransactionFinished(1, { reason: 'Local' });
   */
  onTransactionFinished(evseId: number, finish: HostTransactionFinish): void {
    this.host.hostFinish(evseId, finish);
  }

  /**
   * The transactionId running on an EVSE (started, not ended), if any.
   *
   * @example
   * station.getTransactionId(1); // 'b3f0…' while charging
   */
  getTransactionId(evseId: number): string | undefined {
    const session = this.running?.openSession(evseId);
    return session?.started && !session.ended ? session.transactionId : undefined;
  }

  /**
   * Does a transaction run on this EVSE (or on any, when undefined)?
   *
   * @example
   * if (!station.hasActiveTransaction()) await station.stop();
   */
  hasActiveTransaction(evseId?: number): boolean {
    return this.running?.hasActiveTransaction(evseId) ?? false;
  }
}
