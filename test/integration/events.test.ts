/**
 * The public event stream of ChargePoint (docs/events.md) on a real station against the strict test
 * CSMS: the events of a boot and of a transaction with their documented fields, frames in and out
 * with latency, a CALLERROR frame, error events with catalogue codes (docs/errors.md), a throwing
 * listener, unsubscribe.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRPCError } from 'ocpp-rpc';
import type { ChargePoint } from '../../src/charge-point.js';
import type { StationEvent } from '../../src/index.js';
import { ERROR_CATALOGUE } from '../../src/index.js';
import { recorder, type Recorder } from './recorder.js';
import { startHarness } from './station-harness.js';
import { settle, startCharging, startTxHarness, TOKEN, txEvents } from './transactions-helpers.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Every event of the station, recorded in order. */
function record(station: ChargePoint): Recorder<StationEvent> & { off: () => void } {
  const events = recorder<StationEvent>();
  const off = station.subscribe((event) => events.push(event));
  return Object.assign(events, { off });
}

const ofType = <T extends StationEvent['type']>(events: readonly StationEvent[], type: T) =>
  events.filter((e): e is Extract<StationEvent, { type: T }> => e.type === type);

test('a boot: connected, BootNotification out and its CALLRESULT in with latency, registration, connector statuses, availability', async (t) => {
  const h = await startHarness({ noStart: true });
  t.after(() => h.close());
  const events = record(h.station);
  await h.station.start();
  await events.waitFor((e) => e.type === 'connectorStatus' && e.evseId === 2, 'the status of connector 2/1');
  await events.waitFor((e) => e.type === 'registration', 'the registration');

  for (const e of events.items) assert.match(e.time, ISO, `${e.type} has an ISO time`);

  const [connected] = ofType(events.items, 'connection');
  assert.deepEqual(
    { ...connected, time: undefined },
    {
      type: 'connection',
      status: 'connected',
      slot: 1,
      url: h.csms.url,
      time: undefined,
    },
  );

  const frames = ofType(events.items, 'frame');
  const bootCall = frames.find((f) => f.messageType === 'CALL' && f.action === 'BootNotification');
  assert.ok(bootCall, 'the BootNotification CALL');
  assert.equal(bootCall.direction, 'out');
  assert.ok(Array.isArray(bootCall.frame));
  assert.equal((bootCall.frame as unknown[])[0], 2);
  assert.equal((bootCall.frame as unknown[])[1], bootCall.messageId);
  assert.equal(bootCall.latencyMs, undefined, 'a CALL has no latency');
  const bootResult = frames.find((f) => f.messageType === 'CALLRESULT' && f.messageId === bootCall.messageId);
  assert.ok(bootResult, 'its CALLRESULT');
  assert.equal(bootResult.direction, 'in');
  assert.equal(bootResult.action, 'BootNotification', 'an answer names the action of its CALL');
  assert.equal(typeof bootResult.latencyMs, 'number');
  assert.ok(bootResult.latencyMs! >= 0);
  // The frames are the very frames the CSMS saw.
  const wire = h.csms.frames.find((f) => f.identity === h.identity && f.text.includes(bootCall.messageId!));
  assert.deepEqual(JSON.parse(wire!.text), bootCall.frame);

  const registration = ofType(events.items, 'registration');
  assert.equal(registration.length, 1);
  assert.equal(registration[0]!.status, 'Accepted');
  assert.equal(registration[0]!.interval, 300);
  assert.match(registration[0]!.currentTime, ISO);

  const at = (e: StationEvent) => events.items.indexOf(e);
  assert.deepEqual(
    [connected!, bootCall, bootResult, registration[0]!].map(at),
    [at(connected!), at(bootCall), at(bootResult), at(registration[0]!)].sort((a, b) => a - b),
    `in order: ${events.items.map((e) => (e.type === 'frame' ? `${e.type}:${e.messageType}:${e.action}` : e.type)).join(', ')}`,
  );

  const statuses = ofType(events.items, 'connectorStatus');
  assert.deepEqual(
    statuses.map(({ evseId, connectorId, status, previousStatus }) => ({
      evseId,
      connectorId,
      status,
      previousStatus,
    })),
    [
      { evseId: 1, connectorId: 1, status: 'Available', previousStatus: null },
      { evseId: 2, connectorId: 1, status: 'Available', previousStatus: null },
    ],
  );
  const availability = ofType(events.items, 'availability');
  assert.deepEqual(
    availability
      .map(({ evseId, status, scheduled }) => ({ evseId, status, scheduled }))
      .sort((a, b) => a.evseId - b.evseId),
    [
      { evseId: 0, status: 'Operative', scheduled: false },
      { evseId: 1, status: 'Operative', scheduled: false },
      { evseId: 2, status: 'Operative', scheduled: false },
    ],
  );

  // ChangeAvailability from the CSMS: the EVSE's availability and its connector's status follow.
  const from = events.items.length;
  await h.csms.call(h.identity, 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 2 } });
  const inoperative = await events.waitFor(
    (e) => e.type === 'availability' && e.evseId === 2,
    'EVSE 2 availability',
    { from },
  );
  assert.equal((inoperative as { status: string }).status, 'Inoperative');
  const unavailable = await events.waitFor(
    (e) => e.type === 'connectorStatus' && e.evseId === 2,
    'connector 2/1 status',
    { from },
  );
  assert.deepEqual(
    {
      status: (unavailable as { status: string }).status,
      previous: (unavailable as { previousStatus: string }).previousStatus,
    },
    { status: 'Unavailable', previous: 'Available' },
  );

  // stop(): the connection closes with the station.
  const beforeStop = events.items.length;
  await h.station.stop();
  const closed = ofType(events.items.slice(beforeStop), 'connection');
  assert.deepEqual(
    closed.map(({ status, slot, reason }) => ({ status, slot, reason })),
    [{ status: 'disconnected', slot: 1, reason: 'station stopped' }],
  );
});

