/**
 * N07/N08 events over the wire against the strict test CSMS: offline queueing by
 * OfflineQueuingSeverity, monitors and their state across a restart, periodic and clock-aligned
 * monitors on a simulated clock (persisted deadlines).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStationClock } from '../../src/clock.js';
import { waitFor } from '../../src/testing/wait-for.js';
import { registered } from './csms-helpers.js';
import {
  HARD_WIRED_ID,
  SimulatedTimers,
  TEMPERATURE,
  eventsSoFar,
  monitorData,
  nextEvent,
  setMonitoring,
} from './monitoring-helpers.js';
import { startHarness } from './station-harness.js';

test('N07.FR.04: offline, events up to OfflineQueuingSeverity are queued and delivered, the others dropped', async (t) => {
  const link = new EventTarget();
  const h = await startHarness({
    set: ['MonitoringCtrlr.OfflineQueuingSeverity=3'],
    station: { callbacks: { connectionStateChangedCallback: () => link.dispatchEvent(new Event('change')) } },
  });
  t.after(() => h.close());
  await registered(h);
  const [custom] = await setMonitoring(h, monitorData('UpperThreshold', 40, 5));
  const before = eventsSoFar(h).length;

  h.station.disconnectWebsocket();
  await waitFor(link, () => (h.station.isConnected ? undefined : true), 'the station to go offline', 20_000);
  await h.station.setVariableFromHost(TEMPERATURE, '70'); // hard-wired (severity 2) and custom (5) fire
  h.station.connectWebsocket();

  const delivered = await nextEvent(h);
  assert.deepEqual(
    [delivered.variableMonitoringId, delivered.cleared, delivered.actualValue],
    [HARD_WIRED_ID, false, '70'],
  );
  // Online again: both clear and both are reported (severity 5 is sent when online).
  await h.station.setVariableFromHost(TEMPERATURE, '20');
  await nextEvent(h, (e) => e.variableMonitoringId === custom?.id);
  const since = eventsSoFar(h).slice(before);
  assert.deepEqual(
    since.filter((e) => e.variableMonitoringId === custom?.id).map((e) => e.cleared),
    [true],
    'the custom monitor alerting offline was dropped',
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('N04 remark, N07.FR.13/14: monitors, their ids and an exceeded threshold survive a restart', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  const [custom] = await setMonitoring(h, monitorData('UpperThreshold', 40, 5));
  await h.station.setVariableFromHost(TEMPERATURE, '45');
  await nextEvent(h, (e) => e.variableMonitoringId === custom?.id && e.cleared === false);

  const station = await h.restart();
  await registered(h);
  assert.deepEqual(
    station.monitors().map((m) => [m.id, m.kind, m.type, m.value, m.severity]),
    [
      [HARD_WIRED_ID, 'HardWiredMonitor', 'UpperThreshold', 60, 2],
      [2, 'PreconfiguredMonitor', 'Delta', 1, 4],
      [custom?.id, 'CustomMonitor', 'UpperThreshold', 40, 5],
    ],
  );
  // Still exceeded after the reboot: returning within the threshold clears it.
  await station.setVariableFromHost(TEMPERATURE, '30');
  // (A durable event answered just before the stop may come once more: at least once, same eventId.)
  const cleared = await nextEvent(h, (e) => e.variableMonitoringId === custom?.id && e.cleared === true);
  assert.equal(cleared.actualValue, '30');
  // The restart did not alert again (the state 'exceeded' was restored, not re-learnt).
  const alerts = eventsSoFar(h).filter((e) => e.variableMonitoringId === custom?.id && e.cleared === false);
  assert.equal(new Set(alerts.map((e) => e.eventId)).size, 1);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('N08.FR.05-07: Periodic and PeriodicClockAligned report on a simulated clock, also after a restart', async (t) => {
  const timers = new SimulatedTimers(Date.parse('2026-01-01T10:00:05.000Z'));
  const clock = createStationClock(undefined, () => timers.nowMs);
  const h = await startHarness({
    // The CSMS's time must not move the simulated clock.
    set: ['ClockCtrlr.TimeSource=RealTimeClock'],
    station: { clock, timers },
  });
  t.after(() => h.close());
  await registered(h);
  const [periodic, aligned] = await setMonitoring(
    h,
    monitorData('Periodic', 60, 5),
    monitorData('PeriodicClockAligned', 900, 6),
  );
  assert.deepEqual([periodic?.status, aligned?.status], ['Accepted', 'Accepted']);

  await timers.advance(60_000);
  const first = await nextEvent(h, (e) => e.variableMonitoringId === periodic?.id);
  assert.deepEqual(
    [first.trigger, first.actualValue, first.timestamp],
    ['Periodic', '25', '2026-01-01T10:01:05.000Z'],
  );
  assert.equal(first.cleared, undefined);

  // N08.FR.07: at the quarter hour, not 900 s after it was set.
  await timers.advance(Date.parse('2026-01-01T10:15:00.000Z') - timers.nowMs);
  const quarter = await nextEvent(h, (e) => e.variableMonitoringId === aligned?.id);
  assert.deepEqual([quarter.trigger, quarter.timestamp], ['Periodic', '2026-01-01T10:15:00.000Z']);

  // The deadline is stored: after a restart the next period still comes.
  await h.restart();
  await registered(h);
  const last = eventsSoFar(h)
    .filter((e) => e.variableMonitoringId === periodic?.id)
    .at(-1);
  await timers.advance(60_000);
  const after = await nextEvent(
    h,
    (e) =>
      e.variableMonitoringId === periodic?.id &&
      e.eventId !== last?.eventId &&
      Date.parse(e.timestamp) > Date.parse('2026-01-01T10:15:00.000Z'),
  );
  assert.equal(after.trigger, 'Periodic');
  assert.deepEqual(h.csms.validationFailures, []);
});

test('N08.FR.03 (TC_N_22_CS, TC_N_23_CS for periodic events): offline on a simulated clock, periodic events up to OfflineQueuingSeverity are queued, the others dropped', async (t) => {
  const timers = new SimulatedTimers(Date.parse('2026-01-01T10:00:05.000Z'));
  const clock = createStationClock(undefined, () => timers.nowMs);
  const link = new EventTarget();
  const h = await startHarness({
    set: ['ClockCtrlr.TimeSource=RealTimeClock', 'MonitoringCtrlr.OfflineQueuingSeverity=3'],
    station: { clock, timers, callbacks: { connectionStateChangedCallback: () => link.dispatchEvent(new Event('change')) } },
  });
  t.after(() => h.close());
  await registered(h);
  const [low, high] = await setMonitoring(h, monitorData('Periodic', 60, 3), monitorData('Periodic', 60, 7));
  assert.deepEqual([low?.status, high?.status], ['Accepted', 'Accepted']);

  h.station.disconnectWebsocket();
  await waitFor(link, () => (h.station.isConnected ? undefined : true), 'the station to go offline', 20_000);
  await timers.advance(60_000); // both report while offline
  h.station.connectWebsocket();
  const queued = await nextEvent(h, (e) => e.variableMonitoringId === low?.id);
  assert.deepEqual([queued.trigger, queued.timestamp], ['Periodic', '2026-01-01T10:01:05.000Z']);
  // Online again, the next period reports both: severity 7 was dropped offline, not late.
  await timers.advance(60_000);
  await nextEvent(h, (e) => e.variableMonitoringId === high?.id);
  await nextEvent(h, (e) => e.variableMonitoringId === low?.id && e.timestamp === '2026-01-01T10:02:05.000Z');
  assert.deepEqual(
    eventsSoFar(h)
      .filter((e) => e.variableMonitoringId === high?.id)
      .map((e) => e.timestamp),
    ['2026-01-01T10:02:05.000Z'],
    'the severity-7 event of the offline period was dropped',
  );
  assert.deepEqual(h.csms.validationFailures, []);
});
