import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDroppable, messagesToDrop, type BoundCandidate } from '../../src/queue/queue-bound.js';

const tx = (eventType: string, triggerReason: string, inFlight = false): BoundCandidate => ({
  action: 'TransactionEvent',
  payload: { eventType, triggerReason },
  durable: true,
  inFlight,
});
const periodic = (inFlight = false) => tx('Updated', 'MeterValuePeriodic', inFlight);
const security: BoundCandidate = { action: 'SecurityEventNotification', payload: {}, durable: true, inFlight: false };

test('J02.FR.12: only meter-data Updated events may be dropped, never one in flight', () => {
  assert.equal(isDroppable(periodic()), true);
  assert.equal(isDroppable(tx('Updated', 'MeterValueClock')), true);
  assert.equal(isDroppable(periodic(true)), false, 'in flight');
  for (const [eventType, trigger] of [
    ['Started', 'Authorized'],
    ['Ended', 'StopAuthorized'],
    ['Updated', 'ChargingStateChanged'],
    ['Updated', 'Authorized'],
    ['Started', 'MeterValuePeriodic'],
  ] as const) {
    assert.equal(isDroppable(tx(eventType, trigger)), false, `${eventType} ${trigger}`);
  }
  assert.equal(isDroppable(security), false);
});

test('J02.FR.13: past the threshold every other candidate goes, the 1st first, the newest stays', () => {
  const queue = [
    tx('Started', 'Authorized'),
    periodic(),
    periodic(),
    tx('Updated', 'ChargingStateChanged'),
    periodic(),
    periodic(),
    periodic(),
  ];
  assert.deepEqual(messagesToDrop(queue, 7), [], 'at the threshold nothing is dropped');
  assert.deepEqual(messagesToDrop(queue, undefined), [], 'no threshold: unbounded');
  // Candidates at 1, 2, 4, 5, 6: the 1st, 3rd (and not the 5th: the newest) go.
  assert.deepEqual(messagesToDrop(queue, 6), [1, 4]);
  assert.deepEqual(messagesToDrop([...queue, security], 6), [1, 4], 'the newest candidate stays even when not last in the queue');
});

test('the bound counts durable messages only and never drops when no candidate is left', () => {
  const volatile: BoundCandidate = { action: 'Heartbeat', payload: {}, durable: false, inFlight: false };
  assert.deepEqual(messagesToDrop([periodic(), periodic(), volatile, volatile], 2), []);
  assert.deepEqual(messagesToDrop([tx('Started', 'Authorized'), security, security], 1), []);
  assert.deepEqual(messagesToDrop([periodic(true), periodic(), periodic()], 1), [1], 'not the one in flight');
});
