/**
 * An independent CSMS for tests and simulators: ocpp-rpc's RPCServer in strict mode (its own copy of
 * the OCPP 2.0.1 schemas validates both directions), on 127.0.0.1 and a free port, with optional TLS,
 * Basic auth and client certificates (security profiles 1-3), sensible default answers, a log of the
 * calls it received and event-driven waits.
 */
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:http';
import { RPCServer, createRPCError } from 'ocpp-rpc';
import type * as ServerClientModule from 'ocpp-rpc/lib/server-client.js';
import { defaultCsmsResponse, type DefaultResponseSettings } from './default-csms-responses.js';
import { waitFor } from './wait-for.js';

/** ocpp-rpc's server-side connection to one station. */
export type RpcServerClient = ServerClientModule.default;

/** A CALL the test CSMS received from a station and passed to a handler (it passed strict validation). */
export interface ReceivedCall {
  identity: string;
  action: string;
  payload: unknown;
  messageId: string;
}

/** A message ocpp-rpc's strict mode refused, in either direction. */
export interface StrictValidationFailure {
  identity: string;
  messageId: string;
  action: string;
  /** True when the invalid message was the test CSMS's own (a test's handler or `call`). */
  outbound: boolean;
  /** True for a CALL payload, false for a CALLRESULT payload. */
  isCall: boolean;
  /** The OCPP-J code ocpp-rpc chose, e.g. 'OccurenceConstraintViolation' (sic). */
  code: string;
  message: string;
}

/** A raw frame on one station's connection. */
export interface CsmsFrame {
  identity: string;
  direction: 'in' | 'out';
  text: string;
}

/** Answers a station's CALL; throw `createRPCError(code, description)` (from ocpp-rpc) to send a CALLERROR. */
export type CsmsCallHandler = (call: ReceivedCall) => unknown;

export interface TestCsmsOptions {
  /** Serve wss:// (profiles 2 and 3) with this CSMS certificate and key (PEM). */
  tls?: {
    cert: string;
    key: string;
    /** CA(s) client certificates must chain to (profile 3). */
    ca?: string | readonly string[];
    /** Profile 3: refuse TLS clients without a valid certificate from `ca` (A00.FR.407). */
    requireClientCertificate?: boolean;
  };
  /**
   * BasicAuthPassword per station identity (profiles 1 and 2). When given, an upgrade without the
   * matching `identity:password` is refused with HTTP 401 (A00.FR.207).
   */
  passwords?: Readonly<Record<string, string>>;
  /** Strict schema validation of both directions; default true. */
  strictMode?: boolean;
  /** Subprotocols offered; default ['ocpp2.0.1']. */
  protocols?: readonly string[];
  /** BootNotificationResponse defaults; interval 300 s, status Accepted. */
  boot?: Partial<DefaultResponseSettings>;
  /** Timeout of `call()` toward stations; default 30 000 ms. */
  callTimeoutMs?: number;
  /** ocpp-rpc's keep-alive pings to stations; default 30 000 ms. */
  pingIntervalMs?: number;
  /** Answer the stations' websocket pings; default true. False plays a CSMS whose link died silently. */
  autoPong?: boolean;
  /** TCP port to listen on; default 0 (a free one). A fixed port lets a test restart "the same" CSMS. */
  port?: number;
}

