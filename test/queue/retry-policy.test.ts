import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NORMAL_MAX_ATTEMPTS,
  classifyFailure,
  maxAttempts,
  retryDelayMs,
} from '../../src/queue/retry-policy.js';
import {
  OcppRpcError,
  RpcConnectionClosedError,
  RpcInvalidMessageError,
  RpcTimeoutError,
} from '../../src/rpc/errors.js';

const settings = { transactionAttempts: 3, transactionAttemptIntervalS: 60 };

test('classifyFailure: refused on our side, CALLERROR, lost with the connection, unanswered', () => {
  const ours = new RpcInvalidMessageError('outgoing-call', 'Heartbeat', 'm', 'FormatViolation', 'x');
  const theirs = new RpcInvalidMessageError('incoming-result', 'Heartbeat', 'm', 'FormatViolation', 'x');
  assert.equal(classifyFailure(ours, true), 'refused');
  assert.equal(classifyFailure(ours, false), 'refused');
  assert.equal(classifyFailure(new TypeError('x'), true), 'refused');
  assert.equal(classifyFailure(new RangeError('x'), true), 'refused');
  assert.equal(classifyFailure(new OcppRpcError('InternalError', 'x'), true), 'rejected');
  assert.equal(classifyFailure(new OcppRpcError('InternalError', 'x'), false), 'rejected');
  assert.equal(classifyFailure(new RpcConnectionClosedError('Heartbeat', 'm', true), false), 'lost');
  assert.equal(classifyFailure(new RpcTimeoutError('Heartbeat', 'm', 30_000), true), 'unanswered');
  assert.equal(classifyFailure(theirs, true), 'unanswered', 'a malformed CALLRESULT is a failed attempt');
});

test('E13.FR.02: transaction messages get MessageAttempts attempts (at least 1); others a fixed cap', () => {
  assert.equal(maxAttempts(true, settings), 3);
  assert.equal(maxAttempts(true, { ...settings, transactionAttempts: 0 }), 1);
  assert.equal(maxAttempts(true, { ...settings, transactionAttempts: Number.NaN }), 1);
  assert.equal(maxAttempts(false, settings), NORMAL_MAX_ATTEMPTS);
});

test('E13.FR.03: the wait is attempts × interval; never negative', () => {
  assert.equal(retryDelayMs(true, 2, settings), 120_000);
  assert.equal(retryDelayMs(false, 3, settings), 30_000);
  assert.equal(retryDelayMs(true, 0, settings), 0);
  assert.equal(retryDelayMs(true, 1, { ...settings, transactionAttemptIntervalS: -5 }), 0);
});
