import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_ERROR_DESCRIPTION_LENGTH,
  MessageTypeId,
  isValidMessageId,
  newMessageId,
  parseFrame,
  serializeCall,
  serializeCallError,
  serializeCallResult,
  serializeCheckedCall,
  type FrameError,
} from '../../src/rpc/frames.js';
import type { RpcErrorCode } from '../../src/rpc/errors.js';

const id36 = 'a'.repeat(36);
const id37 = 'a'.repeat(37);

// [input, code, message id answered with, whether a CALLERROR is sent back]
const invalid: Array<[string, RpcErrorCode, string, boolean]> = [
  ['not json', 'RpcFrameworkError', '-1', true],
  ['', 'RpcFrameworkError', '-1', true],
  ['[2,"1","Heartbeat",{}', 'RpcFrameworkError', '-1', true],
  ['{"messageTypeId":2}', 'RpcFrameworkError', '-1', true],
  ['"[2,\\"1\\",\\"Heartbeat\\",{}]"', 'RpcFrameworkError', '-1', true],
  ['null', 'RpcFrameworkError', '-1', true],
  ['[]', 'RpcFrameworkError', '-1', true],
  ['["2","1","Heartbeat",{}]', 'RpcFrameworkError', '1', true],
  ['[null,"1","Heartbeat",{}]', 'RpcFrameworkError', '1', true],
  ['[5,"1","Heartbeat",{}]', 'MessageTypeNotSupported', '1', true],
  ['[1,"1"]', 'MessageTypeNotSupported', '1', true],
  ['[2.5,"1","Heartbeat",{}]', 'MessageTypeNotSupported', '1', true],
  ['[7]', 'MessageTypeNotSupported', '-1', true],
  ['[2,1,"Heartbeat",{}]', 'RpcFrameworkError', '-1', true],
  ['[2,"","Heartbeat",{}]', 'RpcFrameworkError', '-1', true],
  [`[2,"${id37}","Heartbeat",{}]`, 'RpcFrameworkError', '-1', true],
  ['[2,null,"Heartbeat",{}]', 'RpcFrameworkError', '-1', true],
  ['[2]', 'RpcFrameworkError', '-1', true],
  ['[2,"1","Heartbeat"]', 'ProtocolError', '1', true],
  ['[2,"1","Heartbeat",{},{}]', 'ProtocolError', '1', true],
  ['[2,"1",17,{}]', 'ProtocolError', '1', true],
  ['[3,"1"]', 'ProtocolError', '1', false],
  ['[3,"1",{},{}]', 'ProtocolError', '1', false],
  ['[3,1,{}]', 'RpcFrameworkError', '-1', false],
  ['[4,"1"]', 'ProtocolError', '1', false],
  ['[4,{},"GenericError","",{}]', 'RpcFrameworkError', '-1', false],
];

for (const [input, code, messageId, reply] of invalid) {
  test(`parseFrame(${JSON.stringify(input)}) -> ${code} with message id ${messageId}`, () => {
    const parsed = parseFrame(input);
    assert.equal(parsed.ok, false);
    const error = (parsed as { error: FrameError }).error;
    assert.equal(error.code, code);
    assert.equal(error.messageId, messageId);
    assert.equal(error.reply, reply);
    assert.ok(error.description.length > 0);
  });
}

test('a CALL is parsed with its action and payload untouched', () => {
  const parsed = parseFrame(`[2,"${id36}","Reset",{"type":"Immediate"}]`);
  assert.deepEqual(parsed, {
    ok: true,
    frame: { type: MessageTypeId.Call, messageId: id36, action: 'Reset', payload: { type: 'Immediate' } },
  });
});

test('a CALL payload that is not an object is left for schema validation to judge', () => {
  const parsed = parseFrame('[2,"1","Reset",null]');
  assert.deepEqual(parsed, { ok: true, frame: { type: 2, messageId: '1', action: 'Reset', payload: null } });
});

test('a CALLRESULT is parsed', () => {
  assert.deepEqual(parseFrame('[3,"x",{"status":"Accepted"}]'), {
    ok: true,
    frame: { type: MessageTypeId.CallResult, messageId: 'x', payload: { status: 'Accepted' } },
  });
});

