import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  OcppRpcError,
  RpcConnectionClosedError,
  RpcInvalidMessageError,
  RpcTimeoutError,
  type RpcErrorCode,
} from '../../src/rpc/errors.js';
import { ocppValidator as schemaValidator } from '../../src/validation/index.js';
import { boot, bootAccepted, harness, sentId } from '../helpers/endpoint-harness.js';

test('call() sends a CALL and resolves with the validated CALLRESULT payload', async () => {
  const h = harness();
  const pending = h.endpoint.call('BootNotification', boot);
  assert.equal(h.sent.length, 1);
  const [type, id, action, payload] = h.last();
  assert.deepEqual([type, action, payload], [2, 'BootNotification', boot]);
  assert.match(id as string, /^[0-9a-f-]{36}$/);
  await h.endpoint.receive(JSON.stringify([3, id, bootAccepted]));
  assert.deepEqual(await pending, bootAccepted);
  assert.equal(h.endpoint.pendingCalls, 0);
});

test('call() with payloadJson (checked by the caller) sends that text without validating again', async () => {
  let validated = 0;
  const h = harness({
    validator: {
      ...schemaValidator,
      validateRequest: (action, payload) => {
        validated += 1;
        return schemaValidator.validateRequest(action, payload);
      },
    },
  });
  const json = JSON.stringify(boot);
  const pending = h.endpoint.call('BootNotification', boot, { messageId: 'c1', payloadJson: json });
  assert.equal(h.sent[0], `[2,"c1","BootNotification",${json}]`);
  assert.equal(validated, 0, 'the caller checked it (message queue, outgoing-check.ts)');
  await h.endpoint.receive(JSON.stringify([3, 'c1', bootAccepted]));
  assert.deepEqual(await pending, bootAccepted, 'the answer is still validated');
  await assert.rejects(
    h.endpoint.call('BootNotification', {} as never, { messageId: 'c2' }),
    RpcInvalidMessageError,
  );
  assert.equal(validated, 1, 'without payloadJson the payload is validated here');
});

test('only one CALL is in flight: later calls wait in order, CSMS CALLs are answered meanwhile', async () => {
  const h = harness();
  const first = h.endpoint.call('Heartbeat', {}, { messageId: 'c1' });
  const second = h.endpoint.call('Heartbeat', {}, { messageId: 'c2' });
  const third = h.endpoint.call('Heartbeat', {}, { messageId: 'c3' });
  assert.deepEqual(h.sent.map(sentId), ['c1']);
  assert.equal(h.endpoint.pendingCalls, 3);
  await h.endpoint.receive('[2,"s1","ClearCache",{}]');
  assert.deepEqual(h.sent.map(sentId), ['c1', 's1'], 'answered while our CALL waits');
  await h.endpoint.receive('[3,"c1",{"currentTime":"2024-05-01T10:00:00Z"}]');
  assert.deepEqual(h.sent.map(sentId), ['c1', 's1', 'c2']);
  await h.endpoint.receive('[4,"c2","InternalError","",{}]');
  assert.deepEqual(h.sent.map(sentId), ['c1', 's1', 'c2', 'c3']);
  await h.endpoint.receive('[3,"c3",{"currentTime":"2024-05-01T10:00:01Z"}]');
  assert.deepEqual(await first, { currentTime: '2024-05-01T10:00:00Z' });
  await assert.rejects(second, OcppRpcError);
  assert.deepEqual(await third, { currentTime: '2024-05-01T10:00:01Z' });
});

test('a CALLERROR rejects the call with OcppRpcError, its code read tolerantly', async () => {
  const h = harness();
  const pending = h.endpoint.call('Heartbeat', {}, { messageId: 'c1' });
  await h.endpoint.receive('[4,"c1","OccurenceConstraintViolation","missing x",{"field":"x"}]');
  await assert.rejects(pending, (e: unknown) => {
    assert.ok(e instanceof OcppRpcError);
    assert.equal(e.code, 'OccurrenceConstraintViolation');
    assert.equal(e.description, 'missing x');
    assert.deepEqual(e.details, { field: 'x' });
    return true;
  });
});

test('a CALLRESULT failing the response schema rejects the call and sends nothing back', async () => {
  const h = harness();
  const pending = h.endpoint.call('BootNotification', boot, { messageId: 'c1' });
  await h.endpoint.receive('[3,"c1",{"currentTime":"yesterday","interval":300,"status":"Accepted"}]');
  await assert.rejects(pending, (e: unknown) => {
    assert.ok(e instanceof RpcInvalidMessageError);
    assert.equal(e.direction, 'incoming-result');
    assert.equal(e.code, 'PropertyConstraintViolation');
    assert.match(e.message, /BootNotification response \(message id c1\) is invalid: .*currentTime/);
    return true;
  });
  assert.equal(h.sent.length, 1, 'no frame is sent back for a bad CALLRESULT');
  assert.deepEqual(
    h.issues.map((i) => i.kind),
    ['invalid-call-result'],
  );
  const next = h.endpoint.call('Heartbeat', {}, { messageId: 'c2' });
  assert.equal(sentId(h.sent.at(-1)), 'c2', 'the slot is free again');
  await h.endpoint.receive('[3,"c2",{"currentTime":"2024-05-01T10:00:00Z"}]');
  await next;
});

