/**
 * The exactly-once check of the power-loss tests: the TransactionEvents a CSMS kept (one per
 * transactionId and seqNo), grouped per transaction, must each run Started → … → Ended with seqNo
 * from 0 and no gap.
 */
import assert from 'node:assert/strict';
import type { TransactionEventRequest } from '../../src/generated/ocpp-types.js';
import type { ReceivedCall } from '../../src/testing/index.js';

/** The transactionId of a TransactionEvent CALL. */
export const transactionOf = (call: ReceivedCall): string =>
  (call.payload as TransactionEventRequest).transactionInfo.transactionId;

/**
 * Groups the calls by transaction and asserts each group is whole: seqNo 0..n-1, one Started
 * first, one Ended last. Returns the groups (sorted by seqNo).
 *
 * @example
 * const transactions = assertWholeTransactions(unique.values());
 * assert.equal(transactions.size, 100);
 */
export function assertWholeTransactions(
  calls: Iterable<ReceivedCall>,
): Map<string, TransactionEventRequest[]> {
  const transactions = new Map<string, TransactionEventRequest[]>();
  for (const call of calls) {
    const list = transactions.get(transactionOf(call)) ?? [];
    list.push(call.payload as TransactionEventRequest);
    transactions.set(transactionOf(call), list);
  }
  for (const [id, events] of transactions) {
    events.sort((a, b) => a.seqNo - b.seqNo);
    assert.deepEqual(
      events.map((e) => e.seqNo),
      events.map((_, i) => i),
      `transaction ${id}: seqNos from 0 without gaps`,
    );
    assert.equal(events[0]?.eventType, 'Started', `transaction ${id} starts with Started`);
    assert.equal(events.filter((e) => e.eventType === 'Started').length, 1, `transaction ${id}: one Started`);
    assert.equal(events.filter((e) => e.eventType === 'Ended').length, 1, `transaction ${id}: one Ended`);
    assert.equal(events.at(-1)?.eventType, 'Ended', `transaction ${id}: Ended is the last`);
  }
  return transactions;
}
