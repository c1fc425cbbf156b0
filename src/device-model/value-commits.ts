/**
 * How a station's device-model writes become values (issue 9, boot storm): the rows of every write
 * join the turn's other device-model writes of the database (src/store/write-batch.ts: one SQLite
 * transaction for all the stations' writes of one turn, not one each), and each write's promise
 * resolves once its rows are committed. The runtime's own writes (`set`, `setHostValues`: the
 * network profile list at start, the CSMS's HeartbeatInterval of B01.FR.04, AvailabilityState) are
 * in memory, and told to the listeners, at once; a SetVariables (B05) only once stored, so that
 * its Accepted values and its listeners' reactions never run ahead of a store that fails.
 */
import type { AttributeState, ModelIndex, VariableState } from './model-index.js';
import { refOf } from './model-index.js';
import type { AttributeWrite } from './attribute-write.js';
import type { ValueSource, VariableRef } from './types.js';
import { formatVariablePath } from './variable-path.js';

/**
 * A change of a value, reported once the value is in the model (see {@link ValueCommits}; a store
 * that fails after the value was shown puts the value back, reported as a change too).
 */
export interface DeviceModelChange {
  ref: VariableRef;
  value: string;
  previous: string | undefined;
  source: 'host' | 'csms';
  /** The variable only takes the new value into effect after a reboot (answered RebootRequired). */
  rebootRequired: boolean;
}

/** A write to commit: the attribute, its new value, and whether it takes effect after a reboot only. */
export type CommitWrite = AttributeWrite & { rebootRequired: boolean };

/** When the model shows a write's values: at once (`now`) or once stored (`stored`). */
export type Visibility = 'now' | 'stored';

/** Stores rows of a write (one transaction, the turn's batch); rejects when the store fails. */
export type StoreRows = (
  rows: readonly AttributeWrite[],
  source: 'host' | 'csms',
  updatedAt: string,
) => Promise<void>;

/** An attribute's value as the store has it: what a failed write puts back. */
interface StoredValue {
  value: string | undefined;
  source: ValueSource;
  updatedAt: string;
}

/** An attribute with writes not yet settled. */
interface PendingAttribute {
  variable: VariableState;
  /** The number of its last write: only that write's outcome is shown or put back. */
  latest: number;
  /** Its writes not yet settled. */
  open: number;
  /** Its value in the store: when its first pending write began, then at each committed write. */
  stored: StoredValue;
  /** The number of the write `stored` comes from (0: from before its first pending write). */
  storedBy: number;
}

/**
 * Commits a station's device-model writes (see the file comment), keeping the model equal to the
 * store: each write is numbered; a value is shown, or put back after a failure, only while no
 * later write of the same attribute was made, and what a failure puts back is the value last
 * stored, not what memory showed when the write began (which may be another write still pending,
 * and failing too). The batches commit in order, so a later write's row is the one stored.
 *
 * @example
 * const commits = new ValueCommits(index, storeRows, now, warn);
 * await commits.commit([{ variable, attribute, value: '300', rebootRequired: false }], 'csms', 'now', fail);
 */
export class ValueCommits {
  /** The change listeners (DeviceModel.onChange). */
  readonly listeners = new Set<(change: DeviceModelChange) => void>();
  private sequence = 0;
  /** The attributes (by slot) with writes not yet settled; empty when idle. */
  private readonly pending = new Map<number, PendingAttribute>();

  constructor(
    private readonly index: ModelIndex,
    private readonly storeRows: StoreRows,
    private readonly now: () => string,
    private readonly onWarning: (message: string) => void,
  ) {}

