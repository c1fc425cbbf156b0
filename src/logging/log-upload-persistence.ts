/**
 * The `log-upload` actor's snapshot in `actor_snapshot` (actor id `log-upload`), written by
 * StationPersistence in the same SQLite transaction as the rest of its run of transitions and read
 * back at start: a snapshot of the same machine version resumes the upload where it was (an upload
 * in progress starts again, a retry wait re-arms, the statuses keep their requestId); another
 * version or an unreadable row is reported and the actor starts idle.
 */
import type { Kysely } from 'kysely';
import type { LogUploadContext } from '../../machines/log-upload.js';
import { ActorSnapshotWrites } from '../runtime/actor-snapshot-writes.js';
import { RestoreError } from '../runtime/restore-state.js';
import type { ActorSnapshotTable, Database } from '../store/schema.js';

/** The actor id (and systemId) of the log upload actor. */
export const LOG_UPLOAD_ACTOR_ID = 'log-upload';

/**
 * @example
 * const writes = new LogUploadWrites(LOG_UPLOAD_MACHINE_VERSION);
 */
export class LogUploadWrites extends ActorSnapshotWrites {
  constructor(machineVersion: number) {
    super(LOG_UPLOAD_ACTOR_ID, machineVersion);
  }
}

/** What a start resumes of the log upload. */
export interface RestoredLogUpload {
  /** The persisted snapshot to resume, if any. */
  restore?: unknown;
  /** The stored JSON (LogUploadWrites.seed). */
  seed: string;
}

/**
 * @example
 * const logUpload = await loadLogUpload(store.db, 'CS-1', LOG_UPLOAD_MACHINE_VERSION, reportError);
 * // or with the station's actor_snapshot rows already read (no query):
 * const same = await loadLogUpload(store.db, 'CS-1', LOG_UPLOAD_MACHINE_VERSION, reportError, restored.actorSnapshots);
 */
export async function loadLogUpload(
  db: Kysely<Database>,
  stationId: string,
  machineVersion: number,
  reportError: (error: unknown) => void,
  stored?: readonly ActorSnapshotTable[],
): Promise<RestoredLogUpload> {
  const row = stored
    ? stored.find((r) => r.actor_id === LOG_UPLOAD_ACTOR_ID)
    : await db
        .selectFrom('actor_snapshot')
        .selectAll()
        .where('station_id', '=', stationId)
        .where('actor_id', '=', LOG_UPLOAD_ACTOR_ID)
        .executeTakeFirst();
  if (!row) return { seed: '' };
  let parsed: { status?: string; context?: LogUploadContext };
  try {
    parsed = JSON.parse(row.snapshot_json) as typeof parsed;
  } catch (error) {
    reportError(new RestoreError('actor_snapshot', row.actor_id, 'unreadable snapshot', { cause: error }));
    return { seed: row.snapshot_json };
  }
  if (row.machine_version !== machineVersion) {
    reportError(
      new RestoreError('actor_snapshot', row.actor_id, `taken from machine version ${row.machine_version}, this is ${machineVersion}`),
    );
    return { seed: row.snapshot_json };
  }
  if (parsed.status !== 'active' || !parsed.context) {
    reportError(new RestoreError('actor_snapshot', row.actor_id, 'not a running log upload actor'));
    return { seed: row.snapshot_json };
  }
  return { restore: parsed, seed: row.snapshot_json };
}
