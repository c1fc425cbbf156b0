/**
 * RPC layer figures, each next to a baseline measured in the same run:
 * - frame parsing: parseFrame vs plain JSON.parse of the same CALL text;
 * - sequential CALL round trips (one in flight, Part 4 §4.1.1) in memory, with schema validation both ways;
 * - the same over a real websocket on 127.0.0.1: raw `ws` request/answer vs Transport + RpcEndpoint against
 *   a bare ws peer, and against the test CSMS (ocpp-rpc strict mode).
 * Run: `npx tsx bench/rpc.ts` (or through bench/run.ts).
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';
import { parseFrame, serializeCallResult } from '../src/rpc/frames.js';
import { RpcEndpoint } from '../src/rpc/endpoint.js';
import type { RpcValidator } from '../src/rpc/validator.js';
import { Transport } from '../src/transport/transport.js';
import { openRpcSession } from '../src/transport/rpc-session.js';
import { startTestCsms } from '../src/testing/test-csms.js';
// Until src/validation lands on this branch, the test adapter compiles the official schemas with ajv.
import { ocppValidator as schemaValidator } from '../src/validation/index.js';

const bootText = JSON.stringify([
  2,
  '0e3f7a8c-7b7e-4a43-9d2b-6b1f2c3d4e5f',
  'BootNotification',
  {
    reason: 'PowerUp',
    chargingStation: { model: 'SingleSocketCharger', vendorName: 'VendorX', serialNumber: 'SN-1' },
  },
]);
const heartbeatAnswer = { currentTime: '2024-05-01T10:00:00.000Z' };

function opsPerSecond(label: string, iterations: number, body: () => void): number {
  for (let i = 0; i < Math.min(iterations, 10_000); i++) body();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) body();
  const perSecond = iterations / ((performance.now() - start) / 1000);
  console.log(`  ${label.padEnd(52)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} /s`);
  return perSecond;
}

async function roundTrips(label: string, count: number, one: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(count, 200); i++) await one();
  const start = performance.now();
  for (let i = 0; i < count; i++) await one();
  const perSecond = count / ((performance.now() - start) / 1000);
  console.log(`  ${label.padEnd(52)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} /s`);
  return perSecond;
}

async function socketFigures(): Promise<void> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'ocpp2.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const { port } = wss.address() as { port: number };
  // A bare peer that answers every CALL with a Heartbeat CALLRESULT.
  wss.on('connection', (socket) =>
    socket.on('message', (data) => {
      const [, id] = JSON.parse(String(data)) as [number, string];
      socket.send(serializeCallResult(id, heartbeatAnswer));
    }),
  );

  const raw = new WebSocket(`ws://127.0.0.1:${port}/ocpp/RAW`, ['ocpp2.0.1']);
  await new Promise<void>((resolve) => raw.once('open', () => resolve()));
  let n = 0;
  const rawRate = await roundTrips('raw ws send/answer (baseline)', 3_000, () => {
    const reply = new Promise<void>((resolve) => raw.once('message', () => resolve()));
    raw.send(JSON.stringify([2, String(n++), 'Heartbeat', {}]));
    return reply;
  });
  raw.close();

  const transport = new Transport({
    csmsUrl: `ws://127.0.0.1:${port}/ocpp`,
    identity: 'BENCH',
    securityProfile: 1,
    basicAuthPassword: 'bench-password-123',
  });
  await transport.connect();
  const endpoint = openRpcSession(transport, {
    validator: schemaValidator,
    handler: () => ({}),
    supportedActions: [],
    messageTimeoutMs: () => 30_000,
  });
  const ours = await roundTrips('Transport + RpcEndpoint, bare ws peer', 3_000, () =>
    endpoint.call('Heartbeat', {}),
  );
  console.log(`  ratio endpoint / raw ws: ${(ours / rawRate).toFixed(2)}`);
  await transport.close();
  await new Promise<void>((resolve) => wss.close(() => resolve()));

  const csms = await startTestCsms();
  const toCsms = new Transport({
    csmsUrl: csms.url,
    identity: 'BENCH',
    securityProfile: 1,
    basicAuthPassword: 'bench-password-123',
  });
  await toCsms.connect();
  const csmsEndpoint = openRpcSession(toCsms, {
    validator: schemaValidator,
    handler: () => ({}),
    supportedActions: [],
    messageTimeoutMs: () => 30_000,
  });
  const viaCsms = await roundTrips('Transport + RpcEndpoint, test CSMS (strict)', 2_000, () =>
    csmsEndpoint.call('Heartbeat', {}),
  );
  console.log(`  ratio test CSMS / bare ws peer: ${(viaCsms / ours).toFixed(2)}`);
  await toCsms.close();
  await csms.close();
}

/** An endpoint whose "CSMS" answers every CALL on the next microtask, as a socket never answers synchronously. */
function inMemoryEndpoint(validator: RpcValidator): RpcEndpoint {
  const endpoint: RpcEndpoint = new RpcEndpoint({
    send: (text) => {
      const [, id] = JSON.parse(text) as [number, string];
      queueMicrotask(() => void endpoint.receive(serializeCallResult(id, heartbeatAnswer)));
    },
    validator,
    handler: () => ({}),
    supportedActions: [],
    messageTimeoutMs: () => 30_000,
  });
  return endpoint;
}

export async function run(): Promise<void> {
  console.log('rpc: frame parsing');
  const json = opsPerSecond('JSON.parse of a BootNotification CALL (baseline)', 300_000, () =>
    JSON.parse(bootText),
  );
  const parsed = opsPerSecond('parseFrame of the same', 300_000, () => parseFrame(bootText));
  console.log(`  ratio parseFrame / JSON.parse: ${(parsed / json).toFixed(2)}`);

  console.log('rpc: sequential round trips in memory (validated both ways)');
  const noValidation = {
    isOcppAction: schemaValidator.isOcppAction,
    validateRequest: () => null,
    validateResponse: () => null,
  };
  const station = inMemoryEndpoint(schemaValidator);
  const bare = inMemoryEndpoint(noValidation);
  const unvalidated = await roundTrips('RpcEndpoint.call without schema checks (baseline)', 50_000, () =>
    bare.call('Heartbeat', {}),
  );
  const validated = await roundTrips('RpcEndpoint.call with schema checks', 50_000, () =>
    station.call('Heartbeat', {}),
  );
  console.log(`  ratio validated / unvalidated: ${(validated / unvalidated).toFixed(2)}`);
  station.close();
  bare.close();

  console.log('rpc: sequential round trips over a websocket on 127.0.0.1');
  await socketFigures();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