test('a transaction: transaction events match the TransactionEventRequests on the wire; disconnect and reconnect', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  const events = record(h.station);
  const transactionId = await startCharging(h);
  await h.station.onAuthorizationPresented(TOKEN, 1);
  h.station.onSessionFinished(1, 1);
  await events.waitFor((e) => e.type === 'transaction' && e.eventType === 'Ended', 'the Ended event');
  await settle(h);

  const tx = ofType(events.items, 'transaction');
  const wire = txEvents(h, transactionId);
  assert.ok(wire.length >= 3, 'Started, Updated ..., Ended');
  assert.deepEqual(
    tx.map((e) => ({
      eventType: e.eventType,
      transactionId: e.transactionId,
      seqNo: e.seqNo,
      triggerReason: e.triggerReason,
      stoppedReason: e.stoppedReason,
      chargingState: e.chargingState,
      offline: e.offline,
      timestamp: e.timestamp,
    })),
    wire.map((r) => ({
      eventType: r.eventType,
      transactionId: r.transactionInfo.transactionId,
      seqNo: r.seqNo,
      triggerReason: r.triggerReason,
      stoppedReason: r.transactionInfo.stoppedReason,
      chargingState: r.transactionInfo.chargingState,
      offline: r.offline === true,
      timestamp: r.timestamp,
    })),
  );
  assert.ok(tx.every((e) => e.evseId === 1));
  assert.equal(tx[0]!.eventType, 'Started');
  assert.equal(tx[0]!.connectorId, 1);
  assert.equal(tx.at(-1)!.eventType, 'Ended');
  assert.ok(tx.at(-1)!.stoppedReason, 'Ended names its stoppedReason');

  // Each TransactionEvent CALL is answered; the answers carry their latency.
  const answers = ofType(events.items, 'frame').filter(
    (f) => f.action === 'TransactionEvent' && f.direction === 'in',
  );
  assert.equal(answers.length, wire.length);
  assert.ok(answers.every((f) => f.messageType === 'CALLRESULT' && typeof f.latencyMs === 'number'));

  // The connector went Occupied and back to Available.
  const connector = ofType(events.items, 'connectorStatus')
    .filter((e) => e.evseId === 1)
    .map((e) => e.status);
  assert.deepEqual(connector, ['Occupied', 'Available']);

  // Offline and online again: disconnected with its reason, connected with the offline time.
  const from = events.items.length;
  h.station.disconnectWebsocket();
  const down = await events.waitFor(
    (e) => e.type === 'connection' && e.status === 'disconnected',
    'disconnected',
    { from },
  );
  assert.equal((down as { reason?: string }).reason, 'offline requested');
  h.station.connectWebsocket();
  const up = await events.waitFor(
    (e) => e.type === 'connection' && e.status === 'connected',
    'connected again',
    { from },
  );
  assert.equal(typeof (up as { offlineSeconds?: number }).offlineSeconds, 'number');
});

