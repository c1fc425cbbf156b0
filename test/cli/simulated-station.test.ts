import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCsms, type ReceivedCall, type TestCsms } from '../../src/testing/index.js';
import { startStationHarness, type StationHarness } from './helpers/station-harness.js';

const open: Array<StationHarness | TestCsms> = [];
after(async () => {
  for (const item of open.reverse()) await item.close().catch(() => undefined);
});

async function setup(stationId: string, overrides: Parameters<typeof startStationHarness>[0] = {}) {
  const h = await startStationHarness({ stationId, ...overrides });
  open.push(h);
  await h.waitFor('registration Accepted', (e) => e.type === 'registration' && e.status === 'Accepted');
  return { csms: h.csms, h };
}

/** Calls received at index `since` or later, with this connector status (when given). */
const from =
  (csms: TestCsms, since: number, payload: Record<string, unknown> = {}) =>
  (call: ReceivedCall) =>
    csms.calls.indexOf(call) >= since &&
    Object.entries(payload).every(([key, value]) => (call.payload as Record<string, unknown>)[key] === value);

test('a station Reset reboots on the same database; a command typed meanwhile runs on the new ChargePoint', async () => {
  const { csms, h } = await setup('SIM-RESET');
  await h.run('plug 1');
  const since = h.events.length;
  const mark = csms.calls.length;
  assert.deepEqual(await csms.call('SIM-RESET', 'Reset', { type: 'OnIdle' }), { status: 'Accepted' });
  await h.waitFor('reset event', (e) => e.type === 'reset', since);
  await h.station.submit('plug 2');
  const order = h.events
    .slice(since)
    .filter((e) => e.type === 'station' || e.type === 'command')
    .map((e) => (e.type === 'station' ? `${e.state} ${e.boot}` : `command ${e.line} ${e.ok}`));
  assert.deepEqual(order, ['stopping 1', 'stopped 1', 'starting 2', 'started 2', 'command plug 2 true']);
  const boot = await csms.waitForCall('BootNotification', from(csms, mark));
  assert.equal((boot.payload as { reason: string }).reason, 'RemoteReset');
  assert.equal(h.station.bootCount, 2);
  // The cable plugged before the reset is still plugged, reported once as Occupied (no transient Available).
  const afterBoot = h.events.slice(since).filter((e) => e.type === 'connector' && e.evseId === 1);
  assert.deepEqual(
    afterBoot.map((e) => (e.type === 'connector' ? e.status : '')),
    ['Occupied'],
  );
  await csms.waitForCall('StatusNotification', from(csms, mark, { evseId: 2, connectorStatus: 'Occupied' }));
});

test('an EVSE reset (EVSE.AllowReset) stops the energy transfer on that EVSE without rebooting', async () => {
  const resume = { component: 'InternalCtrlr', variable: 'ResumeTransactionsOnBoot' };
  const { csms, h } = await setup('SIM-EVSE-RESET', {
    // Both ReadOnly: start-up values are configuration.
    overrides: [
      { ref: { component: 'EVSE', evseId: 1, variable: 'AllowReset' }, value: 'true' },
      { ref: resume, value: 'true' },
    ],
  });
  assert.equal(h.station.cp.deviceModel.get(resume), 'true');
  await h.run('plug 1');
  await h.run('charge 1');
  const since = h.events.length;
  assert.deepEqual(await csms.call('SIM-EVSE-RESET', 'Reset', { type: 'Immediate', evseId: 1 }), {
    status: 'Accepted',
  });
  await h.waitFor('reset of EVSE 1', (e) => e.type === 'reset' && e.evseId === 1, since);
  await h.station.submit('status'); // queued behind the hardware change
  assert.equal(h.station.hardware.connector(1, 1).ev, 'connected');
  assert.equal(h.station.bootCount, 1);
});

