/**
 * The persisted snapshot of one singleton actor (a fixed actor id, e.g. `firmware`, `log-upload`) in
 * `actor_snapshot`: marked dirty by the inspection stream, taken by StationPersistence into the
 * same SQLite transaction as the rest of its run of transitions, and only written when it changed
 * (DESIGN.md, restore rules).
 */
import type { AnyActorRef } from 'xstate';

/** A row of `actor_snapshot` as the journal writes it. */
export type ActorSnapshotRow = { actorId: string; machineVersion: number; snapshotJson: string | null };

/**
 * @example
 * const writes = new ActorSnapshotWrites('log-upload', version);
 * writes.mark();
 * const part = writes.take(system.get('log-upload'));
 */
export class ActorSnapshotWrites {
  private dirty = false;
  private written = '';

  constructor(
    readonly actorId: string,
    private readonly machineVersion: number,
  ) {}

  /** What the store held at start. */
  seed(snapshotJson: string): void {
    this.written = snapshotJson;
  }

  /**
   * The actor's snapshot changed. `initial`: the change is the actor's creation (`xstate.init`); with
   * no row stored, that snapshot is what a start without a row creates anyway, so there is nothing to
   * restore and nothing to write (issue 9: a fleet's boot wrote one such row per actor and station).
   */
  mark(initial = false): void {
    if (initial && this.written === '') return;
    this.dirty = true;
  }

  get pending(): boolean {
    return this.dirty;
  }

  /** The snapshot row to write (if it changed); `commit` once stored, `restore` after a failed write. */
  take(actor: AnyActorRef | undefined): { snapshots: ActorSnapshotRow[]; commit(): void; restore(): void } {
    const wasDirty = this.dirty;
    this.dirty = false;
    if (!wasDirty || !actor || actor.getSnapshot().status !== 'active') {
      return { snapshots: [], commit: () => undefined, restore: () => undefined };
    }
    const json = JSON.stringify(actor.getPersistedSnapshot());
    if (json === this.written) return { snapshots: [], commit: () => undefined, restore: () => undefined };
    return {
      snapshots: [{ actorId: this.actorId, machineVersion: this.machineVersion, snapshotJson: json }],
      commit: () => {
        this.written = json;
      },
      restore: () => {
        this.dirty = true;
      },
    };
  }
}
