/**
 * End to end: the CLI as a child process against an ocpp-rpc strict-mode CSMS on 127.0.0.1, with a
 * real SQLite file, console commands through a stdin pipe and `--json` events on stdout.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { killAll, is, REPO_ROOT, spawnCli, WAIT_MS, type CliProcess } from './helpers/cli-process.js';
import {
  startTestCsms,
  type ReceivedCall,
  type TestCsms,
  type TestCsmsOptions,
} from '../../src/testing/index.js';

const processes: CliProcess[] = [];
const servers: TestCsms[] = [];
after(async () => {
  await killAll(processes);
  await Promise.all(servers.map((s) => s.close()));
});

async function tempDb(): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), 'ocpp-cli-')), 'station.db');
}

/** The strict ocpp-rpc test CSMS on 127.0.0.1 port 0. */
async function csms(options: TestCsmsOptions = {}): Promise<TestCsms> {
  const server = await startTestCsms(options);
  servers.push(server);
  return server;
}

/** A call received at index `since` or later whose payload has these values. */
const received =
  (server: TestCsms, since: number, payload: Record<string, unknown> = {}) =>
  (call: ReceivedCall) =>
    server.calls.indexOf(call) >= since &&
    Object.entries(payload).every(([key, value]) => (call.payload as Record<string, unknown>)[key] === value);

const reasonOf = (call: ReceivedCall) => (call.payload as { reason?: string }).reason;

function cli(args: string[]): CliProcess {
  const p = spawnCli(['--json', ...args]);
  processes.push(p);
  return p;
}

/** Waits for a StatusNotification (received at index `since` or later) with this status. */
const statusNotification = (server: TestCsms, evseId: number, connectorStatus: string, since = 0) =>
  server.waitForCall('StatusNotification', received(server, since, { evseId, connectorStatus }), WAIT_MS);

test('boots, reports every connector, and a plugged cable makes the connector Occupied at the CSMS', async () => {
  const server = await csms();
  const station = cli(['--csms', server.url, '--id', 'CLI-E2E-1', '--db', await tempDb()]);
  const boot = await server.waitForCall('BootNotification', () => true, WAIT_MS);
  assert.equal(boot.identity, 'CLI-E2E-1');
  assert.equal(reasonOf(boot), 'PowerUp');
  await station.waitFor('registration Accepted', is.registration('Accepted'));
  await statusNotification(server, 1, 'Available');
  await statusNotification(server, 2, 'Available');

  const since = server.calls.length;
  station.send('plug 1');
  const result = await station.waitFor('plug result', is.command('plug 1'));
  assert.equal(result.type === 'command' && result.ok, true);
  await station.waitFor('connector event Occupied', is.connector(1, 1, 'Occupied'));
  await statusNotification(server, 1, 'Occupied', since);
  await station.waitFor(
    'the StatusNotification frame going out',
    is.ocpp('out', 'StatusNotification', (p) => p.connectorStatus === 'Occupied'),
  );

  // Every event has a type and an ISO time.
  for (const event of station.events) {
    assert.equal(typeof event.type, 'string');
    assert.ok(!Number.isNaN(Date.parse(event.time)), event.time);
  }
  station.send('quit');
  assert.deepEqual(await station.exited, { code: 0, signal: null });
  assert.deepEqual(
    station.events.at(-1) && {
      type: station.events.at(-1)?.type,
      code: (station.events.at(-1) as { code?: number }).code,
    },
    { type: 'exit', code: 0 },
  );
});

