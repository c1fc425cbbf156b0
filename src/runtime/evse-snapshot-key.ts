/**
 * The form an EVSE actor's snapshot is compared and written in: its persisted snapshot with the
 * StatusNotification reporting of its connectors reset to where a connector starts (issue 9, boot
 * storm).
 *
 * A connector's `canSend`, `reported`, its `report` region and the id of its StatusNotification call
 * (`callId`, `inFlight`) are reset when a restored connector is `resumed` (machines/connector.ts: B01.FR.05, every
 * status is sent again to the new connection), so a snapshot that differs from the written one only
 * there restores to the same station. Comparing without them spares a fresh boot its EVSE writes
 * after Accepted and after each StatusNotification answer; any other change (facts, availability,
 * sessions) still differs and is written. Writing them reset too keeps a stored connector from being
 * caught mid-send: a restored `sending` state would wait for an answer that never comes until
 * `resumed` resets it (an invoked call, before issue 9's call effects, ran again with the status of
 * when it was stored: a stale or duplicate notification).
 */

/** The part of a persisted actor snapshot that the key reads. */
interface PersistedActor {
  value?: unknown;
  context?: Record<string, unknown> | undefined;
  children?: Record<string, { snapshot?: PersistedActor } & Record<string, unknown>>;
}

/**
 * The JSON text an EVSE snapshot is compared by and stored as: `persisted` (from
 * `getPersistedSnapshot()`) with each connector child's report state reset (`report: 'idle'`, no
 * children, `canSend: false`, `reported: null`, `callId: 0`, `inFlight: null`). Equal keys mean equal snapshots for a restore.
 *
 * @example
 * const json = evseSnapshotKey(actor.getPersistedSnapshot()); // the row's snapshot_json
 * json === evseSnapshotKey(JSON.parse(storedJson)); // nothing to write
 */
export function evseSnapshotKey(persisted: unknown): string {
  const evse = persisted as PersistedActor | null | undefined;
  if (evse === null || typeof evse !== 'object' || evse.children === undefined) return JSON.stringify(evse);
  // A shallow copy with the connectors' snapshots replaced, stringified without a replacer function
  // (which would take V8 off its fast JSON path for the whole snapshot).
  const children: Record<string, unknown> = {};
  for (const [id, child] of Object.entries(evse.children)) {
    children[id] = isConnectorEntry(child) ? { ...child, snapshot: withReportReset(child.snapshot) } : child;
  }
  return JSON.stringify({ ...evse, children });
}

/** Connector children are spawned with systemId `connector:<evse>:<id>` (machines/evse.ts). */
function isConnectorEntry(entry: unknown): boolean {
  const systemId = (entry as { systemId?: unknown } | null)?.systemId;
  return typeof systemId === 'string' && systemId.startsWith('connector:');
}

/** A connector's report region and the context it writes, as the connector machine starts them. */
function withReportReset(snapshot: PersistedActor | undefined): PersistedActor | undefined {
  if (snapshot === undefined || snapshot === null || typeof snapshot !== 'object') return snapshot;
  const value =
    snapshot.value !== null && typeof snapshot.value === 'object' && 'report' in snapshot.value
      ? { ...snapshot.value, report: 'idle' }
      : snapshot.value;
  const context =
    snapshot.context === undefined
      ? undefined
      : { ...snapshot.context, canSend: false, reported: null, callId: 0, inFlight: null };
  // A connector invokes no actor (its StatusNotification is an effect, src/runtime/call-effects.ts);
  // `children: {}` also drops the invoked call that snapshots of older connector charts held.
  return { ...snapshot, value, context, children: {} };
}
