import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HardwareError, SimulatedHardware } from '../../src/cli/simulated-hardware.js';
import { loadSimHardware } from '../../src/cli/sim-hardware-store.js';
import { openStationDatabase } from '../../src/store/database.js';
import { tempDatabase } from '../helpers/temp-db.js';

const EVSES = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }, { id: 2 }] },
];
const NOW = '2026-01-01T00:00:00.000Z';

/** The view of a connector: what is given, the rest as a new connector has it. */
const view = (
  evseId: number,
  connectorId: number,
  change: Partial<ReturnType<SimulatedHardware['connector']>> = {},
) => ({
  evseId,
  connectorId,
  plugged: false,
  faulted: false,
  ev: 'absent',
  energyWh: 0,
  powerW: 0,
  locked: false,
  lockFail: false,
  parked: false,
  flowing: false,
  fixedCable: false,
  ...change,
});

async function setup() {
  const store = await tempDatabase();
  let ms = 0;
  const options = { db: store.db, stationId: 'CS-1', evses: EVSES, nowIso: () => NOW, monotonicMs: () => ms };
  const hardware = await SimulatedHardware.load(options);
  return {
    store,
    hardware,
    advance: (deltaMs: number) => (ms += deltaMs),
    reload: () => SimulatedHardware.load(options),
  };
}

test('a new station has every connector unplugged with a zero meter, and nothing stored', async (t) => {
  const { store, hardware } = await setup();
  t.after(() => store.close());
  assert.deepEqual(hardware.connectors(), [view(1, 1), view(2, 1), view(2, 2)]);
  assert.deepEqual(await loadSimHardware(store.db, 'CS-1'), []);
});

test('plug, fault, charge and meter are written to SQLite and restored by a new load (power loss)', async (t) => {
  const { store, hardware, reload } = await setup();
  t.after(() => store.close());
  await hardware.plug(2, 2);
  await hardware.fault(1, 1);
  await hardware.setMeter(2, 1234, 7400);
  await hardware.charge(2, 11000);
  assert.equal(await hardware.lock(2, 2), true);
  const rows = await store.db
    .selectFrom('sim_hardware')
    .selectAll()
    .orderBy('evse_id')
    .orderBy('connector_id')
    .execute();
  assert.deepEqual(
    rows.map((r) => [
      r.station_id,
      r.evse_id,
      r.connector_id,
      r.plugged,
      r.faulted,
      r.ev_state,
      r.energy_wh,
      r.power_w,
      r.locked,
      r.updated_at,
    ]),
    [
      ['CS-1', 1, 1, 0, 1, 'absent', 0, 0, 0, NOW],
      ['CS-1', 2, 2, 1, 0, 'charging', 1234, 7400, 1, NOW],
    ],
  );
  const restored = await reload();
  assert.deepEqual(
    restored.connector(2, 2),
    view(2, 2, { plugged: true, ev: 'charging', energyWh: 1234, powerW: 7400, locked: true }),
    'the lock survives a power loss; the permission does not (the station tells it again)',
  );
  assert.equal(restored.connector(1, 1).faulted, true);
});

test('the meter integrates the power while the EV charges and the station permits, and stops counting when it suspends', async (t) => {
  const { store, hardware, advance, reload } = await setup();
  t.after(() => store.close());
  await hardware.plug(1, 1);
  await hardware.charge(1, 11000);
  assert.equal(hardware.charging, false, 'the EV asks; the station has not permitted yet');
  advance(60_000);
  assert.equal(hardware.connector(1, 1).energyWh, 0);
  await hardware.setPermitted(1, true);
  assert.equal(hardware.charging, true);
  advance(30 * 60_000); // half an hour at 11 kW
  assert.equal(hardware.connector(1, 1).energyWh, 5500);
  await hardware.flush();
  assert.equal((await reload()).connector(1, 1).energyWh, 5500, 'flushed register survives a power loss');
  const suspended = await hardware.suspend(1);
  assert.equal(suspended.energyWh, 5500);
  advance(60 * 60_000);
  assert.equal(hardware.connector(1, 1).energyWh, 5500, 'a suspended EV draws nothing');
  const resumed = await hardware.charge(1, 3000);
  assert.equal(resumed.powerW, 11000, 'resumes at the power it had');
  advance(6 * 60_000);
  assert.equal(hardware.connector(1, 1).energyWh, 6600);
  await hardware.setPermitted(1, false);
  advance(6 * 60_000);
  assert.equal(hardware.connector(1, 1).energyWh, 6600, 'no energy once the station stops it');
  const unplugged = await hardware.unplug(1, 1);
  assert.deepEqual(unplugged, view(1, 1, { energyWh: 6600 }));
});

