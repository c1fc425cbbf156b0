/**
 * The `firmware` actor's snapshot in `actor_snapshot` (actor id `firmware`), written by
 * StationPersistence in the same SQLite transaction as everything else of its run of transitions,
 * and read back at start: a snapshot of the same machine version resumes the update where it was
 * (a download starts again, deadlines re-arm, an installation is never repeated:
 * src/firmware/provide-firmware.ts); another version or an unreadable row is reported and the actor
 * starts idle.
 */
import type { Kysely } from 'kysely';
import type { FirmwareContext } from '../../machines/firmware.js';
import { ActorSnapshotWrites } from '../runtime/actor-snapshot-writes.js';
import { RestoreError } from '../runtime/restore-state.js';
import type { ActorSnapshotTable, Database } from '../store/schema.js';
import type { ResumedInstall } from './provide-firmware.js';

/** The actor id (and systemId) of the firmware actor. */
export const FIRMWARE_ACTOR_ID = 'firmware';

/**
 * @example
 * const writes = new FirmwareWrites(version);
 * writes.mark();
 * const part = writes.take(system.get('firmware'));
 */
export class FirmwareWrites extends ActorSnapshotWrites {
  constructor(machineVersion: number) {
    super(FIRMWARE_ACTOR_ID, machineVersion);
  }
}

/** What a start resumes of the firmware update. */
export interface RestoredFirmware {
  /** The persisted snapshot to resume, if any. */
  restore?: unknown;
  /** The stored JSON (FirmwareWrites.seed). */
  seed: string;
  /** Set when the snapshot was taken while installing or rebooting. */
  resumed: ResumedInstall | null;
}

/**
 * @example
 * const firmware = await loadFirmware(store.db, 'CS-1', FIRMWARE_MACHINE_VERSION, reportError);
 * // or with the station's actor_snapshot rows already read (no query):
 * const same = await loadFirmware(store.db, 'CS-1', FIRMWARE_MACHINE_VERSION, reportError, restored.actorSnapshots);
 */
export async function loadFirmware(
  db: Kysely<Database>,
  stationId: string,
  machineVersion: number,
  reportError: (error: unknown) => void,
  stored?: readonly ActorSnapshotTable[],
): Promise<RestoredFirmware> {
  const row = stored
    ? stored.find((r) => r.actor_id === FIRMWARE_ACTOR_ID)
    : await db
        .selectFrom('actor_snapshot')
        .selectAll()
        .where('station_id', '=', stationId)
        .where('actor_id', '=', FIRMWARE_ACTOR_ID)
        .executeTakeFirst();
  if (!row) return { seed: '', resumed: null };
  let parsed: { status?: string; value?: unknown; context?: FirmwareContext };
  try {
    parsed = JSON.parse(row.snapshot_json) as typeof parsed;
  } catch (error) {
    reportError(new RestoreError('actor_snapshot', row.actor_id, 'unreadable snapshot', { cause: error }));
    return { seed: row.snapshot_json, resumed: null };
  }
  if (row.machine_version !== machineVersion) {
    reportError(
      new RestoreError('actor_snapshot', row.actor_id, `taken from machine version ${row.machine_version}, this is ${machineVersion}`),
    );
    return { seed: row.snapshot_json, resumed: null };
  }
  if (parsed.status !== 'active' || !parsed.context) {
    reportError(new RestoreError('actor_snapshot', row.actor_id, 'not a running firmware actor'));
    return { seed: row.snapshot_json, resumed: null };
  }
  const busy = (parsed.value as { busy?: unknown } | undefined)?.busy;
  const requestId = parsed.context.request?.requestId;
  const resumed: ResumedInstall | null =
    (busy === 'installing' || busy === 'rebooting') && requestId !== undefined ? { state: busy, requestId } : null;
  return { restore: parsed, seed: row.snapshot_json, resumed };
}
