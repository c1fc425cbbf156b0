import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findOutgoingProblem, jsonSnapshot } from '../../src/queue/outgoing-check.js';

test('findOutgoingProblem: null for a valid station CALL', () => {
  assert.equal(findOutgoingProblem('Heartbeat', {}), null);
});

test('findOutgoingProblem names the field and gives the OCPP-J code', () => {
  assert.deepEqual(
    findOutgoingProblem('SecurityEventNotification', {
      type: 'X'.repeat(51),
      timestamp: '2026-01-01T00:00:00Z',
    }),
    {
      field: 'payload',
      code: 'PropertyConstraintViolation',
      description: '/type: must NOT have more than 50 characters',
      details: {
        errors: [{ path: '/type', keyword: 'maxLength', message: 'must NOT have more than 50 characters' }],
      },
    },
  );
  assert.equal(
    findOutgoingProblem('SecurityEventNotification', { type: 'A' })?.description,
    '/timestamp: required property is missing',
  );
});

test('findOutgoingProblem refuses unknown actions and CSMS-initiated ones', () => {
  assert.deepEqual(findOutgoingProblem('Teleport', {}), {
    field: 'action',
    code: 'NotImplemented',
    description: '"Teleport" is not an OCPP 2.0.1 action',
    details: {},
  });
  assert.equal(findOutgoingProblem('Reset', { type: 'Immediate' })?.code, 'NotSupported');
  // DataTransfer goes both ways.
  assert.equal(findOutgoingProblem('DataTransfer', { vendorId: 'V' }), null);
});

test('jsonSnapshot: the stored text and the value parsed back; non-JSON payloads say why', () => {
  assert.deepEqual(jsonSnapshot({ at: new Date(0), skip: undefined }), {
    json: '{"at":"1970-01-01T00:00:00.000Z"}',
    value: { at: '1970-01-01T00:00:00.000Z' },
  });
  assert.deepEqual(jsonSnapshot(undefined), { reason: 'undefined has no JSON form' });
  assert.match((jsonSnapshot({ n: 1n }) as { reason: string }).reason, /BigInt/);
  const cycle: Record<string, unknown> = {};
  cycle['self'] = cycle;
  assert.match((jsonSnapshot(cycle) as { reason: string }).reason, /circular/i);
});
