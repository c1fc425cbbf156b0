/**
 * Customer information (N09 report, N10 clear; TC_N_27–33_CS, TC_N_62_CS, TC_N_63_CS) against a real station
 * and the strict test CSMS: the response status, NotifyCustomerInformation split at
 * MaxCustomerInformationDataLength, the host's data through get/clearCustomerInformationCallback and
 * the station's own: the Authorization Cache entry of a token is reported and removed (the Local
 * Authorization List is left to the CSMS, N10.FR.02/03).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  CustomerInformationRequest,
  CustomerInformationResponse,
  NotifyCustomerInformationRequest,
} from '../../src/generated/ocpp-types.js';
import { CLEARED_TEXT, NO_DATA_TEXT } from '../../src/customer/customer-information.js';
import { presentPlugged, token } from './authorization-helpers.js';
import { registered } from './csms-helpers.js';
import { recorder } from './recorder.js';
import { startHarness, type Harness } from './station-harness.js';
import { assertClean, startTxHarness } from './transactions-helpers.js';

async function customerInformation(h: Harness, request: CustomerInformationRequest): Promise<CustomerInformationResponse> {
  return (await h.csms.call(h.identity, 'CustomerInformation', request)) as CustomerInformationResponse;
}

/** Every NotifyCustomerInformationRequest of `requestId` up to the last part. */
async function notified(h: Harness, requestId: number): Promise<NotifyCustomerInformationRequest[]> {
  const parts: NotifyCustomerInformationRequest[] = [];
  for (;;) {
    const call = await h.csms.waitForCall(
      'NotifyCustomerInformation',
      (c) => (c.payload as NotifyCustomerInformationRequest).requestId === requestId,
    );
    const part = call.payload as NotifyCustomerInformationRequest;
    parts.push(part);
    if (!part.tbc) return parts;
  }
}

test('N09.FR.09, N09.FR.07 (TC_N_33_CS, TC_N_29_CS): Invalid without exactly one customer reference; Rejected without report and clear', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  const none = await customerInformation(h, { requestId: 1, report: true, clear: false });
  assert.equal(none.status, 'Invalid');
  const two = await customerInformation(h, {
    requestId: 2,
    report: true,
    clear: false,
    customerIdentifier: 'c-1',
    idToken: { idToken: 'A', type: 'ISO14443' },
  });
  assert.equal(two.status, 'Invalid');
  assert.equal((await customerInformation(h, { requestId: 3, report: false, clear: false, customerIdentifier: 'c-1' })).status, 'Rejected');
  assert.equal(h.csms.calls.filter((c) => c.action === 'NotifyCustomerInformation').length, 0);
  assertClean(h);
});

test('N09.FR.02/05 (TC_N_27_CS): the host’s data is reported, split at MaxCustomerInformationDataLength with seqNo and tbc', async (t) => {
  const asked = recorder<string | undefined>();
  const text = `${'a'.repeat(512)}${'b'.repeat(512)}${'c'.repeat(100)}`;
  const h = await startHarness({
    set: ['InternalCtrlr.MaxCustomerInformationDataLength=512'],
    station: {
      callbacks: {
        getCustomerInformationCallback: (_certificate, _idToken, customerIdentifier) => {
          asked.push(customerIdentifier);
          return customerIdentifier === 'customer-7' ? text : '';
        },
      },
    },
  });
  t.after(() => h.close());
  await registered(h);
  assert.deepEqual(await customerInformation(h, { requestId: 7, report: true, clear: false, customerIdentifier: 'customer-7' }), {
    status: 'Accepted',
  });
  const parts = await notified(h, 7);
  assert.deepEqual(parts.map((p) => [p.seqNo, p.tbc ?? false, p.data.length]), [
    [0, true, 512],
    [1, true, 512],
    [2, false, 100],
  ]);
  assert.equal(parts.map((p) => p.data).join(''), text);
  assert.deepEqual(asked.items, ['customer-7']);
  assertClean(h);
});