export interface TestCsms {
  /** OCPP-J endpoint URL (`ws://127.0.0.1:<port>` or `wss://...`); stations append `/<identity>`. */
  readonly url: string;
  readonly port: number;
  /** Connected stations by identity. */
  readonly clients: ReadonlyMap<string, RpcServerClient>;
  readonly calls: readonly ReceivedCall[];
  readonly validationFailures: readonly StrictValidationFailure[];
  readonly frames: readonly CsmsFrame[];
  /** Replaces the answer to `action` (from every station) until replaced again. */
  onCall(action: string, handler: CsmsCallHandler): void;
  /** The first connected station (with that identity), waiting for it if needed. */
  waitForClient(identity?: string, timeoutMs?: number): Promise<RpcServerClient>;
  /**
   * The first received `action` call matching `predicate` not returned by an earlier waitForCall,
   * waiting for it if needed: successive waits walk through the log in order.
   */
  waitForCall(
    action: string,
    predicate?: (call: ReceivedCall) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedCall>;
  waitForValidationFailure(
    predicate?: (failure: StrictValidationFailure) => boolean,
    timeoutMs?: number,
  ): Promise<StrictValidationFailure>;
  /** Sends a CSMS->station CALL and resolves with the station's response (rejects on CALLERROR/timeout). */
  call(
    identity: string,
    action: string,
    payload: unknown,
    options?: { timeoutMs?: number },
  ): Promise<unknown>;
  /** Sends a raw text frame to a station (bypasses validation: for testing bad input). */
  sendRaw(identity: string, text: string): void;
  /** Closes one station's connection from the CSMS side. */
  disconnect(identity: string, code?: number, reason?: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a test CSMS on 127.0.0.1 with a free port.
 *
 * @example
 * const csms = await startTestCsms({ passwords: { CS001: 'a-16-char-password' } });
 * // ... start a station with csmsUrl: csms.url, identity 'CS001' ...
 * const boot = await csms.waitForCall('BootNotification');
 * const reset = await csms.call('CS001', 'Reset', { type: 'Immediate' });
 * await csms.close();
 */
export async function startTestCsms(options: TestCsmsOptions = {}): Promise<TestCsms> {
  const protocols = [...(options.protocols ?? ['ocpp2.0.1'])];
  const settings: DefaultResponseSettings = {
    heartbeatInterval: options.boot?.heartbeatInterval ?? 300,
    bootStatus: options.boot?.bootStatus ?? 'Accepted',
  };
  const rpc = new RPCServer({
    protocols,
    strictMode: options.strictMode ?? true,
    callTimeoutMs: options.callTimeoutMs ?? 30_000,
    pingIntervalMs: options.pingIntervalMs ?? 30_000,
    wssOptions: { autoPong: options.autoPong ?? true },
  });
  const clients = new Map<string, RpcServerClient>();
  const calls: ReceivedCall[] = [];
  const claimed = new Set<ReceivedCall>();
  const validationFailures: StrictValidationFailure[] = [];
  const frames: CsmsFrame[] = [];
  const handlers = new Map<string, CsmsCallHandler>();
  const changes = new EventTarget();
  const changed = (): boolean => changes.dispatchEvent(new Event('change'));

  const passwords = options.passwords;
  rpc.auth((accept, reject, handshake) => {
    if (passwords) {
      const expected = passwords[handshake.identity];
      if (expected === undefined || handshake.password?.toString('utf8') !== expected) {
        reject(401, 'Unauthorized');
        return;
      }
    }
    accept({});
  });

  rpc.on('client', (client: RpcServerClient) => {
    const identity = client.identity ?? '';
    clients.set(identity, client);
    client.on('message', ({ message, outbound }: { message: Buffer | string; outbound: boolean }) => {
      frames.push({ identity, direction: outbound ? 'out' : 'in', text: message.toString() });
      changed();
    });
    client.on(
      'strictValidationFailure',
      (event: {
        messageId: string;
        method: string;
        outbound: boolean;
        isCall: boolean;
        error: Error & { rpcErrorCode?: string };
      }) => {
        validationFailures.push({
          identity,
          messageId: event.messageId,
          action: event.method,
          outbound: event.outbound,
          isCall: event.isCall,
          code: event.error.rpcErrorCode ?? 'GenericError',
          message: event.error.message,
        });
        changed();
      },
    );
    client.on('close', () => {
      if (clients.get(identity) === client) clients.delete(identity);
      changed();
    });
    client.handle(async ({ method, params, messageId }) => {
      const call: ReceivedCall = {
        identity,
        action: method ?? '',
        payload: params,
        messageId: messageId ?? '',
      };
      calls.push(call);
      changed();
      const custom = handlers.get(call.action);
      if (custom) return (await custom(call)) as Record<string, unknown>;
      const answer = defaultCsmsResponse(call.action, call.payload, settings);
      if (answer === undefined)
        throw createRPCError('NotImplemented', `${call.action} is not handled by the test CSMS`);
      return answer as Record<string, unknown>;
    });
    changed();
  });

  let httpServer: Server;
  if (options.tls) {
    const tls = options.tls;
    httpServer = createHttpsServer({
      cert: tls.cert,
      key: tls.key,
      ...(tls.ca === undefined ? {} : { ca: [tls.ca].flat() }),
      requestCert: tls.requireClientCertificate ?? false,
      rejectUnauthorized: tls.requireClientCertificate ?? false,
      // A00.FR.313/416: TLS 1.2 or above only.
      minVersion: 'TLSv1.2',
    });
    httpServer.on('upgrade', rpc.handleUpgrade);
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
  } else {
    httpServer = await rpc.listen(options.port ?? 0, '127.0.0.1');
  }
  const address = httpServer.address();
  if (address === null || typeof address === 'string')
    throw new Error('test CSMS: server has no TCP address');
  const port = address.port;

  const clientOf = (identity: string): RpcServerClient => {
    const client = clients.get(identity);
    if (!client)
      throw new Error(
        `test CSMS: no station "${identity}" is connected (connected: ${[...clients.keys()].join(', ') || 'none'})`,
      );
    return client;
  };

  return {
    url: `${options.tls ? 'wss' : 'ws'}://127.0.0.1:${port}`,
    port,
    clients,
    calls,
    validationFailures,
    frames,
    onCall: (action, handler) => void handlers.set(action, handler),
    waitForClient: (identity, timeoutMs) =>
      waitFor(
        changes,
        () => (identity === undefined ? clients.values().next().value : clients.get(identity)),
        `station ${identity ?? '(any)'} to connect to the test CSMS`,
        timeoutMs,
      ),
    waitForCall: async (action, predicate = () => true, timeoutMs) => {
      const call = await waitFor(
        changes,
        () => calls.find((c) => c.action === action && !claimed.has(c) && predicate(c)),
        `a ${action} call at the test CSMS (received so far: ${calls.map((c) => c.action).join(', ') || 'none'})`,
        timeoutMs,
      );
      claimed.add(call);
      return call;
    },
    waitForValidationFailure: (predicate = () => true, timeoutMs) =>
      waitFor(
        changes,
        () => validationFailures.find(predicate),
        'a strict validation failure at the test CSMS',
        timeoutMs,
      ),
    call: async (identity, action, payload, callOptions = {}) =>
      clientOf(identity).call(
        action,
        payload,
        callOptions.timeoutMs === undefined ? {} : { callTimeoutMs: callOptions.timeoutMs },
      ),
    sendRaw: (identity, text) => clientOf(identity).sendRaw(text),
    disconnect: async (identity, code = 1000, reason = '') => {
      await clientOf(identity).close({ code, reason });
    },
    close: async () => {
      await Promise.all([...clients.values()].map((client) => client.close({ code: 1001, force: true })));
      await rpc.close({ force: true });
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
