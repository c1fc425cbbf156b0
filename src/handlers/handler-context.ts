/**
 * What a handler of a CSMS CALL may use. Handlers decide the response; work that must follow the
 * response (F06.FR.04: the TriggerMessage response goes first) is scheduled with `afterResponse`.
 */
import type { Actor } from 'xstate';
import type { Kysely } from 'kysely';
import type { stationMachine } from '../../machines/station.js';
import type { RegistrationStatus } from '../../machines/boot.js';
import type { ChargePointCallbacks } from '../callbacks.js';
import type { StationClock } from '../clock.js';
import type { MessageQueue } from '../queue/message-queue.js';
import type { DeviceModelPort } from '../runtime/ports.js';
import type { StationSmartCharging } from '../smart-charging/station-smart-charging.js';
import type { Database } from '../store/schema.js';
import type { StationRuntime } from '../runtime/station-runtime.js';
import type { AuthorizationData } from '../authorization/authorization-data.js';

export interface EvseStructure {
  id: number;
  connectors: Array<{ id: number }>;
}

export interface HandlerContext {
  stationId: string;
  evses: readonly EvseStructure[];
  deviceModel: DeviceModelPort;
  db: Kysely<Database>;
  queue: MessageQueue;
  clock: StationClock;
  callbacks: ChargePointCallbacks;
  /** Installed charging profiles, composite schedules, external limits (K). */
  smartCharging: StationSmartCharging;
  station: Actor<typeof stationMachine>;
  registration(): RegistrationStatus;
  /** Runs `work` once the response to the current CALL has been written to the socket. */
  afterResponse(work: () => void | Promise<void>): void;
  /** Is a transaction active on this EVSE (or on any, when undefined)? */
  hasActiveTransaction(evseId?: number): boolean;
  /** The running station: sessions, meters, persistence, authorization. */
  runtime: StationRuntime;
  /** The Authorization Cache and Local Authorization List (C10/C11, D01/D02). */
  authorization: AuthorizationData;
  /** Reports a failure that did not reach the CSMS (logged by the host). */
  reportError(error: unknown): void;
  /** A04: records a security event and, when critical, sends it to the CSMS. */
  securityEvent(type: string, techInfo?: string, critical?: boolean): void;
  /** Closes the websocket and connects again after the reconnect back-off (new credentials, A01). */
  reconnect(): void;
  /**
   * UTF-8 length of the received CALL frame, when the RPC layer told it: the size that
   * DeviceDataCtrlr.BytesPerMessage limits (B05.FR.11, B06.FR.17, B08.FR.18).
   */
  requestBytes?: number;
}

export type CallHandler<Req, Res> = (context: HandlerContext, request: Req) => Promise<Res> | Res;

/**
 * The received frame's size in the form the device model's BytesPerMessage checks take, empty
 * when the RPC layer did not tell it.
 *
 * @example
 * ctx.deviceModel.getVariables(request, messageSize(ctx)); // { messageBytes: 183 }
 */
export function messageSize(ctx: HandlerContext): { messageBytes?: number } {
  return ctx.requestBytes === undefined ? {} : { messageBytes: ctx.requestBytes };
}
