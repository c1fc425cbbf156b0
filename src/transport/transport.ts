/**
 * The station's websocket to the CSMS (OCPP 2.0.1 Part 4 §3, security profiles of Part 2 A00): one
 * connection at a time, subprotocol ocpp2.0.1, HTTP Basic auth and/or TLS per security profile, and the
 * WebSocketPingInterval keep-alive. It reports events; reconnecting is the connection statechart's job.
 */
import { EventEmitter } from 'node:events';
import WebSocket, { type ClientOptions } from 'ws';
import { buildConnectionUrl } from './connection-url.js';
import { TransportConfigError, TransportError, classifyConnectError } from './errors.js';

/** ws send options of every frame: text (not binary), whatever the payload's type. */
const TEXT_FRAME = { binary: false } as const;

/** Part 4 §3.1.2, table 1. */
export const OCPP_SUBPROTOCOL = 'ocpp2.0.1';

/** Part 2 A00, table 11: 1 = Basic auth over ws://, 2 = TLS + Basic auth, 3 = TLS with client certificate. */
export type SecurityProfile = 1 | 2 | 3;

export interface TransportOptions {
  /** NetworkConnectionProfile.ocppCsmsUrl: the OCPP-J endpoint URL, without the identity. */
  csmsUrl: string;
  /** SecurityCtrlr.Identity. */
  identity: string;
  securityProfile: SecurityProfile;
  /** SecurityCtrlr.BasicAuthPassword (profiles 1 and 2), sent as UTF-8 (A00.FR.205). */
  basicAuthPassword?: string;
  /**
   * PEM CSMS root certificate(s) the CSMS's certificate must chain to (profiles 2 and 3,
   * A00.FR.308/411). When omitted, Node's default trust store is used.
   */
  caCertificates?: string | readonly string[];
  /** Profile 3: the Charging Station certificate (PEM, with its chain) and private key. */
  clientCertificate?: { cert: string; key: string; passphrase?: string };
  /** OCPPCommCtrlr.WebSocketPingInterval in seconds; 0 (the default) turns our pings off. */
  pingIntervalSeconds?: number;
  /** Limit for the whole opening handshake (TCP, TLS, HTTP upgrade); default 30 000 ms. */
  handshakeTimeoutMs?: number;
  /**
   * Offer RFC 7692 permessage-deflate; default false. Part 4 §3.3 (errata 2025-01) recommends it
   * for stations on mobile data, but it is no requirement, and each compressing socket keeps zlib
   * state (hundreds of KB) that a fleet of simulated stations cannot afford (issue 9).
   */
  compression?: boolean;
}

export type TransportState = 'idle' | 'connecting' | 'open' | 'closing' | 'closed';

export interface TransportCloseEvent {
  /** The websocket close code (1006 when the connection dropped or we terminated it). */
  code: number;
  reason: string;
  /** True when `close()`/`terminate()` was called here or our ping timed out. */
  initiatedByUs: boolean;
  /** True when we terminated the connection because no pong came before the next ping was due. */
  pingTimeout: boolean;
}

export interface TransportEvents {
  open: [];
  /** One text frame (a binary frame is decoded as UTF-8 too). */
  message: [text: string];
  /** Exactly once per successful `connect()`. */
  close: [event: TransportCloseEvent];
  /** A socket error on an open connection (a `close` follows). Only emitted when someone listens. */
  error: [error: Error];
}

function assertPingInterval(seconds: number): void {
  if (!Number.isFinite(seconds) || seconds < 0) {
    // Part 4 §8.4: "Negative values are not allowed".
    throw new TransportConfigError(
      'OCPPCommCtrlr.WebSocketPingInterval',
      `must be a number of seconds >= 0, got ${seconds}`,
    );
  }
}

function wsClientOptions(options: TransportOptions): ClientOptions {
  const { securityProfile: profile, identity } = options;
  const headers: Record<string, string> = {};
  if (profile === 1 || profile === 2) {
    const password = options.basicAuthPassword;
    if (typeof password !== 'string' || password.length === 0) {
      throw new TransportConfigError(
        'SecurityCtrlr.BasicAuthPassword',
        `is required for security profile ${profile}`,
      );
    }
    // A00.FR.202-205: user name = identity, password as UTF-8, "identity:password" base64-encoded.
    headers.Authorization = `Basic ${Buffer.from(`${identity}:${password}`, 'utf8').toString('base64')}`;
  }
  const ws: ClientOptions = {
    headers,
    handshakeTimeout: options.handshakeTimeoutMs ?? 30_000,
    perMessageDeflate: options.compression ?? false,
    followRedirects: false,
  };
  if (profile === 2 || profile === 3) {
    // A00.FR.308/411: verify the CSMS certificate path; A00.FR.313/416: TLS 1.2 or above only.
    ws.rejectUnauthorized = true;
    ws.minVersion = 'TLSv1.2';
    if (options.caCertificates !== undefined) ws.ca = [options.caCertificates].flat();
  }
  if (profile === 3) {
    const client = options.clientCertificate;
    if (!client?.cert || !client.key) {
      throw new TransportConfigError(
        'ChargingStationCertificate',
        'and its private key are required for security profile 3',
      );
    }
    ws.cert = client.cert;
    ws.key = client.key;
    if (client.passphrase !== undefined) ws.passphrase = client.passphrase;
  }
  return ws;
}

