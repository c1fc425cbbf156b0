/**
 * The CLI's monitoring commands end to end (child process, strict test CSMS, SQLite file):
 * `dm set` changes a value as the hardware (the hard-wired monitor reports it), `monitor list`
 * prints one `monitor` event per installed monitor, `monitor trigger` fires one.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CliEvent } from '../../src/cli/cli-events.js';
import type { NotifyEventRequest } from '../../src/generated/ocpp-types.js';
import { startTestCsms, type TestCsms } from '../../src/testing/index.js';
import { is, killAll, spawnCli, WAIT_MS, type CliProcess } from './helpers/cli-process.js';

const processes: CliProcess[] = [];
const servers: TestCsms[] = [];
after(async () => {
  await killAll(processes);
  await Promise.all(servers.map((s) => s.close()));
});

const event = (call: { payload: unknown }) => (call.payload as NotifyEventRequest).eventData[0];

test('dm set, monitor list and monitor trigger (N02-N08 from the console)', async () => {
  const csms = await startTestCsms();
  servers.push(csms);
  const db = path.join(await mkdtemp(path.join(tmpdir(), 'ocpp-cli-mon-')), 'station.db');
  const station = spawnCli(['--json', '--csms', csms.url, '--id', 'CLI-MON', '--db', db]);
  processes.push(station);
  await station.waitFor('registration', is.registration('Accepted'));

  // The example configuration's monitors, then the usual command event.
  let since = station.mark();
  station.send('monitor list');
  const listed = await station.waitFor('monitor list', is.command('monitor list'), since);
  const monitors = station.events
    .slice(since)
    .filter((e): e is Extract<CliEvent, { type: 'monitor' }> => e.type === 'monitor');
  assert.equal(station.events.indexOf(listed), station.events.indexOf(monitors.at(-1)!) + 1);
  assert.deepEqual(
    monitors.map(({ time: _t, stationId: _s, ...m }) => m),
    [
      {
        type: 'monitor',
        id: 1,
        kind: 'HardWiredMonitor',
        component: { name: 'ChargingStation' },
        variable: { name: 'Temperature' },
        monitorType: 'UpperThreshold',
        severity: 2,
        value: 60,
        transaction: false,
      },
      {
        type: 'monitor',
        id: 2,
        kind: 'PreconfiguredMonitor',
        component: { name: 'ChargingStation' },
        variable: { name: 'Problem' },
        monitorType: 'Delta',
        severity: 4,
        value: 1,
        transaction: false,
      },
    ],
  );

  // The hardware heats up: the hard-wired monitor alerts; the CSMS was not the writer.
  since = station.mark();
  station.send('dm set ChargingStation.Temperature=72.5');
  const set = await station.waitFor('dm set', is.command('dm set ChargingStation.Temperature=72.5'), since);
  assert.equal(set.type === 'command' && set.ok, true);
  const alert = event(await csms.waitForCall('NotifyEvent', () => true, WAIT_MS));
  assert.deepEqual(
    [
      alert.variableMonitoringId,
      alert.eventNotificationType,
      alert.trigger,
      alert.cleared,
      alert.actualValue,
    ],
    [1, 'HardWiredMonitor', 'Alerting', false, '72.5'],
  );

  // A replaced preconfigured monitor lists as CustomMonitor.
  await csms.call('CLI-MON', 'SetVariableMonitoring', {
    setMonitoringData: [
      {
        id: 2,
        type: 'Delta',
        value: 1,
        severity: 6,
        component: { name: 'ChargingStation' },
        variable: { name: 'Problem' },
      },
    ],
  });
  since = station.mark();
  station.send('monitor list');
  await station.waitFor('monitor list', is.command('monitor list'), since);
  assert.deepEqual(
    station.events.slice(since).flatMap((e) => (e.type === 'monitor' ? [[e.id, e.kind, e.severity]] : [])),
    [
      [1, 'HardWiredMonitor', 2],
      [2, 'CustomMonitor', 6],
    ],
  );

  since = station.mark();
  station.send('monitor trigger 1');
  const fired = await station.waitFor('trigger', is.command('monitor trigger 1'), since);
  assert.ok(fired.type === 'command' && fired.ok, JSON.stringify(fired));
  const triggered = event(await csms.waitForCall('NotifyEvent', () => true, WAIT_MS));
  assert.deepEqual(
    [triggered.variableMonitoringId, triggered.trigger, triggered.actualValue],
    [1, 'Alerting', '72.5'],
  );

  // Errors are precise command events, not crashes.
  for (const [line, pattern] of [
    ['monitor trigger 99', /no installed monitor has id 99/],
    ['dm set ChargingStation.Temperature=hot', /not set: Rejected/],
    ['dm set NoSuch.Thing=1', /not set: UnknownComponent/],
    ['dm set ChargingStation.Temperature', /missing '=value'/],
    ['monitor', /expected 'list' or 'trigger <monitorId>'/],
  ] as const) {
    since = station.mark();
    station.send(line);
    const answer = await station.waitFor(line, is.command(line), since);
    assert.ok(
      answer.type === 'command' && !answer.ok && pattern.test(answer.message),
      JSON.stringify(answer),
    );
  }
  assert.deepEqual(csms.validationFailures, []);
  station.send('quit');
  assert.equal((await station.exited).code, 0);
});
