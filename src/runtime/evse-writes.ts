/**
 * What a write of StationPersistence (src/runtime/station-persistence.ts) stores of an EVSE actor,
 * compared with what was written last: its snapshot row, the transaction records of its sessions
 * and its `availability` rows. Unchanged things are not written again.
 */
import type { AnyActorRef } from 'xstate';
import type { TransactionContext } from '../../machines/transaction-rules.js';
import { SESSION_CHILD_ID } from '../../machines/transaction.js';
import type { AvailabilityChange, JournalBatch, TransactionRecordChange } from '../store/journal.js';
import { textDigest } from '../store/text-digest.js';
import { lazyCopy } from '../lazy-collections.js';
import { availabilityChanges } from './availability-rows.js';
import { evseSnapshotKey } from './evse-snapshot-key.js';

/** What was last written, so that unchanged things are not written again. */
export interface Written {
  /**
   * EVSE id → digest of the written snapshot's key (evse-snapshot-key.ts): a number, not the
   * snapshot's text, which a fleet would keep per EVSE only to compare with (issue 9).
   */
  snapshots: Map<number, number>;
  /** transactionId → the EVSE it is on and its context JSON. */
  transactions: Map<string, { evseId: number; json: string }>;
  availability: Map<string, string>;
}

/** The rows one write changes for the EVSEs. */
export interface EvseChanges {
  snapshots: NonNullable<JournalBatch['snapshots']>[number][];
  transactions: TransactionRecordChange[];
  availability: AvailabilityChange[];
}

/** Parts of a persisted EVSE snapshot that the coordinator reads. */
interface PersistedEvse {
  context?: {
    evseOperative?: boolean;
    stationOperative?: boolean;
    connectorOperative?: Record<string, boolean>;
    scheduled?: { evse?: boolean; station?: boolean; connectors?: Record<string, boolean> };
    connectorIds?: number[];
  };
  children?: Record<string, { snapshot?: { context?: TransactionContext } }>;
}

/**
 * The digest a snapshot is compared by.
 *
 * @example
 * written.snapshots.set(evseId, initialEvseDigest(actor, snapshotDigest));
 */
export function snapshotDigest(persisted: unknown): number {
  return textDigest(evseSnapshotKey(persisted));
}

/**
 * The digest of a stored snapshot's text; an unreadable one matches nothing (it is rewritten).
 *
 * @example
 * written.snapshots.set(evseId, storedDigest(json));
 */
export function storedDigest(json: string): number {
  try {
    return snapshotDigest(JSON.parse(json));
  } catch {
    return -1;
  }
}

/**
 * Neither a snapshot row nor a transaction record of the EVSE was stored (or written since).
 *
 * @example
 * if (isFreshEvse(written, 1)) ...
 */
export function isFreshEvse(written: Written, evseId: number): boolean {
  if (written.snapshots.has(evseId)) return false;
  for (const record of written.transactions.values()) if (record.evseId === evseId) return false;
  return true;
}

/**
 * What will have been written once a write succeeds, starting as what was written last.
 *
 * @example
 * const next = copyWritten(written);
 */
export function copyWritten(written: Written): Written {
  return {
    snapshots: new Map(written.snapshots),
    // Empty while the station idles without a transaction (issue 9): lazy, as the originals.
    transactions: lazyCopy(written.transactions),
    availability: lazyCopy(written.availability),
  };
}

/**
 * Adds to `changes` what of the EVSE differs from `last` (its snapshot, its sessions' records,
 * its availability rows), and records it in `next`.
 *
 * @example
 * captureEvse(actor, 1, EVSE_MACHINE_VERSION, written, next, changes);
 */
export function captureEvse(
  actor: AnyActorRef,
  evseId: number,
  machineVersion: number,
  last: Written,
  next: Written,
  changes: EvseChanges,
): void {
  const liveTransactions = new Set<string>();
  const persisted = actor.getPersistedSnapshot() as PersistedEvse;
  // Compared and written with the connectors' report state reset (evse-snapshot-key.ts).
  const snapshotJson = evseSnapshotKey(persisted);
  const digest = textDigest(snapshotJson);
  if (digest !== last.snapshots.get(evseId)) {
    changes.snapshots.push({
      actorId: `evse:${evseId}`,
      machineVersion,
      snapshotJson,
    });
    next.snapshots.set(evseId, digest);
  }
  for (const [childId, child] of Object.entries(persisted.children ?? {})) {
    const context = child.snapshot?.context;
    if (childId !== SESSION_CHILD_ID || !context) continue;
    liveTransactions.add(context.transactionId);
    const contextJson = JSON.stringify(context);
    if (last.transactions.get(context.transactionId)?.json === contextJson) continue;
    changes.transactions.push({
      kind: 'upsert',
      transactionId: context.transactionId,
      evseId,
      connectorId: context.connectorId,
      nextSeqNo: context.seqNo,
      contextJson,
      startedAt: context.startedAt,
    });
    next.transactions.set(context.transactionId, { evseId, json: contextJson });
  }
  // A session of this EVSE whose actor is gone (ended, or never a transaction) leaves the table.
  for (const [transactionId, written] of last.transactions) {
    if (written.evseId !== evseId || liveTransactions.has(transactionId)) continue;
    changes.transactions.push({ kind: 'delete', transactionId });
    next.transactions.delete(transactionId);
  }
  changes.availability.push(...availabilityChanges(next.availability, evseId, persisted.context));
}