/**
 * A websocket client for one CSMS connection profile. `connect()` may be called again after a close.
 *
 * @example
 * const transport = new Transport({ csmsUrl: 'ws://csms.example.com/ocpp', identity: 'CS001', securityProfile: 1,
 *   basicAuthPassword: 'correct horse battery', pingIntervalSeconds: 60 });
 * transport.on('message', (text) => void endpoint.receive(text));
 * transport.on('close', (e) => connection.send({ type: 'transport.closed', pingTimeout: e.pingTimeout }));
 * await transport.connect();
 */
export class Transport {
  /** The connection URL (Part 4 §3.1.1). */
  readonly url: URL;
  private readonly options: TransportOptions;
  private readonly wsOptions: ClientOptions;
  private readonly events = new EventEmitter<TransportEvents>();
  private ws: WebSocket | undefined;
  private currentState: TransportState = 'idle';
  private pingIntervalSeconds: number;
  private pingTimer: ReturnType<typeof setTimeout> | undefined;
  private awaitingPong = false;
  private closeRequested = false;
  private pingTimedOut = false;
  private closed: Promise<void> = Promise.resolve();

  /** Throws {@link TransportConfigError} naming the variable when the options cannot work. */
  constructor(options: TransportOptions) {
    this.options = options;
    this.url = buildConnectionUrl(options.csmsUrl, options.identity);
    const wantsTls = options.securityProfile === 2 || options.securityProfile === 3;
    if (![1, 2, 3].includes(options.securityProfile)) {
      throw new TransportConfigError(
        'NetworkConnectionProfile.securityProfile',
        `must be 1, 2 or 3, got ${String(options.securityProfile)}`,
      );
    }
    // A00.FR.003: only the configured profile is used; profile 1 is unsecured transport, 2 and 3 are TLS.
    if (wantsTls !== (this.url.protocol === 'wss:')) {
      throw new TransportConfigError(
        'NetworkConnectionProfile.ocppCsmsUrl',
        `must use ${wantsTls ? 'wss://' : 'ws://'} for security profile ${options.securityProfile}, got ${this.url.protocol}//`,
      );
    }
    this.wsOptions = wsClientOptions(options);
    this.pingIntervalSeconds = options.pingIntervalSeconds ?? 0;
    assertPingInterval(this.pingIntervalSeconds);
  }

