/**
 * The station's side of the link to the CSMS: the `socket` actor's view of the station
 * (SocketHost, src/runtime/socket-actor.ts), the RPC session of the current connection, the network
 * profiles it connects with, how long the link was down (B04) and the connection security events.
 */
import type { RegistrationStatus } from '../../machines/boot.js';
import type { MessageDirection } from '../callbacks.js';
import type { HandlerContext } from '../handlers/handler-context.js';
import type { MessageQueue } from '../queue/message-queue.js';
import type { CertificateManager } from '../security/certificate-manager.js';
import { ConnectionSecurityEvents } from './connection-security-events.js';
import { createCallDispatcher, registrationGate } from './incoming.js';
import type { NetworkProfileSlot } from './network-profiles.js';
import type { Session } from './session.js';
import type { SocketHost } from './socket-actor.js';
import type { StationRuntimeOptions } from './station-runtime-options.js';
import { redactKeyCodesInText } from '../logging/redact-key-codes.js';

/** What the link needs from the running station. */
export interface StationLinkOptions {
  /** The runtime's options (host callbacks already guarded). */
  runtime: Pick<StationRuntimeOptions, 'stationId' | 'deviceModel' | 'callbacks'>;
  /** The certificates of each attempt and what a success or failure means for them (A02, M05). */
  certificates: Pick<CertificateManager, 'tls' | 'onConnected' | 'onConnectFailed'>;
  queue: Pick<MessageQueue, 'attach'>;
  registration(): RegistrationStatus;
  /** The context of the handlers of one CSMS CALL (src/handlers/handler-context.ts). */
  handlerContext(afterResponse: HandlerContext['afterResponse']): HandlerContext;
  /** Has the station been stopped? */
  stopped(): boolean;
  securityEvent(type: string, techInfo?: string, critical?: boolean): Promise<void>;
  reportError(error: unknown): void;
  /** Every frame for the public `frame` events (src/events/frame-events.ts), if anyone listens. */
  frame?(text: string, direction: 'in' | 'out'): void;
  /** The link is up (the public `connection` event, before any frame of the new session). */
  connected?(slot: number, offlineSeconds: number | null): void;
}

/**
 * @example
 * const link = new StationLink({ runtime: options, queue, registration, handlerContext, stopped, securityEvent, reportError });
 * link.profiles = readNetworkProfiles(deviceModel);
 * createStationActor({ ...effects, socketHost: link.socketHost() }, input, observers);
 */
export class StationLink {
  /** The network connection profiles of the configuration slots (read at start). */
  profiles: NetworkProfileSlot[] = [];
  private current: Session | null = null;
  /** performance.now() when the link went down: offline time is measured on a monotonic clock. */
  private lastDisconnectAt: number | null = null;
  private readonly connectionEvents = new ConnectionSecurityEvents();

  constructor(private readonly options: StationLinkOptions) {}

  /** The RPC session of the current connection, or null while offline. */
  get session(): Session | null {
    return this.current;
  }

  get connected(): boolean {
    return this.current !== null;
  }

  /** Closes the current session, if any. */
  close(): void {
    this.current?.close();
    this.current = null;
  }

  /** The `socket` actor's view of this station (src/runtime/socket-actor.ts). */
  socketHost(): SocketHost {
    const options = this.options.runtime;
    return {
      stationId: options.stationId,
      deviceModel: options.deviceModel,
      callbacks: options.callbacks,
      tls: (securityProfile) => this.options.certificates.tls(securityProfile),
      profile: (slot) => this.profiles.find((p) => p.configurationSlot === slot),
      createDispatch: () => createCallDispatcher((after) => this.options.handlerContext(after)),
      gate: (action) => registrationGate(this.options.registration())(action),
      ...(options.callbacks.ocppMessagesCallback || this.options.frame
        ? {
            onFrame: (message: string, direction: MessageDirection) => {
              // Nothing is reported after stop(): the frames of our own closing are not news.
              if (this.options.stopped()) return;
              // C04.FR.04: the host logs these; a KeyCode idToken never reaches a log.
              const text = redactKeyCodesInText(message);
              this.options.frame?.(text, direction === 'station->CSMS' ? 'out' : 'in');
              options.callbacks.ocppMessagesCallback?.(text, direction);
            },
          }
        : {}),
      linkUp: (session, slot) => {
        this.current = session;
        this.connectionEvents.onConnected();
        this.options.certificates.onConnected().catch((e: unknown) => this.options.reportError(e));
        // B04: how long the station was offline decides which statuses are reported again.
        const offlineSeconds =
          this.lastDisconnectAt === null
            ? null
            : Math.round((performance.now() - this.lastDisconnectAt) / 1000);
        // Said before the queue attaches: messages waiting for the link go out on it at once.
        this.options.connected?.(slot, offlineSeconds);
        this.options.queue.attach((action, payload, messageId, payloadJson) =>
          session.call(action, payload, messageId, payloadJson),
        );
        return offlineSeconds;
      },
      linkDown: () => {
        this.current = null;
        this.lastDisconnectAt = performance.now();
        this.options.queue.attach(null);
      },
      connectFailed: (error) => {
        this.options.certificates.onConnectFailed(error);
        const event = this.connectionEvents.onConnectFailed(error);
        if (event) void this.options.securityEvent(event.type, event.techInfo, event.critical);
      },
      // Appendix 1: InvalidMessages (not critical: logged through securityEventCallback only).
      invalidFrame: (description) => void this.options.securityEvent('InvalidMessages', description, false),
      reportError: (e) => this.options.reportError(e),
    };
  }
}