test('a malformed CALLRESULT for the call in flight rejects it at once with ProtocolError', async () => {
  const h = harness();
  const pending = h.endpoint.call('Heartbeat', {}, { messageId: 'c1' });
  await h.endpoint.receive('[3,"c1"]');
  await assert.rejects(
    pending,
    (e: unknown) => e instanceof RpcInvalidMessageError && e.code === 'ProtocolError',
  );
  assert.equal(h.sent.length, 1);
});

test('CALLRESULT and CALLERROR with unknown ids are ignored and reported', async () => {
  const h = harness();
  const pending = h.endpoint.call('Heartbeat', {}, { messageId: 'c1' });
  await h.endpoint.receive('[3,"zz",{"currentTime":"2024-05-01T10:00:00Z"}]');
  await h.endpoint.receive('[4,"yy","GenericError","",{}]');
  await h.endpoint.receive('[3,"xx"]');
  assert.deepEqual(
    h.issues.map((i) => [i.kind, 'messageId' in i ? i.messageId : '']),
    [
      ['unknown-response', 'zz'],
      ['unknown-response', 'yy'],
      ['invalid-frame', 'xx'],
    ],
  );
  assert.equal(h.sent.length, 1, 'nothing is answered');
  assert.equal(h.endpoint.pendingCalls, 1, 'our call still waits');
  await h.endpoint.receive('[3,"c1",{"currentTime":"2024-05-01T10:00:00Z"}]');
  await pending;
});

test('a call times out after MessageTimeout, read per call; the next call then goes; a late answer is ignored', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const h = harness();
  h.setTimeoutMs(5_000);
  const first = h.endpoint.call('Heartbeat', {}, { messageId: 'c1' });
  const firstRejected = assert.rejects(first, (e: unknown) => {
    assert.ok(e instanceof RpcTimeoutError);
    assert.equal(e.messageId, 'c1');
    assert.equal(e.timeoutMs, 5_000);
    return true;
  });
  h.setTimeoutMs(7_000);
  const second = h.endpoint.call('Heartbeat', {}, { messageId: 'c2' });
  t.mock.timers.tick(4_999);
  assert.deepEqual(h.sent.map(sentId), ['c1']);
  t.mock.timers.tick(1);
  await firstRejected;
  assert.deepEqual(h.sent.map(sentId), ['c1', 'c2'], 'the timeout freed the slot');
  await h.endpoint.receive('[3,"c1",{"currentTime":"2024-05-01T10:00:00Z"}]');
  assert.deepEqual(
    h.issues.map((i) => i.kind),
    ['unknown-response'],
  );
  t.mock.timers.tick(7_000);
  await assert.rejects(second, (e: unknown) => e instanceof RpcTimeoutError && e.timeoutMs === 7_000);
});

test('an unusable MessageTimeout rejects the call with an error naming the variable', async () => {
  const h = harness({ messageTimeoutMs: () => 0 });
  await assert.rejects(
    h.endpoint.call('Heartbeat', {}),
    /OCPPCommCtrlr\.MessageTimeout must be a positive number/,
  );
  assert.equal(h.sent.length, 0);
});

test('close() rejects the call in flight (sent) and queued calls (not sent); later calls fail at once', async () => {
  const h = harness();
  const first = h.endpoint.call('Heartbeat', {}, { messageId: 'c1' });
  const second = h.endpoint.call('Heartbeat', {}, { messageId: 'c2' });
  h.endpoint.close();
  await assert.rejects(
    first,
    (e: unknown) => e instanceof RpcConnectionClosedError && e.sent && e.messageId === 'c1',
  );
  await assert.rejects(
    second,
    (e: unknown) => e instanceof RpcConnectionClosedError && !e.sent && e.messageId === 'c2',
  );
  await assert.rejects(h.endpoint.call('Heartbeat', {}), RpcConnectionClosedError);
  assert.deepEqual(h.sent.map(sentId), ['c1']);
  await h.endpoint.receive('[3,"c1",{"currentTime":"2024-05-01T10:00:00Z"}]');
  assert.equal(h.sent.length, 1);
  assert.equal(h.endpoint.closed, true);
});

