/**
 * FrameEvents (src/events/frame-events.ts): frames parsed leniently, answers matched with their CALL
 * for the action and the latency, only in the opposite direction.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameEvents } from '../../src/events/frame-events.js';
import type { StationEventBody } from '../../src/events/station-event.js';

function setup() {
  const emitted: StationEventBody[] = [];
  let now = 1000;
  const frames = new FrameEvents({ emit: (e) => emitted.push(e) }, () => now);
  return { emitted, frames, advance: (ms: number) => (now += ms) };
}

test('a CALL and its CALLRESULT: the answer names the action and its latency', () => {
  const { emitted, frames, advance } = setup();
  frames.frame('[2,"a1","Heartbeat",{}]', 'out');
  advance(12.5);
  frames.frame('[3,"a1",{"currentTime":"2026-01-01T00:00:00Z"}]', 'in');
  assert.deepEqual(emitted, [
    {
      type: 'frame',
      direction: 'out',
      frame: [2, 'a1', 'Heartbeat', {}],
      messageType: 'CALL',
      messageId: 'a1',
      action: 'Heartbeat',
    },
    {
      type: 'frame',
      direction: 'in',
      frame: [3, 'a1', { currentTime: '2026-01-01T00:00:00Z' }],
      messageType: 'CALLRESULT',
      messageId: 'a1',
      action: 'Heartbeat',
      latencyMs: 12.5,
    },
  ]);
});

test('a CALLERROR answering a CSMS CALL; an answer in the same direction, or to nothing, has no latency', () => {
  const { emitted, frames, advance } = setup();
  frames.frame('[2,"c1","Reset",{"type":"Immediate"}]', 'in');
  advance(3);
  frames.frame('[3,"c1",{}]', 'in'); // not its answer: the same direction
  frames.frame('[4,"c1","NotSupported","no",{}]', 'out');
  frames.frame('[3,"c1",{}]', 'in'); // answered already: unknown
  const [, same, error, late] = emitted as Array<Record<string, unknown>>;
  assert.equal(same!['latencyMs'], undefined);
  assert.deepEqual(
    {
      action: error!['action'],
      latencyMs: error!['latencyMs'],
      errorCode: error!['errorCode'],
      messageType: error!['messageType'],
    },
    { action: 'Reset', latencyMs: 3, errorCode: 'NotSupported', messageType: 'CALLERROR' },
  );
  assert.equal(late!['latencyMs'], undefined);
  assert.equal(late!['action'], undefined);
});

test('texts that are no frames are INVALID, with what could be read', () => {
  const { emitted, frames } = setup();
  frames.frame('not json', 'in');
  frames.frame('{"a":1}', 'in');
  frames.frame('[9,"x1"]', 'in');
  assert.deepEqual(
    emitted.map((e) => [
      (e as { messageType: string }).messageType,
      (e as { frame: unknown }).frame,
      (e as { messageId?: string }).messageId,
    ]),
    [
      ['INVALID', 'not json', undefined],
      ['INVALID', { a: 1 }, undefined],
      ['INVALID', [9, 'x1'], 'x1'],
    ],
  );
});

test('nobody listening: nothing is parsed or emitted', () => {
  const emitted: StationEventBody[] = [];
  const frames = new FrameEvents({ emit: (e) => emitted.push(e), active: false });
  frames.frame('[2,"a1","Heartbeat",{}]', 'out');
  assert.deepEqual(emitted, []);
});

test('C04.FR.04: a KeyCode idToken is shown redacted, in a frame and in a text that is no frame', () => {
  const { emitted, frames } = setup();
  frames.frame('[2,"k1","Authorize",{"idToken":{"idToken":"1234","type":"KeyCode"}}]', 'out');
  frames.frame('[2,"k2","Authorize",{"idToken":{"idToken":"1234","type":"KeyCode"}', 'out');
  assert.deepEqual((emitted[0] as { frame: unknown }).frame, [
    2,
    'k1',
    'Authorize',
    { idToken: { idToken: '<redacted>', type: 'KeyCode' } },
  ]);
  assert.doesNotMatch(String((emitted[1] as { frame: unknown }).frame), /1234/);
});

test('issue 10: the password of a location (UpdateFirmware, GetLog) is masked in frame events, valid or not; nothing else changes', () => {
  const { emitted, frames } = setup();
  frames.frame('[2,"f1","UpdateFirmware",{"requestId":1,"firmware":{"location":"ftp://fw:S3CRET@files.example/fw.bin","retrieveDateTime":"2026-01-01T00:00:00Z"}}]', 'in');
  frames.frame('[2,"f2","GetLog",{"log":{"remoteLocation":"ftps://u:S3CRET@h/"}', 'in');
  assert.deepEqual(emitted[0]?.type === 'frame' ? emitted[0].frame : null, [
    2,
    'f1',
    'UpdateFirmware',
    { requestId: 1, firmware: { location: 'ftp://fw:***@files.example/fw.bin', retrieveDateTime: '2026-01-01T00:00:00Z' } },
  ]);
  assert.equal(emitted[1]?.type === 'frame' ? emitted[1].messageType : null, 'INVALID');
  assert.ok(!JSON.stringify(emitted).includes('S3CRET'));
});