  /**
   * Stores `writes` in one transaction (with the turn's other writes) and shows them `when` says;
   * on a failure nothing changes (values shown at once are put back to what is stored) and
   * `onFailure` is called.
   */
  async commit(
    writes: readonly CommitWrite[],
    source: 'host' | 'csms',
    when: Visibility,
    onFailure: (error: Error) => void,
  ): Promise<void> {
    if (writes.length === 0) return;
    const updatedAt = this.now();
    // Only what changes is written: the last write of each attribute (a request may repeat one),
    // unless it leaves the value and its source as they are (e.g. the HeartbeatInterval of every
    // BootNotification answer): updated_at is when they last changed, as at open (issue 9). An
    // attribute with a write pending is written all the same: memory shows that write, which may
    // still fail, so memory is not what is stored.
    const last = new Map<AttributeState, CommitWrite>();
    for (const write of writes) last.set(write.attribute, write);
    const stored = [...last.values()].filter(
      ({ attribute, value }) =>
        this.pending.has(attribute.slot) ||
        this.index.value(attribute) !== value ||
        this.index.source(attribute) !== source,
    );
    if (stored.length === 0) {
      this.show(writes, source, updatedAt, undefined);
      return;
    }
    const number = ++this.sequence;
    for (const { variable, attribute } of stored) {
      const entry = this.pending.get(attribute.slot);
      if (entry !== undefined) {
        entry.latest = number;
        entry.open++;
        continue;
      }
      // No write pending: memory is what the store has.
      const was = { value: this.index.value(attribute), source: this.index.source(attribute) };
      this.pending.set(attribute.slot, {
        variable,
        latest: number,
        open: 1,
        stored: { ...was, updatedAt: this.index.updatedAt(attribute) },
        storedBy: 0,
      });
    }
    // A GetVariables, or the station's next message, in the same turn reads the in-memory model.
    if (when === 'now') this.show(writes, source, updatedAt, number);
    try {
      await this.storeRows(stored, source, updatedAt);
      for (const { attribute, value } of stored) {
        const entry = this.pending.get(attribute.slot)!;
        if (number > entry.storedBy) {
          entry.stored = { value, source, updatedAt };
          entry.storedBy = number;
        }
      }
      if (when === 'stored') this.show(writes, source, updatedAt, number);
    } catch (error) {
      this.putBack(stored, number);
      onFailure(error instanceof Error ? error : new Error(String(error)));
    } finally {
      for (const { attribute } of stored) {
        const entry = this.pending.get(attribute.slot)!;
        if (--entry.open === 0) this.pending.delete(attribute.slot);
      }
    }
  }

  /** Assigns the writes (those no later write replaced) and tells the listeners. */
  private show(
    writes: readonly CommitWrite[],
    source: 'host' | 'csms',
    updatedAt: string,
    number: number | undefined,
  ): void {
    const changes: DeviceModelChange[] = [];
    for (const { variable, attribute, value, rebootRequired } of writes) {
      if (number !== undefined && this.pending.get(attribute.slot)?.latest !== number) continue;
      const previous = this.index.value(attribute);
      if (previous !== value || this.index.source(attribute) !== source)
        this.index.assign(attribute, value, source, updatedAt);
      if (previous !== value)
        changes.push({ ref: refOf(variable, attribute), value, previous, source, rebootRequired });
    }
    this.tell(changes);
  }

  /**
   * After a failed write `number`: each attribute it was the last write of gets its stored value
   * back (an earlier write of it that committed, or the value from before), told as a change.
   */
  private putBack(failed: readonly CommitWrite[], number: number): void {
    const changes: DeviceModelChange[] = [];
    for (const { attribute } of failed) {
      const entry = this.pending.get(attribute.slot)!;
      if (entry.latest !== number) continue;
      const current = this.index.value(attribute);
      const { value, source, updatedAt } = entry.stored;
      this.index.assign(attribute, value, source, updatedAt);
      if (current !== value) {
        changes.push({
          ref: refOf(entry.variable, attribute),
          value: value ?? '',
          previous: current,
          source: source === 'csms' ? 'csms' : 'host',
          rebootRequired: false,
        });
      }
    }
    this.tell(changes);
  }

  /** Tells every listener of every change; a throwing listener is a warning. */
  private tell(changes: readonly DeviceModelChange[]): void {
    for (const change of changes) {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch (error) {
          this.onWarning(
            `onChange listener failed for ${formatVariablePath(change.ref)}: ${(error as Error).message}`,
          );
        }
      }
    }
  }
}