test('a new station on the same database (power loss) restores the cable, the fault and the meter, and reports each status once', async () => {
  const csms = await startTestCsms();
  open.push(csms);
  const first = await startStationHarness({ stationId: 'SIM-POWER', csms });
  await first.run('plug 2');
  await first.run('meter 2 900 5000');
  await first.run('fault 1');
  const file = first.store.file;
  await first.close();

  const mark = csms.calls.length;
  const second = await startStationHarness({ stationId: 'SIM-POWER', csms, dbFile: file });
  open.push(second);
  const statuses = second.events
    .filter((e) => e.type === 'connector')
    .map((e) => (e.type === 'connector' ? `${e.evseId}/${e.connectorId} ${e.status}` : ''));
  assert.deepEqual(statuses, ['1/1 Faulted', '2/1 Occupied']);
  assert.deepEqual(second.station.hardware.connector(2, 1), {
    evseId: 2,
    connectorId: 1,
    plugged: true,
    faulted: false,
    ev: 'connected',
    energyWh: 900,
    powerW: 5000,
    locked: false,
    lockFail: false,
    parked: false,
    flowing: false,
    fixedCable: false,
  });
  const boot = await csms.waitForCall('BootNotification', from(csms, mark));
  assert.equal((boot.payload as { reason: string }).reason, 'PowerUp');
  await csms.waitForCall('StatusNotification', from(csms, mark, { evseId: 1, connectorStatus: 'Faulted' }));
});

test('ResumeTransactionsOnBoot: after a restart the resumed transaction draws energy again (the permission given during start reaches the hardware)', async () => {
  const csms = await startTestCsms();
  open.push(csms);
  const overrides = [
    { ref: { component: 'InternalCtrlr', variable: 'ResumeTransactionsOnBoot' }, value: 'true' },
  ];
  const first = await startStationHarness({ stationId: 'SIM-RESUME', csms, overrides });
  await first.waitFor('registration Accepted', (e) => e.type === 'registration' && e.status === 'Accepted');
  await first.run('plug 1');
  const auth = await first.run('auth RESUME-1 ISO14443 1');
  const transactionId = (auth.data as { transactionId: string }).transactionId;
  await first.run('charge 1');
  assert.equal(first.station.hardware.connector(1, 1).flowing, true, 'charging before the restart');
  const file = first.store.file;
  await first.close();

  const second = await startStationHarness({ stationId: 'SIM-RESUME', csms, dbFile: file, overrides });
  open.push(second);
  // Queued behind the boot: the station has started and told the hardware what it permits.
  const status = await second.run('status');
  const c1 = (
    status.data as { connectors: Array<{ evseId: number; transactionId: string | null; flowing: boolean }> }
  ).connectors.find((c) => c.evseId === 1);
  assert.equal(c1?.transactionId, transactionId, 'the same transaction goes on');
  assert.equal(c1?.flowing, true, 'the EV draws energy again');
});

test('after a power loss a cable lock no transaction holds is released at the start; a resumed transaction keeps its lock', async () => {
  const csms = await startTestCsms();
  open.push(csms);
  const overrides = [
    { ref: { component: 'InternalCtrlr', variable: 'ResumeTransactionsOnBoot' }, value: 'true' },
  ];
  const first = await startStationHarness({ stationId: 'SIM-ORPHAN-LOCK', csms, overrides });
  await first.waitFor('registration Accepted', (e) => e.type === 'registration' && e.status === 'Accepted');
  await first.run('plug 1');
  // The power failed after EVSE 1's Ended was stored and before its unlock (E06.FR.10) was: the
  // stored hardware holds the cable locked, with no transaction left to release it.
  assert.equal(await first.station.hardware.lock(1, 1), true);
  await first.run('plug 2');
  const auth = await first.run('auth ORPHAN-1 ISO14443 2');
  const transactionId = (auth.data as { transactionId: string }).transactionId;
  await first.run('charge 2');
  assert.equal(first.station.hardware.connector(2, 1).locked, true, 'the transaction locked its cable');
  const file = first.store.file;
  await first.close();

  const second = await startStationHarness({ stationId: 'SIM-ORPHAN-LOCK', csms, dbFile: file, overrides });
  open.push(second);
  const status = await second.run('status'); // queued behind the boot
  const connectors = (
    status.data as { connectors: Array<{ evseId: number; locked: boolean; transactionId: string | null }> }
  ).connectors;
  assert.deepEqual(
    connectors.map((c) => [c.evseId, c.locked, c.transactionId]),
    [
      [1, false, null],
      [2, true, transactionId],
    ],
  );
  const unplug = await second.run('unplug 1');
  assert.equal(unplug.ok, true, unplug.message);
  const refused = await second.run('unplug 2');
  assert.equal(refused.ok, false, 'the running transaction still holds its cable');
  assert.match(refused.message, /the cable is locked in the socket/);
});

test('after stop, commands are answered that the station has stopped', async () => {
  const { h } = await setup('SIM-STOP');
  await h.station.stop();
  const result = await h.run('plug 1');
  assert.deepEqual([result.ok, result.message], [false, 'the station has stopped']);
  assert.throws(() => h.station.cp, /the station is not running/);
});
