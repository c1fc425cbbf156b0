/**
 * OCPP-J errors (Part 4 §4.2.3, §4.3) with the whole station: crafted frames sent raw by the test
 * CSMS get the right CALLERROR, CALLERRORs answering our CALLs are handled, and the station keeps
 * running after each.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRPCError } from 'ocpp-rpc';
import type { DataTransferRequest, DataTransferResponse } from '../../src/generated/ocpp-types.js';
import { OcppRpcError } from '../../src/rpc/errors.js';
import { recorder } from './recorder.js';
import { startHarness, type Harness } from './station-harness.js';

/** The station answers a triggered Heartbeat: it is alive and has handled every earlier frame. */
async function heartbeatRoundTrip(h: Harness): Promise<void> {
  const response = (await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'Heartbeat' })) as {
    status: string;
  };
  assert.equal(response.status, 'Accepted');
  await h.csms.waitForCall('Heartbeat');
}

/** Frames the station sent from index `from` of the CSMS's log on, parsed. */
function framesFrom(h: Harness, from: number): unknown[][] {
  return h.csms.frames
    .slice(from)
    .filter((f) => f.identity === h.identity && f.direction === 'in')
    .map((f) => JSON.parse(f.text) as unknown[]);
}

const BOOT = { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } };

/** [name, raw frame, expected code, expected message id of the CALLERROR] */
const CASES: Array<[string, string, string, string]> = [
  ['not JSON', '[2, "x", "Reset", {', 'RpcFrameworkError', '-1'],
  ['not an array', '{"type":"Immediate"}', 'RpcFrameworkError', '-1'],
  ['an empty array', '[]', 'RpcFrameworkError', '-1'],
  ['an unknown message type', '[9,"rpc-type",{}]', 'MessageTypeNotSupported', 'rpc-type'],
  ['a CALL without payload', '[2,"rpc-short","Reset"]', 'ProtocolError', 'rpc-short'],
  [
    'an action OCPP 2.0.1 does not define',
    '[2,"rpc-unknown","FlyToTheMoon",{}]',
    'NotImplemented',
    'rpc-unknown',
  ],
  [
    'a station-initiated action (BootNotification)',
    `[2,"rpc-boot","BootNotification",${JSON.stringify(BOOT)}]`,
    'NotSupported',
    'rpc-boot',
  ],
  [
    'a CSMS action this station does not support (PublishFirmware: Local Controllers only)',
    '[2,"rpc-cost","PublishFirmware",{"location":"https://x.example/fw","checksum":"0123456789abcdef0123456789abcdef","requestId":1}]',
    'NotSupported',
    'rpc-cost',
  ],
  [
    'a field the schema does not define',
    '[2,"rpc-extra","Reset",{"type":"Immediate","colour":"red"}]',
    'FormatViolation',
    'rpc-extra',
  ],
  ['a payload that is not an object', '[2,"rpc-array","Reset",[1]]', 'FormatViolation', 'rpc-array'],
  [
    'a missing required field',
    '[2,"rpc-missing","Reset",{}]',
    'OccurrenceConstraintViolation',
    'rpc-missing',
  ],
  [
    'a value outside the enumeration',
    '[2,"rpc-enum","Reset",{"type":"Sometimes"}]',
    'PropertyConstraintViolation',
    'rpc-enum',
  ],
  [
    'a field of the wrong type',
    '[2,"rpc-type-field","Reset",{"type":"Immediate","evseId":"one"}]',
    'TypeConstraintViolation',
    'rpc-type-field',
  ],
  [
    'a handler that fails',
    '[2,"rpc-fails","DataTransfer",{"vendorId":"com.example.fails"}]',
    'InternalError',
    'rpc-fails',
  ],
];

