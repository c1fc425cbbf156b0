import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  CliUsageError,
  DEFAULT_DB_FILE,
  DEFAULT_INSPECT_URL,
  DEFAULT_STATION_ID,
  parseCliOptions,
  USAGE,
} from '../../src/cli/cli-options.js';

const BASE = path.resolve('/work/somewhere');

function run(argv: string[]) {
  const parsed = parseCliOptions(argv, BASE);
  assert.equal(parsed.kind, 'run');
  return parsed.kind === 'run' ? parsed.options : assert.fail();
}

function refused(argv: string[], pattern: RegExp) {
  assert.throws(
    () => parseCliOptions(argv, BASE),
    (e: unknown) => e instanceof CliUsageError && pattern.test(e.message),
    argv.join(' '),
  );
}

test('no options: embedded CSMS, default identity, database file in the start directory', () => {
  assert.deepEqual(run([]), {
    csmsUrl: undefined,
    stationId: DEFAULT_STATION_ID,
    count: 1,
    rate: undefined,
    dbPath: path.join(BASE, DEFAULT_DB_FILE),
    password: undefined,
    json: false,
    sets: [],
    clockStart: undefined,
    signingMeter: false,
    masterPassUi: false,
    inspectUrl: undefined,
  });
});

test('every option, in both --opt value and --opt=value forms', () => {
  const options = run([
    '--csms',
    'wss://csms.example.com/ocpp',
    '--id=CS_7.a|b@c',
    '--db',
    'data/station.db',
    '--password',
    'DEADBEEFDEADBEEF1',
    '--json',
    '--set',
    'TxCtrlr.TxStartPoint=Authorized',
    '--set=OCPPCommCtrlr.MessageAttempts[TransactionEvent]=3',
    '--set',
    'EVSE@1.Power:MaxSet=22000',
    '--set',
    'InternalCtrlr.ResumeTransactionsOnBoot=true',
    '--clock',
    '2026-03-29T00:30:00+01:00',
    '--signing-meter',
    '--master-pass-ui',
    '--inspect=ws://127.0.0.1:8181',
  ]);
  assert.deepEqual(options, {
    csmsUrl: 'wss://csms.example.com/ocpp',
    stationId: 'CS_7.a|b@c',
    count: 1,
    rate: undefined,
    dbPath: path.join(BASE, 'data/station.db'),
    password: 'DEADBEEFDEADBEEF1',
    json: true,
    sets: [
      {
        arg: 'TxCtrlr.TxStartPoint=Authorized',
        ref: { component: 'TxCtrlr', variable: 'TxStartPoint' },
        value: 'Authorized',
      },
      {
        arg: 'OCPPCommCtrlr.MessageAttempts[TransactionEvent]=3',
        ref: {
          component: 'OCPPCommCtrlr',
          variable: 'MessageAttempts',
          variableInstance: 'TransactionEvent',
        },
        value: '3',
      },
      {
        arg: 'EVSE@1.Power:MaxSet=22000',
        ref: { component: 'EVSE', evseId: 1, variable: 'Power', attribute: 'MaxSet' },
        value: '22000',
      },
      {
        arg: 'InternalCtrlr.ResumeTransactionsOnBoot=true',
        ref: { component: 'InternalCtrlr', variable: 'ResumeTransactionsOnBoot' },
        value: 'true',
      },
    ],
    clockStart: '2026-03-29T00:30:00+01:00',
    signingMeter: true,
    masterPassUi: true,
    inspectUrl: 'ws://127.0.0.1:8181',
  });
});

