import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialTransition, transition } from 'xstate';
import { connectorMachine } from '../../machines/connector.js';
import { connectorStatus } from '../../machines/connector-status.js';

const base = { faulted: false, operative: true, plugged: false, reserved: false };

test('G01.FR.01, G01.FR.09 (errata): status precedence Faulted > Unavailable > Reserved > Occupied > Available', () => {
  const cases: Array<[Partial<typeof base>, string]> = [
    [{}, 'Available'],
    [{ reserved: true }, 'Reserved'],
    // Errata G01.FR.09: an EV connecting to a Reserved connector does not change its status.
    [{ plugged: true, reserved: true }, 'Reserved'],
    [{ plugged: true }, 'Occupied'],
    [{ plugged: true, operative: false }, 'Unavailable'],
    [{ operative: false, faulted: true }, 'Faulted'],
  ];
  for (const [facts, expected] of cases)
    assert.equal(connectorStatus({ ...base, ...facts }), expected, JSON.stringify(facts));
});

test('the status region follows the facts', () => {
  let [s] = initialTransition(connectorMachine, { evseId: 1, connectorId: 1 });
  assert.deepEqual(s.value, { facts: 'tracking', status: 'Available', report: 'idle' });
  [s] = transition(connectorMachine, s, { type: 'hw.plugged' });
  assert.equal((s.value as { status: string }).status, 'Occupied');
  [s] = transition(connectorMachine, s, { type: 'hw.faulted' });
  assert.equal((s.value as { status: string }).status, 'Faulted');
  [s] = transition(connectorMachine, s, { type: 'hw.faultCleared' });
  [s] = transition(connectorMachine, s, { type: 'hw.unplugged' });
  assert.equal((s.value as { status: string }).status, 'Available');
});

test('B01.FR.08: nothing is reported before the station may send', () => {
  let [s] = initialTransition(connectorMachine, { evseId: 1, connectorId: 1 });
  [s] = transition(connectorMachine, s, { type: 'hw.plugged' });
  assert.equal((s.value as { report: string }).report, 'idle');
  [s] = transition(connectorMachine, s, { type: 'link', canSend: true });
  assert.equal((s.value as { report: string }).report, 'sending');
});

test('G01.FR.07: an availability change is reported, and reported once', () => {
  let [s] = initialTransition(connectorMachine, { evseId: 1, connectorId: 1 });
  [s] = transition(connectorMachine, s, { type: 'link', canSend: true });
  [s] = transition(connectorMachine, s, {
    type: 'xstate.done.actor.0.connector.report.sending',
    output: 'Available',
  } as never);
  assert.equal(s.context.reported, 'Available');
  assert.equal((s.value as { report: string }).report, 'idle');
  [s] = transition(connectorMachine, s, { type: 'availability.effective', operative: false });
  assert.deepEqual(s.value, { facts: 'tracking', status: 'Unavailable', report: 'sending' });
});

test('a failed StatusNotification waits for the next change or link instead of looping', () => {
  let [s] = initialTransition(connectorMachine, { evseId: 1, connectorId: 1 });
  [s] = transition(connectorMachine, s, { type: 'link', canSend: true });
  [s] = transition(connectorMachine, s, {
    type: 'xstate.error.actor.0.connector.report.sending',
    error: new Error('x'),
  } as never);
  assert.equal((s.value as { report: string }).report, 'failed');
  [s] = transition(connectorMachine, s, { type: 'link', canSend: true });
  assert.equal((s.value as { report: string }).report, 'sending');
});

test('status.resync forgets what was reported, so the status is sent again (B04.FR.01, F06)', () => {
  let [s] = initialTransition(connectorMachine, { evseId: 1, connectorId: 1 });
  [s] = transition(connectorMachine, s, { type: 'link', canSend: true });
  [s] = transition(connectorMachine, s, {
    type: 'xstate.done.actor.0.connector.report.sending',
    output: 'Available',
  } as never);
  [s] = transition(connectorMachine, s, { type: 'status.resync' });
  assert.equal((s.value as { report: string }).report, 'sending');
});

test('facts change while a report has failed are kept (the failed report region does not swallow them)', () => {
  let [s] = initialTransition(connectorMachine, { evseId: 1, connectorId: 1 });
  [s] = transition(connectorMachine, s, { type: 'link', canSend: true });
  [s] = transition(connectorMachine, s, {
    type: 'xstate.error.actor.0.connector.report.sending',
    error: new Error('offline'),
  } as never);
  [s] = transition(connectorMachine, s, { type: 'hw.faulted' });
  assert.equal(s.context.faulted, true);
  assert.deepEqual(s.value, { facts: 'tracking', status: 'Faulted', report: 'sending' });
  [s] = transition(connectorMachine, s, {
    type: 'xstate.error.actor.0.connector.report.sending',
    error: new Error('offline'),
  } as never);
  [s] = transition(connectorMachine, s, { type: 'link', canSend: false });
  assert.equal(s.context.canSend, false);
  assert.equal((s.value as { report: string }).report, 'idle');
});
