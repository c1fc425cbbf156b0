import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialTransition, transition } from 'xstate';
import {
  backOffSeconds,
  connectionMachine as machineUnderTest,
  currentSlot,
  type ConnectionInput,
} from '../../machines/connection.js';

// Pure transitions have no parent: the notifications to it are replaced by no-ops.
const connectionMachine = machineUnderTest.provide({
  actions: { notifyUp: () => undefined, notifyDown: () => undefined },
});

const input: ConnectionInput = { priority: [1, 2], attemptsPerSlot: 2, backOffRepeatTimes: 2 };

function start() {
  const [idle] = initialTransition(connectionMachine, input);
  const [opening] = transition(connectionMachine, idle, { type: 'connection.start' });
  return opening;
}

test('starts idle and opens a session on connection.start', () => {
  const [idle] = initialTransition(connectionMachine, input);
  assert.equal(idle.value, 'idle');
  assert.deepEqual(start().value, { session: 'opening' });
  assert.equal(currentSlot(start().context), 1);
});

test('ws.opened reports connection.up to the parent with the slot', () => {
  const [open, actions] = transition(connectionMachine, start(), {
    type: 'ws.opened',
    slot: 1,
    offlineSeconds: null,
  });
  assert.deepEqual(open.value, { session: 'open' });
  assert.equal(open.context.lastGoodSlot, 1);
  assert.deepEqual(
    actions.map((a) => a.type).filter((t) => t === 'notifyUp'),
    ['notifyUp'],
  );
});

test('B10.FR.03: after NetworkProfileConnectionAttempts failures the next slot is tried', () => {
  let s = start();
  [s] = transition(connectionMachine, s, { type: 'ws.closed' });
  assert.equal(s.value, 'waiting');
  assert.equal(currentSlot(s.context), 1, 'one failure: same slot');
  [s] = transition(connectionMachine, s, { type: 'connection.goOnline' });
  [s] = transition(connectionMachine, s, { type: 'ws.closed' });
  assert.equal(currentSlot(s.context), 2, 'two failures: next slot');
  assert.equal(s.context.failures, 2);
});

test('B10.FR.07: when every slot failed, the next round starts at the last good slot', () => {
  let s = start();
  [s] = transition(connectionMachine, s, { type: 'ws.opened', slot: 1, offlineSeconds: null });
  [s] = transition(connectionMachine, s, { type: 'ws.closed' });
  for (let i = 0; i < 4; i++) {
    [s] = transition(connectionMachine, s, { type: 'connection.goOnline' });
    [s] = transition(connectionMachine, s, { type: 'ws.closed' });
  }
  assert.equal(currentSlot(s.context), 1);
});

test('a drop after a success restarts the back-off from the minimum', () => {
  let s = start();
  [s] = transition(connectionMachine, s, { type: 'ws.closed' });
  [s] = transition(connectionMachine, s, { type: 'connection.goOnline' });
  [s] = transition(connectionMachine, s, { type: 'ws.opened', slot: 1, offlineSeconds: null });
  assert.equal(s.context.failures, 0);
  [s] = transition(connectionMachine, s, { type: 'ws.closed' });
  assert.equal(s.context.failures, 1);
});

test('offline stays offline until goOnline', () => {
  let s = start();
  [s] = transition(connectionMachine, s, { type: 'connection.goOffline' });
  assert.equal(s.value, 'offline');
  [s] = transition(connectionMachine, s, { type: 'ws.closed' });
  assert.equal(s.value, 'offline');
  [s] = transition(connectionMachine, s, { type: 'connection.goOnline' });
  assert.deepEqual(s.value, { session: 'opening' });
});

test('Part 4 §5.3: back-off doubles RetryBackOffRepeatTimes times, then stays', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((n) => backOffSeconds(10, n, 2)),
    [10, 20, 40, 40, 40],
  );
});

test('Part 4 §5.3: a deliberate reconnect (connection.reconnect) closes the socket and waits the back-off from the minimum', () => {
  let s = start();
  [s] = transition(connectionMachine, s, { type: 'ws.closed' });
  [s] = transition(connectionMachine, s, { type: 'connection.goOnline' });
  [s] = transition(connectionMachine, s, { type: 'ws.opened', slot: 1, offlineSeconds: null });
  const [waiting, actions] = transition(connectionMachine, s, { type: 'connection.reconnect' });
  s = waiting;
  assert.equal(s.value, 'waiting', 'not straight back into a session');
  assert.equal(s.context.failures, 1, 'the first back-off: RetryBackOffWaitMinimum plus the random part');
  assert.equal(currentSlot(s.context), 1, 'same slot');
  assert.ok(actions.some((a) => a.type === 'notifyDown'));
  // Already waiting, or offline: nothing changes.
  const [again] = transition(connectionMachine, s, { type: 'connection.reconnect' });
  assert.equal(again.value, 'waiting');
  const [offline] = transition(connectionMachine, s, { type: 'connection.goOffline' });
  const [stillOffline] = transition(connectionMachine, offline, { type: 'connection.reconnect' });
  assert.equal(stillOffline.value, 'offline');
});

test('Part 4 §5.3: a start right after the station closed its own connection (a reboot it carried out) waits the back-off first', () => {
  const [idle] = initialTransition(connectionMachine, input);
  const [rebooted] = transition(connectionMachine, idle, { type: 'connection.start', afterOwnClose: true });
  assert.equal(rebooted.value, 'waiting');
  assert.equal(rebooted.context.failures, 1);
  const [poweredUp] = transition(connectionMachine, idle, { type: 'connection.start', afterOwnClose: false });
  assert.deepEqual(poweredUp.value, { session: 'opening' });
});

test('the back-off is never NaN: no wait minimum means no wait, a non-finite repeat count no doubling', () => {
  assert.equal(backOffSeconds(0, 5, 1e9), 0);
  assert.equal(backOffSeconds(-1, 2, 2), 0);
  assert.equal(backOffSeconds(Number.NaN, 2, 2), 0);
  assert.equal(backOffSeconds(10, 3, Number.NaN), 10);
});
