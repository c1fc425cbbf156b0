import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCliOutput, humanLine, type CliEventBody } from '../../src/cli/cli-events.js';

const TIME = '2026-03-29T00:30:05.123Z';

function capture(json: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = createCliOutput({
    json,
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    now: () => TIME,
  });
  return { sink, out, err };
}

const SAMPLES: CliEventBody[] = [
  {
    type: 'station',
    state: 'starting',
    stationId: 'CS-1',
    boot: 1,
    csmsUrl: 'ws://127.0.0.1:1/ocpp',
    db: '/tmp/a.db',
  },
  { type: 'csms', state: 'listening', url: 'ws://127.0.0.1:1/ocpp' },
  { type: 'ocpp', direction: 'out', frame: [2, 'id-1', 'Heartbeat', {}] },
  { type: 'connection', connected: true, slot: 1 },
  { type: 'registration', status: 'Accepted', interval: 300, currentTime: TIME },
  { type: 'connector', evseId: 1, connectorId: 1, status: 'Occupied' },
  {
    type: 'command',
    line: 'plug 1',
    command: 'plug',
    ok: true,
    message: 'EVSE 1 connector 1: cable plugged in',
    data: { plugged: true },
  },
  { type: 'reset', resetType: 'Immediate' },
  { type: 'input', state: 'closed' },
  { type: 'error', message: 'bad thing', fatal: false },
  { type: 'exit', code: 0, reason: 'quit' },
];

test('--json: each event is one JSON line on stdout with its type and an ISO time; stderr stays quiet', () => {
  const { sink, out, err } = capture(true);
  for (const event of SAMPLES) sink.emit(event);
  assert.equal(out.length, SAMPLES.length);
  out.forEach((line, i) => {
    assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'), 'one line');
    assert.deepEqual(JSON.parse(line), { ...SAMPLES[i], time: TIME });
  });
  assert.deepEqual(err, []);
});

test('--json: a fatal error also goes to stderr for the person at the terminal', () => {
  const { sink, out, err } = capture(true);
  sink.emit({ type: 'error', message: "Unknown variable 'TxCtrlr.Nope'", fatal: true });
  assert.equal(JSON.parse(out[0] ?? '').fatal, true);
  assert.deepEqual(err, ["ocpp-station: Unknown variable 'TxCtrlr.Nope'\n"]);
});

test('human output: events on stdout, errors and refused commands on stderr', () => {
  const { sink, out, err } = capture(false);
  for (const event of SAMPLES) sink.emit(event);
  sink.emit({ type: 'command', line: 'plug 9', command: 'plug', ok: false, message: 'no EVSE 9' });
  assert.deepEqual(err, ['00:30:05 error: bad thing\n', 'plug: no EVSE 9\n']);
  assert.equal(out.length, SAMPLES.length - 1);
  assert.ok(out.includes('00:30:05 EVSE 1 connector 1: Occupied\n'));
  assert.ok(out.includes('00:30:05 >> [2,"id-1","Heartbeat",{}]\n'));
  assert.ok(out.includes('EVSE 1 connector 1: cable plugged in\n'));
});

test('every event type has a human line', () => {
  for (const event of SAMPLES) {
    const text = humanLine({ ...event, time: TIME });
    assert.ok(text !== undefined && text.length > 0, event.type);
  }
  assert.equal(
    humanLine({ type: 'connection', connected: false, slot: 1, time: TIME }),
    '00:30:05 disconnected from the CSMS',
  );
  assert.equal(
    humanLine({ type: 'reset', resetType: 'OnIdle', evseId: 2, time: TIME }),
    '00:30:05 CSMS requested a OnIdle reset of EVSE 2',
  );
});
