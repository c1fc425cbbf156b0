/**
 * The kinds of station the fleet bench boots, each doing the same OCPP work: connect,
 * BootNotification (Accepted), two StatusNotifications answered; then Heartbeats on demand. The
 * fourth, `station-workers`, is the `station` load over worker threads (station-workers.ts).
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { RPCClient } from 'ocpp-rpc';
import type * as DatabaseModule from '../../src/store/database.js';
import type * as FleetModule from '../../src/fleet/station-fleet.js';
import { stationWorkers } from './station-workers.js';

export type LoadKind = 'ws' | 'ocpp-rpc' | 'station' | 'station-workers';

export interface BenchStation {
  heartbeat(): Promise<unknown>;
}

/** The heap part of process.memoryUsage(): a thread's own (RSS is the whole process's). */
export interface HeapMemory {
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface Load {
  boot(identity: string): Promise<BenchStation>;
  /** Loads with threads of their own: collect their garbage and tell their heaps, to add to the load process's. */
  settle?(): Promise<HeapMemory>;
  /** false: the load measures no heartbeats (its stations' `heartbeat()` rejects). */
  heartbeats?: false;
  /** Loads with threads of their own: ends them (workers keep a process alive until then; the load process exits without it). */
  close?(): Promise<void>;
}

export interface LoadSetup {
  csmsUrl: string;
  dbPath?: string;
  /**
   * Run the built package (`dist/`, `npm run build`) instead of the sources through tsx: what users
   * run. tsx's esbuild keeps every closure's name (`__name`), which gives each closure its own
   * property dictionary, ~40 KB of heap per station that the built code does not have.
   */
  built?: boolean;
  /**
   * Run the station load on this built `dist` directory (another checkout's `npm run build`), so
   * that two builds are compared A/B against the same CSMS in the same minutes. Implies built.
   */
  dist?: string;
  /** Worker threads of the `station-workers` load; default: one per core (`availableParallelism()`). */
  workers?: number;
}

const TWO_EVSES = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];
const BOOT = {
  reason: 'PowerUp',
  chargingStation: { model: 'BenchStation', vendorName: 'ocpp-station' },
};
const status = (evseId: number) => ({
  timestamp: new Date().toISOString(),
  connectorStatus: 'Available',
  evseId,
  connectorId: 1,
});

/** Bare ws: hand-written OCPP-J frames, no validation; the limit of what a client can do. */
async function bareWs({ csmsUrl }: LoadSetup): Promise<Load> {
  return {
    async boot(identity) {
      const socket = new WebSocket(`${csmsUrl}/${identity}`, ['ocpp2.0.1'], { perMessageDeflate: false });
      const pending = new Map<string, (payload: unknown) => void>();
      socket.on('message', (data) => {
        const [type, id, payload] = JSON.parse(String(data)) as [number, string, unknown];
        if (type === 3 || type === 4) {
          pending.get(id)?.(payload);
          pending.delete(id);
        }
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      const call = (action: string, payload: unknown) =>
        new Promise<unknown>((resolve) => {
          const id = randomUUID();
          pending.set(id, resolve);
          socket.send(JSON.stringify([2, id, action, payload]));
        });
      const boot = (await call('BootNotification', BOOT)) as { status?: string };
      if (boot.status !== 'Accepted') throw new Error(`BootNotification ${boot.status}`);
      await Promise.all([call('StatusNotification', status(1)), call('StatusNotification', status(2))]);
      return { heartbeat: () => call('Heartbeat', {}) };
    },
  };
}

/** ocpp-rpc's client in strict mode (validates both directions), its defaults otherwise. */
async function ocppRpc({ csmsUrl }: LoadSetup): Promise<Load> {
  return {
    async boot(identity) {
      const client = new RPCClient({
        endpoint: csmsUrl,
        identity,
        protocols: ['ocpp2.0.1'],
        strictMode: true,
        reconnect: false,
        // ocpp-rpc's typings list every option as required; its defaults fill the others.
      } as unknown as ConstructorParameters<typeof RPCClient>[0]);
      await client.connect();
      const boot = (await client.call('BootNotification', BOOT)) as { status?: string };
      if (boot.status !== 'Accepted') throw new Error(`BootNotification ${boot.status}`);
      await Promise.all([
        client.call('StatusNotification', status(1)),
        client.call('StatusNotification', status(2)),
      ]);
      return { heartbeat: () => client.call('Heartbeat', {}) };
    },
  };
}

/** ocpp-station: a ChargePoint per station on one shared SQLite file and one shared fleet template. */
async function station({ csmsUrl, dbPath, built, dist }: LoadSetup): Promise<Load> {
  if (dbPath === undefined) throw new Error('the station load needs --db');
  const from =
    dist !== undefined
      ? pathToFileURL(`${resolve(dist, 'src')}/`).href
      : built
        ? '../../dist/src/'
        : '../../src/';
  const { openStationDatabase } = (await import(`${from}store/database.js`)) as typeof DatabaseModule;
  const { StationFleet } = (await import(`${from}fleet/station-fleet.js`)) as typeof FleetModule;
  const store = await openStationDatabase(dbPath);
  const fleet = await StationFleet.create({ database: store, evses: TWO_EVSES });
  return {
    async boot(identity) {
      let answered!: () => void;
      let failed!: (error: unknown) => void;
      const done = new Promise<void>((resolve, reject) => {
        answered = resolve;
        failed = reject;
      });
      // The message ids of the StatusNotifications sent; null once both are answered, so that an
      // idle station keeps nothing of the harness but this closure, and frames after the boot are
      // not parsed here (the heartbeat figure is the station's own).
      let statusIds: string[] | null = [];
      let statusAnswers = 0;
      const cp = fleet.chargePoint({
        stationId: identity,
        csmsUrl,
        onError: failed,
        callbacks: {
          ocppMessagesCallback(message, direction) {
            if (statusIds === null) return;
            // Only the frames of the StatusNotifications are parsed (a substring test first): the
            // station's CPU figures are its own, not the harness's JSON.parse of every frame.
            if (direction === 'station->CSMS') {
              if (!message.includes('"StatusNotification"')) return;
              const frame = JSON.parse(message) as [number, string, string?];
              if (frame[0] === 2 && frame[2] === 'StatusNotification') statusIds.push(frame[1]);
              return;
            }
            const ids = statusIds;
            if (!message.startsWith('[3,') || !ids.some((id) => message.includes(`"${id}"`))) return;
            const frame = JSON.parse(message) as [number, string];
            if (ids.includes(frame[1]) && ++statusAnswers === 2) {
              statusIds = null;
              answered();
            }
          },
        },
      });
      await cp.start();
      await done;
      return { heartbeat: () => cp.station.queue.send('Heartbeat', {}) };
    },
  };
}

export const loadKinds: Record<LoadKind, (setup: LoadSetup) => Promise<Load>> = {
  ws: bareWs,
  'ocpp-rpc': ocppRpc,
  station,
  'station-workers': (setup) => stationWorkers(setup, setup.workers ?? availableParallelism()),
};
