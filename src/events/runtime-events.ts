/**
 * The public events of one running station (src/runtime/station-runtime.ts): what the runtime's
 * parts hand over (frames, inspection events, TransactionEventRequests, queue drops, errors) turned
 * into {@link StationEvent}s for the ChargePoint's bus. Without a sink it does nothing.
 */
import type { InspectionEvent } from 'xstate';
import type { TransactionEventRequest } from '../generated/ocpp-types.js';
import { ActorEvents } from './actor-events.js';
import { describeError } from './error-catalogue.js';
import { FrameEvents } from './frame-events.js';
import { StateEvents } from './state-events.js';
import type { StationEventSink } from './station-event.js';

/** A queued message a drop rule gave up (src/queue/message-queue.ts `onDiscarded`). */
export interface DroppedMessage {
  action: string;
  messageId: string;
  attempts: number;
  transaction: boolean;
  error: unknown;
}

/**
 * @example
 * const events = new RuntimeEvents(options.events, (slot) => link.profiles.find((p) => p.configurationSlot === slot)?.connectionData.ocppCsmsUrl);
 * createStationActor(machine, input, { ..., derive: (e) => events.inspect(e) });
 */
export class RuntimeEvents {
  private readonly frames: FrameEvents | null;
  private readonly actors: ActorEvents | null;
  private readonly states: StateEvents | null;

  constructor(
    private readonly sink: StationEventSink | undefined,
    urlOf: (slot: number) => string | undefined,
  ) {
    this.frames = sink ? new FrameEvents(sink) : null;
    this.actors = sink ? new ActorEvents(sink, urlOf) : null;
    this.states = sink ? new StateEvents(sink) : null;
  }

  /** An OCPP-J frame sent (`out`) or received (`in`). */
  frame(text: string, direction: 'in' | 'out'): void {
    this.frames?.frame(text, direction);
  }

  /** The `socket` actor of the connection opened its session on `slot`. */
  connected(slot: number, offlineSeconds: number | null): void {
    this.actors?.connected(slot, offlineSeconds);
  }

  /** An inspection event of the station's actors. */
  inspect(event: InspectionEvent): void {
    this.actors?.inspect(event);
    this.states?.inspect(event);
  }

  /** A TransactionEventRequest the station decided (queued with its session's snapshot). */
  transaction(request: TransactionEventRequest, evseId: number): void {
    this.sink?.emit({
      type: 'transaction',
      eventType: request.eventType,
      transactionId: request.transactionInfo.transactionId,
      evseId,
      ...(request.evse?.connectorId === undefined ? {} : { connectorId: request.evse.connectorId }),
      seqNo: request.seqNo,
      triggerReason: request.triggerReason,
      ...(request.transactionInfo.stoppedReason === undefined
        ? {}
        : { stoppedReason: request.transactionInfo.stoppedReason }),
      ...(request.transactionInfo.chargingState === undefined
        ? {}
        : { chargingState: request.transactionInfo.chargingState }),
      offline: request.offline === true,
      timestamp: request.timestamp,
    });
  }

  /** A queued message given up by a drop rule. */
  queueDrop(message: DroppedMessage): void {
    this.sink?.emit({
      type: 'queueDrop',
      action: message.action,
      messageId: message.messageId,
      attempts: message.attempts,
      transaction: message.transaction,
      reason: message.error instanceof Error ? message.error.message : String(message.error),
    });
  }

  /** A failure reported through onError. */
  error(error: unknown): void {
    this.sink?.emit({ type: 'error', ...describeError(error), cause: error });
  }

  /** The station is stopping: its open connection closes with it, its actors stop. */
  stopped(): void {
    this.actors?.stopped();
    this.states?.stopped();
  }
}
