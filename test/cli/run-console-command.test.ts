import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStationHarness, type StationHarness } from './helpers/station-harness.js';

let h: StationHarness;
before(async () => {
  h = await startStationHarness({
    overrides: [
      { ref: { component: 'EVSE', evseId: 2, variable: 'Power', attribute: 'MaxSet' }, value: '7400' },
    ],
  });
  await h.waitFor('registration Accepted', (e) => e.type === 'registration' && e.status === 'Accepted');
});
after(() => h.close());

test('help lists the commands', async () => {
  const result = await h.run('help');
  assert.equal(result.ok, true);
  assert.match(result.message, /plug <evse> \[connector\]/);
});

test('plug/unplug/fault/clear drive the ChargePoint and the hardware', async () => {
  const plug = await h.run('plug 1');
  assert.deepEqual([plug.ok, plug.message], [true, 'EVSE 1 connector 1: cable plugged in']);
  assert.equal(h.station.cp.connectorStatus(1, 1), 'Occupied');
  assert.equal((await h.run('fault 1 1')).message, 'EVSE 1 connector 1: fault reported');
  assert.equal(h.station.cp.connectorStatus(1, 1), 'Faulted');
  assert.equal((await h.run('clear 1')).message, 'EVSE 1 connector 1: fault cleared');
  assert.equal(h.station.cp.connectorStatus(1, 1), 'Occupied');
  assert.equal((await h.run('unplug 1')).message, 'EVSE 1 connector 1: cable unplugged');
  assert.equal(h.station.cp.connectorStatus(1, 1), 'Available');
  assert.equal(h.station.hardware.connector(1, 1).plugged, false);
});

/** Waits for the TransactionEvent the station sends with this triggerReason (and chargingState). */
function transactionEvent(since: number, triggerReason: string, chargingState?: string) {
  return h.waitFor(`TransactionEvent ${triggerReason} ${chargingState ?? ''}`, (e) => {
    if (e.type !== 'ocpp' || e.direction !== 'out') return false;
    const [, , action, payload] = e.frame as [number, string, string, Record<string, unknown>];
    const info = payload?.transactionInfo as { chargingState?: string } | undefined;
    return (
      action === 'TransactionEvent' &&
      payload.triggerReason === triggerReason &&
      (chargingState === undefined || info?.chargingState === chargingState)
    );
  }, since);
}

test('charge: the EV asks for power; it flows once the token is authorized; suspend and meter change the hardware', async () => {
  const since = h.events.length;
  await h.run('plug 2');
  const charge = await h.run('charge 2');
  // The EV's 11 kW, capped by EVSE@2.Power:MaxSet = 7400; nothing flows before the authorization.
  assert.equal(charge.ok, true);
  assert.match(charge.message, /^EVSE 2: the EV asks for 7400 W; energy flows once the station permits charging/);
  const auth = await h.run('auth TOKEN-C 2');
  assert.match(auth.message, /^idToken TOKEN-C authorized on EVSE 2$/);
  // E01.FR.05 (TxStartPoint PowerPathClosed): Started at the authorization, then energy flows.
  await transactionEvent(since, 'Authorized');
  await transactionEvent(since, 'ChargingStateChanged', 'Charging');
  assert.equal(h.station.hardware.connector(2, 1).flowing, true);
  assert.equal(h.station.hardware.connector(2, 1).locked, true, 'a socket cable is locked before energy flows');
  const meter = await h.run('meter 2 2500 3700');
  assert.match(meter.message, /^EVSE 2 connector 1: meter set to 2500 Wh, EV power 3700 W$/);
  const suspend = await h.run('suspend 2');
  assert.match(suspend.message, /^EVSE 2: EV suspended charging \(meter 25\d\d Wh\)/);
  await transactionEvent(since, 'ChargingStateChanged', 'SuspendedEV');
  const row = await h.store.db
    .selectFrom('sim_hardware')
    .selectAll()
    .where('station_id', '=', 'CS-HARNESS')
    .where('evse_id', '=', 2)
    .executeTakeFirstOrThrow();
  assert.deepEqual([row.plugged, row.ev_state, row.power_w, row.locked], [1, 'suspended', 3700, 1]);
  assert.ok(row.energy_wh >= 2500);
  // E07: the same token ends it (StopAuthorized), the cable is unlocked (E06.FR.10), then it can go.
  assert.match((await h.run('auth TOKEN-C 2')).message, /^idToken TOKEN-C ended the authorization on EVSE 2$/);
  await transactionEvent(since, 'StopAuthorized');
  await h.waitFor('unlocked', () => !h.station.hardware.connector(2, 1).locked, since);
  assert.equal((await h.run('unplug 2')).ok, true);
});

test('EVSE 1 without a MaxSet charges at the EV maximum of 11 kW', async () => {
  await h.run('plug 1');
  assert.match((await h.run('charge 1')).message, /asks for 11000 W/);
  await h.run('unplug 1');
});

test('auth checks its arguments; an unknown EVSE is refused', async () => {
  assert.match((await h.run('auth 04A2B3C4 3')).message, /no EVSE 3/);
  assert.equal((await h.run('auth 04A2B3C4 3')).ok, false);
});

test('refusals are results, not crashes', async () => {
  const cases: Array<[string, RegExp]> = [
    ['plug 3', /^no EVSE 3 \(this station has EVSE 1, 2\)$/],
    ['plug 1 2', /^EVSE 1 has no connector 2 \(it has 1\)$/],
    ['unplug 1', /no cable is plugged in/],
    ['charge 1', /no EV is plugged in \(plug 1 first\)/],
    ['suspend 2', /no EV is plugged in/],
    ['clear 2', /not faulted/],
    ['meter 1 5 100', /no EV is plugged in/],
    ['jump', /unknown command 'jump'/],
    ['plug x', /<evse> must be a positive integer/],
  ];
  for (const [line, pattern] of cases) {
    const result = await h.run(line);
    assert.equal(result.ok, false, line);
    assert.match(result.message, pattern, line);
  }
});

test('status reports connection, registration and every connector', async () => {
  await h.run('plug 1');
  const status = await h.run('status');
  const data = status.data as {
    connected: boolean;
    registration: string;
    boot: number;
    connectors: Array<Record<string, unknown>>;
  };
  assert.equal(data.connected, true);
  assert.equal(data.registration, 'Accepted');
  assert.equal(data.boot, 1);
  assert.deepEqual(
    data.connectors.map((c) => [c.evseId, c.connectorId, c.status, c.plugged]),
    [
      [1, 1, 'Occupied', true],
      [2, 1, 'Available', false],
    ],
  );
  assert.match(status.message, /^connection: connected, registration: Accepted, boot 1/);
  assert.match(status.message, /EVSE 1 connector 1: Occupied, cable plugged, EV connected, meter \d+ Wh/);
  assert.equal((data.connectors[0] as { transactionId: unknown }).transactionId, null);
  await h.run('unplug 1');
});

test('offline and online close and reopen the websocket', async () => {
  const since = h.events.length;
  assert.equal((await h.run('offline')).ok, true);
  await h.waitFor('disconnected', (e) => e.type === 'connection' && !e.connected, since);
  assert.equal(h.station.cp.isConnected, false);
  assert.equal((await h.run('online')).message, 'reconnecting to the CSMS now');
  await h.waitFor('connected', (e) => e.type === 'connection' && e.connected, since);
});

test('quit reports and hands the stop to the host', async () => {
  const quit = await h.run('quit');
  assert.equal(quit.message, 'stopping the station');
  assert.equal(h.quits, 1);
});
