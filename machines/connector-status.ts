/**
 * The OCPP connector status (G01.FR.01: ConnectorStatusEnumType) derived from what the connector
 * knows. One pure function so that the statechart, the facade and tests agree on the precedence.
 */
import type { ConnectorStatusEnumType } from '../src/generated/ocpp-types.js';

export interface ConnectorFacts {
  /** Hardware reports a fault on this connector (or its EVSE). */
  faulted: boolean;
  /** Effective operational status: station, EVSE and connector all Operative (G03/G04). */
  operative: boolean;
  /** A cable / EV is connected. */
  plugged: boolean;
  /** The connector (or its EVSE) is reserved (H01). */
  reserved: boolean;
}

/**
 * Precedence: Faulted > Unavailable > Reserved > Occupied > Available. A Reserved connector stays
 * Reserved when an EV connects; only the reservation's token ends it (errata G01.FR.09, H03.FR.10:
 * then Occupied if a cable is in, else Available). An Inoperative connector with
 * a cable still plugged reports Unavailable: a ChangeAvailability that has to wait for a transaction
 * is held back as Scheduled before it reaches the connector (G03.FR.05), so by the time it applies
 * the connector really is unavailable.
 *
 * @example
 * connectorStatus({ faulted: false, operative: true, plugged: true, reserved: false }); // 'Occupied'
 * connectorStatus({ faulted: false, operative: true, plugged: true, reserved: true }); // 'Reserved'
 */
export function connectorStatus(facts: ConnectorFacts): ConnectorStatusEnumType {
  if (facts.faulted) return 'Faulted';
  if (!facts.operative) return 'Unavailable';
  if (facts.reserved) return 'Reserved';
  if (facts.plugged) return 'Occupied';
  return 'Available';
}

export const CONNECTOR_STATUSES: readonly ConnectorStatusEnumType[] = [
  'Available',
  'Occupied',
  'Reserved',
  'Unavailable',
  'Faulted',
];
