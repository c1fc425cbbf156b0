import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialTransition, transition } from 'xstate';
import { connectorMachine, type ConnectorContext, type ConnectorEvent } from '../../machines/connector.js';
import { connectorStatus } from '../../machines/connector-status.js';
import type { ConnectorStatusEnumType } from '../../src/generated/ocpp-types.js';

const base = { faulted: false, operative: true, plugged: false, reserved: false };

/** The CSMS acknowledged the StatusNotification the connector waits for (its `callId`). */
const answered = (s: { context: ConnectorContext }, output: ConnectorStatusEnumType): ConnectorEvent => ({
  type: 'statusNotification.done',
  id: s.context.callId,
  output,
});

/** The StatusNotification the connector waits for failed. */
const notAcknowledged = (s: { context: ConnectorContext }, message: string): ConnectorEvent => ({
  type: 'statusNotification.error',
  id: s.context.callId,
  error: new Error(message),
});

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
  [s] = transition(connectorMachine, s, answered(s, 'Available'));
  assert.equal(s.context.reported, 'Available');
  assert.equal((s.value as { report: string }).report, 'idle');
  [s] = transition(connectorMachine, s, { type: 'availability.effective', operative: false });
  assert.deepEqual(s.value, { facts: 'tracking', status: 'Unavailable', report: 'sending' });
});

test('a failed StatusNotification waits for the next change or link instead of looping', () => {
  let [s] = initialTransition(connectorMachine, { evseId: 1, connectorId: 1 });
  [s] = transition(connectorMachine, s, { type: 'link', canSend: true });
  [s] = transition(connectorMachine, s, notAcknowledged(s, 'x'));
  assert.equal((s.value as { report: string }).report, 'failed');
  [s] = transition(connectorMachine, s, { type: 'link', canSend: true });
  assert.equal((s.value as { report: string }).report, 'sending');
});

test('status.resync forgets what was reported, so the status is sent again (B04.FR.01, F06)', () => {
  let [s] = initialTransition(connectorMachine, { evseId: 1, connectorId: 1 });
  [s] = transition(connectorMachine, s, { type: 'link', canSend: true });
  [s] = transition(connectorMachine, s, answered(s, 'Available'));
  [s] = transition(connectorMachine, s, { type: 'status.resync' });
  assert.equal((s.value as { report: string }).report, 'sending');
});

test('facts change while a report has failed are kept (the failed report region does not swallow them)', () => {
  let [s] = initialTransition(connectorMachine, { evseId: 1, connectorId: 1 });
  [s] = transition(connectorMachine, s, { type: 'link', canSend: true });
  [s] = transition(connectorMachine, s, notAcknowledged(s, 'offline'));
  [s] = transition(connectorMachine, s, { type: 'hw.faulted' });
  assert.equal(s.context.faulted, true);
  assert.deepEqual(s.value, { facts: 'tracking', status: 'Faulted', report: 'sending' });
  [s] = transition(connectorMachine, s, notAcknowledged(s, 'offline'));
  [s] = transition(connectorMachine, s, { type: 'link', canSend: false });
  assert.equal(s.context.canSend, false);
  assert.equal((s.value as { report: string }).report, 'idle');
});

test('the StatusNotification is an entry effect with the id its answer must carry (issue 9: no actor per call)', () => {
  let [s, actions] = initialTransition(connectorMachine, { evseId: 1, connectorId: 2 });
  [s, actions] = transition(connectorMachine, s, { type: 'link', canSend: true });
  const call = actions.find((a) => a.type === 'statusNotification');
  assert.deepEqual(call?.params, { id: 0, evseId: 1, connectorId: 2, status: 'Available' });
  assert.deepEqual(s.children, {});
  [s] = transition(connectorMachine, s, answered(s, 'Available'));
  // Leaving `sending` moves the id on: the next call carries another one.
  assert.equal(s.context.callId, 1);
  [s, actions] = transition(connectorMachine, s, { type: 'hw.plugged' });
  assert.deepEqual(actions.find((a) => a.type === 'statusNotification')?.params, {
    id: 1,
    evseId: 1,
    connectorId: 2,
    status: 'Occupied',
  });
});

test('an answer to a StatusNotification no longer awaited changes nothing (resync, resumed, a new call)', () => {
  let [s] = initialTransition(connectorMachine, { evseId: 1, connectorId: 1 });
  [s] = transition(connectorMachine, s, { type: 'link', canSend: true });
  const first = s;
  // B04.FR.01 / F06: a resync while the first report is in flight sends the status again.
  [s] = transition(connectorMachine, s, { type: 'status.resync' });
  assert.equal((s.value as { report: string }).report, 'sending');
  const [late] = transition(connectorMachine, s, answered(first, 'Available'));
  assert.equal(late.context.reported, null);
  assert.equal((late.value as { report: string }).report, 'sending');
  const [lateError] = transition(connectorMachine, s, notAcknowledged(first, 'late'));
  assert.equal((lateError.value as { report: string }).report, 'sending');
  // The awaited one is taken.
  [s] = transition(connectorMachine, s, answered(s, 'Available'));
  assert.equal(s.context.reported, 'Available');
  // B01.FR.05: a restored connector resets its report at `resumed`; an answer from before is stale.
  [s] = transition(connectorMachine, s, { type: 'hw.plugged' });
  const inFlight = s;
  [s] = transition(connectorMachine, s, { type: 'resumed' });
  [s] = transition(connectorMachine, s, answered(inFlight, 'Occupied'));
  assert.equal(s.context.reported, null);
  assert.equal((s.value as { report: string }).report, 'idle');
});