test('energy not yet flushed is what a power loss loses; a restored charging EV counts from the restart', async (t) => {
  const { store, hardware, advance, reload } = await setup();
  t.after(() => store.close());
  await hardware.plug(1, 1);
  await hardware.charge(1, 3600);
  await hardware.setPermitted(1, true);
  advance(60_000); // 60 Wh, never flushed
  assert.equal(hardware.connector(1, 1).energyWh, 60);
  const restored = await reload();
  assert.equal(restored.connector(1, 1).energyWh, 0);
  await restored.setPermitted(1, true);
  advance(60_000);
  assert.equal(restored.connector(1, 1).energyWh, 60);
});

test('meter sets the register and the power; the power needs an EV', async (t) => {
  const { store, hardware, advance } = await setup();
  t.after(() => store.close());
  assert.equal((await hardware.setMeter(1, 100)).energyWh, 100);
  await assert.rejects(hardware.setMeter(1, 100, 7400), /EVSE 1: no EV is plugged in \(plug 1 first\)/);
  await hardware.plug(1, 1);
  assert.deepEqual(
    await hardware.setMeter(1, 200, 7200),
    view(1, 1, { plugged: true, ev: 'connected', energyWh: 200, powerW: 7200 }),
  );
  assert.equal((await hardware.charge(1, 11000)).powerW, 7200);
  await hardware.setPermitted(1, true);
  advance(10 * 60_000);
  assert.equal(hardware.connector(1, 1).energyWh, 1400);
  assert.equal((await hardware.setMeter(1, 50)).energyWh, 50, 'a meter swap may set a lower register');
});

test('EVSE-level actions use the plugged connector', async (t) => {
  const { store, hardware } = await setup();
  t.after(() => store.close());
  assert.equal(hardware.activeConnector(2).connectorId, 1);
  await hardware.plug(2, 2);
  assert.equal(hardware.activeConnector(2).connectorId, 2);
  assert.equal((await hardware.setMeter(2, 10)).connectorId, 2);
  assert.equal((await hardware.charge(2, 1000)).connectorId, 2);
});

test('impossible hardware actions are refused with a precise message and change nothing', async (t) => {
  const { store, hardware } = await setup();
  t.after(() => store.close());
  await hardware.plug(2, 1);
  await hardware.fault(1, 1);
  const before = hardware.connectors();
  const cases: Array<[Promise<unknown>, RegExp]> = [
    [hardware.plug(3, 1), /^no EVSE 3 \(this station has EVSE 1, 2\)$/],
    [hardware.plug(1, 2), /^EVSE 1 has no connector 2 \(it has 1\)$/],
    [hardware.plug(2, 1), /^EVSE 2 connector 1: a cable is already plugged in$/],
    [
      hardware.plug(2, 2),
      /^EVSE 2: connector 1 already has a cable plugged in \(an EVSE serves one EV at a time\)$/,
    ],
    [hardware.unplug(1, 1), /^EVSE 1 connector 1: no cable is plugged in$/],
    [hardware.fault(1, 1), /^EVSE 1 connector 1: already faulted$/],
    [hardware.clearFault(2, 1), /^EVSE 2 connector 1: not faulted$/],
    [hardware.charge(1, 1000), /^EVSE 1: no EV is plugged in \(plug 1 first\)$/],
    [hardware.suspend(2), /^EVSE 2: the EV is not charging \(it is connected\)$/],
    [hardware.setMeter(1, -1), /^meter: -1 Wh is not a non-negative integer$/],
    [hardware.setMeter(1, 1.5), /^meter: 1.5 Wh is not a non-negative integer$/],
  ];
  for (const [promise, pattern] of cases) {
    await assert.rejects(
      promise,
      (e: unknown) => e instanceof HardwareError && pattern.test(e.message),
      String(pattern),
    );
  }
  assert.deepEqual(hardware.connectors(), before);
  assert.deepEqual(
    await loadSimHardware(store.db, 'CS-1'),
    before
      .filter((c) => c.plugged || c.faulted)
      .map(({ flowing: _f, fixedCable: _c, ...stored }) => stored),
  );
  await hardware.charge(2, 1000);
  await assert.rejects(hardware.charge(2, 1000), /EVSE 2: the EV is already charging/);
});

test('unplug is refused while the lock holds a socket cable; unplug-ev leaves the cable in; a fixed cable has no lock', async (t) => {
  const { store, hardware } = await setup();
  t.after(() => store.close());
  await hardware.plug(1, 1);
  assert.equal(await hardware.lock(1, 1), true);
  await assert.rejects(hardware.unplug(1, 1), /EVSE 1 connector 1: the cable is locked in the socket/);
  const evGone = await hardware.unplugEv(1, 1);
  assert.deepEqual([evGone.plugged, evGone.ev, evGone.locked], [true, 'absent', true]);
  assert.equal((await hardware.plug(1, 1)).ev, 'connected', 'the EV comes back to the cable in the socket');
  await hardware.failLock(2, 1);
  await hardware.plug(2, 1);
  assert.equal(await hardware.lock(2, 1), false, 'lock-fail: the next locking attempt fails');
  await hardware.charge(2, 1000);
  await hardware.setPermitted(2, true);
  assert.equal(hardware.connector(2, 1).flowing, false, 'no energy without the lock');
  await hardware.clearFault(2, 1);
  assert.equal(await hardware.lock(2, 1), true);
  assert.equal(hardware.connector(2, 1).flowing, true);
  assert.equal(await hardware.unlock(1, 1), true);
  assert.equal((await hardware.unplug(1, 1)).plugged, false);
});