test('Part 4 §4.2.3/§4.3: every malformed or refused CSMS frame gets its CALLERROR and the station keeps running', async (t) => {
  const securityLog = recorder<string>();
  const h = await startHarness({
    station: {
      callbacks: {
        securityEventCallback: (type) => securityLog.push(type),
        dataTransferCallback: (request: DataTransferRequest): DataTransferResponse => {
          if (request.vendorId === 'com.example.fails') throw new Error('vendor extension crashed');
          return { status: 'Accepted' };
        },
      },
    },
  });
  t.after(() => h.close());
  await h.csms.waitForCall('BootNotification');
  await heartbeatRoundTrip(h);

  for (const [name, text, code, messageId] of CASES) {
    const from = h.csms.frames.length;
    h.csms.sendRaw(h.identity, text);
    // Frames are handled in order: the CALLERROR is on the wire before the trigger's answer.
    await heartbeatRoundTrip(h);
    const errors = framesFrom(h, from).filter((f) => f[0] === 4);
    assert.equal(errors.length, 1, `${name}: one CALLERROR`);
    const [, id, errorCode, description, details] = errors[0]!;
    assert.equal(errorCode, code, name);
    assert.equal(id, messageId, name);
    assert.equal(typeof description, 'string');
    assert.equal(typeof details, 'object');
  }
  // InternalError says no more than that (the cause stays local, docs/errors.md).
  const failed = h.errors.find((e) => (e as { kind?: string }).kind === 'handler-error');
  assert.ok(failed, 'the handler failure is reported locally');

  // Appendix 1: frames that are not valid OCPP-J are logged as InvalidMessages (not critical: not sent).
  assert.equal(
    securityLog.count((type) => type === 'InvalidMessages'),
    5,
  );
  assert.ok(
    h.csms.calls
      .filter((c) => c.action === 'SecurityEventNotification')
      .every((c) => (c.payload as { type: string }).type !== 'InvalidMessages'),
  );

  // Answers to nothing we sent are ignored, never answered (Part 4 §4.2.3: no CALLERROR for a CALLRESULT).
  const from = h.csms.frames.length;
  h.csms.sendRaw(h.identity, '[3,"never-sent",{}]');
  h.csms.sendRaw(h.identity, '[4,"never-sent-either","GenericError","",{}]');
  await heartbeatRoundTrip(h);
  assert.deepEqual(
    framesFrom(h, from).map((f) => f[0]),
    [3, 2],
    'only the TriggerMessage answer and the Heartbeat',
  );
  assert.equal(h.station.isConnected, true);
  assert.equal(h.csms.calls.filter((c) => c.action === 'BootNotification').length, 1);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('Part 4 §4.2.3: a CALL that reuses the id of one still being handled gets RpcFrameworkError; the first is answered', async (t) => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const h = await startHarness({
    station: {
      callbacks: {
        dataTransferCallback: async () => {
          await released;
          return { status: 'Accepted' };
        },
      },
    },
  });
  t.after(() => h.close());
  await h.csms.waitForCall('BootNotification');
  await heartbeatRoundTrip(h);
  const from = h.csms.frames.length;
  const call = '[2,"rpc-slow","DataTransfer",{"vendorId":"com.example.slow"}]';
  h.csms.sendRaw(h.identity, call);
  h.csms.sendRaw(h.identity, call);
  await heartbeatRoundTrip(h);
  release();
  await heartbeatRoundTrip(h);
  const answers = framesFrom(h, from).filter((f) => f[1] === 'rpc-slow');
  assert.deepEqual(
    answers.map((f) => (f[0] === 4 ? `error:${String(f[2])}` : `result:${JSON.stringify(f[2])}`)),
    ['error:RpcFrameworkError', 'result:{"status":"Accepted"}'],
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B01 error handling: a CALLERROR answering our BootNotification is retried; one answering a Heartbeat is reported and the station carries on', async (t) => {
  const h = await startHarness({ noStart: true, station: { bootRetryIntervalS: 1 } });
  t.after(() => h.close());
  let boots = 0;
  h.csms.onCall('BootNotification', () => {
    boots += 1;
    if (boots === 1) throw createRPCError('GenericError', 'try again later');
    return { currentTime: new Date().toISOString(), interval: 300, status: 'Accepted' };
  });
  await h.station.start();
  await h.csms.waitForCall('BootNotification');
  await h.csms.waitForCall('BootNotification');
  await h.csms.waitForCall('StatusNotification');
  assert.equal(h.station.registrationStatus, 'Accepted');

  h.csms.onCall('Heartbeat', () => {
    throw createRPCError('InternalError', 'clock unavailable');
  });
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'Heartbeat' });
  await h.csms.waitForCall('Heartbeat');
  h.csms.onCall('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
  await heartbeatRoundTrip(h);
  assert.ok(h.errors.some((e) => e instanceof OcppRpcError && e.code === 'InternalError'));
  assert.equal(h.station.isConnected, true);
  assert.deepEqual(h.csms.validationFailures, []);
});
