/**
 * src/runtime/evse-snapshot-migration.ts: an EVSE snapshot stored before the session's child id was
 * fixed (issue 9) gets its session child renamed; anything that is not one session of the EVSE is
 * refused with the reason (the station then rebuilds from the domain tables).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SESSION_CHILD_ID } from '../../machines/transaction.js';
import { migrateEvseSnapshot } from '../../src/runtime/evse-snapshot-migration.js';

const connector = { src: 'connector', systemId: 'connector:1:1', snapshot: {} };
const session = { src: 'transaction', systemId: 'transaction:T1', snapshot: { context: { transactionId: 'T1' } } };

test('a legacy session child `transaction:<id>` becomes `transaction`, the other children kept in order', () => {
  const stored = { status: 'active', context: { session: 'T1' }, children: { 'connector:1:1': connector, 'transaction:T1': session } };
  const migrated = migrateEvseSnapshot(stored);
  assert.notEqual(typeof migrated, 'string');
  assert.deepEqual(Object.keys((migrated as typeof stored).children), ['connector:1:1', SESSION_CHILD_ID]);
  assert.equal((migrated as { children: Record<string, unknown> }).children[SESSION_CHILD_ID], session);
  assert.deepEqual(Object.keys(stored.children), ['connector:1:1', 'transaction:T1'], 'the input is not changed');
});

test('a snapshot of this version, or without children, is returned as it is', () => {
  const current = { context: { session: 'T1' }, children: { 'connector:1:1': connector, [SESSION_CHILD_ID]: session } };
  assert.equal(migrateEvseSnapshot(current), current);
  const idle = { context: { session: null } };
  assert.equal(migrateEvseSnapshot(idle), idle);
});

test('legacy children that are not the EVSE\'s one session are refused, naming them', () => {
  const other = migrateEvseSnapshot({ context: { session: 'T2' }, children: { 'transaction:T1': session } });
  assert.equal(other, 'session children [transaction:T1] do not match the EVSE\'s session "T2"');
  const two = migrateEvseSnapshot({ context: { session: 'T1' }, children: { 'transaction:T1': session, 'transaction:T0': session } });
  assert.match(String(two), /transaction:T1, transaction:T0/);
  const both = migrateEvseSnapshot({ context: { session: 'T1' }, children: { 'transaction:T1': session, [SESSION_CHILD_ID]: session } });
  assert.equal(both, 'both transaction:T1 and transaction are stored');
});
