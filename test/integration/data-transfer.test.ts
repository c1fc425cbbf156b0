/**
 * Data transfer both ways (P01, P02; TC_P_01_CS) and customData (TC_P_03_CS, TC_P_04_CS) against a real station and the strict test CSMS:
 * DataTransfer from the CSMS answered by dataTransferCallback (UnknownVendorId without it), the
 * host's answer validated before it is sent, and ChargePoint.dataTransfer sending one to the CSMS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  DataTransferRequest,
  DataTransferResponse,
  GetVariablesResponse,
  SetChargingProfileResponse,
  SetVariablesResponse,
} from '../../src/generated/ocpp-types.js';
import { NotDeliveredError } from '../../src/queue/message-queue.js';
import { callErrorCode, registered } from './csms-helpers.js';
import { startHarness } from './station-harness.js';
import { assertClean, goOffline, txHost } from './transactions-helpers.js';

test('P01.FR.05 (TC_P_01_CS): without dataTransferCallback every vendor is unknown', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  assert.deepEqual(await h.csms.call(h.identity, 'DataTransfer', { vendorId: 'com.example', messageId: 'x' }), {
    status: 'UnknownVendorId',
  });
  assertClean(h);
});

test('P01.FR.05/06/07 (TC_P_01_CS): the host answers per vendorId and messageId, with data', async (t) => {
  const seen: DataTransferRequest[] = [];
  const h = await startHarness({
    station: {
      callbacks: {
        dataTransferCallback: (request): DataTransferResponse => {
          seen.push(request);
          if (request.vendorId !== 'com.example') return { status: 'UnknownVendorId' };
          if (request.messageId !== 'echo') return { status: 'UnknownMessageId' };
          return { status: 'Accepted', data: { echoed: request.data ?? null } };
        },
      },
    },
  });
  t.after(() => h.close());
  await registered(h);
  const call = (request: DataTransferRequest) => h.csms.call(h.identity, 'DataTransfer', request);
  assert.deepEqual(await call({ vendorId: 'org.other' }), { status: 'UnknownVendorId' });
  assert.deepEqual(await call({ vendorId: 'com.example', messageId: 'nope' }), { status: 'UnknownMessageId' });
  assert.deepEqual(await call({ vendorId: 'com.example', messageId: 'echo', data: { n: [1, 2] } }), {
    status: 'Accepted',
    data: { echoed: { n: [1, 2] } },
  });
  assert.equal(seen.length, 3);
  assertClean(h);
});

test('P01: a host answer that breaks the schema, or a throwing callback, is a CALLERROR; the station keeps running', async (t) => {
  let answer: () => DataTransferResponse = () => ({ status: 'Maybe' }) as unknown as DataTransferResponse;
  const h = await startHarness({ station: { callbacks: { dataTransferCallback: () => answer() } } });
  t.after(() => h.close());
  await registered(h);
  const invalid = await callErrorCode(h.csms.call(h.identity, 'DataTransfer', { vendorId: 'com.example' }));
  // The station's own answer is invalid: its fault, not the CSMS's (Part 4 §4.3 InternalError).
  assert.equal(invalid, 'InternalError');
  answer = () => {
    throw new Error('vendor module crashed');
  };
  assert.equal(await callErrorCode(h.csms.call(h.identity, 'DataTransfer', { vendorId: 'com.example' })), 'InternalError');
  answer = () => ({ status: 'Rejected' });
  assert.deepEqual(await h.csms.call(h.identity, 'DataTransfer', { vendorId: 'com.example' }), { status: 'Rejected' });
  assert.deepEqual(h.csms.validationFailures, []);
  h.errors.length = 0; // the failures above are reported to the host; nothing else may be
});

test('P02.FR.06/07 (no Part 6 CS test case): ChargePoint.dataTransfer sends a DataTransferRequest and resolves with the CSMS’s response', async (t) => {
  const host = txHost();
  const h = await startHarness({ station: { callbacks: host.callbacks } });
  t.after(() => h.close());
  await registered(h);
  h.csms.onCall('DataTransfer', (call) => {
    const request = call.payload as DataTransferRequest;
    if (request.vendorId !== 'com.example') return { status: 'UnknownVendorId' };
    if (request.messageId === 'refuse') return { status: 'Rejected', data: { reason: 'not now' } };
    return request.messageId === 'ping' ? { status: 'Accepted', data: 'pong' } : { status: 'UnknownMessageId' };
  });
  assert.deepEqual(await h.station.dataTransfer({ vendorId: 'com.example', messageId: 'ping', data: { at: 1 } }), {
    status: 'Accepted',
    data: 'pong',
  });
  assert.deepEqual(await h.station.dataTransfer({ vendorId: 'com.example', messageId: 'other' }), {
    status: 'UnknownMessageId',
  });
  // Every status of the CSMS reaches the host as it was answered (Rejected with its data, UnknownVendorId).
  assert.deepEqual(await h.station.dataTransfer({ vendorId: 'com.example', messageId: 'refuse' }), {
    status: 'Rejected',
    data: { reason: 'not now' },
  });
  assert.deepEqual(await h.station.dataTransfer({ vendorId: 'org.unknown' }), { status: 'UnknownVendorId' });
  const received = h.csms.calls.filter((c) => c.action === 'DataTransfer').map((c) => c.payload);
  assert.deepEqual(received[0], { vendorId: 'com.example', messageId: 'ping', data: { at: 1 } });
  // An invalid request is refused before it is sent, naming the field.
  await assert.rejects(h.station.dataTransfer({ vendorId: 'x'.repeat(300) }), /vendorId/);
  await goOffline(h, host);
  await assert.rejects(h.station.dataTransfer({ vendorId: 'com.example' }), NotDeliveredError);
  assertClean(h);
});

test('TC_P_03_CS, TC_P_04_CS: customData the station does not know is accepted and ignored (SetVariables, a charging profile)', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  const customData = { vendorId: 'org.openchargealliance.octt', note: 'ignored', nested: { n: 1 } };
  const set = (await h.csms.call(h.identity, 'SetVariables', {
    customData,
    setVariableData: [
      {
        customData,
        attributeType: 'Actual',
        attributeValue: '200',
        component: { name: 'OCPPCommCtrlr', customData },
        variable: { name: 'OfflineThreshold', customData },
      },
    ],
  })) as SetVariablesResponse;
  assert.equal(set.setVariableResult[0]?.attributeStatus, 'Accepted');
  const got = (await h.csms.call(h.identity, 'GetVariables', {
    customData,
    getVariableData: [{ customData, attributeType: 'Actual', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' } }],
  })) as GetVariablesResponse;
  assert.deepEqual([got.getVariableResult[0]?.attributeStatus, got.getVariableResult[0]?.attributeValue], ['Accepted', '200']);
  const profile = (await h.csms.call(h.identity, 'SetChargingProfile', {
    evseId: 1,
    chargingProfile: {
      customData,
      id: 41,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: [
        {
          customData,
          id: 1,
          duration: 3600,
          startSchedule: new Date().toISOString(),
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [{ customData, startPeriod: 0, limit: 6, numberPhases: 3 }],
        },
      ],
    },
  })) as SetChargingProfileResponse;
  assert.equal(profile.status, 'Accepted');
  assertClean(h);
});
