/**
 * Restoring actors from persisted snapshots, and the version that says whether a snapshot still
 * fits the machine. A restored actor is not replayed: its context and state come back as they were,
 * its invoked actors are started again (a `deadline` re-arms itself), and entry actions do not run
 * again (DESIGN.md, "Restore is not a transition").
 */
import { createHash } from 'node:crypto';
import type { AnyActorScope, AnyStateMachine } from 'xstate';

/** What a restorable machine takes as input: its usual input, or a persisted snapshot to resume. */
export interface RestoreInput {
  /** A persisted snapshot (from `getPersistedSnapshot`, through JSON) to resume instead of starting fresh. */
  restore?: unknown;
}

/**
 * The machine, but when spawned or invoked with `input.restore` it resumes from that persisted
 * snapshot instead of starting in its initial state. The machines stay pure: they only pass the
 * snapshot (JSON) on as input.
 *
 * @example
 * const evse = restorable(evseMachine.provide({ ... }));
 * station.provide({ actors: { evse } }); // spawnChild('evse', { input: { ...input, restore: stored } })
 */
export function restorable<T extends AnyStateMachine>(machine: T): T {
  const logic = Object.create(machine) as T & {
    getInitialSnapshot: (scope: AnyActorScope, input: unknown) => unknown;
  };
  logic.getInitialSnapshot = (scope: AnyActorScope, input: unknown) => {
    const restore = (input as RestoreInput | undefined)?.restore;
    return restore === undefined || restore === null
      ? machine.getInitialSnapshot(scope, input)
      : machine.restoreSnapshot(restore as never, scope);
  };
  return logic;
}

/**
 * A version number of a machine's structure (states, transitions, action and guard names): a stored
 * snapshot with another version is not restored (the station rebuilds from its domain tables).
 *
 * @example
 * const version = machineVersion(evseMachine); // e.g. 19347201; changes when the chart changes
 */
export function machineVersion(...machines: AnyStateMachine[]): number {
  const hash = createHash('sha256');
  for (const machine of machines) hash.update(JSON.stringify(machine.root.definition));
  return hash.digest().readUInt32BE(0) & 0x7fffffff;
}
