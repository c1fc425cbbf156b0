/**
 * A bare `ws` websocket server on 127.0.0.1 (port 0) standing in for a CSMS at the transport level:
 * optional TLS (and client certificates), an upgrade check, subprotocol choice and autoPong switch.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { waitFor } from '../../src/testing/wait-for.js';

export interface WsServerOptions {
  tls?: { cert: string; key: string; ca?: string; requestCert?: boolean };
  /** Returns an HTTP status to refuse the upgrade, or undefined to accept. */
  verify?: (request: IncomingMessage) => number | undefined;
  /** Subprotocol to agree to; default: 'ocpp2.0.1' if offered. `false` agrees to none. */
  protocol?: (offered: Set<string>) => string | false;
  autoPong?: boolean;
}

export interface ServerConnection {
  socket: WebSocket;
  request: IncomingMessage;
  messages: string[];
  pings: number;
  closed: Promise<{ code: number; reason: string }>;
}

export interface TestWsServer {
  /** `ws://127.0.0.1:<port>/ocpp` or `wss://...`. */
  url: string;
  connections: ServerConnection[];
  waitForConnection(index?: number): Promise<ServerConnection>;
  waitForMessage(connection: ServerConnection, predicate?: (text: string) => boolean): Promise<string>;
  /** The connection's message number `index` (0-based), once it has arrived. */
  messageAt(connection: ServerConnection, index: number): Promise<string>;
  close(): Promise<void>;
}

export async function startWsServer(options: WsServerOptions = {}): Promise<TestWsServer> {
  const server: Server = options.tls
    ? createHttpsServer({
        cert: options.tls.cert,
        key: options.tls.key,
        ...(options.tls.ca === undefined ? {} : { ca: options.tls.ca }),
        requestCert: options.tls.requestCert ?? false,
        rejectUnauthorized: options.tls.requestCert ?? false,
        minVersion: 'TLSv1.2',
      })
    : createHttpServer();
  const wss = new WebSocketServer({
    server,
    autoPong: options.autoPong ?? true,
    handleProtocols: (offered) =>
      options.protocol ? options.protocol(offered) : offered.has('ocpp2.0.1') ? 'ocpp2.0.1' : false,
    verifyClient: (info, callback) => {
      const status = options.verify?.(info.req);
      if (status === undefined) callback(true);
      else callback(false, status);
    },
  });
  const connections: ServerConnection[] = [];
  const events = new EventTarget();
  wss.on('connection', (socket, request) => {
    let markClosed!: (v: { code: number; reason: string }) => void;
    const connection: ServerConnection = {
      socket,
      request,
      messages: [],
      pings: 0,
      closed: new Promise((resolve) => (markClosed = resolve)),
    };
    socket.on('message', (data) => {
      connection.messages.push(String(data));
      events.dispatchEvent(new Event('change'));
    });
    socket.on('ping', () => {
      connection.pings += 1;
      events.dispatchEvent(new Event('change'));
    });
    socket.on('close', (code, reason) => markClosed({ code, reason: reason.toString('utf8') }));
    socket.on('error', () => undefined);
    connections.push(connection);
    events.dispatchEvent(new Event('change'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  const scheme = options.tls ? 'wss' : 'ws';
  return {
    url: `${scheme}://127.0.0.1:${address.port}/ocpp`,
    connections,
    waitForConnection: (index = 0) =>
      waitFor(events, () => connections[index], `websocket connection #${index} to the test server`),
    waitForMessage: (connection, predicate = () => true) => {
      const seen = connection.messages.length;
      return waitFor(
        events,
        () => connection.messages.slice(seen).find(predicate),
        'a websocket message at the test server',
      );
    },
    messageAt: (connection, index) =>
      waitFor(events, () => connection.messages[index], `websocket message #${index} at the test server`),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The TLS peer certificate subject CN seen by the server, if any. */
export function peerCommonName(request: IncomingMessage): string | undefined {
  const cert = (request.socket as TLSSocket).getPeerCertificate?.();
  const cn = cert?.subject?.CN;
  return Array.isArray(cn) ? cn[0] : cn;
}
