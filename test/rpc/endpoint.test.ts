import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RpcEndpoint,
  type FrameDirection,
  type RpcEndpointOptions,
  type RpcIssue,
} from '../../src/rpc/endpoint.js';
import {
  OcppRpcError,
  RpcConnectionClosedError,
  RpcInvalidMessageError,
  RpcTimeoutError,
  type RpcErrorCode,
} from '../../src/rpc/errors.js';
import type { OcppAction } from '../../src/generated/ocpp-types.js';
import { schemaValidator } from '../helpers/schema-validator.js';

const boot = { reason: 'PowerUp', chargingStation: { model: 'M1', vendorName: 'Vendor' } } as const;
const bootAccepted = { currentTime: '2024-05-01T10:00:00Z', interval: 300, status: 'Accepted' };

function harness(overrides: Partial<RpcEndpointOptions> = {}) {
  const sent: string[] = [];
  const issues: RpcIssue[] = [];
  const frames: Array<[string, FrameDirection]> = [];
  const handled: Array<[OcppAction, unknown, string]> = [];
  let timeoutMs = 30_000;
  const endpoint = new RpcEndpoint({
    send: (text) => void sent.push(text),
    validator: schemaValidator,
    handler: async (action, payload, messageId) => {
      handled.push([action, payload, messageId]);
      return { status: 'Accepted' };
    },
    supportedActions: ['Reset', 'ChangeAvailability', 'ClearCache'],
    messageTimeoutMs: () => timeoutMs,
    onFrame: (text, direction) => void frames.push([text, direction]),
    onError: (issue) => void issues.push(issue),
    ...overrides,
  });
  return {
    endpoint,
    sent,
    issues,
    frames,
    handled,
    setTimeoutMs: (ms: number) => void (timeoutMs = ms),
    /** The last frame sent, parsed. */
    last: (): unknown[] => JSON.parse(sent.at(-1) ?? 'null') as unknown[],
  };
}

function sentId(text: string | undefined): string {
  return (JSON.parse(text ?? '[]') as [number, string])[1];
}

// Incoming frames and the CALLERROR the station answers with: [frame, code, message id].
const refusals: Array<[string, string, RpcErrorCode, string]> = [
  ['invalid JSON', '[2,"m1","Reset",', 'RpcFrameworkError', '-1'],
  ['not an array', '{"id":"m1"}', 'RpcFrameworkError', '-1'],
  ['message id not a string', '[2,7,"Reset",{"type":"Immediate"}]', 'RpcFrameworkError', '-1'],
  [
    'message id longer than 36',
    `[2,"${'x'.repeat(37)}","Reset",{"type":"Immediate"}]`,
    'RpcFrameworkError',
    '-1',
  ],
  ['unknown message type', '[6,"m1","Reset",{"type":"Immediate"}]', 'MessageTypeNotSupported', 'm1'],
  ['CALL without payload', '[2,"m1","Reset"]', 'ProtocolError', 'm1'],
  ['unknown action', '[2,"m1","Frobnicate",{}]', 'NotImplemented', 'm1'],
  ['signed message (Part 4 §7)', '[2,"m1","Reset-Signed",{}]', 'NotImplemented', 'm1'],
  [
    'action sent by stations only',
    `[2,"m1","BootNotification",${JSON.stringify(boot)}]`,
    'NotSupported',
    'm1',
  ],
  ['CSMS action this station does not support', '[2,"m1","GetLocalListVersion",{}]', 'NotSupported', 'm1'],
  ['missing required field', '[2,"m1","Reset",{}]', 'OccurrenceConstraintViolation', 'm1'],
  ['wrong field type', '[2,"m1","Reset",{"type":5}]', 'TypeConstraintViolation', 'm1'],
  ['value outside the enumeration', '[2,"m1","Reset",{"type":"Later"}]', 'PropertyConstraintViolation', 'm1'],
  ['unknown field', '[2,"m1","Reset",{"type":"Immediate","when":"now"}]', 'FormatViolation', 'm1'],
  ['payload not an object', '[2,"m1","Reset",null]', 'FormatViolation', 'm1'],
];

for (const [name, frame, code, messageId] of refusals) {
  test(`incoming ${name} -> CALLERROR ${code}`, async () => {
    const h = harness();
    await h.endpoint.receive(frame);
    assert.equal(h.sent.length, 1);
    const [type, id, errorCode, description, details] = h.last();
    assert.deepEqual([type, id, errorCode], [4, messageId, code]);
    assert.equal(typeof description, 'string');
    assert.ok((description as string).length > 0 && (description as string).length <= 255);
    assert.equal(typeof details, 'object');
    assert.equal(h.handled.length, 0, 'the handler never sees a refused CALL');
    assert.equal(h.issues.length, 1);
    assert.ok(h.issues[0]?.kind === 'invalid-frame' || h.issues[0]?.kind === 'rejected-call');
  });
}

test('a schema failure sends the validator details along', async () => {
  const h = harness();
  await h.endpoint.receive('[2,"m1","Reset",{"type":"Later"}]');
  const details = h.last()[4] as { errors: Array<{ path: string; keyword: string }> };
  assert.equal(details.errors[0]?.path, '/type');
  assert.equal(details.errors[0]?.keyword, 'enum');
});