test('--inspect [url]: without a URL (last, or before another option) the default ws://localhost:8080', () => {
  assert.equal(run(['--inspect']).inspectUrl, DEFAULT_INSPECT_URL);
  assert.equal(DEFAULT_INSPECT_URL, 'ws://localhost:8080');
  const followed = run(['--inspect', '--json']);
  assert.equal(followed.inspectUrl, DEFAULT_INSPECT_URL);
  assert.equal(followed.json, true);
  assert.equal(
    run(['--inspect', 'wss://inspector.example.com:9999/x']).inspectUrl,
    'wss://inspector.example.com:9999/x',
  );
  refused(
    ['--inspect', 'http://localhost:8080'],
    /^--inspect "http:\/\/localhost:8080": expected the inspector's websocket URL/,
  );
  refused(['--inspect', 'localhost'], /^--inspect "localhost": expected/);
});

test('--set: the value is everything after the first =, may be empty, and connector paths work', () => {
  const [first, second] = run([
    '--set',
    'InternalCtrlr.NetworkConnectionProfiles=[{"a":"b=c"}]',
    '--set',
    'Connector@2/1.Enabled=',
  ]).sets;
  assert.equal(first?.value, '[{"a":"b=c"}]');
  assert.deepEqual(second?.ref, { component: 'Connector', evseId: 2, connectorId: 1, variable: 'Enabled' });
  assert.equal(second?.value, '');
});

test('an absolute --db is kept and :memory: is passed through', () => {
  assert.equal(run(['--db', '/var/lib/ocpp/a.db']).dbPath, '/var/lib/ocpp/a.db');
  assert.equal(run(['--db', ':memory:']).dbPath, ':memory:');
});

test('--help and -h win over everything else', () => {
  assert.deepEqual(parseCliOptions(['--help']), { kind: 'help' });
  assert.deepEqual(parseCliOptions(['--json', '-h']), { kind: 'help' });
  for (const option of ['--csms', '--id', '--db', '--password', '--set', '--clock', '--json', '--help'])
    assert.ok(USAGE.includes(option), option);
});

test('bad command lines are refused with a message naming the option', () => {
  refused(['--port', '9000'], /Unknown option '--port'/);
  refused(['-x'], /Unknown option '-x'/);
  refused(['station.db'], /Unexpected argument 'station.db'/);
  refused(['--id'], /Option '--id <value>' argument missing/);
  refused(['--json=yes'], /--json/);
  refused(
    ['--csms', 'http://csms.example.com'],
    /--csms "http:\/\/csms.example.com": the scheme must be ws:\/\/ or wss:\/\/, not http:\/\//,
  );
  refused(['--csms', 'not a url'], /--csms "not a url": not a URL/);
  refused(['--csms', 'ws://h/ocpp#x'], /--csms "ws:\/\/h\/ocpp#x": a CSMS URL has no #fragment/);
  refused(['--id', 'a:b'], /--id "a:b": a station identity is 1-48 characters/);
  refused(['--id', 'x'.repeat(49)], /--id "x{49}": a station identity/);
  refused(['--id', 'CS 1'], /--id "CS 1"/);
  refused(['--db', ' '], /--db: the database path is empty/);
  refused(['--password', ''], /--password: the password is empty/);
  refused(['--set', 'TxCtrlr.TxStartPoint'], /--set TxCtrlr.TxStartPoint: .*missing '=value'/);
  refused(['--set', 'TxCtrlr=1'], /--set TxCtrlr=1: .*'\.Variable'/);
  refused(['--set', 'EVSE@0.Power=1'], /--set EVSE@0.Power=1: .*EVSE id/);
  refused(['--set', 'EVSE@1.Power:Minimum=1'], /--set EVSE@1.Power:Minimum=1: .*unknown attribute 'Minimum'/);
  refused(['--clock', '2026-03-29'], /--clock "2026-03-29": expected an RFC 3339 instant/);
  refused(['--clock', '2026-03-29T00:30:00'], /--clock "2026-03-29T00:30:00": expected an RFC 3339 instant/);
  refused(['--clock', '2026-02-30T00:00:00Z'], /--clock "2026-02-30T00:00:00Z"/);
  refused(['--clock', 'tomorrow'], /--clock "tomorrow"/);
});
