import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotDeliveredError } from '../../src/queue/queue-types.js';
import { RpcConnectionClosedError, RpcTimeoutError } from '../../src/rpc/errors.js';
import { isClosingConsequence } from '../../src/runtime/closing-consequence.js';
import { TransportError } from '../../src/transport/errors.js';

test('only the consequences of the station closing itself count as such', () => {
  const cases: Array<[unknown, boolean]> = [
    [new NotDeliveredError('StatusNotification', 'the station stopped'), true],
    [new RpcConnectionClosedError('Heartbeat', 'm1', true), true],
    [new TransportError('aborted', 'connect aborted by close()'), true],
    [new TransportError('network', 'ECONNREFUSED'), false],
    [new TransportError('http-status', 'HTTP 401', { httpStatus: 401 }), false],
    [new RpcTimeoutError('Heartbeat', 'm2', 30_000), false],
    [new Error('SQLITE_IOERR: disk I/O error'), false],
    ['a string', false],
  ];
  for (const [error, expected] of cases) assert.equal(isClosingConsequence(error), expected, String(error));
});
