/**
 * The visualizer's server: a plain node:http server for the page (the files of the package's
 * `visualizer/` folder, nothing from the internet) and a websocket (`/ws`) that pushes the machine
 * charts, the attached stations and their events to every open page.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { productionCharts } from './production-machines.js';
import type { VisualizerEvent, VisualizerSource } from './source.js';
import { StationHistory, type NumberedEvent } from './station-history.js';

/**
 * The page's files: `visualizer/` at the package top level (next to `src/`, or to `dist/`).
 *
 * @example
 * readdirSync(PAGE_DIR); // ['app.js', 'chart.js', 'index.html', 'model.js', 'style.css', 'timeline.js']
 */
export const PAGE_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  fileURLToPath(import.meta.url).includes(`${path.sep}dist${path.sep}`)
    ? '../../../visualizer'
    : '../../visualizer',
);

export interface VisualizerOptions {
  /** Interface to listen on; default 127.0.0.1 (the page shows the station's traffic: keep it local). */
  host?: string;
  /** TCP port; default 0 (a free one, see `url`). */
  port?: number;
  /** Events kept per station for pages opened later (older frames are dropped first); default 50 000. */
  maxEventsPerStation?: number;
}

/** A running visualizer. */
export interface Visualizer {
  /** The page's address, e.g. `http://127.0.0.1:40123/`. */
  readonly url: string;
  /**
   * Shows a station (its events from now on) under `stationId`; returns the function that detaches
   * it. Throws when that id is attached already.
   */
  attach(stationId: string, source: VisualizerSource): () => void;
  /** Closes the pages' websockets and the server. */
  close(): Promise<void>;
}

/** What the page gets on its websocket (one JSON object per message). */
export type PageMessage =
  | { type: 'hello'; machines: ReturnType<typeof productionCharts>; stations: string[] }
  | { type: 'stations'; stations: string[] }
  | { type: 'events'; station: string; events: NumberedEvent[] };

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * No script, style, image or connection from anywhere but this server: the page works offline and
 * cannot leak the station's traffic.
 */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Starts the visualizer server.
 *
 * @example
 * const visualizer = await startVisualizer({ port: 0 });
 * const source = createChargePointSource();
 * const station = new ChargePoint(options);
 * station.subscribe(source.stationEvent);
 * const detach = visualizer.attach('CS-1', source);
 * console.log(`open ${visualizer.url}`);
 */
export async function startVisualizer(options: VisualizerOptions = {}): Promise<Visualizer> {
  const host = options.host ?? '127.0.0.1';
  const files = pageFiles();
  const stations = new Map<string, { history: StationHistory; unsubscribe: () => void }>();
  const pages = new Set<WebSocket>();
  let port = 0;

  const send = (socket: WebSocket, message: PageMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const broadcast = (message: PageMessage) => {
    for (const socket of pages) send(socket, message);
  };
  const stationList = () => [...stations.keys()];

  const server = createServer((request, response) => {
    if (!hostAllowed(request, host, port)) return reply(response, 403, 'text/plain', 'forbidden host');
    void serveFile(request, response, files);
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    // A page of another site must not read the station's traffic through the visitor's browser.
    const origin = request.headers.origin;
    const sameOrigin = origin === undefined || origin === `http://${request.headers.host ?? ''}`;
    if (url.pathname !== '/ws' || !hostAllowed(request, host, port) || !sameOrigin) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      pages.add(ws);
      ws.on('close', () => pages.delete(ws));
      ws.on('error', () => pages.delete(ws));
      send(ws, { type: 'hello', machines: productionCharts(), stations: stationList() });
      for (const [station, { history }] of stations)
        send(ws, { type: 'events', station, events: history.all() });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;

  return {
    url,
    attach(stationId, source) {
      if (stations.has(stationId))
        throw new Error(`visualizer: station ${JSON.stringify(stationId)} is attached already`);
      const history = new StationHistory(options.maxEventsPerStation);
      // Events are sent in batches: a burst (a boot, a replay) is one message per page, not hundreds.
      // A page that connects between an event and its batch gets it twice (in its history, then in
      // the batch); pages skip event numbers they have.
      let pending: NumberedEvent[] = [];
      const flush = () => {
        const events = pending;
        pending = [];
        if (events.length > 0 && stations.get(stationId)?.history === history)
          broadcast({ type: 'events', station: stationId, events });
      };
      const entry: { history: StationHistory; unsubscribe: () => void } = {
        history,
        unsubscribe: () => undefined,
      };
      stations.set(stationId, entry);
      broadcast({ type: 'stations', stations: stationList() });
      entry.unsubscribe = source.subscribe((event: VisualizerEvent) => {
        const numbered = history.add(event);
        if (pending.length === 0) setImmediate(flush);
        pending.push(numbered);
      });
      return () => {
        if (stations.get(stationId) !== entry) return;
        entry.unsubscribe();
        stations.delete(stationId);
        broadcast({ type: 'stations', stations: stationList() });
      };
    },
    async close() {
      for (const { unsubscribe } of stations.values()) unsubscribe();
      stations.clear();
      for (const socket of pages) socket.terminate();
      pages.clear();
      sockets.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The page's files by URL path, read from PAGE_DIR once (a fixed list: no path from a request reaches the file system). */
function pageFiles(): Map<string, string> {
  let names: string[];
  try {
    names = readdirSync(PAGE_DIR);
  } catch (error) {
    throw new Error(
      `visualizer: the page's folder ${PAGE_DIR} cannot be read (is the package's visualizer/ folder installed?)`,
      { cause: error },
    );
  }
  const files = new Map<string, string>();
  for (const name of names) {
    if (CONTENT_TYPES[path.extname(name)] !== undefined) files.set(`/${name}`, path.join(PAGE_DIR, name));
  }
  if (!files.has('/index.html')) throw new Error(`visualizer: ${PAGE_DIR} has no index.html`);
  files.set('/', path.join(PAGE_DIR, 'index.html'));
  return files;
}

async function serveFile(request: IncomingMessage, response: ServerResponse, files: Map<string, string>) {
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return reply(response, 405, 'text/plain', 'method not allowed');
  const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (pathname === '/machines.json')
    return reply(
      response,
      200,
      'application/json',
      JSON.stringify(productionCharts()),
      request.method === 'HEAD',
    );
  const file = files.get(pathname);
  if (file === undefined) return reply(response, 404, 'text/plain', 'not found');
  try {
    const body = await readFile(file);
    reply(
      response,
      200,
      CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      body,
      request.method === 'HEAD',
    );
  } catch {
    reply(response, 500, 'text/plain', `cannot read ${path.basename(file)}`);
  }
}

function reply(
  response: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  headOnly = false,
) {
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-cache',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
  });
  response.end(headOnly ? undefined : body);
}

/**
 * On a loopback interface, only requests addressed to loopback names are served: a web page whose
 * domain resolves to 127.0.0.1 (DNS rebinding) gets nothing.
 */
function hostAllowed(request: IncomingMessage, host: string, port: number): boolean {
  const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost';
  if (!loopback) return true;
  const header = request.headers.host ?? '';
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(header.toLowerCase());
}
