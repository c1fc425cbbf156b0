/** Shared bits of the transport tests. */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import type { Transport } from '../../src/transport/transport.js';
import { TransportError, type TransportErrorKind } from '../../src/transport/errors.js';
import type { TestWsServer } from './ws-server.js';

export const password = 'S3cr3t-Passw0rd-16+';

export function basicAuthOf(identity: string, pass: string): string {
  return `Basic ${Buffer.from(`${identity}:${pass}`, 'utf8').toString('base64')}`;
}

/** Accepts only `identity:password` in the Authorization header (A00.FR.207). */
export function requireBasicAuth(identity: string, pass: string) {
  return (request: IncomingMessage): number | undefined =>
    request.headers.authorization === basicAuthOf(identity, pass) ? undefined : 401;
}

export async function expectConnectError(
  transport: Transport,
  kind: TransportErrorKind,
): Promise<TransportError> {
  let caught: unknown;
  await transport.connect().catch((e: unknown) => (caught = e));
  assert.ok(caught instanceof TransportError, `expected TransportError, got ${String(caught)}`);
  assert.equal(caught.kind, kind, caught.message);
  assert.equal(transport.state, 'closed');
  return caught;
}

export async function withServer(server: TestWsServer, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } finally {
    await server.close();
  }
}
