/**
 * What the station journal writes for the `reservation:<id>` actors: the actor's snapshot (with the
 * reservation machine's version) while it lives, and the derived `reservation` row while it is
 * active (H01); both go when it ends. Called by StationPersistence in the same SQLite transaction as
 * everything else decided in that run of transitions.
 */
import type { AnyActorRef } from 'xstate';
import type { ReservationContext } from '../../machines/reservation.js';
import type { ReservationChange } from '../store/journal.js';
import { LazyMap, LazySet } from '../lazy-collections.js';

/** The snapshot rows of one write (the journal's `snapshots` entries). */
type SnapshotRow = { actorId: string; machineVersion: number; snapshotJson: string | null };

/** A persisted reservation snapshot, as far as it is read here. */
interface PersistedReservation {
  status?: string;
  value?: unknown;
  context?: ReservationContext;
}

/**
 * @example
 * const writes = new ReservationWrites(version);
 * writes.mark('reservation:7');
 * const part = writes.take((id) => system.get(`reservation:${id}`));
 */
export class ReservationWrites {
  private readonly dirty = new LazySet<number>();
  /** What is stored now: snapshot JSON, and the domain row's JSON ('' when there is none). */
  private readonly written = new LazyMap<number, { snapshot: string; row: string }>();

  constructor(private readonly machineVersion: number) {}

  /** The rows the store held at start. */
  seed(rows: ReadonlyMap<number, { snapshot: string; row: string }>): void {
    for (const [id, value] of rows) this.written.set(id, value);
  }

  /** An inspection event of `systemId` (a `reservation:<id>` actor): write it after this run. */
  mark(systemId: string): void {
    const id = Number(systemId.slice('reservation:'.length));
    if (Number.isInteger(id)) this.dirty.add(id);
  }

  get pending(): boolean {
    return this.dirty.size > 0;
  }

  /**
   * The changes of the marked reservations, read from their actors now; `commit` records them as
   * written once the batch is stored, `restore` marks them again after a failed write.
   */
  take(actor: (reservationId: number) => AnyActorRef | undefined): {
    snapshots: SnapshotRow[];
    reservations: ReservationChange[];
    commit(): void;
    restore(): void;
  } {
    const ids = [...this.dirty].sort((a, b) => a - b);
    this.dirty.clear();
    const snapshots: SnapshotRow[] = [];
    const reservations: ReservationChange[] = [];
    const next = new Map<number, { snapshot: string; row: string } | null>();
    for (const id of ids) {
      const ref = actor(id);
      const persisted = ref?.getSnapshot().status === 'active' ? (ref.getPersistedSnapshot() as PersistedReservation) : null;
      const before = this.written.get(id);
      if (!persisted || persisted.status !== 'active' || !persisted.context) {
        // Ended (or stopped): nothing of it stays.
        if (before === undefined) continue;
        snapshots.push({ actorId: `reservation:${id}`, machineVersion: this.machineVersion, snapshotJson: null });
        if (before.row !== '') reservations.push({ kind: 'delete', reservationId: id });
        next.set(id, null);
        continue;
      }
      const snapshot = JSON.stringify(persisted);
      const r = persisted.context.reservation;
      const change: ReservationChange | null =
        persisted.value === 'active'
          ? {
              kind: 'upsert',
              reservationId: id,
              evseId: r.evseId,
              connectorType: r.connectorType,
              idTokenJson: JSON.stringify(r.idToken),
              groupIdTokenJson: r.groupIdToken === null ? null : JSON.stringify(r.groupIdToken),
              expiryDateTime: r.expiryDateTime,
            }
          : null;
      const row = change === null ? '' : JSON.stringify(change);
      if (snapshot !== before?.snapshot) {
        snapshots.push({ actorId: `reservation:${id}`, machineVersion: this.machineVersion, snapshotJson: snapshot });
      }
      if (row !== (before?.row ?? '')) reservations.push(change ?? { kind: 'delete', reservationId: id });
      next.set(id, { snapshot, row });
    }
    return {
      snapshots,
      reservations,
      commit: () => {
        for (const [id, value] of next) {
          if (value === null) this.written.delete(id);
          else this.written.set(id, value);
        }
      },
      restore: () => {
        for (const id of ids) this.dirty.add(id);
      },
    };
  }
}