test('an answer whose handler finishes after close() is dropped and reported', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const h = harness({
    handler: async () => {
      await gate;
      return { status: 'Accepted' };
    },
  });
  const handling = h.endpoint.receive('[2,"s1","ClearCache",{}]');
  h.endpoint.close();
  release();
  await handling;
  assert.equal(h.sent.length, 0);
  assert.deepEqual(
    h.issues.map((i) => i.kind),
    ['send-failed'],
  );
});

test('a send that throws rejects that call as not sent and lets the next one go', async () => {
  let fail = true;
  const sent: string[] = [];
  const h = harness({
    send: (text) => {
      if (fail) throw new Error('socket not open');
      sent.push(text);
    },
  });
  const first = h.endpoint.call('Heartbeat', {}, { messageId: 'c1' });
  await assert.rejects(
    first,
    (e: unknown) =>
      e instanceof RpcConnectionClosedError && !e.sent && (e.cause as Error).message === 'socket not open',
  );
  fail = false;
  const second = h.endpoint.call('Heartbeat', {}, { messageId: 'c2' });
  assert.deepEqual(sent.map(sentId), ['c2']);
  h.endpoint.close();
  await assert.rejects(second, (e: unknown) => e instanceof RpcConnectionClosedError && e.sent);
});

// Outgoing requests refused before sending: [name, action, payload, code].
const outgoingRefusals: Array<[string, string, unknown, RpcErrorCode]> = [
  ['an invalid payload', 'BootNotification', { reason: 'PowerUp' }, 'OccurrenceConstraintViolation'],
  [
    'a too long field',
    'BootNotification',
    { ...boot, chargingStation: { model: 'M'.repeat(21), vendorName: 'V' } },
    'PropertyConstraintViolation',
  ],
  ['an unknown action', 'Frobnicate', {}, 'NotImplemented'],
  ['an action only the CSMS sends', 'Reset', { type: 'Immediate' }, 'NotSupported'],
  ['an unserializable payload', 'DataTransfer', { vendorId: 'v', data: 1n }, 'FormatViolation'],
];

for (const [name, action, payload, code] of outgoingRefusals) {
  test(`call() with ${name} is refused with ${code} and nothing is sent`, async () => {
    const h = harness();
    await assert.rejects(h.endpoint.call(action as 'Heartbeat', payload as object), (e: unknown) => {
      assert.ok(e instanceof RpcInvalidMessageError);
      assert.equal(e.direction, 'outgoing-call');
      assert.equal(e.code, code);
      return true;
    });
    assert.equal(h.sent.length, 0);
  });
}

test('message ids: a given id is used; invalid or duplicate ids are refused', async () => {
  const h = harness();
  const pending = h.endpoint.call('Heartbeat', {}, { messageId: 'fixed-1' });
  assert.equal(sentId(h.sent[0]), 'fixed-1');
  await assert.rejects(
    h.endpoint.call('Heartbeat', {}, { messageId: 'fixed-1' }),
    /already used by a pending call/,
  );
  await assert.rejects(h.endpoint.call('Heartbeat', {}, { messageId: 'x'.repeat(37) }), /1-36 characters/);
  await assert.rejects(h.endpoint.call('Heartbeat', {}, { messageId: '' }), RangeError);
  await h.endpoint.receive('[3,"fixed-1",{"currentTime":"2024-05-01T10:00:00Z"}]');
  await pending;
});

test('aborting: a queued call is dropped unsent; a sent call rejects but holds the slot until answered', async () => {
  const h = harness();
  const inFlight = new AbortController();
  const queued = new AbortController();
  const first = h.endpoint.call('Heartbeat', {}, { messageId: 'c1', signal: inFlight.signal });
  const second = h.endpoint.call('Heartbeat', {}, { messageId: 'c2', signal: queued.signal });
  const third = h.endpoint.call('Heartbeat', {}, { messageId: 'c3' });
  queued.abort(new Error('not needed'));
  await assert.rejects(second, /not needed/);
  inFlight.abort(new Error('gave up'));
  await assert.rejects(first, /gave up/);
  assert.deepEqual(h.sent.map(sentId), ['c1'], 'c3 waits for the answer to c1 (Part 4 §4.1.1)');
  await h.endpoint.receive('[3,"c1",{"currentTime":"2024-05-01T10:00:00Z"}]');
  assert.deepEqual(h.sent.map(sentId), ['c1', 'c3']);
  await h.endpoint.receive('[3,"c3",{"currentTime":"2024-05-01T10:00:00Z"}]');
  await third;
  await assert.rejects(
    h.endpoint.call('Heartbeat', {}, { signal: AbortSignal.abort(new Error('early')) }),
    /early/,
  );
});
