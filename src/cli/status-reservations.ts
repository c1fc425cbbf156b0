/**
 * The reservations part of the console command `status` (docs/cli.md): the active reservations
 * (H01), tokens as their idToken strings.
 */
import type { ChargePoint } from '../charge-point.js';

export interface StatusReservation {
  id: number;
  evseId: number | null;
  connectorType: string | null;
  idToken: string;
  groupIdToken?: string;
  expiryDateTime: string;
}

/**
 * @example
 * reservationsOf(cp); // [{ id: 1, evseId: 1, connectorType: null, idToken: 'TOKEN-1', expiryDateTime: '...' }]
 */
export function reservationsOf(cp: Pick<ChargePoint, 'reservations'>): StatusReservation[] {
  return cp.reservations().map((r) => ({
    id: r.id,
    evseId: r.evseId,
    connectorType: r.connectorType,
    idToken: r.idToken.idToken,
    ...(r.groupIdToken ? { groupIdToken: r.groupIdToken.idToken } : {}),
    expiryDateTime: r.expiryDateTime,
  }));
}
