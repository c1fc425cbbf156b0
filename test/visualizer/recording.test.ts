/**
 * Recordings (the CLI's `--json` log) read back for a replay: frames and state changes, other
 * events skipped, and every malformed line named by file and line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadRecording, parseRecording, RecordingError } from '../../src/visualizer/index.js';

const LOG = [
  '{"type":"csms","state":"listening","url":"ws://127.0.0.1:9","time":"2026-01-01T00:00:00.000Z"}',
  '{"type":"station","state":"starting","stationId":"CS-REC","boot":1,"csmsUrl":"ws://127.0.0.1:9","db":":memory:","time":"2026-01-01T00:00:00.001Z"}',
  '{"type":"state","actor":"boot","machine":"boot","value":"registering","event":"connection.up","status":"active","time":"2026-01-01T00:00:00.002Z"}',
  '',
  '{"type":"ocpp","direction":"out","frame":[2,"m1","BootNotification",{"reason":"PowerUp"}],"time":"2026-01-01T00:00:00.003Z"}',
  '{"type":"ocpp","direction":"in","frame":"not json from the peer","time":"2026-01-01T00:00:00.004Z"}',
  '{"type":"state","actor":"connector:1:1","machine":"connector","value":{"status":"Occupied"},"event":"hw.plugged","time":"2026-01-01T00:00:00.005Z"}',
].join('\n');

test('a --json log: ocpp events are frames, state events state changes, the rest is skipped', () => {
  const recording = parseRecording(LOG, 'session.jsonl');
  assert.equal(recording.stationId, 'CS-REC');
  assert.deepEqual(recording.events, [
    {
      type: 'state',
      actor: 'boot',
      machine: 'boot',
      value: 'registering',
      event: 'connection.up',
      status: 'active',
      time: '2026-01-01T00:00:00.002Z',
    },
    {
      type: 'frame',
      direction: 'out',
      frame: [2, 'm1', 'BootNotification', { reason: 'PowerUp' }],
      time: '2026-01-01T00:00:00.003Z',
    },
    { type: 'frame', direction: 'in', frame: 'not json from the peer', time: '2026-01-01T00:00:00.004Z' },
    // A state event without status (written by hand) is an active actor.
    {
      type: 'state',
      actor: 'connector:1:1',
      machine: 'connector',
      value: { status: 'Occupied' },
      event: 'hw.plugged',
      status: 'active',
      time: '2026-01-01T00:00:00.005Z',
    },
  ]);
});

test('malformed lines are named by file and line', () => {
  const cases: Array<[string, RegExp]> = [
    ['{"type":"ocpp"', /^s\.jsonl:2: not JSON/],
    ['[1,2]', /^s\.jsonl:2: not a --json event/],
    [
      '{"type":"ocpp","direction":"up","frame":[]}',
      /^s\.jsonl:2: ocpp event: "direction" must be "in" or "out", not "up"/,
    ],
    ['{"type":"ocpp","direction":"in"}', /^s\.jsonl:2: ocpp event without "frame"/],
    [
      '{"type":"state","actor":"","machine":"boot","value":"x"}',
      /^s\.jsonl:2: state event: "actor" must be a non-empty string/,
    ],
    [
      '{"type":"state","actor":"boot","machine":"boot","value":3}',
      /^s\.jsonl:2: state event: "value" must be a state value/,
    ],
  ];
  for (const [line, message] of cases) {
    assert.throws(
      () => parseRecording(`{"type":"input","state":"closed"}\n${line}`, 's.jsonl'),
      (error: unknown) => {
        assert.ok(error instanceof RecordingError);
        assert.match(error.message, message);
        return true;
      },
    );
  }
  assert.throws(
    () => parseRecording('{"type":"exit","code":0}\n', 'empty.jsonl'),
    /empty\.jsonl: no "ocpp" or "state" events/,
  );
});

test('loadRecording reads a file; a missing file is named', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-recording-'));
  const file = path.join(dir, 'session.jsonl');
  await writeFile(file, LOG);
  assert.equal((await loadRecording(file)).events.length, 4);
  await assert.rejects(
    loadRecording(path.join(dir, 'missing.jsonl')),
    /missing\.jsonl: cannot read the recording \(ENOENT\)/,
  );
});

test("the page's parser reads the same log the same way", async () => {
  const page = (await import('../../visualizer/model.js' as string)) as {
    parseRecording(text: string, name: string): { stationId?: string; events: unknown[] };
    StationModel: new () => {
      add(events: unknown[]): void;
      messages: Array<{
        kind: string;
        action: string;
        transitions: Array<{ actor: string; from: unknown; to: unknown }>;
      }>;
      beforeFirstFrame: Array<{ actor: string }>;
      actorsAt(count?: number): Map<string, { value: unknown }>;
    };
  };
  const recording = page.parseRecording(LOG, 'session.jsonl');
  assert.deepEqual(recording, parseRecording(LOG, 'session.jsonl'));
  assert.throws(() => page.parseRecording('{"type":"ocpp"', 'x.jsonl'), /x\.jsonl:1: not JSON/);
  const model = new page.StationModel();
  model.add(recording.events);
  assert.deepEqual(
    model.beforeFirstFrame.map((t) => t.actor),
    ['boot'],
  );
  assert.deepEqual(
    model.messages.map((m) => [m.kind, m.action]),
    [
      ['CALL', 'BootNotification'],
      ['invalid', ''],
    ],
  );
  // The state change after the last frame is what that frame caused.
  assert.deepEqual(
    model.messages[1]?.transitions.map((t) => [t.actor, t.from, t.to]),
    [['connector:1:1', null, { status: 'Occupied' }]],
  );
  assert.deepEqual([...model.actorsAt(1).keys()], ['boot']);
  assert.equal(model.actorsAt().size, 2);
});

test('the page shows what a transition changed: the regions that moved, not the whole value', async () => {
  const { changedParts } = (await import('../../visualizer/model.js' as string)) as {
    changedParts(from: unknown, to: unknown): { from: string; to: string };
  };
  assert.deepEqual(
    changedParts(
      { facts: 'tracking', status: 'Available', report: 'idle' },
      { facts: 'tracking', status: 'Occupied', report: 'idle' },
    ),
    {
      from: 'status.Available',
      to: 'status.Occupied',
    },
  );
  assert.deepEqual(changedParts('registering', { accepted: 'idle' }), {
    from: 'registering',
    to: 'accepted.idle',
  });
  assert.deepEqual(changedParts(null, { session: { evConnection: 'off' } }), {
    from: '∅',
    to: 'session.evConnection.off',
  });
  // Same value (the actor stopped): the whole value on both sides.
  assert.deepEqual(changedParts({ a: 'b' }, { a: 'b' }), { from: 'a.b', to: 'a.b' });
});