test('a valid CALL reaches the handler and its validated response is sent as CALLRESULT', async () => {
  const h = harness();
  await h.endpoint.receive('[2,"m1","Reset",{"type":"OnIdle","evseId":1}]');
  assert.deepEqual(h.handled, [['Reset', { type: 'OnIdle', evseId: 1 }, 'm1']]);
  assert.deepEqual(h.last(), [3, 'm1', { status: 'Accepted' }]);
  assert.deepEqual(h.frames, [
    ['[2,"m1","Reset",{"type":"OnIdle","evseId":1}]', 'in'],
    ['[3,"m1",{"status":"Accepted"}]', 'out'],
  ]);
  assert.deepEqual(h.issues, []);
});

// Handler outcomes: [name, handler, code answered, issue kind reported].
const handlerFailures: Array<[string, () => unknown, RpcErrorCode, RpcIssue['kind'] | undefined]> = [
  [
    'throws OcppRpcError(SecurityError)',
    () => {
      throw new OcppRpcError('SecurityError', 'not allowed now');
    },
    'SecurityError',
    undefined,
  ],
  [
    'throws OcppRpcError(NotSupported)',
    () => {
      throw new OcppRpcError('NotSupported', 'no smart charging');
    },
    'NotSupported',
    undefined,
  ],
  [
    'throws a plain Error',
    () => {
      throw new Error('disk on fire');
    },
    'InternalError',
    'handler-error',
  ],
  ['returns a rejected promise', () => Promise.reject(new Error('x')), 'InternalError', 'handler-error'],
  [
    'returns a payload that fails the response schema',
    () => ({ status: 'Maybe' }),
    'InternalError',
    'invalid-handler-response',
  ],
  ['returns nothing', () => undefined, 'InternalError', 'invalid-handler-response'],
  [
    'returns an unserializable payload',
    () => ({ status: 'Accepted', customData: { vendorId: 'v', n: 1n } }),
    'InternalError',
    'handler-error',
  ],
];

for (const [name, handler, code, issueKind] of handlerFailures) {
  test(`a handler that ${name} -> CALLERROR ${code}`, async () => {
    const h = harness({ handler });
    await h.endpoint.receive('[2,"m9","Reset",{"type":"Immediate"}]');
    const [type, id, errorCode] = h.last();
    assert.deepEqual([type, id, errorCode], [4, 'm9', code]);
    assert.deepEqual(
      h.issues.map((i) => i.kind),
      issueKind ? [issueKind] : [],
    );
    if (code === 'InternalError')
      assert.doesNotMatch(h.sent.at(-1) ?? '', /disk on fire/, 'internal details stay local');
  });
}

test('the details of a thrown OcppRpcError are sent', async () => {
  const h = harness({
    handler: () => {
      throw new OcppRpcError('GenericError', 'busy', { retryAfter: 5 });
    },
  });
  await h.endpoint.receive('[2,"m9","Reset",{"type":"Immediate"}]');
  assert.deepEqual(h.last(), [4, 'm9', 'GenericError', 'busy', { retryAfter: 5 }]);
});

test('a second CALL with the id of one still being handled -> RpcFrameworkError', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const h = harness({
    handler: async () => {
      await gate;
      return { status: 'Accepted' };
    },
  });
  const first = h.endpoint.receive('[2,"dup","ClearCache",{}]');
  await h.endpoint.receive('[2,"dup","ClearCache",{}]');
  assert.deepEqual(h.last().slice(0, 3), [4, 'dup', 'RpcFrameworkError']);
  release();
  await first;
  assert.deepEqual(h.last(), [3, 'dup', { status: 'Accepted' }]);
});

test('a validator that throws still gets the CSMS an InternalError answer', async () => {
  const h = harness({
    validator: {
      ...schemaValidator,
      validateRequest: () => {
        throw new Error('validator bug');
      },
    },
  });
  await h.endpoint.receive('[2,"m1","ClearCache",{}]');
  assert.deepEqual(h.last().slice(0, 3), [4, 'm1', 'InternalError']);
  assert.deepEqual(
    h.issues.map((i) => i.kind),
    ['internal-error'],
  );
});

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

test('hooks that throw do not stop frames from being processed', async () => {
  const h = harness({
    onFrame: () => {
      throw new Error('logger down');
    },
    onError: () => {
      throw new Error('reporter down');
    },
  });
  await h.endpoint.receive('[2,"m1","ClearCache",{}]');
  assert.deepEqual(h.last(), [3, 'm1', { status: 'Accepted' }]);
  await h.endpoint.receive('garbage');
  assert.deepEqual(h.last().slice(0, 3), [4, '-1', 'RpcFrameworkError']);
});

test('the frame hook sees every frame in and out with its direction', async () => {
  const h = harness();
  const pending = h.endpoint.call('Heartbeat', {}, { messageId: 'c1' });
  await h.endpoint.receive('[3,"c1",{"currentTime":"2024-05-01T10:00:00Z"}]');
  await pending;
  await h.endpoint.receive('oops');
  assert.deepEqual(
    h.frames.map(([text, dir]) => [dir, text.slice(0, 8)]),
    [
      ['out', '[2,"c1",'],
      ['in', '[3,"c1",'],
      ['in', 'oops'],
      ['out', '[4,"-1",'],
    ],
  );
});
