import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OcppAction } from '../../src/generated/ocpp-types.js';
import { actionSet } from '../../src/rpc/action-sets.js';
import type { RpcIssue } from '../../src/rpc/endpoint.js';
import { OcppRpcError, type RpcErrorCode } from '../../src/rpc/errors.js';
import { ocppValidator as schemaValidator } from '../../src/validation/index.js';
import { boot, harness } from '../helpers/endpoint-harness.js';

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

test('the handler is told the received frame length in UTF-8 bytes (B06.FR.17 BytesPerMessage)', async () => {
  const seen: number[] = [];
  const h = harness({
    supportedActions: ['DataTransfer'],
    handler: (_action, _payload, _messageId, info) => {
      seen.push(info.frameBytes);
      return { status: 'Accepted' };
    },
  });
  // 'é' is 2 bytes and '€' 3 bytes in UTF-8: the count is bytes, not characters.
  const frame = '[2,"m1","DataTransfer",{"vendorId":"V","data":"é€"}]';
  await h.endpoint.receive(frame);
  assert.deepEqual(seen, [Buffer.byteLength(frame, 'utf8')]);
  assert.equal(seen[0], frame.length + 3);
  assert.deepEqual(h.last(), [3, 'm1', { status: 'Accepted' }]);
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

test('the supported actions are one shared Set per list, a snapshot the caller cannot change later', async () => {
  // Issue 9: every connection of a fleet passes the same list; they share one Set of it.
  assert.equal(actionSet(['Reset', 'ClearCache']), actionSet(['Reset', 'ClearCache']));
  assert.notEqual(actionSet(['Reset', 'ClearCache']), actionSet(['Reset']));
  const supportedActions: OcppAction[] = ['Reset', 'ChangeAvailability'];
  const h = harness({ supportedActions });
  supportedActions.push('ClearCache');
  await h.endpoint.receive('[2,"m1","ClearCache",{}]');
  assert.deepEqual(h.last().slice(0, 3), [4, 'm1', 'NotSupported']);
  await h.endpoint.receive('[2,"m2","Reset",{"type":"Immediate"}]');
  assert.deepEqual(h.last().slice(0, 2), [3, 'm2']);
});
