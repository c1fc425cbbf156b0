/**
 * The typed public event stream of a ChargePoint (docs/events.md): one discriminated union,
 * `StationEvent`, whose `type` names what happened and whose `time` is the station time (ISO 8601,
 * UTC) at which it happened. Every event is derived from the actor that owns the fact (connection,
 * boot, connector, EVSE, transaction), from the RPC layer (frames) or from the queue (drops); none
 * keeps a state of its own (DESIGN.md, "one source of truth").
 */
import type {
  ChargingStateEnumType,
  ConnectorStatusEnumType,
  OperationalStatusEnumType,
  ReasonEnumType,
  RegistrationStatusEnumType,
  TransactionEventEnumType,
  TriggerReasonEnumType,
} from '../generated/ocpp-types.js';
import type { ErrorSeverity } from './error-catalogue.js';

/** OCPP-J message type of a frame (Part 4 §4.1.3); `INVALID` for a text that is not a usable frame. */
export type FrameMessageType = 'CALL' | 'CALLRESULT' | 'CALLERROR' | 'INVALID';

/** The websocket to the CSMS opened (`connected`) or closed (`disconnected`). */
export interface ConnectionStationEvent {
  type: 'connection';
  time: string;
  status: 'connected' | 'disconnected';
  /** Network connection profile slot (NetworkConfigurationPriority) of the connection. */
  slot: number;
  /** The CSMS URL of that slot (without the identity appended). */
  url: string | undefined;
  /** Why it closed: the websocket close reason, `ping timeout`, `offline requested`, `reconnect`, `station stopped`. */
  reason?: string;
  /** Websocket close code, when the socket reported one. */
  code?: number;
  /** Connected: seconds the station was offline before (absent on the first connection). */
  offlineSeconds?: number;
}

/** A BootNotificationResponse arrived (B01–B03): the registration status and its interval. */
export interface RegistrationStationEvent {
  type: 'registration';
  time: string;
  status: RegistrationStatusEnumType;
  /** The response's `interval` (s): heartbeat interval when Accepted, retry interval otherwise. */
  interval: number;
  /** The CSMS's `currentTime`. */
  currentTime: string;
}

/** A connector's OCPP status changed (G01), as its `connector:<evse>:<id>` actor shows it. */
export interface ConnectorStatusStationEvent {
  type: 'connectorStatus';
  time: string;
  evseId: number;
  connectorId: number;
  status: ConnectorStatusEnumType;
  /** The status before; null for the first status of the actor (each start). */
  previousStatus: ConnectorStatusEnumType | null;
}

/**
 * The effective availability of an EVSE changed (G03/G04: station and EVSE both Operative), or of the
 * whole station (`evseId` 0). `scheduled`: a change to Inoperative waits for a transaction to end.
 */
export interface AvailabilityStationEvent {
  type: 'availability';
  time: string;
  /** 0: the station as a whole. */
  evseId: number;
  status: OperationalStatusEnumType;
  /** An Inoperative change is held back until the transaction on this EVSE ends (G03.FR.05). */
  scheduled: boolean;
}

/** The station decided a TransactionEventRequest (E01–E15): queued durably, sent when it can be. */
export interface TransactionStationEvent {
  type: 'transaction';
  time: string;
  eventType: TransactionEventEnumType;
  transactionId: string;
  evseId: number;
  connectorId?: number;
  seqNo: number;
  triggerReason: TriggerReasonEnumType;
  /** Ended: why the transaction stopped. */
  stoppedReason?: ReasonEnumType;
  chargingState?: ChargingStateEnumType;
  /** The event happened while the station was offline (E04.FR.03). */
  offline: boolean;
  /** The TransactionEventRequest's `timestamp`. */
  timestamp: string;
}

