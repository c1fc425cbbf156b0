/**
 * What the rest of the library asks about reservations (H03; F02.FR.23/24): the active ones, whether
 * a token may use an EVSE (and which reservation it consumes there), where a token's reservation is.
 * By default the library answers from the station's reservation actors; a host that registered
 * `isReservationForTokenCallback` decides instead ("where the host decides", docs/callbacks.md).
 */
import {
  reservedEvseFor,
  type ReservationCheckResult,
  type ReservationRecord,
} from '../../machines/reservation-rules.js';
import type { StationContext } from '../../machines/station.js';
import { stationReservationCheck } from '../../machines/station-reservations.js';
import type { ChargePointCallbacks } from '../callbacks.js';
import type { IdTokenType } from '../generated/ocpp-types.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import type { DeviceModelPort } from '../runtime/ports.js';

/** One reservation as the public API shows it (ChargePoint.reservations(), CLI `status`). */
export interface ReservationInfo {
  id: number;
  evseId: number | null;
  connectorType: string | null;
  idToken: IdTokenType;
  groupIdToken?: IdTokenType;
  expiryDateTime: string;
}

export interface ReservationPort {
  /** The active reservations, by id. */
  list(): ReservationInfo[];
  /** May this token (with its group) use this EVSE? */
  check(evseId: number, idToken: IdTokenType, groupIdToken?: IdTokenType): Promise<ReservationCheckResult>;
  /** The EVSE reserved by id for this token (or its group), if any. */
  reservedEvseFor(idToken: IdTokenType, groupIdToken?: IdTokenType): number | undefined;
}

/**
 * The record as the public API shows it.
 *
 * @example
 * reservationInfo(record); // { id: 3, evseId: 1, connectorType: null, idToken, expiryDateTime }
 */
export function reservationInfo(r: ReservationRecord): ReservationInfo {
  return {
    id: r.reservationId,
    evseId: r.evseId,
    connectorType: r.connectorType,
    idToken: r.idToken,
    ...(r.groupIdToken ? { groupIdToken: r.groupIdToken } : {}),
    expiryDateTime: r.expiryDateTime,
  };
}

/**
 * @example
 * const port = reservationPort(() => runtime.station.getSnapshot().context, callbacks);
 * (await port.check(1, token)).status; // 'NotReserved'
 */
export function reservationPort(
  station: () => StationContext | undefined,
  callbacks: Pick<ChargePointCallbacks, 'isReservationForTokenCallback'>,
): ReservationPort {
  return {
    list: () =>
      [...(station()?.reservations ?? [])].sort((a, b) => a.reservationId - b.reservationId).map(reservationInfo),
    async check(evseId, idToken, groupIdToken) {
      const context = station();
      const own = context
        ? stationReservationCheck(context, evseId, idToken, groupIdToken ?? null)
        : { status: 'NotReserved' as const };
      const host = callbacks.isReservationForTokenCallback;
      if (!host) return own;
      // The host decides; the library's reservation (if it agrees) is the one consumed.
      const status = await host(evseId, idToken.idToken, groupIdToken?.idToken);
      return status === 'ReservedForToken' && own.status === 'ReservedForToken' ? own : { status };
    },
    reservedEvseFor: (idToken, groupIdToken) => reservedEvseFor(idToken, groupIdToken ?? null, station()?.reservations ?? []),
  };
}

/**
 * Connector.ConnectorType of every connector, by `evse/connector` (H01 reservations by connectorType).
 *
 * @example
 * readConnectorTypes(dm, [{ id: 1, connectors: [{ id: 1 }] }]); // { '1/1': 'sType2' }
 */
export function readConnectorTypes(dm: DeviceModelPort, evses: readonly EvseStructure[]): Record<string, string> {
  const types: Record<string, string> = {};
  for (const evse of evses) {
    for (const c of evse.connectors) {
      const type = dm.get({ component: 'Connector', evseId: evse.id, connectorId: c.id, variable: 'ConnectorType' });
      if (type) types[`${evse.id}/${c.id}`] = type;
    }
  }
  return types;
}
