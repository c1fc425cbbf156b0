import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CSMS_INITIATED_ACTIONS, STATION_INITIATED_ACTIONS } from '../../src/rpc/action-directions.js';
import { OCPP_ACTIONS } from '../../src/generated/ocpp-types.js';

test('every OCPP 2.0.1 action has a direction, and only DataTransfer goes both ways', () => {
  const both = [...CSMS_INITIATED_ACTIONS].filter((a) => STATION_INITIATED_ACTIONS.has(a));
  assert.deepEqual(both, ['DataTransfer']);
  const covered = new Set([...CSMS_INITIATED_ACTIONS, ...STATION_INITIATED_ACTIONS]);
  assert.deepEqual([...covered].sort(), [...OCPP_ACTIONS].sort());
});

test('the usual suspects are on the right side', () => {
  for (const a of [
    'BootNotification',
    'Heartbeat',
    'StatusNotification',
    'TransactionEvent',
    'NotifyReport',
  ] as const) {
    assert.ok(STATION_INITIATED_ACTIONS.has(a), a);
    assert.ok(!CSMS_INITIATED_ACTIONS.has(a), a);
  }
  for (const a of [
    'Reset',
    'GetVariables',
    'SetChargingProfile',
    'RequestStartTransaction',
    'TriggerMessage',
  ] as const) {
    assert.ok(CSMS_INITIATED_ACTIONS.has(a), a);
    assert.ok(!STATION_INITIATED_ACTIONS.has(a), a);
  }
});
