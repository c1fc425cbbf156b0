/**
 * The vocabulary of `station`, the root actor (machines/station.ts): its input and context, the
 * events it takes and routes, the system ids of its EVSE actors and the check that an event's
 * target exists.
 */
import type { BootReasonEnumType, ResetEnumType } from '../src/generated/ocpp-types.js';
import type { BootInput, RegistrationStatus } from './boot.js';
import type { ConnectionInput } from './connection.js';
import type { AvailabilityReply, EvseEvent, EvseOutput } from './evse.js';
import type { FirmwareInput } from './firmware.js';
import type { LogUploadInput } from './log-upload.js';
import type { TransactionContext, TxSettings } from './transaction-rules.js';
import type {
  StationReservationContext,
  StationReservationEvent,
  StationReservationInput,
} from './station-reservations.js';

export interface StationEvseInput {
  evseId: number;
  connectorIds: number[];
  evseOperative?: boolean;
  connectorOperative?: Record<string, boolean>;
  txSettings: TxSettings;
  /** A persisted snapshot of this EVSE (with its connectors and session) to resume from. */
  restore?: unknown;
  /** Sessions rebuilt from `transaction_record` (no usable snapshot), resumed at `resumed`. */
  sessions?: TransactionContext[];
}

export interface StationInput {
  evses: StationEvseInput[];
  stationOperative: boolean;
  /** OCPPCommCtrlr.OfflineThreshold (s): a longer offline period resends every status (B04.FR.01). */
  offlineThresholdS: number;
  boot: BootInput;
  connection: ConnectionInput;
  /** EVSEs whose (restored) transaction is running. */
  activeEvses?: number[];
  /** Connector.ConnectorType by `evse/connector` (H01 reservations by connectorType). */
  connectorTypes?: Record<string, string>;
  /** Reservations to resume (persisted snapshots, or records rebuilt from the domain table). */
  reservations?: StationReservationInput[];
  /** The firmware actor: its persisted snapshot to resume, if any (L01). */
  firmware?: FirmwareInput;
  /** The log upload actor: its persisted snapshot to resume, if any (N01). */
  logUpload?: LogUploadInput;
}

export interface StationContext extends StationReservationContext {
  evses: StationEvseInput[];
  bootInput: BootInput;
  connectionInput: ConnectionInput;
  stationOperative: boolean;
  offlineThresholdS: number;
  online: boolean;
  registration: RegistrationStatus;
  /**
   * The connectors were last told they may send (B01.FR.08: connected and Accepted). They start
   * unable to (a restored connector forgets it at `resumed`), so "still not" is not said again.
   */
  canSendTold: boolean;
  /** The reset being carried out or waiting for transactions to end (B12.FR.01). */
  reset: ResetInput | null;
  /** EVSEs whose transaction has started and not ended. */
  activeEvses: number[];
  /** G04.FR.06: the station goes Inoperative once every transaction has ended. */
  stationScheduledInoperative: boolean;
  /** Input of the invoked `firmware` actor. */
  firmwareInput: FirmwareInput;
  /** Input of the invoked `log-upload` actor. */
  logUploadInput: LogUploadInput;
}

/** A fact or command for one EVSE (routed to `evse:<evseId>`). */
export type EvseDirected = Exclude<
  EvseEvent,
  {
    type:
      | 'availability.station'
      | 'csms.changeAvailability'
      | 'status.resync'
      | 'session.started'
      | 'session.permitted'
      | 'tx.settings'
      | 'resumed'
      | 'trigger.transactionEvent'
      | 'reset.immediate'
      | 'reservation.mark'
      | 'connector.facts';
  }
> & {
  evseId: number;
};

