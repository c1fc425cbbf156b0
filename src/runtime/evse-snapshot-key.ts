/**
 * What decides whether an EVSE actor must be written again: its persisted snapshot without what
 * only the StatusNotification reporting of its connectors changes (issue 9, boot storm).
 *
 * A connector's `canSend`, `reported`, its `report` region and the StatusNotification call invoked
 * there are reset when a restored connector is `resumed` (machines/connector.ts: B01.FR.05, every
 * status is sent again to the new connection), so a snapshot that differs from the written one only
 * there restores to the same station. Leaving them out of the comparison spares a fresh boot its
 * EVSE writes after Accepted and after each StatusNotification answer; any other change (facts,
 * availability, sessions) still differs and is written, with the report state as it is then.
 */

/** The part of a persisted actor snapshot that the key reads. */
interface PersistedActor {
  value?: unknown;
  context?: Record<string, unknown> | undefined;
  children?: Record<string, { snapshot?: PersistedActor } & Record<string, unknown>>;
}

/** Context keys of a connector that only the report region writes. */
const REPORT_CONTEXT_KEYS = new Set(['canSend', 'reported']);

/**
 * The JSON text to compare EVSE snapshots by: `persisted` (from `getPersistedSnapshot()`) with each
 * connector child's report state left out. Equal keys mean equal snapshots for a restore.
 *
 * @example
 * evseSnapshotKey(actor.getPersistedSnapshot()) === evseSnapshotKey(JSON.parse(storedJson));
 */
export function evseSnapshotKey(persisted: unknown): string {
  const evse = persisted as PersistedActor | null | undefined;
  if (evse === null || typeof evse !== 'object' || evse.children === undefined) return JSON.stringify(evse);
  // A shallow copy with the connectors' snapshots replaced, stringified without a replacer function
  // (which would take V8 off its fast JSON path for the whole snapshot).
  const children: Record<string, unknown> = {};
  for (const [id, child] of Object.entries(evse.children)) {
    children[id] = isConnectorEntry(child) ? { ...child, snapshot: withoutReport(child.snapshot) } : child;
  }
  return JSON.stringify({ ...evse, children });
}

/** Connector children are spawned with systemId `connector:<evse>:<id>` (machines/evse.ts). */
function isConnectorEntry(entry: unknown): boolean {
  const systemId = (entry as { systemId?: unknown } | null)?.systemId;
  return typeof systemId === 'string' && systemId.startsWith('connector:');
}

function withoutReport(snapshot: PersistedActor | undefined): PersistedActor | undefined {
  if (snapshot === undefined || snapshot === null || typeof snapshot !== 'object') return snapshot;
  const value =
    snapshot.value !== null && typeof snapshot.value === 'object'
      ? Object.fromEntries(Object.entries(snapshot.value).filter(([region]) => region !== 'report'))
      : snapshot.value;
  const context =
    snapshot.context === undefined
      ? undefined
      : Object.fromEntries(Object.entries(snapshot.context).filter(([k]) => !REPORT_CONTEXT_KEYS.has(k)));
  // The connector's only invoked actor is the StatusNotification call of its report region.
  return { ...snapshot, value, context, children: {} };
}