test('a CALLERROR from the CSMS: the frame event names its code and action, and an error event carries the OCPP-J code', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await h.csms.waitForCall('BootNotification');
  const events = record(h.station);
  h.csms.onCall('Heartbeat', () => {
    throw createRPCError('InternalError', 'clock unavailable');
  });
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'Heartbeat' });
  const frame = await events.waitFor(
    (e) => e.type === 'frame' && e.messageType === 'CALLERROR',
    'the CALLERROR frame',
  );
  assert.equal(frame.type, 'frame');
  if (frame.type !== 'frame') return;
  assert.equal(frame.direction, 'in');
  assert.equal(frame.action, 'Heartbeat');
  assert.equal(frame.errorCode, 'InternalError');
  assert.equal(typeof frame.latencyMs, 'number');
  const error = await events.waitFor(
    (e) => e.type === 'error' && e.code === 'InternalError',
    'the error event',
  );
  if (error.type !== 'error') return;
  assert.equal(error.severity, ERROR_CATALOGUE.InternalError);
  assert.equal((error.cause as { name?: string }).name, 'OcppRpcError');
  assert.equal(error.context['description'], 'clock unavailable');

  // The station answered the TriggerMessage: a CALL in, its CALLRESULT out, with the handling time.
  const trigger = events.items.find(
    (e) =>
      e.type === 'frame' &&
      e.direction === 'out' &&
      e.messageType === 'CALLRESULT' &&
      e.action === 'TriggerMessage',
  );
  assert.ok(trigger && trigger.type === 'frame' && typeof trigger.latencyMs === 'number');
});

test('a bad frame from the CSMS: an INVALID frame event and an error event ERR_RPC_INVALID_FRAME', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await h.csms.waitForCall('BootNotification');
  const events = record(h.station);
  h.csms.sendRaw(h.identity, '[2, "bad-1", "Reset"'); // not JSON
  const error = await events.waitFor((e) => e.type === 'error', 'the error event');
  assert.ok(error.type === 'error');
  assert.equal(error.code, 'ERR_RPC_INVALID_FRAME');
  assert.equal(error.severity, 'warning');
  assert.equal(error.context['code'], 'RpcFrameworkError');
  assert.equal(error.context['replied'], true);
  assert.match(error.message, /^invalid-frame: /);
  const frame = events.items.find((e) => e.type === 'frame' && e.direction === 'in');
  assert.ok(frame && frame.type === 'frame');
  assert.equal(frame.messageType, 'INVALID');
  assert.equal(frame.frame, '[2, "bad-1", "Reset"');
  // Its CALLERROR answer went out (id "-1": unreadable).
  const answer = await events.waitFor(
    (e) => e.type === 'frame' && e.direction === 'out' && e.messageType === 'CALLERROR',
    'the answer',
  );
  assert.ok(answer.type === 'frame');
  assert.equal(answer.messageId, '-1');
  assert.equal(answer.errorCode, 'RpcFrameworkError');
});

test('a store failure: an error event with the catalogue code, fatal when start() fails', async () => {
  const { ChargePoint } = await import('../../src/charge-point.js');
  const station = new ChargePoint({
    stationId: 'CS-STORE',
    evses: [{ id: 1, connectors: [{ id: 1 }] }],
    database: '/nonexistent-dir/of/this/test/station.db',
    csmsUrl: 'ws://127.0.0.1:9/',
  });
  const events: StationEvent[] = [];
  station.subscribe((e) => events.push(e));
  await assert.rejects(station.start(), { name: 'StoreError' });
  const errors = ofType(events, 'error');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.code, 'ERR_STORE');
  assert.equal(errors[0]!.severity, 'fatal');
  assert.equal(errors[0]!.context['file'], '/nonexistent-dir/of/this/test/station.db');
  assert.equal((errors[0]!.cause as Error).name, 'StoreError');
});

