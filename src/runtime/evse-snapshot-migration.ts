/**
 * Stored EVSE snapshots written before the session's child id was fixed. Up to issue 9 the EVSE
 * spawned its session under the child id `transaction:<transactionId>`; it now uses
 * `SESSION_CHILD_ID` (`transaction`) and keeps `transaction:<transactionId>` as the systemId only
 * (machines/transaction.ts says why). The chart's structure did not change, so such a snapshot has
 * the same machine version and is restored (DESIGN.md restore rules); its child entry is renamed
 * here first, or the restored session would finish under an id its EVSE no longer listens for.
 */
import { SESSION_CHILD_ID } from '../../machines/transaction.js';

/** The parts of a persisted EVSE snapshot the migration reads. */
interface PersistedEvseShape {
  context?: { session?: unknown };
  children?: Record<string, unknown>;
}

const LEGACY_PREFIX = 'transaction:';

/**
 * The snapshot with its session child under `SESSION_CHILD_ID` (the same object when there is
 * nothing to rename), or why it cannot be used (a string: the caller rebuilds from the domain
 * tables, as for any unusable snapshot).
 *
 * @example
 * migrateEvseSnapshot({ context: { session: 'abc' }, children: { 'transaction:abc': child } });
 * // → { context: { session: 'abc' }, children: { transaction: child } }
 */
export function migrateEvseSnapshot<T extends PersistedEvseShape>(snapshot: T): T | string {
  const children = snapshot.children;
  if (children === undefined || children === null || typeof children !== 'object') return snapshot;
  const legacy = Object.keys(children).filter((id) => id.startsWith(LEGACY_PREFIX));
  if (legacy.length === 0) return snapshot;
  const session = snapshot.context?.session;
  // The old chart ran one session at a time (E01.FR.14), the EVSE's `session`: anything else is not its snapshot.
  if (legacy.length > 1 || typeof session !== 'string' || legacy[0] !== `${LEGACY_PREFIX}${session}`) {
    return `session children [${legacy.join(', ')}] do not match the EVSE's session ${JSON.stringify(session ?? null)}`;
  }
  if (SESSION_CHILD_ID in children) return `both ${legacy[0]} and ${SESSION_CHILD_ID} are stored`;
  const renamed: Record<string, unknown> = {};
  // Keep the children's order (xstate restores them in it).
  for (const [id, child] of Object.entries(children)) renamed[id === legacy[0] ? SESSION_CHILD_ID : id] = child;
  return { ...snapshot, children: renamed };
}
