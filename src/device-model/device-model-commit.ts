/**
 * How a DeviceModel (device-model.ts) stores accepted writes: one SQLite transaction, then the
 * in-memory values, then the change listeners.
 */
import type { StationDatabase } from '../store/database.js';
import { ownHandle } from '../store/sqlite-handle.js';
import { writeAttributes, type AttributeWrite } from './device-model-store.js';
import { refOf, type AttributeState, type ModelIndex } from './model-index.js';
import { formatVariablePath } from './variable-path.js';
import type { DeviceModelChange } from './device-model-options.js';

/** A write the model accepted, with whether it takes effect only after a reboot. */
export type ModelWrite = AttributeWrite & { rebootRequired: boolean };

/** What a commit works on: the model's store, values, listeners and clock. */
export interface CommitTarget {
  store: StationDatabase;
  stationId: string;
  index: ModelIndex;
  /** RFC 3339 clock for `updated_at`. */
  now: () => string;
  listeners: Iterable<(change: DeviceModelChange) => void>;
  /** Receives the errors thrown by change listeners. */
  onWarning: (message: string) => void;
}

/**
 * Stores the writes in one transaction, then updates the cache and tells the listeners. A failing
 * store changes nothing and goes to `onFailure`.
 *
 * @example
 * await commitWrites(target, [{ variable, attribute, value: '60', rebootRequired: false }], 'csms', reject);
 */
export async function commitWrites(
  target: CommitTarget,
  writes: ReadonlyArray<ModelWrite>,
  source: 'host' | 'csms',
  onFailure: (error: Error) => void,
): Promise<void> {
  if (writes.length === 0) return;
  const updatedAt = target.now();
  // Only what changes is written: the last write of each attribute (a request may repeat one),
  // unless it leaves the value and its source as they are (e.g. the HeartbeatInterval of every
  // BootNotification answer): updated_at is when they last changed, as at open (issue 9).
  const last = new Map<AttributeState, AttributeWrite>();
  for (const write of writes) last.set(write.attribute, write);
  const stored = [...last.values()].filter(
    ({ attribute, value }) =>
      target.index.value(attribute) !== value || target.index.source(attribute) !== source,
  );
  try {
    if (stored.length > 0)
      await writeAttributes(
        target.store.db,
        target.stationId,
        stored,
        source,
        updatedAt,
        ownHandle(target.store),
      );
  } catch (error) {
    onFailure(error instanceof Error ? error : new Error(String(error)));
    return;
  }
  const changes: DeviceModelChange[] = [];
  for (const { variable, attribute, value, rebootRequired } of writes) {
    const previous = target.index.value(attribute);
    if (previous !== value || target.index.source(attribute) !== source)
      target.index.assign(attribute, value, source, updatedAt);
    if (previous !== value)
      changes.push({ ref: refOf(variable, attribute), value, previous, source, rebootRequired });
  }
  for (const change of changes) {
    for (const listener of target.listeners) {
      try {
        listener(change);
      } catch (error) {
        target.onWarning(
          `onChange listener failed for ${formatVariablePath(change.ref)}: ${(error as Error).message}`,
        );
      }
    }
  }
}
