import { test } from 'node:test';
import assert from 'node:assert/strict';
import { customerInformationStatus, splitCustomerInformation } from '../../src/customer/customer-information.js';

test('N09.FR.09/N09.FR.07: the CustomerInformationResponse status', () => {
  const token = { idToken: 'A', type: 'ISO14443' as const };
  assert.equal(customerInformationStatus({ requestId: 1, report: true, clear: false }).status, 'Invalid');
  assert.equal(customerInformationStatus({ requestId: 1, report: true, clear: false, idToken: token, customerIdentifier: 'c' }).status, 'Invalid');
  assert.equal(customerInformationStatus({ requestId: 1, report: false, clear: false, idToken: token }).status, 'Rejected');
  assert.equal(customerInformationStatus({ requestId: 1, report: false, clear: true, customerIdentifier: 'c' }).status, 'Accepted');
});

test('NotifyCustomerInformation parts: at most MaxCustomerInformationDataLength (and 512) characters, seqNo, tbc; code points kept whole', () => {
  const options = { requestId: 2, generatedAt: '2026-01-01T00:00:00.000Z' };
  assert.deepEqual(splitCustomerInformation('', options), [{ data: '', seqNo: 0, ...options }]);
  const parts = splitCustomerInformation('x'.repeat(25), { ...options, maxLength: 10 });
  assert.deepEqual(parts.map((p) => [p.seqNo, p.tbc, p.data.length]), [[0, true, 10], [1, true, 10], [2, undefined, 5]]);
  assert.equal(splitCustomerInformation('y'.repeat(600), { ...options, maxLength: 51200 })[0]?.data.length, 512);
  const emoji = '😀'.repeat(3);
  assert.deepEqual(splitCustomerInformation(emoji, { ...options, maxLength: 2 }).map((p) => p.data), ['😀😀', '😀']);
});
