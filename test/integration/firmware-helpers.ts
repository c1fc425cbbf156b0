/**
 * Firmware update tests: a local file server (node:http or node:https on 127.0.0.1, port 0) serving
 * firmware files, whose responses a test can hold back (a download in progress); signing material
 * from throw-away CAs (a ManufacturerRootCertificate the station trusts, another it does not); a
 * host whose installer records its calls and answers as the test says.
 */
import { sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { ChargePointCallbacks, FirmwareStatusEnumType, UpdateFirmwareRequest } from '../../src/index.js';
import type { FirmwareInstall, FirmwareInstallResult } from '../../src/firmware/firmware-install.js';
import { createTestCertificateAuthority, type PemKeyPair, type TestCertificateAuthority } from '../../src/testing/test-pki.js';
import type { Harness } from './station-harness.js';

export interface FileServer {
  /** `http(s)://127.0.0.1:<port>/<name>` */
  url(name: string): string;
  files: Map<string, Buffer>;
  /** Paths requested so far, in order. */
  requests: string[];
  /**
   * The next request of `name` gets its headers and the first half of the body, then waits for the
   * returned release (or for the connection to close).
   */
  holdNext(name: string): { started: Promise<void>; release(): void };
  /** The next request of `name` gets its headers and half the body, then the connection drops. */
  dropNext(name: string): void;
  close(): Promise<void>;
}

/**
 * @example
 * const server = await startFileServer({ 'fw.bin': Buffer.from('v2') });
 * server.url('fw.bin'); // 'http://127.0.0.1:41234/fw.bin'
 */
export async function startFileServer(files: Record<string, Buffer>, tls?: PemKeyPair): Promise<FileServer> {
  const map = new Map(Object.entries(files));
  const requests: string[] = [];
  const holds = new Map<string, { started: () => void; released: Promise<void> }>();
  const drops = new Set<string>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    requests.push(name);
    const body = map.get(name);
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    const hold = holds.get(name);
    holds.delete(name);
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
    if (drops.delete(name)) {
      // Mid-transfer: the client has the headers and part of the body when the connection goes.
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return;
    }
    if (!hold) {
      res.end(body);
      return;
    }
    const half = Math.floor(body.length / 2);
    res.write(body.subarray(0, half));
    hold.started();
    void hold.released.then(() => res.end(body.subarray(half)));
  };
  const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, handler) : http.createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `${tls ? 'https' : 'http'}://127.0.0.1:${port}/${name}`,
    files: map,
    requests,
    holdNext(name) {
      let started!: () => void;
      let release!: () => void;
      const startedPromise = new Promise<void>((resolve) => (started = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      holds.set(name, { started, released });
      return { started: startedPromise, release };
    },
    dropNext: (name) => void drops.add(name),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface SigningMaterial {
  /** The ManufacturerRootCertificate the station trusts. */
  root: TestCertificateAuthority;
  /** A firmware signing certificate issued by `root`. */
  signer: PemKeyPair;
  /** A signing certificate from a root the station does not trust. */
  stranger: PemKeyPair;
}

let material: SigningMaterial | undefined;

/** Generated once per test process. */
export function signingMaterial(): SigningMaterial {
  if (!material) {
    const root = createTestCertificateAuthority({ commonName: 'Test Manufacturer Root' });
    const other = createTestCertificateAuthority({ commonName: 'Unknown Manufacturer Root' });
    material = {
      root,
      signer: root.issueClientCertificate({ commonName: 'Firmware Signer', organization: 'Test Manufacturer' }),
      stranger: other.issueClientCertificate({ commonName: 'Firmware Signer', organization: 'Someone Else' }),
    };
  }
  return material;
}

/**
 * Base64 RSA SHA-256 signature of `data` with `key` (PKCS#1 v1.5).
 *
 * @example
 * signFirmware(Buffer.from('v2'), signer.key);
 */
export function signFirmware(data: Buffer, key: string): string {
  return sign('sha256', data, key).toString('base64');
}

/** One installFirmwareCallback call: what it got, and the file's content at that moment. */
export interface InstallCall {
  install: FirmwareInstall;
  content: Buffer;
}

export interface FirmwareHost {
  installs: InstallCall[];
  statuses: Array<{ status: FirmwareStatusEnumType; requestId: number | undefined }>;
  /** What the next installation answers (default 'Installed'); `never`: it never ends. */
  next: FirmwareInstallResult | 'never';
  callbacks: ChargePointCallbacks;
  /** Dispatches 'change' when an install call is recorded (for waitFor). */
  changes: EventTarget;
}

/**
 * @example
 * const host = firmwareHost();
 * startTxHarness({ station: { callbacks: host.callbacks } });
 */
export function firmwareHost(extra: ChargePointCallbacks = {}): FirmwareHost {
  const host: FirmwareHost = {
    installs: [],
    statuses: [],
    next: 'Installed',
    changes: new EventTarget(),
    callbacks: {
      ...extra,
      installFirmwareCallback: async (install) => {
        host.installs.push({ install, content: await readFile(install.file) });
        host.changes.dispatchEvent(new Event('change'));
        const next = host.next;
        if (next === 'never') return new Promise<never>(() => undefined);
        return next;
      },
      firmwareStatusCallback: (status, requestId) => host.statuses.push({ status, requestId }),
    },
  };
  return host;
}

/** An UpdateFirmwareRequest for `location`, retrieve now, signed when `signature` is given. */
export function updateRequest(
  requestId: number,
  location: string,
  extra: Partial<UpdateFirmwareRequest['firmware']> & { retries?: number; retryInterval?: number } = {},
): UpdateFirmwareRequest {
  const { retries, retryInterval, ...firmware } = extra;
  return {
    requestId,
    ...(retries === undefined ? {} : { retries }),
    ...(retryInterval === undefined ? {} : { retryInterval }),
    firmware: { location, retrieveDateTime: new Date(Date.now() - 7_200_000).toISOString(), ...firmware },
  };
}

/** Sends UpdateFirmware from the test CSMS; the response's status. */
export async function updateFirmware(h: Harness, request: UpdateFirmwareRequest): Promise<string> {
  const response = (await h.csms.call(h.identity, 'UpdateFirmware', request)) as { status: string };
  return response.status;
}

/** The next FirmwareStatusNotification the CSMS receives (walks the log like waitForCall). */
export async function nextFirmwareStatus(h: Harness, timeoutMs = 10_000): Promise<{ status: string; requestId?: number }> {
  const call = await h.csms.waitForCall('FirmwareStatusNotification', undefined, timeoutMs);
  return call.payload as { status: string; requestId?: number };
}

/** Waits for the statuses `expected` (in order) of `requestId`, each the next one received. */
export async function expectStatuses(h: Harness, requestId: number, expected: readonly string[], timeoutMs = 10_000): Promise<void> {
  const got: string[] = [];
  for (let i = 0; i < expected.length; i += 1) {
    const next = await nextFirmwareStatus(h, timeoutMs);
    got.push(`${next.status}#${String(next.requestId)}`);
    if (next.status !== expected[i] || next.requestId !== requestId) {
      throw new Error(`expected ${expected.map((s) => `${s}#${requestId}`).join(', ')}, got ${got.join(', ')}`);
    }
  }
}

/** The SecurityEventNotification types the CSMS received so far. */
export function securityEvents(h: Harness): string[] {
  return h.csms.calls.filter((c) => c.action === 'SecurityEventNotification').map((c) => (c.payload as { type: string }).type);
}