test('N09.FR.06, N10.FR.04 (TC_N_28_CS, TC_N_31_CS): nothing stored about the customer: one message saying so', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  await customerInformation(h, { requestId: 8, report: true, clear: false, idToken: { idToken: 'NOBODY', type: 'ISO14443' } });
  assert.deepEqual((await notified(h, 8)).map((p) => [p.seqNo, p.tbc, p.data]), [[0, undefined, NO_DATA_TEXT]]);
  // N10.FR.04 (TC_N_31_CS): clear and report, nothing held: the same single message.
  await customerInformation(h, { requestId: 9, report: true, clear: true, idToken: { idToken: 'NOBODY', type: 'ISO14443' } });
  assert.deepEqual((await notified(h, 9)).map((p) => [p.seqNo, p.tbc, p.data]), [[0, undefined, NO_DATA_TEXT]]);
  assertClean(h);
});

test('N10.FR.03 (TC_N_30_CS): clear and report by idToken: the Authorization Cache entry is reported, then removed (also after a restart)', async (t) => {
  const cleared = recorder<string | undefined>();
  const h = await startTxHarness({
    station: {
      callbacks: {
        clearCustomerInformationCallback: (_certificate, idToken) => cleared.push(idToken?.idToken),
      },
    },
  });
  t.after(() => h.close());
  const tag = token('CUSTOMER-1');
  assert.equal((await presentPlugged(h, tag)).action, 'started');
  assert.equal(h.station.authCacheSize(), 1);
  assert.equal((await customerInformation(h, { requestId: 9, report: true, clear: true, idToken: tag })).status, 'Accepted');
  const parts = await notified(h, 9);
  assert.match(parts.map((p) => p.data).join(''), /AuthorizationCache: ISO14443 CUSTOMER-1, status Accepted/);
  assert.deepEqual(cleared.items, ['CUSTOMER-1']);
  assert.equal(h.station.authCacheSize(), 0);
  assert.equal(h.station.authorizationData.cacheRecord(tag), undefined);
  await h.restart();
  assert.equal(h.station.authCacheSize(), 0, 'removed from the store too');
  assertClean(h);
});

test('N10.FR.06 (TC_N_32_CS): clear without report: one message saying the data was cleared', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  const tag = token('CUSTOMER-2');
  await presentPlugged(h, tag);
  assert.equal((await customerInformation(h, { requestId: 10, report: false, clear: true, idToken: tag })).status, 'Accepted');
  assert.deepEqual((await notified(h, 10)).map((p) => [p.seqNo, p.data]), [[0, CLEARED_TEXT]]);
  assert.equal(h.station.authCacheSize(), 0);
  assertClean(h);
});

test('N10.FR.03/09 (TC_N_63_CS): by customerCertificate: the host reports the data held for it, clears it, then has none', async (t) => {
  const held = new Map<string, string>([['5A3C', 'contract certificate of Jane Doe, EMAID NL-TNM-000122045-U']]);
  const h = await startHarness({
    station: {
      callbacks: {
        getCustomerInformationCallback: (certificate) => (certificate ? (held.get(certificate.serialNumber) ?? '') : ''),
        clearCustomerInformationCallback: (certificate) => {
          if (certificate) held.delete(certificate.serialNumber);
        },
      },
    },
  });
  t.after(() => h.close());
  await registered(h);
  const customerCertificate = { hashAlgorithm: 'SHA256' as const, issuerNameHash: 'aa'.repeat(32), issuerKeyHash: 'bb'.repeat(32), serialNumber: '5A3C' };
  assert.equal((await customerInformation(h, { requestId: 20, report: true, clear: true, customerCertificate })).status, 'Accepted');
  assert.deepEqual((await notified(h, 20)).map((p) => p.data), ['contract certificate of Jane Doe, EMAID NL-TNM-000122045-U']);
  assert.equal(held.size, 0, 'the host was told to clear');
  assert.equal((await customerInformation(h, { requestId: 21, report: true, clear: false, customerCertificate })).status, 'Accepted');
  assert.deepEqual((await notified(h, 21)).map((p) => p.data), [NO_DATA_TEXT]);
  assertClean(h);
});