export type StationEvent =
  | { type: 'connection.up'; slot: number; offlineSeconds: number | null }
  | { type: 'connection.down' }
  | { type: 'connection.goOffline' }
  | { type: 'connection.goOnline' }
  | { type: 'registration.changed'; status: RegistrationStatus }
  | { type: 'settings.heartbeatInterval'; seconds: number }
  | { type: 'settings.offlineThreshold'; seconds: number }
  /** G03/G04 ChangeAvailability, decided by the owning actor; `reply` gets the status. */
  | {
      type: 'csms.changeAvailability';
      evseId: number;
      connectorId?: number;
      operative: boolean;
      reply?: (status: AvailabilityReply) => void;
    }
  /**
   * F06: an accepted TriggerMessage(BootNotification). Triggered Heartbeat and StatusNotification
   * do not pass through the machines: the handler sends them itself (they must go out while
   * Pending and even when nothing changed, which the boot and connector charts do not do).
   */
  | { type: 'trigger.BootNotification' }
  /**
   * Start the `firmware` (L01) or `log-upload` (N01) actor if it does not run: they start at their
   * first request (or at start when resumed from a snapshot), not with every station (issue 9).
   */
  | { type: 'service.start'; service: 'firmware' | 'log-upload' }
  /** Raised when an EVSE's transaction ended. */
  | { type: 'transactions.idle'; evseId: number }
  | {
      type: 'reset.execute';
      evseId?: number;
      resetType: ResetEnumType;
      bootReason: BootReasonEnumType;
      at: string;
    }
  | { type: 'reset.schedule'; evseId?: number; resetType: ResetEnumType }
  /** F06: TriggerMessage(TransactionEvent) for one EVSE or (evseId absent) every EVSE. */
  | { type: 'trigger.transactionEvent'; evseId?: number; at: string }
  /** Transaction settings of one EVSE changed (device model). */
  | { type: 'tx.settings'; evseId: number; settings: TxSettings }
  /** The station started again from persisted snapshots (DESIGN.md start order). */
  | { type: 'resumed'; at: string; resumeTransactions: boolean; settings: Record<string, TxSettings> }
  | StationReservationEvent
  | EvseOutput
  | EvseDirected;

/**
 * The system id of the actor of EVSE `evseId` (`station.system.get(evseActorId(1))`).
 *
 * @example
 * const evse = station.system.get(evseActorId(1)); // the actor `evse:1`
 */
export const evseActorId = (evseId: number) => `evse:${evseId}`;

/**
 * Whether the `resumed` event at start has anything to tell: an EVSE resumed from its snapshot or
 * with sessions rebuilt, or a reservation resumed (its marks). A fresh station's EVSEs and connectors
 * start as they are and have nothing to resume (issue 9: no event for nothing).
 *
 * @example
 * resumesAnything({ evses: [{ evseId: 1, connectorIds: [1], txSettings }], freshMarks: true }); // false
 */
export function resumesAnything(context: Pick<StationContext, 'evses' | 'freshMarks'>): boolean {
  if (!context.freshMarks) return true;
  return context.evses.some(evseResumes);
}

/**
 * Whether an EVSE has anything to resume: it was restored from its snapshot or had sessions rebuilt.
 * One created from its input alone has reported nothing yet and runs the settings it was given.
 *
 * @example
 * evseResumes({ evseId: 1, connectorIds: [1], txSettings }); // false
 */
export function evseResumes(evse: StationContext['evses'][number]): boolean {
  return evse.restore !== undefined || (evse.sessions?.length ?? 0) > 0;
}

/**
 * Whether the station has EVSE `evseId` and, when given and not 0 (the EVSE itself), its connector
 * `connectorId`.
 *
 * @example
 * hasTarget({ evses: [{ evseId: 1, connectorIds: [1] }] }, 1, 2); // false: no connector 2
 */
export function hasTarget(
  context: Pick<StationContext, 'evses'>,
  evseId: number,
  connectorId?: number,
): boolean {
  const evse = context.evses.find((e) => e.evseId === evseId);
  if (!evse) return false;
  return connectorId === undefined || connectorId === 0 || evse.connectorIds.includes(connectorId);
}

export interface ResetInput {
  evseId?: number;
  resetType: ResetEnumType;
  bootReason: BootReasonEnumType;
}
