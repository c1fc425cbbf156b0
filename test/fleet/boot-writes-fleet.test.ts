/**
 * A fleet's fresh boot and its device-model transactions (issue 9, boot storm): each new station
 * stores its network profile list (the CSMS URL, before it connects) and the CSMS's HeartbeatInterval
 * (B01.FR.04, from the BootNotificationResponse); these rows join the other stations' device-model
 * writes of the same turn (src/device-model/value-commits.ts), one SQLite transaction per turn
 * instead of one per write. A power loss once the boot is done keeps both (read by a second
 * connection, as the file would be left).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StationFleet } from '../../src/fleet/station-fleet.js';
import { sqliteHandle } from '../../src/store/sqlite-handle.js';
import { batchesSettled } from '../../src/store/write-batch.js';
import { startTestCsms } from '../../src/testing/index.js';
import { countTransactions } from '../store/count-transactions.js';

const TWO_EVSES = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];
const STATIONS = 6;

test('a fleet of 6 new stations stores its boot values in fewer device-model transactions than two per station, and keeps them', async (t) => {
  const csms = await startTestCsms({ boot: { heartbeatInterval: 120 } });
  t.after(() => csms.close());
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'ocpp-fleet-')), 'fleet.db');
  const fleet = await StationFleet.create({ database: file, evses: TWO_EVSES });
  const sqlite = sqliteHandle(fleet.store);
  // Device-model transactions: the ones whose argument is a list of row writes (device-model-store.ts).
  const transactions = countTransactions(
    sqlite,
    (first) =>
      Array.isArray(first) && first.every((w) => typeof w === 'object' && w !== null && 'upserts' in w),
  );
  const ids = Array.from({ length: STATIONS }, (_, i) => `BW-${i + 1}`);
  const errors: unknown[] = [];
  const stations = ids.map((stationId) =>
    fleet.chargePoint({ stationId, csmsUrl: csms.url, onError: (e) => errors.push(e) }),
  );
  try {
    await Promise.all(stations.map((s) => s.start()));
    for (const id of ids) {
      await csms.waitForCall('BootNotification', (c) => c.identity === id, 30_000);
      await csms.waitForCall('StatusNotification', (c) => c.identity === id, 30_000);
    }
    await batchesSettled(fleet.store.db);
    // Main stored each station's two values in a transaction each (12), plus the opens' batch (13
    // in all); here the profile lists share one, and the intervals each the turn of their answer.
    assert.ok(
      transactions() < 2 * STATIONS,
      `${transactions()} device-model transactions for ${STATIONS} stations`,
    );
    // As a power loss now would leave the file: both values of every station.
    const reader = new Database(file, { readonly: true });
    try {
      const rows = reader
        .prepare(
          "SELECT station_id, variable, value, value_source FROM device_model WHERE variable IN ('HeartbeatInterval', 'NetworkConnectionProfiles') ORDER BY station_id, variable",
        )
        .all() as Array<{ station_id: string; variable: string; value: string; value_source: string }>;
      for (const id of ids) {
        const own = rows.filter((r) => r.station_id === id);
        assert.deepEqual(
          own.map((r) => [r.variable, r.value_source]),
          [
            ['HeartbeatInterval', 'csms'],
            ['NetworkConnectionProfiles', 'host'],
          ],
        );
        assert.equal(own[0]?.value, '120');
        assert.match(own[1]?.value ?? '', new RegExp(csms.url.replace(/[/.]/g, '\\$&')));
      }
    } finally {
      reader.close();
    }
    assert.deepEqual(errors, []);
  } finally {
    await Promise.all(stations.map((s) => s.stop()));
    await fleet.close();
  }
});