  get state(): TransportState {
    return this.currentState;
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends keyof TransportEvents>(event: E, listener: (...args: TransportEvents[E]) => void): () => void {
    this.events.on(event, listener as never);
    return () => void this.events.off(event, listener as never);
  }

  /**
   * Opens the websocket. Resolves once open with subprotocol ocpp2.0.1; rejects with a classified
   * {@link TransportError} (HTTP status, subprotocol, TLS, timeout, network, aborted). No `close`
   * event is emitted for a failed attempt.
   *
   * @example
   * await transport.connect().catch((e: TransportError) => console.log(e.kind, e.httpStatus));
   */
  connect(): Promise<void> {
    if (
      this.currentState === 'connecting' ||
      this.currentState === 'open' ||
      this.currentState === 'closing'
    ) {
      return Promise.reject(new Error(`cannot connect: transport is ${this.currentState}`));
    }
    this.currentState = 'connecting';
    this.closeRequested = false;
    this.pingTimedOut = false;
    this.awaitingPong = false;
    const ws = new WebSocket(this.url, [OCPP_SUBPROTOCOL], this.wsOptions);
    this.ws = ws;
    let failure: TransportError | undefined;
    let markClosed!: () => void;
    this.closed = new Promise((resolve) => (markClosed = resolve));

    return new Promise<void>((resolve, reject) => {
      ws.on('unexpected-response', (_request, response) => {
        const status = response.statusCode ?? 0;
        failure = new TransportError(
          'http-status',
          `CSMS refused the websocket upgrade with HTTP ${status} ${response.statusMessage ?? ''}`.trim(),
          {
            httpStatus: status,
          },
        );
        response.resume();
        ws.terminate();
      });
      ws.on('upgrade', (response) => {
        const agreed = response.headers['sec-websocket-protocol'];
        if (agreed !== OCPP_SUBPROTOCOL) {
          // Part 4 §3.2: a CSMS that does not agree answers without Sec-WebSocket-Protocol; ws then aborts.
          failure = new TransportError(
            'subprotocol',
            `CSMS did not agree to subprotocol ${OCPP_SUBPROTOCOL} (answered ${agreed === undefined ? 'none' : JSON.stringify(agreed)})`,
          );
        }
      });
      ws.on('open', () => {
        if (ws.protocol !== OCPP_SUBPROTOCOL) {
          failure ??= new TransportError(
            'subprotocol',
            `CSMS did not agree to subprotocol ${OCPP_SUBPROTOCOL}`,
          );
          ws.terminate();
          return;
        }
        this.currentState = 'open';
        this.schedulePing();
        resolve();
        this.events.emit('open');
      });
      ws.on('message', (data) => {
        const bytes = Buffer.isBuffer(data)
          ? data
          : Array.isArray(data)
            ? Buffer.concat(data)
            : Buffer.from(data);
        this.events.emit('message', bytes.toString('utf8'));
      });
      ws.on('pong', () => {
        this.awaitingPong = false;
      });
      ws.on('error', (error: Error & { code?: unknown }) => {
        if (this.currentState === 'connecting') {
          failure ??= this.closeRequested
            ? new TransportError('aborted', 'connect aborted by close()', { cause: error })
            : classifyConnectError(error);
        } else if (this.events.listenerCount('error') > 0) {
          this.events.emit('error', error);
        }
      });
      ws.on('close', (code, reasonBuffer) => {
        this.stopPing();
        const wasOpen = this.currentState === 'open' || this.currentState === 'closing';
        this.currentState = 'closed';
        this.ws = undefined;
        markClosed();
        if (!wasOpen) {
          reject(
            failure ??
              new TransportError(
                this.closeRequested ? 'aborted' : 'network',
                `connection closed during the handshake (code ${code})`,
              ),
          );
          return;
        }
        this.events.emit('close', {
          code,
          reason: reasonBuffer.toString('utf8'),
          initiatedByUs: this.closeRequested || this.pingTimedOut,
          pingTimeout: this.pingTimedOut,
        });
      });
    });
  }

  /**
   * Sends one text frame. Throws when the connection is not open (the RPC endpoint turns that into
   * a rejected call).
   *
   * @example
   * transport.send('[2,"1","Heartbeat",{}]');
   */
  send(text: string): void {
    const ws = this.ws;
    if (this.currentState !== 'open' || !ws || ws.readyState !== WebSocket.OPEN) {
      throw new Error(`cannot send: transport is ${this.currentState}`);
    }
    // As a Buffer: ws then masks it into the frame header's buffer and writes once, where a string
    // costs a corked two-buffer writev per frame (issue 9: a third of a heartbeat's CPU). Still a
    // text frame (opcode 1, Part 4 §3.3: OCPP-J is sent as text).
    ws.send(Buffer.from(text, 'utf8'), TEXT_FRAME);
  }

  /**
   * Closes the connection with a websocket close handshake (or aborts a connection attempt) and
   * resolves once it is closed. A `close` event with `initiatedByUs: true` follows if it was open.
   *
   * @example
   * await transport.close(1000, 'reset');
   */
  close(code = 1000, reason = ''): Promise<void> {
    const ws = this.ws;
    if (!ws) return this.closed;
    this.closeRequested = true;
    if (this.currentState === 'connecting') {
      ws.terminate();
    } else if (this.currentState === 'open') {
      this.currentState = 'closing';
      this.stopPing();
      ws.close(code, reason);
    }
    return this.closed;
  }

  /**
   * Drops the connection at once, without a close handshake.
   *
   * @example
   * await transport.terminate();
   */
  terminate(): Promise<void> {
    const ws = this.ws;
    if (!ws) return this.closed;
    this.closeRequested = true;
    ws.terminate();
    return this.closed;
  }

  /**
   * Applies a new OCPPCommCtrlr.WebSocketPingInterval (seconds, 0 = off) to the open connection at once.
   *
   * @example
   * transport.setPingInterval(30);
   */
  setPingInterval(seconds: number): void {
    assertPingInterval(seconds);
    this.pingIntervalSeconds = seconds;
    this.awaitingPong = false;
    this.schedulePing();
  }

  private schedulePing(): void {
    this.stopPing();
    if (this.currentState !== 'open' || this.pingIntervalSeconds <= 0) return;
    this.pingTimer = setTimeout(() => this.onPingDue(), this.pingIntervalSeconds * 1000);
  }

  private onPingDue(): void {
    const ws = this.ws;
    if (!ws || this.currentState !== 'open') return;
    if (this.awaitingPong) {
      // No pong before the next ping was due: the link is dead even if TCP has not noticed. Terminate and
      // report, so the station reconnects (libocpp once stayed down in this situation).
      this.pingTimedOut = true;
      ws.terminate();
      return;
    }
    this.awaitingPong = true;
    ws.ping();
    this.schedulePing();
  }

  private stopPing(): void {
    if (this.pingTimer !== undefined) clearTimeout(this.pingTimer);
    this.pingTimer = undefined;
  }
}