test('a CALLERROR is parsed with a normalized code', () => {
  assert.deepEqual(parseFrame('[4,"x","NotSupported","no",{"a":1}]'), {
    ok: true,
    frame: {
      type: MessageTypeId.CallError,
      messageId: 'x',
      errorCode: 'NotSupported',
      rawErrorCode: 'NotSupported',
      description: 'no',
      details: { a: 1 },
    },
  });
});

// [CALLERROR text, normalized code, description, details]
const tolerant: Array<[string, RpcErrorCode, string, Record<string, unknown>]> = [
  ['[4,"x","OccurenceConstraintViolation","d",{}]', 'OccurrenceConstraintViolation', 'd', {}],
  ['[4,"x","FormationViolation","d",{}]', 'FormatViolation', 'd', {}],
  ['[4,"x","SomethingNew","d",{}]', 'GenericError', 'd', {}],
  ['[4,"x",42,"d",{}]', 'GenericError', 'd', {}],
  ['[4,"x","InternalError"]', 'InternalError', '', {}],
  ['[4,"x","InternalError",null,null]', 'InternalError', '', {}],
  ['[4,"x","InternalError","d",[1,2]]', 'InternalError', 'd', {}],
  ['[4,"x","SecurityError","d",{"k":"v"},"extra"]', 'SecurityError', 'd', { k: 'v' }],
];

for (const [input, code, description, details] of tolerant) {
  test(`CALLERROR ${input} is read tolerantly as ${code}`, () => {
    const parsed = parseFrame(input);
    assert.ok(parsed.ok);
    assert.equal(parsed.frame.type, MessageTypeId.CallError);
    if (parsed.frame.type !== MessageTypeId.CallError) return;
    assert.equal(parsed.frame.errorCode, code);
    assert.equal(parsed.frame.description, description);
    assert.deepEqual(parsed.frame.details, details);
  });
}

test('serialized frames parse back to the same content', () => {
  const call = serializeCall('m1', 'BootNotification', { reason: 'PowerUp' });
  assert.equal(call, '[2,"m1","BootNotification",{"reason":"PowerUp"}]');
  assert.deepEqual(parseFrame(call), {
    ok: true,
    frame: { type: 2, messageId: 'm1', action: 'BootNotification', payload: { reason: 'PowerUp' } },
  });
  assert.equal(serializeCallResult('m1', {}), '[3,"m1",{}]');
  assert.equal(serializeCallError('m1', 'NotSupported', 'x'), '[4,"m1","NotSupported","x",{}]');
});

test('a CALL around a payload serialized by the caller is the same text as serializeCall gives', () => {
  const payload = { reason: 'PowerUp', chargingStation: { model: 'M "1"', vendorName: 'V' } };
  assert.equal(
    serializeCheckedCall('m"1', 'BootNotification', JSON.stringify(payload)),
    serializeCall('m"1', 'BootNotification', payload),
  );
});

test('a CALLERROR description is cut to 255 characters and unserializable details become {}', () => {
  const long = serializeCallError('m', 'GenericError', 'é'.repeat(400));
  const parsed = JSON.parse(long) as unknown[];
  assert.equal((parsed[3] as string).length, MAX_ERROR_DESCRIPTION_LENGTH);
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  assert.equal(serializeCallError('m', 'GenericError', 'd', circular), '[4,"m","GenericError","d",{}]');
});

test('serializing an unserializable payload throws', () => {
  assert.throws(() => serializeCall('m', 'Heartbeat', { n: 1n }), TypeError);
});

test('new message ids are valid and unique', () => {
  const ids = new Set(Array.from({ length: 1000 }, newMessageId));
  assert.equal(ids.size, 1000);
  for (const id of ids) assert.ok(isValidMessageId(id));
  assert.equal(isValidMessageId(id36), true);
  assert.equal(isValidMessageId(id37), false);
  assert.equal(isValidMessageId(''), false);
  assert.equal(isValidMessageId(5), false);
});
