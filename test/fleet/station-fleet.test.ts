import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeviceModelConfigError } from '../../src/device-model/index.js';
import { StationFleet } from '../../src/fleet/station-fleet.js';
import { sqliteHandle } from '../../src/store/sqlite-handle.js';
import { startTestCsms } from '../../src/testing/index.js';

const TWO_EVSES = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

async function tempDb() {
  return path.join(await mkdtemp(path.join(tmpdir(), 'ocpp-fleet-')), 'fleet.db');
}

/** rowid of every device_model row of a station: a delete + re-insert gives new ones. */
function rowIds(fleet: StationFleet, stationId: string): Array<{ rowid: number; value: string | null }> {
  return sqliteHandle(fleet.store)
    .prepare('SELECT rowid, value FROM device_model WHERE station_id = ? ORDER BY rowid')
    .all(stationId) as Array<{ rowid: number; value: string | null }>;
}

test('a fleet of 3 stations on one database boots against the strict test CSMS, each under its id', async () => {
  const csms = await startTestCsms();
  const fleet = await StationFleet.create({ database: await tempDb(), evses: TWO_EVSES });
  const ids = ['FL-1', 'FL-2', 'FL-3'];
  const errors: unknown[] = [];
  const stations = ids.map((stationId) =>
    fleet.chargePoint({ stationId, csmsUrl: csms.url, onError: (e) => errors.push(e) }),
  );
  try {
    await Promise.all(stations.map((s) => s.start()));
    for (const id of ids) {
      const boot = await csms.waitForCall('BootNotification', (c) => c.identity === id, 30_000);
      assert.equal(boot.identity, id);
      await csms.waitForCall('StatusNotification', (c) => c.identity === id, 30_000);
    }
    assert.deepEqual(csms.validationFailures, []);
    // Each station has its own values: a CSMS write to one is not seen by another.
    const set = await csms.call('FL-2', 'SetVariables', {
      setVariableData: [
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
          attributeValue: '77',
        },
      ],
    });
    assert.equal(
      (set as { setVariableResult: Array<{ attributeStatus: string }> }).setVariableResult[0]
        ?.attributeStatus,
      'Accepted',
    );
    const interval = (i: number) =>
      stations[i]?.deviceModel.getInteger({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' });
    assert.equal(interval(1), 77);
    assert.notEqual(interval(0), 77);
    assert.notEqual(interval(2), 77);
    // The rows are the stations' own too, and only what differs from the shared configuration
    // (its identity, values the host and the CSMS set): not a copy of its ~260 attributes.
    const heartbeatRows = sqliteHandle(fleet.store)
      .prepare(
        "SELECT station_id, value, value_source FROM device_model WHERE variable = 'HeartbeatInterval' ORDER BY station_id",
      )
      .all();
    assert.deepEqual(
      heartbeatRows.find((r) => (r as { station_id: string }).station_id === 'FL-2'),
      {
        station_id: 'FL-2',
        value: '77',
        value_source: 'csms',
      },
    );
    assert.ok(rowIds(fleet, 'FL-1').length < 10, `${rowIds(fleet, 'FL-1').length} rows`);
    assert.equal(rowIds(fleet, 'FL-1').length, rowIds(fleet, 'FL-3').length);
    assert.deepEqual(errors, []);
  } finally {
    await Promise.all(stations.map((s) => s.stop()));
    await fleet.close();
    await csms.close();
  }
});

test('a restart writes only the device-model rows that changed (unchanged rows keep their rowid)', async () => {
  const csms = await startTestCsms();
  const fleet = await StationFleet.create({ database: await tempDb(), evses: TWO_EVSES });
  try {
    const first = fleet.chargePoint({ stationId: 'RW-1', csmsUrl: csms.url });
    await first.start();
    await csms.waitForCall('BootNotification', (c) => c.identity === 'RW-1', 30_000);
    await first.stop();
    const before = rowIds(fleet, 'RW-1');

    // Same configuration: no row is deleted, inserted or rewritten.
    const second = fleet.chargePoint({ stationId: 'RW-1', csmsUrl: csms.url });
    await second.start();
    await second.stop();
    assert.deepEqual(rowIds(fleet, 'RW-1'), before);

    // One start-up value changes: it differs from the config, so it gets a row (a new one, or the
    // row of the value it replaces, updated in place); the others are untouched.
    const third = fleet.chargePoint({
      stationId: 'RW-1',
      csmsUrl: csms.url,
      overrides: [{ ref: { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }, value: '123' }],
    });
    await third.start();
    await third.stop();
    const after = rowIds(fleet, 'RW-1');
    const changed = after.filter((r) => !before.some((b) => b.rowid === r.rowid && b.value === r.value));
    assert.deepEqual(
      changed.map((r) => r.value),
      ['123'],
    );
    assert.ok(after.length <= before.length + 1);
    assert.ok(before.every((b) => after.some((r) => r.rowid === b.rowid)));
  } finally {
    await fleet.close();
    await csms.close();
  }
});

test('a bad fleet configuration is refused once, naming the file, before any station exists', async () => {
  await assert.rejects(
    StationFleet.create({
      database: ':memory:',
      evses: TWO_EVSES,
      deviceModel: { components: [], configDir: path.join(tmpdir(), 'no-such-config-dir-for-fleet') },
    }),
    (error: unknown) =>
      error instanceof DeviceModelConfigError && /no-such-config-dir-for-fleet/.test(error.message),
  );
});