test('offline closes the websocket at once; commands sent while offline are all executed, in order, and reported on reconnect', async () => {
  const server = await csms();
  const station = cli(['--csms', server.url, '--id', 'CLI-E2E-2', '--db', await tempDb()]);
  // Go offline with no StatusNotification in flight: this test is about the CLI's command queue.
  const sent = await station.waitFor(
    'EVSE 2 Available sent',
    is.ocpp('out', 'StatusNotification', (p) => p.evseId === 2),
  );
  const messageId = sent.type === 'ocpp' ? (sent.frame as unknown[])[1] : undefined;
  await station.waitFor(
    'its response',
    (e) => e.type === 'ocpp' && e.direction === 'in' && (e.frame as unknown[])[1] === messageId,
  );

  station.send('offline');
  await station.waitFor('disconnected', is.connection(false));
  const burst = [
    'plug 1',
    'fault 2',
    'meter 1 1500 7400',
    'charge 1',
    'unplug 1',
    'plug 1',
    'status',
    'bogus 1',
    'plug 7',
  ];
  for (const line of burst) station.send(line);
  const results = [];
  for (const line of burst) results.push(await station.waitFor(`result of ${line}`, is.command(line)));
  const commandEvents = station.events.filter((e) => e.type === 'command' && burst.includes(e.line));
  assert.deepEqual(
    commandEvents.map((e) => (e.type === 'command' ? [e.line, e.ok] : [])),
    [
      ['plug 1', true],
      ['fault 2', true],
      ['meter 1 1500 7400', true],
      ['charge 1', true],
      ['unplug 1', true],
      ['plug 1', true],
      ['status', true],
      ['bogus 1', false],
      ['plug 7', false],
    ],
  );
  const charge = results[3];
  assert.match(
    charge?.type === 'command' ? charge.message : '',
    /the EV asks for 7400 W; energy flows once the station permits charging/,
  );
  assert.match(results[8]?.type === 'command' ? results[8].message : '', /no EVSE 7/);
  const status = results[6];
  assert.ok(status?.type === 'command');
  const data = status.data as {
    connected: boolean;
    offline: boolean;
    connectors: Array<{
      evseId: number;
      plugged: boolean;
      faulted: boolean;
      ev: string;
      energyWh: number;
      status: string;
    }>;
  };
  assert.equal(data.connected, false);
  assert.equal(data.offline, true);
  assert.deepEqual(
    data.connectors.map((c) => [c.evseId, c.status, c.plugged, c.faulted, c.ev, c.energyWh]),
    [
      [1, 'Occupied', true, false, 'connected', 1500],
      [2, 'Faulted', false, true, 'absent', 0],
    ],
  );

  const since = server.calls.length;
  station.send('online');
  await station.waitFor('reconnected', is.connection(true));
  // B04: the statuses that changed while offline reach the CSMS after the reconnect.
  await statusNotification(server, 1, 'Occupied', since);
  await statusNotification(server, 2, 'Faulted', since);
  station.send('quit');
  assert.equal((await station.exited).code, 0);
});

test('--set with an unknown variable stops the CLI with a non-zero exit naming it', async () => {
  const station = cli([
    '--id',
    'CLI-E2E-3',
    '--db',
    await tempDb(),
    '--set',
    'TxCtrlr.NoSuchVariable=1',
    '--set',
    'OCPPCommCtrlr.HeartbeatInterval=abc',
  ]);
  const { code } = await station.exited;
  assert.equal(code, 1);
  const error = station.events.find((e) => e.type === 'error');
  assert.ok(error?.type === 'error' && error.fatal);
  assert.match(error.message, /TxCtrlr\.NoSuchVariable/);
  assert.match(error.message, /unknown variable/);
  assert.match(error.message, /OCPPCommCtrlr\.HeartbeatInterval.*'abc'/);
  assert.match(station.stderr(), /TxCtrlr\.NoSuchVariable/);
});

test('a bad command line is refused with exit code 2 and a message naming the option', async () => {
  const station = cli(['--clock', 'yesterday']);
  assert.equal((await station.exited).code, 2);
  assert.match(station.stderr(), /--clock "yesterday": expected an RFC 3339 instant/);
  assert.deepEqual(station.events, []);
});

test('Reset from the CSMS reboots the station in the same process: BootNotification RemoteReset, cable still plugged', async () => {
  const server = await csms();
  const station = cli(['--csms', server.url, '--id', 'CLI-E2E-4', '--db', await tempDb()]);
  await station.waitFor('registration Accepted', is.registration('Accepted'));
  station.send('plug 2');
  await statusNotification(server, 2, 'Occupied');
  const pid = station.child.pid;

  const since = server.calls.length;
  const response = await server.call('CLI-E2E-4', 'Reset', { type: 'Immediate' });
  assert.deepEqual(response, { status: 'Accepted' });
  await station.waitFor('reset event', (e) => e.type === 'reset' && e.resetType === 'Immediate');
  await station.waitFor('second boot started', is.station('started', 2));
  const boot = await server.waitForCall('BootNotification', received(server, since), WAIT_MS);
  assert.equal(reasonOf(boot), 'RemoteReset');
  await statusNotification(server, 2, 'Occupied', since);
  assert.equal(station.child.pid, pid);
  assert.equal(station.child.exitCode, null, 'same process, still running');

  // Commands keep working on the new ChargePoint.
  station.send('unplug 2');
  await statusNotification(server, 2, 'Available', since);
  station.send('quit');
  assert.equal((await station.exited).code, 0);
});

