/**
 * H01/H04 across a power loss: the CLI (a child process, `--json`) gets two reservations from the
 * strict test CSMS, is SIGKILLed, and starts again with the same `--db`. The reservations are still
 * there (`status` shows them, the reserved connector is Reserved) and the one with a near
 * expiryDateTime still expires at its time (ReservationStatusUpdate Expired, connector Available).
 * Everything waits for JSON events or CSMS calls; nothing sleeps.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { is, killAll, startAcceptedCli, WAIT_MS, type CliProcess } from './helpers/cli-process.js';
import type { CliEvent } from '../../src/cli/cli-events.js';
import type { StatusReservation } from '../../src/cli/status-reservations.js';
import { startTestCsms } from '../../src/testing/index.js';
import type { ReservationStatusUpdateRequest, ReserveNowResponse } from '../../src/generated/ocpp-types.js';

const processes: CliProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  await killAll(processes);
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const startCli = (args: string[]) => startAcceptedCli(processes, args);

async function status(p: CliProcess) {
  const since = p.mark();
  p.send('status');
  const result = (await p.waitFor("result of 'status'", is.command('status'), since)) as Extract<
    CliEvent,
    { type: 'command' }
  >;
  return result.data as {
    connectors: Array<{ evseId: number; connectorId: number; status: string | null }>;
    reservations: StatusReservation[];
  };
}

test('H01, H04.FR.01 power loss (SIGKILL): reservations survive, the connector is Reserved again, and the reservation still expires at its expiryDateTime', async () => {
  const server = await startTestCsms();
  cleanups.push(() => server.close());
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-reservations-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const stationId = 'RES-PL';
  const args = ['--csms', server.url, '--id', stationId, '--db', path.join(dir, 'station.db')];

  let p = await startCli(args);
  // Long enough for a kill and a restart of the child; the test waits for the Expired event.
  const expiry = new Date(Date.now() + 20_000).toISOString();
  const near = (await server.call(stationId, 'ReserveNow', {
    id: 7,
    evseId: 1,
    expiryDateTime: expiry,
    idToken: { idToken: 'RES-TAG', type: 'ISO14443' },
  })) as ReserveNowResponse;
  assert.equal(near.status, 'Accepted');
  const laterExpiry = new Date(Date.now() + 3_600_000).toISOString();
  const later = (await server.call(stationId, 'ReserveNow', {
    id: 8,
    expiryDateTime: laterExpiry,
    idToken: { idToken: 'OTHER-TAG', type: 'ISO14443' },
    groupIdToken: { idToken: 'GROUP', type: 'Central' },
  })) as ReserveNowResponse;
  assert.equal(later.status, 'Accepted');
  await p.waitFor('connector 1/1 Reserved', is.connector(1, 1, 'Reserved'));
  // The ReserveNow answers went out after the reservations were stored: kill now.
  p.kill('SIGKILL');
  assert.equal((await p.exited).signal, 'SIGKILL');

  p = await startCli(args);
  const after = await status(p);
  assert.ok(Date.now() < Date.parse(expiry), 'restarted before the expiry (else the test proves nothing)');
  assert.deepEqual(after.reservations, [
    { id: 7, evseId: 1, connectorType: null, idToken: 'RES-TAG', expiryDateTime: expiry },
    {
      id: 8,
      evseId: null,
      connectorType: null,
      idToken: 'OTHER-TAG',
      groupIdToken: 'GROUP',
      expiryDateTime: laterExpiry,
    },
  ]);
  assert.equal(after.connectors.find((c) => c.evseId === 1)?.status, 'Reserved');
  const since = p.mark();

  const update = await server.waitForCall(
    'ReservationStatusUpdate',
    (c) => (c.payload as ReservationStatusUpdateRequest).reservationId === 7,
    WAIT_MS,
  );
  assert.ok(Date.now() >= Date.parse(expiry), 'not before its expiryDateTime');
  assert.deepEqual(update.payload, { reservationId: 7, reservationUpdateStatus: 'Expired' });
  await p.waitFor('connector 1/1 Available again', is.connector(1, 1, 'Available'), since);
  const end = await status(p);
  assert.deepEqual(
    end.reservations.map((r) => r.id),
    [8],
  );
  p.kill('SIGTERM');
  await p.exited;
});