/** One OCPP-J frame on the websocket, as the RPC layer sent or received it. */
export interface FrameStationEvent {
  type: 'frame';
  time: string;
  /** `out`: station → CSMS; `in`: CSMS → station. */
  direction: 'in' | 'out';
  /** The parsed OCPP-J array (`[2,id,action,payload]`, `[3,id,payload]`, `[4,id,code,description,details]`); the raw text if it is not JSON. */
  frame: unknown;
  messageType: FrameMessageType;
  /** The CALL's action; for a CALLRESULT/CALLERROR the action of the CALL it answers (when known). */
  action?: string;
  messageId?: string;
  /** CALLRESULT/CALLERROR: milliseconds since the CALL it answers was sent or received. */
  latencyMs?: number;
  /** CALLERROR: its error code. */
  errorCode?: string;
}

/** A state value as xstate reports it: a state's key, or nested keys of compound and parallel states. */
export type StateValue = string | { [key: string]: StateValue };

/** Where an actor is in its life: running, in a final state, stopped by its parent (or the station's stop), failed. */
export type ActorStatus = 'active' | 'done' | 'stopped' | 'error';

/**
 * An actor's state value changed, or the actor started, finished or stopped. The actors and their
 * states are the statecharts of machines/ (docs/statecharts.md): internals that may change between
 * versions, for tools that show them (the visualizer), not a contract like the other events.
 */
export interface StateStationEvent {
  type: 'state';
  time: string;
  /** `station` (the root), or the actor's systemId: `connection`, `boot`, `evse:1`, `connector:1:1`, `transaction:<id>`, `reservation:<id>`, ... */
  actor: string;
  /** The id of the machine it runs (`station`, `connection`, `boot`, `evse`, `connector`, `transaction`, `reservation`, ...). */
  machine: string;
  value: StateValue;
  /** The type of the event that caused the change (`xstate.init` when the actor started, `xstate.stop` when the station stopped it). */
  event: string;
  status: ActorStatus;
}

/** A queued message was given up by a drop rule of the spec (E13.FR.04 retries used up, a CALLERROR). */
export interface QueueDropStationEvent {
  type: 'queueDrop';
  time: string;
  action: string;
  messageId: string;
  /** Transmission attempts made. */
  attempts: number;
  /** Transaction-related (E13 retries). */
  transaction: boolean;
  /** What the last attempt ended with (an error's message). */
  reason: string;
}

/** Something failed (docs/errors.md lists every `code`). The station goes on unless `severity` is `fatal`. */
export interface ErrorStationEvent {
  type: 'error';
  time: string;
  /** A code of the catalogue in docs/errors.md. */
  code: string;
  severity: ErrorSeverity;
  message: string;
  /** Facts of the error: the file, variable, action, message id, ... it names. */
  context: Record<string, unknown>;
  /** The error as reported (an Error of the library's classes, or whatever was thrown). */
  cause: unknown;
}

/**
 * Every event of the public stream. Discriminated by `type`; all carry `time`.
 *
 * @example
 * const off = chargePoint.subscribe((event) => {
 *   if (event.type === 'frame') console.log(event.direction, event.action, event.latencyMs);
 * });
 */
export type StationEvent =
  | ConnectionStationEvent
  | RegistrationStationEvent
  | ConnectorStatusStationEvent
  | AvailabilityStationEvent
  | TransactionStationEvent
  | FrameStationEvent
  | QueueDropStationEvent
  | ErrorStationEvent
  | StateStationEvent;

/** The `type`s of {@link StationEvent}. */
export type StationEventType = StationEvent['type'];

/** An event without its `time` (the bus stamps it). */
export type StationEventBody = StationEvent extends infer E
  ? E extends StationEvent
    ? Omit<E, 'time'>
    : never
  : never;

/** Where the station's parts put their events. */
export interface StationEventSink {
  /** Hands an event over: a new object each time (the bus stamps `time` on it). */
  emit(event: StationEventBody): void;
  /** false: nobody listens, producers may skip their work. */
  readonly active?: boolean;
}