test('SIGKILL then a restart with the same --db is a power loss: BootNotification PowerUp, the cable is still plugged', async () => {
  const server = await csms();
  const db = await tempDb();
  const first = cli(['--csms', server.url, '--id', 'CLI-E2E-5', '--db', db]);
  await first.waitFor('registration Accepted', is.registration('Accepted'));
  first.send('plug 1');
  first.send('meter 1 4321 7000');
  first.send('charge 1');
  await first.waitFor('charge result', is.command('charge 1'));
  await statusNotification(server, 1, 'Occupied');
  first.kill('SIGKILL');
  assert.equal((await first.exited).signal, 'SIGKILL');

  const since = server.calls.length;
  const second = cli(['--csms', server.url, '--id', 'CLI-E2E-5', '--db', db]);
  const boot = await server.waitForCall('BootNotification', received(server, since), WAIT_MS);
  assert.equal(reasonOf(boot), 'PowerUp');
  await second.waitFor('connector restored Occupied', is.connector(1, 1, 'Occupied'));
  await statusNotification(server, 1, 'Occupied', since);
  second.send('status');
  const status = await second.waitFor('status', is.command('status'));
  const connectors = (status.type === 'command' ? status.data : undefined) as {
    connectors: Array<{ evseId: number; plugged: boolean; ev: string; energyWh: number; powerW: number }>;
  };
  const c1 = connectors.connectors.find((c) => c.evseId === 1);
  assert.equal(c1?.plugged, true);
  assert.equal(c1?.ev, 'charging');
  assert.equal(c1?.powerW, 7000);
  assert.ok((c1?.energyWh ?? 0) >= 4321, `meter register restored (${c1?.energyWh})`);
  second.send('quit');
  assert.equal((await second.exited).code, 0);
});

test('--clock starts the station clock at that instant and the CSMS time does not move it; --password is sent as Basic auth', async () => {
  const password = 'S3cret-Passw0rd-1234';
  // The CSMS refuses the upgrade (HTTP 401) unless the station sends exactly this password.
  const server = await csms({ passwords: { 'CLI-E2E-6': password } });
  const station = cli([
    '--csms',
    server.url,
    '--id',
    'CLI-E2E-6',
    '--db',
    await tempDb(),
    '--clock',
    '2031-06-01T08:00:00Z',
    '--password',
    password,
  ]);
  await station.waitFor('registration Accepted', is.registration('Accepted'));
  const notification = await server.waitForCall('StatusNotification', () => true, WAIT_MS);
  const timestamp = (notification.payload as { timestamp: string }).timestamp;
  const stamp = Date.parse(timestamp);
  // Sent after the CSMS answered BootNotification with today's time: still the simulated 2031.
  assert.ok(
    stamp >= Date.parse('2031-06-01T08:00:00Z') && stamp < Date.parse('2031-06-02T00:00:00Z'),
    timestamp,
  );
  station.send('quit');
  assert.equal((await station.exited).code, 0);
});

test('after stdin closes the station keeps running until a signal', async () => {
  const server = await csms();
  const station = cli(['--csms', server.url, '--id', 'CLI-E2E-7', '--db', await tempDb()]);
  await station.waitFor('registration Accepted', is.registration('Accepted'));
  station.send('plug 1');
  station.endInput();
  await station.waitFor('input closed', (e) => e.type === 'input' && e.state === 'closed');
  await station.waitFor('plug result', is.command('plug 1'));
  // Still serving the CSMS after its input ended.
  assert.deepEqual(await server.call('CLI-E2E-7', 'Reset', { type: 'Immediate' }), { status: 'Accepted' });
  await station.waitFor('rebooted', is.station('started', 2));
  station.kill('SIGTERM');
  assert.equal((await station.exited).code, 0);
  const exit = station.events.at(-1);
  assert.deepEqual(exit?.type === 'exit' ? [exit.code, exit.reason] : exit, [0, 'SIGTERM']);
});

test('`npm start` with no options boots against the embedded CSMS; the database goes where npm was started', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-cli-npm-'));
  const station = spawnCli([], { command: ['npm', '--prefix', REPO_ROOT, 'start'], cwd: dir });
  processes.push(station);
  await station.waitForLine(/embedded CSMS listening on ws:\/\/127\.0\.0\.1:\d+$/);
  await station.waitForLine(/<< \[3,"[^"]+",\{.*"status":"Accepted"/);
  await station.waitForLine(/registration Accepted/);
  station.send('quit');
  assert.equal((await station.exited).code, 0);
  await access(path.join(dir, 'ocpp-station.db'));
});
