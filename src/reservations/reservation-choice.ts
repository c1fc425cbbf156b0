/**
 * Which EVSEs a token may be handed to, given the reservations (H03, F02.FR.23/24), and which
 * reservation it consumes on each (H03.FR.09; its id goes into the TransactionEvent, H01.FR.15):
 * shared by token presentation (src/authorization/token-presentation.ts) and RequestStartTransaction.
 */
import type { ReservationCheckResult } from '../../machines/reservation-rules.js';
import type { IdTokenType } from '../generated/ocpp-types.js';

/** The part of the reservation port a choice needs. */
export interface ReservationGate {
  check(evseId: number, idToken: IdTokenType, groupIdToken?: IdTokenType): Promise<ReservationCheckResult>;
  reservedEvseFor(idToken: IdTokenType, groupIdToken?: IdTokenType): number | undefined;
}

export interface ReservationChoice {
  /** The candidates the token may use, its reserved EVSE first, then those where it holds a reservation. */
  allowed: number[];
  /** EVSE → the reservation the token consumes there. */
  reservationFor: Map<number, number>;
  /** Candidates refused because they are reserved for another token. */
  refused: number[];
}

/**
 * @example
 * const choice = await reservationChoice(runtime.reservations, [1, 2], token, group);
 * choice.allowed; // [2, 1] when EVSE 2 is reserved for this token
 */
export async function reservationChoice(
  gate: ReservationGate | undefined,
  candidates: readonly number[],
  idToken: IdTokenType,
  groupIdToken?: IdTokenType,
): Promise<ReservationChoice> {
  const choice: ReservationChoice = { allowed: [], reservationFor: new Map(), refused: [] };
  if (!gate) return { ...choice, allowed: [...candidates] };
  const mine: number[] = [];
  const free: number[] = [];
  for (const evseId of candidates) {
    const check = await gate.check(evseId, idToken, groupIdToken);
    if (check.status === 'NotReserved') free.push(evseId);
    else if (check.status === 'ReservedForToken') {
      mine.push(evseId);
      if (check.reservationId !== undefined) choice.reservationFor.set(evseId, check.reservationId);
    } else choice.refused.push(evseId);
  }
  const reserved = gate.reservedEvseFor(idToken, groupIdToken);
  mine.sort((a, b) => (a === reserved ? -1 : b === reserved ? 1 : 0));
  choice.allowed = [...mine, ...free];
  return choice;
}
