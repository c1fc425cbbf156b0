/**
 * Facts read from the running actors, which own them: a connector's OCPP status, the EVSEs with an
 * active transaction, the open session of an EVSE. Before start (no root actor) there are none.
 */
import type { Actor } from 'xstate';
import type { EvseContext } from '../../machines/evse.js';
import { connectorActorId } from '../../machines/evse.js';
import { evseActorId, type stationMachine } from '../../machines/station.js';
import { transactionActorId } from '../../machines/transaction.js';
import type { TransactionContext } from '../../machines/transaction-rules.js';
import type { ConnectorStatusEnumType } from '../generated/ocpp-types.js';

/** The root actor, or null before start. */
type Root = Actor<typeof stationMachine> | null;

/**
 * OCPP status of a connector (G01), from its actor.
 *
 * @example
 * connectorStatusOf(station, 1, 1); // 'Available'
 */
export function connectorStatusOf(
  root: Root,
  evseId: number,
  connectorId: number,
): ConnectorStatusEnumType | undefined {
  const actor = root?.system.get(connectorActorId(evseId, connectorId));
  return (actor?.getSnapshot() as { value?: { status?: ConnectorStatusEnumType } } | undefined)?.value
    ?.status;
}

/**
 * Is a transaction running on this EVSE (or on any, when undefined)? Read from the EVSE actors,
 * which own the fact.
 *
 * @example
 * transactionActiveOn(station, 1); // true while EVSE 1 has a started transaction
 */
export function transactionActiveOn(root: Root, evseId?: number): boolean {
  const active = root?.getSnapshot().context.activeEvses ?? [];
  return evseId === undefined ? active.length > 0 : active.includes(evseId);
}

/**
 * The open session of an EVSE (its context), if any.
 *
 * @example
 * openSessionOf(station, 1)?.transactionId;
 */
export function openSessionOf(root: Root, evseId: number): TransactionContext | undefined {
  const evse = root?.system.get(evseActorId(evseId));
  const sessionId = (evse?.getSnapshot() as { context?: EvseContext } | undefined)?.context?.session;
  if (!sessionId) return undefined;
  return (
    root?.system.get(transactionActorId(sessionId))?.getSnapshot() as
      { context?: TransactionContext } | undefined
  )?.context;
}