test('a lock and an unlock asked for at once end as asked last, in memory and stored (a transaction that ends right after it started)', async (t) => {
  const { store, hardware, reload } = await setup();
  t.after(() => store.close());
  await hardware.plug(1, 1);
  // The lock's write is pending when the unlock is asked for: the unlock must still release it.
  const locked = hardware.lock(1, 1);
  const unlocked = hardware.unlock(1, 1);
  assert.deepEqual(await Promise.all([locked, unlocked]), [true, true]);
  assert.equal(hardware.connector(1, 1).locked, false);
  assert.equal((await reload()).connector(1, 1).locked, false, 'stored unlocked');
  assert.equal((await hardware.unplug(1, 1)).plugged, false);
  // And the other way round: the lock asked for last holds.
  await hardware.plug(1, 1);
  await Promise.all([hardware.unlock(1, 1), hardware.lock(1, 1)]);
  assert.equal(hardware.connector(1, 1).locked, true);
});

test('a fixed cable: unplug-ev frees the connector', async (t) => {
  const store = await tempDatabase();
  t.after(() => store.close());
  const hardware = await SimulatedHardware.load({
    db: store.db,
    stationId: 'CS-F',
    evses: EVSES,
    nowIso: () => NOW,
    fixedCable: () => true,
  });
  await hardware.plug(1, 1);
  assert.equal(await hardware.lock(1, 1), false);
  const c = await hardware.unplugEv(1, 1);
  assert.deepEqual([c.plugged, c.ev, c.fixedCable], [false, 'absent', true]);
  await assert.rejects(hardware.failLock(1, 1), /a fixed cable has no retention lock/);
});

test('park and unpark set the bay sensor of every connector of the EVSE', async (t) => {
  const { store, hardware, reload } = await setup();
  t.after(() => store.close());
  await hardware.park(2, true);
  assert.deepEqual(
    hardware.connectors().map((c) => c.parked),
    [false, true, true],
  );
  await assert.rejects(hardware.park(2, true), /EVSE 2: an EV is already parked/);
  assert.equal((await reload()).connector(2, 2).parked, true);
  await hardware.park(2, false);
  await assert.rejects(hardware.park(2, false), /EVSE 2: no EV is parked/);
});

test('an EVSE reset stops the energy transfer of its EV only', async (t) => {
  const { store, hardware } = await setup();
  t.after(() => store.close());
  await hardware.plug(1, 1);
  await hardware.plug(2, 1);
  await hardware.charge(1, 1000);
  await hardware.charge(2, 1000);
  assert.equal((await hardware.stopEnergyTransfer(1))?.ev, 'connected');
  assert.equal(await hardware.stopEnergyTransfer(1), undefined);
  assert.equal(hardware.connector(2, 1).ev, 'charging');
});

test('stations sharing a database keep their own hardware', async (t) => {
  const { store, hardware } = await setup();
  t.after(() => store.close());
  await hardware.plug(1, 1);
  const other = await SimulatedHardware.load({
    db: store.db,
    stationId: 'CS-2',
    evses: EVSES,
    nowIso: () => NOW,
  });
  assert.equal(other.connector(1, 1).plugged, false);
});

test('a stored row that cannot be real hardware is refused with a message naming it', async (t) => {
  const { store, hardware } = await setup();
  t.after(() => store.close());
  await hardware.plug(1, 1);
  await store.db
    .updateTable('sim_hardware')
    .set({ ev_state: 'flying' as never })
    .execute();
  await assert.rejects(
    SimulatedHardware.load({ db: store.db, stationId: 'CS-1', evses: EVSES, nowIso: () => NOW }),
    /sim_hardware row \(station CS-1, EVSE 1, connector 1\): unknown ev_state 'flying'/,
  );
  await store.db.updateTable('sim_hardware').set({ ev_state: 'connected', energy_wh: -3 }).execute();
  await assert.rejects(loadSimHardware(store.db, 'CS-1'), /energy_wh -3 is not a non-negative integer/);
});

test('the sim_hardware table survives reopening the file (migration 0002 applied once)', async (t) => {
  const { store, hardware } = await setup();
  await hardware.plug(1, 1);
  await store.close();
  const again = await openStationDatabase(store.path);
  t.after(() => again.close());
  assert.equal(again.applied.length, 0);
  assert.equal((await loadSimHardware(again.db, 'CS-1'))[0]?.plugged, true);
});