test('a listener that throws does not break the station; the others get ERR_LISTENER; unsubscribe stops delivery', async (t) => {
  const h = await startHarness({ noStart: true });
  t.after(() => h.close());
  let thrown = 0;
  h.station.on('frame', () => {
    thrown += 1;
    throw new Error('listener bug');
  });
  const events = record(h.station);
  const registrations: string[] = [];
  const offRegistration = h.station.on('registration', (e) => registrations.push(e.status));
  await h.station.start();
  await h.csms.waitForCall('StatusNotification');
  await h.csms.waitForCall('StatusNotification');
  await events.waitFor((e) => e.type === 'registration', 'the registration');
  assert.ok(thrown > 0);
  assert.equal(h.station.registrationStatus, 'Accepted', 'the station booted anyway');
  const listenerErrors = ofType(events.items, 'error').filter((e) => e.code === 'ERR_LISTENER');
  assert.ok(listenerErrors.length > 0);
  assert.equal(listenerErrors[0]!.severity, 'warning');
  assert.equal(listenerErrors[0]!.context['eventType'], 'frame');
  assert.equal(h.errors.length, 0, 'not an onError of the station');
  assert.deepEqual(registrations, ['Accepted']);

  // Unsubscribed: nothing more arrives (a Heartbeat round trip makes frames).
  events.off();
  offRegistration();
  offRegistration(); // twice is harmless
  const seen = events.items.length;
  const frames = recorder<StationEvent>();
  const offFrames = h.station.on('frame', (e) => frames.push(e));
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'Heartbeat' });
  await frames.waitFor(
    (e) => e.type === 'frame' && e.action === 'Heartbeat' && e.messageType === 'CALLRESULT',
    'the Heartbeat answer',
  );
  offFrames();
  assert.equal(events.items.length, seen, 'an unsubscribed listener gets nothing');
  assert.deepEqual(registrations, ['Accepted'], 'nor does an unsubscribed on()');
});

test('a queue drop: a durable message answered with a CALLERROR is given up (queueDrop), and reported as ERR_MESSAGE_DISCARDED', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await h.csms.waitForCall('StatusNotification');
  await h.csms.waitForCall('StatusNotification');
  const events = record(h.station);
  h.csms.onCall('SecurityEventNotification', () => {
    throw createRPCError('GenericError', 'not now');
  });
  // A critical security event is sent durably (A04.FR.02); a CALLERROR answering a message that is
  // not transaction-related means the CSMS received it: it is given up at once.
  await h.station.onSecurityEvent('TamperDetectionActivated', 'cover opened');
  const drop = await events.waitFor((e) => e.type === 'queueDrop', 'the queueDrop event');
  assert.ok(drop.type === 'queueDrop');
  const call = events.items.find(
    (e) => e.type === 'frame' && e.messageType === 'CALL' && e.action === 'SecurityEventNotification',
  );
  assert.ok(call && call.type === 'frame');
  assert.deepEqual(
    { ...drop, time: undefined },
    {
      type: 'queueDrop',
      action: 'SecurityEventNotification',
      messageId: call.messageId,
      attempts: 1,
      transaction: false,
      reason: 'GenericError: not now',
      time: undefined,
    },
  );
  const error = await events.waitFor(
    (e) => e.type === 'error' && e.code === 'ERR_MESSAGE_DISCARDED',
    'the error event',
  );
  assert.ok(error.type === 'error');
  assert.equal(error.severity, 'warning');
  assert.deepEqual(
    {
      action: error.context['action'],
      messageId: error.context['messageId'],
      attempts: error.context['attempts'],
    },
    { action: 'SecurityEventNotification', messageId: call.messageId, attempts: 1 },
  );
  assert.ok(
    h.errors.some((e) => (e as Error).name === 'MessageDiscardedError'),
    'onError got it too',
  );
});
