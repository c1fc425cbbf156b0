/**
 * The adapter from a ChargePoint's public event stream to visualizer events, fed with events shaped
 * as the stream sends them (a running station's stream is covered by visualizer-server.test.ts and
 * the page test; how `state` events are derived, by test/events/state-events.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StationEvent } from '../../src/index.js';
import { createChargePointSource, type VisualizerEvent } from '../../src/visualizer/index.js';

const TIME = '2026-01-01T00:00:00.000Z';

function collect() {
  const source = createChargePointSource();
  const events: VisualizerEvent[] = [];
  source.subscribe((e) => events.push(e));
  return { source, events };
}

const frame = (text: unknown, direction: 'in' | 'out'): StationEvent => ({
  type: 'frame',
  time: TIME,
  direction,
  frame: text,
  messageType: Array.isArray(text) ? 'CALL' : 'INVALID',
});

test('frames: the OCPP-J arrays with their direction and time; text that is not JSON is kept as text', () => {
  const { source, events } = collect();
  source.stationEvent(frame([2, 'm1', 'Heartbeat', {}], 'out'));
  source.stationEvent(frame('{not json', 'in'));
  assert.deepEqual(events, [
    { type: 'frame', direction: 'out', frame: [2, 'm1', 'Heartbeat', {}], time: TIME },
    { type: 'frame', direction: 'in', frame: '{not json', time: TIME },
  ]);
});

test('states of the production machines only; the other events of the stream are not shown', () => {
  const { source, events } = collect();
  const state = (actor: string, machine: string): StationEvent => ({
    type: 'state',
    time: TIME,
    actor,
    machine,
    value: { status: 'Occupied' },
    event: 'hw.plugged',
    status: 'active',
  });
  source.stationEvent(state('connector:1:1', 'connector'));
  // An actor of a machine the page has no chart of.
  source.stationEvent(state('upload', 'logUpload'));
  source.stationEvent({ type: 'connection', time: TIME, status: 'connected', slot: 1, url: undefined });
  assert.deepEqual(events, [
    {
      type: 'state',
      actor: 'connector:1:1',
      machine: 'connector',
      value: { status: 'Occupied' },
      event: 'hw.plugged',
      status: 'active',
      time: TIME,
    },
  ]);
});

test('a listener that throws is cut off and reported; the others and the station go on', () => {
  const failures: unknown[] = [];
  const source = createChargePointSource({ onListenerError: (e) => failures.push(e) });
  let calls = 0;
  source.subscribe(() => {
    throw new Error('observer bug');
  });
  source.subscribe(() => (calls += 1));
  source.stationEvent(frame([2, 'm1', 'Heartbeat', {}], 'out'));
  source.stationEvent(frame([3, 'm1', {}], 'in'));
  assert.equal(calls, 2);
  assert.equal(failures.length, 1);
  assert.match(String(failures[0]), /observer bug/);
});
