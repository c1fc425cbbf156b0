/**
 * How `evse:<id>` (machines/evse.ts) routes a hardware, authorization or host fact: it keeps the
 * EVSE's own facts (EV connected on which connector, parking bay), tells the connectors what
 * changes their status, and hands the fact to the session as the session's own event, opening a
 * session when the fact calls for one and none is open (E01.FR.14).
 */
import type { ConnectorEvent } from './connector.js';
import type { EvseContext, EvseEvent } from './evse.js';
import { SESSION_CHILD_ID, transactionActorId, type TransactionEvent, type TransactionInput } from './transaction.js';

/** Events that open a session when none is open. */
const OPENING = new Set(['hw.plugged', 'hw.parked', 'auth.accepted', 'auth.remoteStart', 'host.start']);

/** The session event an EVSE event becomes (undefined: none). */
function sessionEvent(event: EvseEvent, context: EvseContext): TransactionEvent | undefined {
  const energy = 'energyWh' in event && event.energyWh !== undefined ? { energyWh: event.energyWh } : {};
  switch (event.type) {
    case 'hw.plugged':
      return { type: 'ev.connected', connectorId: event.connectorId, at: event.at, ...energy };
    case 'hw.unplugged':
    case 'hw.evDisconnected':
      return { type: 'ev.disconnected', connectorId: event.connectorId, at: event.at, ...energy };
    case 'hw.parked':
      return { type: 'bay.occupied', at: event.at, ...energy };
    case 'hw.unparked':
      return { type: 'bay.vacated', at: event.at, ...energy };
    case 'hw.chargingState':
      return { type: 'charging.state', state: event.state, at: event.at, ...energy };
    case 'hw.signedData':
      return { type: 'meter.signed', at: event.at, ...energy };
    case 'hw.energy':
      return { type: 'meter.energy', at: event.at, energyWh: event.energyWh };
    case 'hw.lockFailed':
      return event.connectorId === context.evConnectedOn ? { type: 'connector.lockFailed', at: event.at } : undefined;
    case 'hw.faulted':
      return event.connectorId === context.evConnectedOn || context.connectorIds.length === 1
        ? { type: 'connector.faulted', at: event.at, ...(event.reason ? { reason: event.reason } : {}) }
        : undefined;
    case 'hw.faultCleared':
      return { type: 'connector.faultCleared', at: event.at };
    case 'auth.accepted': {
      const { type: _t, txId: _id, ...rest } = event;
      return { type: 'auth.accepted', ...rest };
    }
    case 'auth.remoteStart': {
      const { type: _t, txId: _id, ...rest } = event;
      return { type: 'auth.remoteStart', ...rest };
    }
    case 'auth.stop':
      return event;
    case 'trigger.transactionEvent':
    case 'reset.immediate':
      return event;
    case 'host.start':
      return {
        type: 'host.start',
        at: event.at,
        ...(event.triggerReason ? { triggerReason: event.triggerReason } : {}),
        ...energy,
      };
    case 'host.finish':
      return event;
    case 'tx.settings':
      return { type: 'settings.changed', settings: event.settings };
    case 'resumed':
      return event;
    default:
      return undefined;
  }
}

/** The enqueuer as routeFact uses it. */
export interface Enqueue {
  assign(patch: Partial<EvseContext>): void;
  sendTo(to: string, event: unknown): void;
  spawnChild(src: 'transaction', options: { id: string; systemId: string; input: TransactionInput }): void;
  (action: { type: 'toConnector'; params: { connectorId: number; event: ConnectorEvent } }): void;
}

/**
 * Keeps the EVSE's facts, tells the connectors what changes their status, and hands the fact to the
 * session (opening one when the fact calls for it and none is open).
 */
export function routeFact(context: EvseContext, event: EvseEvent, enqueue: Enqueue): void {
  // Facts of the EVSE and its connectors.
  let evConnectedOn = context.evConnectedOn;
  let parked = context.parked;
  const fixed = (connectorId: number) => context.txSettings.fixedCableConnectors.includes(connectorId);
  switch (event.type) {
    case 'hw.plugged':
      if (!context.connectorIds.includes(event.connectorId)) return;
      evConnectedOn = event.connectorId;
      enqueue({ type: 'toConnector', params: { connectorId: event.connectorId, event: { type: 'hw.plugged' } } });
      break;
    case 'hw.unplugged':
      if (!context.connectorIds.includes(event.connectorId)) return;
      if (evConnectedOn === event.connectorId) evConnectedOn = null;
      enqueue({ type: 'toConnector', params: { connectorId: event.connectorId, event: { type: 'hw.unplugged' } } });
      break;
    case 'hw.evDisconnected':
      if (!context.connectorIds.includes(event.connectorId)) return;
      if (evConnectedOn === event.connectorId) evConnectedOn = null;
      // A permanently attached cable frees the connector (Part 6 TC_E_26/27); a socket cable stays in.
      if (fixed(event.connectorId)) {
        enqueue({ type: 'toConnector', params: { connectorId: event.connectorId, event: { type: 'hw.unplugged' } } });
      }
      break;
    case 'hw.faulted':
      enqueue({ type: 'toConnector', params: { connectorId: event.connectorId, event: { type: 'hw.faulted' } } });
      break;
    case 'hw.faultCleared':
      enqueue({ type: 'toConnector', params: { connectorId: event.connectorId, event: { type: 'hw.faultCleared' } } });
      break;
    case 'hw.parked':
      parked = true;
      break;
    case 'hw.unparked':
      parked = false;
      break;
    default:
      break;
  }
  if (evConnectedOn !== context.evConnectedOn || parked !== context.parked) enqueue.assign({ evConnectedOn, parked });

  const forward = sessionEvent(event, context);
  if (forward === undefined) return;
  if (context.session !== null) {
    enqueue.sendTo(SESSION_CHILD_ID, forward);
    return;
  }
  if (!OPENING.has(event.type) || !('txId' in event)) return;
  // E01.FR.14: one session per EVSE; a new one opens with the EVSE's facts as they were before this event.
  const transactionId = event.txId;
  enqueue.spawnChild('transaction', {
    id: SESSION_CHILD_ID,
    systemId: transactionActorId(transactionId),
    input: {
      evseId: context.evseId,
      transactionId,
      settings: context.txSettings,
      at: event.at,
      connectorId: context.evConnectedOn,
      evConnected: context.evConnectedOn !== null,
      parked: context.parked,
    },
  });
  enqueue.assign({ session: transactionId });
  enqueue.sendTo(SESSION_CHILD_ID, forward);
}
