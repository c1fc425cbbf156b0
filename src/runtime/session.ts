/**
 * One connection to the CSMS: a websocket transport and the OCPP-J endpoint on top of it. The
 * `connection` statechart opens one per attempt (its `socket` actor) and closes it when it leaves
 * the session; reconnecting is the statechart's job, not this module's.
 */
import type { OcppAction } from '../generated/ocpp-types.js';
import type { OcppRpcError } from '../rpc/errors.js';
import { RpcEndpoint, type IncomingCallHandler, type IncomingCallInfo } from '../rpc/endpoint.js';
import { Transport, type SecurityProfile } from '../transport/transport.js';
import { isOcppAction, ocppValidator } from '../validation/index.js';
import type { MessageDirection } from '../callbacks.js';
import { SUPPORTED_CSMS_ACTIONS } from './incoming.js';

/** Certificates for security profiles 2 and 3 (PEM). */
export interface TlsMaterial {
  /** CSMS root certificate(s) the CSMS's server certificate must chain to. */
  ca?: string | readonly string[];
  /** Profile 3: the Charging Station certificate (with its chain) and its private key. */
  cert?: string;
  key?: string;
  passphrase?: string;
}

export interface SessionOptions {
  csmsUrl: string;
  identity: string;
  securityProfile: number;
  basicAuthPassword?: string;
  tls?: TlsMaterial;
  pingIntervalS: number;
  messageTimeoutMs: () => number;
  dispatch: (action: string, payload: unknown, messageId: string, info: IncomingCallInfo) => Promise<unknown>;
  onFrame?: (message: string, direction: MessageDirection) => void;
  onError?: (error: unknown) => void;
  /** The connection attempt failed (the error is also given to onError): security events (A00). */
  onConnectFailed?: (error: unknown) => void;
  /** The CSMS sent a text that is not a valid OCPP-J frame (appendix 1: InvalidMessages). */
  onInvalidFrame?: (description: string) => void;
  /** Checked before anything else for each CSMS CALL (the registration gate, B03.FR.08). */
  gate?: (action: string) => OcppRpcError | null;
}

/** CSMS actions the RPC layer lets through to the dispatcher; others are answered NotSupported. */
const DISPATCHED_CSMS_ACTIONS: readonly OcppAction[] = [
  ...(SUPPORTED_CSMS_ACTIONS as ReadonlySet<OcppAction>),
];

export interface Session {
  /**
   * Sends a CALL; `payloadJson` is `payload` as JSON text already checked against the request
   * schema (the message queue's check): sent as is, not validated again.
   */
  call(action: string, payload: unknown, messageId: string, payloadJson?: string): Promise<unknown>;
  close(): void;
}

export interface SessionEvents {
  opened(session: Session): void;
  closed(info: { code?: number; reason?: string }): void;
}

/**
 * Opens the websocket and reports through `events`: `opened` once the subprotocol is agreed, then
 * exactly one `closed` (also when the connection never opened).
 *
 * @example
 * const session = openSession(options, { opened: (s) => queue.attach(s.call), closed: () => queue.attach(null) });
 */
export function openSession(options: SessionOptions, events: SessionEvents): Session {
  let closed = false;
  // Set by close(): what the socket does from then on (errors while closing, the aborted connect,
  // answers that can no longer be sent) is the station's own doing, not a failure to report.
  let closedByStation = false;
  let endpoint: RpcEndpoint | null = null;
  const finish = (info: { code?: number; reason?: string }) => {
    if (closed) return;
    closed = true;
    endpoint?.close();
    events.closed(info);
  };
  let transport: Transport;
  try {
    transport = new Transport({
      csmsUrl: options.csmsUrl,
      identity: options.identity,
      securityProfile: options.securityProfile as SecurityProfile,
      ...(options.basicAuthPassword === undefined ? {} : { basicAuthPassword: options.basicAuthPassword }),
      ...(options.tls?.ca === undefined ? {} : { caCertificates: options.tls.ca }),
      ...(options.tls?.cert && options.tls.key
        ? {
            clientCertificate: {
              cert: options.tls.cert,
              key: options.tls.key,
              ...(options.tls.passphrase === undefined ? {} : { passphrase: options.tls.passphrase }),
            },
          }
        : {}),
      pingIntervalSeconds: options.pingIntervalS,
    });
  } catch (error) {
    // A configuration that cannot work (no password for profile 1, no certificate for 3): report it
    // and let the connection statechart back off and try the next profile.
    options.onError?.(error);
    setImmediate(() => finish({ reason: (error as Error).message }));
    return { call: () => Promise.reject(error), close: () => finish({ reason: 'closed' }) };
  }
  const handler: IncomingCallHandler = (action, payload, messageId, info) =>
    options.dispatch(action, payload, messageId, info);
  const session: Session = {
    call: (action, payload, messageId, payloadJson) => {
      if (!endpoint || closed) return Promise.reject(new Error(`${action} not sent: not connected`));
      if (!isOcppAction(action))
        return Promise.reject(new TypeError(`${action} is not an OCPP 2.0.1 action`));
      return endpoint.call(action as OcppAction, payload as never, {
        messageId,
        ...(payloadJson === undefined ? {} : { payloadJson }),
      });
    },
    close: () => {
      if (closed) return;
      closedByStation = true;
      void transport.close(1000, 'station closing').catch(() => undefined);
      finish({ reason: 'closed by the station' });
    },
  };
  transport.on('open', () => {
    endpoint = new RpcEndpoint({
      send: (text) => transport.send(text),
      validator: ocppValidator,
      handler,
      supportedActions: DISPATCHED_CSMS_ACTIONS,
      messageTimeoutMs: options.messageTimeoutMs,
      ...(options.gate ? { gate: options.gate } : {}),
      onFrame: (text, direction) =>
        options.onFrame?.(text, direction === 'in' ? 'CSMS->station' : 'station->CSMS'),
      onError: (issue) => {
        if (closedByStation && issue.kind === 'send-failed') return;
        if (issue.kind === 'invalid-frame') options.onInvalidFrame?.(issue.description);
        options.onError?.(issue);
      },
    });
    events.opened(session);
  });
  transport.on('message', (text) => {
    void endpoint?.receive(text);
  });
  transport.on('close', (event) =>
    finish({ code: event.code, reason: event.pingTimeout ? 'ping timeout' : event.reason }),
  );
  transport.on('error', (error) => {
    if (!closedByStation) options.onError?.(error);
  });
  transport.connect().catch((error: unknown) => {
    if (closedByStation) return;
    options.onError?.(error);
    options.onConnectFailed?.(error);
    finish({ reason: (error as Error).message });
  });
  return session;
}
