/**
 * Issue 9 / L01: the stations of a fleet share one database file, and a CSMS campaign commonly gives
 * every station the same UpdateFirmware requestId. Each station downloads into a directory of its
 * own (`<database>.firmware/<stationId>/`), so two downloads at the same time never write the same
 * file: each host installs exactly the bytes its own location served. Two stations of one
 * StationFleet against the strict test CSMS; files from a local http server, held half-sent so
 * both downloads are in flight at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChargePoint } from '../../src/charge-point.js';
import { StationFleet } from '../../src/fleet/station-fleet.js';
import type { UpdateFirmwareResponse } from '../../src/generated/ocpp-types.js';
import { startTestCsms, waitFor } from '../../src/testing/index.js';
import { firmwareHost, startFileServer, updateRequest } from '../integration/firmware-helpers.js';

const EVSES = [{ id: 1, connectors: [{ id: 1 }] }];

test('issue 9, L01.FR.10: two fleet stations given the same requestId at once each install their own download', async (t) => {
  const csms = await startTestCsms();
  t.after(() => csms.close());
  const images = { 'a.bin': Buffer.alloc(64 * 1024, 'A'), 'b.bin': Buffer.alloc(64 * 1024, 'B') };
  const server = await startFileServer(images);
  t.after(() => server.close());
  const database = path.join(await mkdtemp(path.join(tmpdir(), 'ocpp-fleet-fw-')), 'fleet.db');
  const fleet = await StationFleet.create({ database, evses: EVSES });
  const ids = ['FFW-A', 'FFW-B'] as const;
  const hosts = ids.map(() => firmwareHost());
  const errors: unknown[] = [];
  const stations: ChargePoint[] = ids.map((stationId, i) =>
    fleet.chargePoint({
      stationId,
      csmsUrl: csms.url,
      callbacks: hosts[i]?.callbacks ?? {},
      onError: (e) => errors.push(e),
    }),
  );
  t.after(async () => {
    for (const s of stations) await s.stop();
    await fleet.close();
    // Only once the stations stopped: a running station writes into this directory (its batched
    // logs), the removal then fails ENOTEMPTY, and node:test skips the hooks after a failed one, so
    // the stations were never stopped and their reconnecting held the process (CI hung 90 minutes).
    await rm(path.dirname(database), { recursive: true, force: true });
  });
  await Promise.all(stations.map((s) => s.start()));
  for (const id of ids) await csms.waitForCall('StatusNotification', (c) => c.identity === id, 30_000);

  const held = [server.holdNext('a.bin'), server.holdNext('b.bin')];
  const answers = (await Promise.all([
    csms.call('FFW-A', 'UpdateFirmware', updateRequest(7, server.url('a.bin'))),
    csms.call('FFW-B', 'UpdateFirmware', updateRequest(7, server.url('b.bin'))),
  ])) as UpdateFirmwareResponse[];
  assert.deepEqual(
    answers.map((a) => a.status),
    ['Accepted', 'Accepted'],
  );
  // Both files are half written when either finishes.
  await Promise.all(
    held.map((h, i) =>
      Promise.race([
        h.started,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`${ids[i] ?? ''} never requested its file`)), 30_000).unref(),
        ),
      ]),
    ),
  );
  for (const h of held) h.release();

  const installs = await Promise.all(
    hosts.map((host, i) =>
      waitFor(host.changes, () => host.installs[0], `the install of ${ids[i] ?? ''}`, 30_000),
    ),
  );
  assert.deepEqual(
    installs.map((install) => install.content.equals(images[install === installs[0] ? 'a.bin' : 'b.bin'])),
    [true, true],
    'each station installs the bytes of its own location',
  );
  assert.notEqual(installs[0]?.install.file, installs[1]?.install.file);
  for (const [i, id] of ids.entries()) {
    assert.equal(
      path.dirname(installs[i]?.install.file ?? ''),
      path.join(`${database}.firmware`, id),
      `${id} downloads under its own directory`,
    );
  }
  assert.deepEqual(csms.validationFailures, []);
  assert.deepEqual(errors, []);
});
