/** Shared test assertion: a meter value the module produced is valid in both messages that carry one. */
import assert from 'node:assert/strict';
import type { MeterValueType } from '../../src/generated/ocpp-types.js';
import { validateRequest } from '../../src/validation/index.js';

/**
 * Asserts that `meterValue` passes MeterValuesRequest and TransactionEventRequest validation.
 *
 * @example
 * assertReportable(readingFromElectrical({ timestamp: T, energyWh: 1 }));
 */
export function assertReportable(meterValue: MeterValueType): void {
  assert.equal(
    validateRequest('MeterValues', { evseId: 1, meterValue: [meterValue] }),
    null,
    'MeterValuesRequest',
  );
  const transactionEvent = {
    eventType: 'Updated',
    timestamp: meterValue.timestamp,
    triggerReason: 'MeterValuePeriodic',
    seqNo: 1,
    transactionInfo: { transactionId: 'tx-1' },
    meterValue: [meterValue],
  };
  assert.equal(validateRequest('TransactionEvent', transactionEvent), null, 'TransactionEventRequest');
}
