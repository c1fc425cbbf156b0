/**
 * Reading back the reservations a station left in its store (DESIGN.md start order): each resumes
 * from its actor's snapshot when that was taken from the same reservation machine (version);
 * otherwise it is rebuilt from its `reservation` row (its expiry still holds, H04.FR.01). A row that
 * cannot be read is reported as a RestoreError and left out, never a crash.
 */
import type { Kysely } from 'kysely';
import type { ReservationContext } from '../../machines/reservation.js';
import type { ReservationRecord } from '../../machines/reservation-rules.js';
import type { StationReservationInput } from '../../machines/station-reservations.js';
import { RestoreError } from '../runtime/restore-state.js';
import type { ActorSnapshotTable, Database } from '../store/schema.js';
import { startRows } from '../store/start-statements.js';

export interface RestoredReservations {
  /** What the station spawns at start. */
  reservations: StationReservationInput[];
  /** What the store holds now (ReservationWrites.seed). */
  seed: Map<number, { snapshot: string; row: string }>;
}

/**
 * @example
 * const { reservations } = await loadReservations(store.db, 'CS-1', version, reportError);
 * // or with the station's actor_snapshot rows already read (one query less):
 * const same = await loadReservations(store.db, 'CS-1', version, reportError, restored.actorSnapshots);
 */
export async function loadReservations(
  db: Kysely<Database>,
  stationId: string,
  machineVersion: number,
  reportError: (error: unknown) => void,
  stored?: readonly ActorSnapshotTable[],
): Promise<RestoredReservations> {
  const [snapshotRows, rows] = await Promise.all([
    stored
      ? stored.filter((r) => r.actor_id.startsWith('reservation:'))
      : db
          .selectFrom('actor_snapshot')
          .selectAll()
          .where('station_id', '=', stationId)
          .where('actor_id', 'like', 'reservation:%')
          .execute(),
    startRows(db, 'reservations', [stationId], () =>
      db.selectFrom('reservation').selectAll().where('station_id', '=', stationId).execute(),
    ),
  ]);
  const out: RestoredReservations = { reservations: [], seed: new Map() };
  const records = new Map<number, { record: ReservationRecord; row: string }>();
  for (const row of rows) {
    try {
      const record: ReservationRecord = {
        reservationId: row.reservation_id,
        evseId: row.evse_id,
        connectorType: row.connector_type,
        idToken: JSON.parse(row.id_token_json) as ReservationRecord['idToken'],
        groupIdToken:
          row.group_id_token_json === null ? null : (JSON.parse(row.group_id_token_json) as ReservationRecord['idToken']),
        expiryDateTime: row.expiry_date_time,
      };
      const json = JSON.stringify({
        kind: 'upsert',
        reservationId: record.reservationId,
        evseId: record.evseId,
        connectorType: record.connectorType,
        idTokenJson: row.id_token_json,
        groupIdTokenJson: row.group_id_token_json,
        expiryDateTime: record.expiryDateTime,
      });
      records.set(record.reservationId, { record, row: json });
    } catch (error) {
      reportError(new RestoreError('reservation', String(row.reservation_id), 'unreadable row', { cause: error }));
    }
  }
  const resumed = new Set<number>();
  for (const row of snapshotRows) {
    const id = Number(row.actor_id.slice('reservation:'.length));
    let parsed: { status?: string; value?: unknown; context?: ReservationContext } | undefined;
    try {
      parsed = JSON.parse(row.snapshot_json) as typeof parsed;
    } catch (error) {
      reportError(new RestoreError('actor_snapshot', row.actor_id, 'unreadable snapshot', { cause: error }));
      continue;
    }
    if (row.machine_version !== machineVersion) {
      reportError(
        new RestoreError('actor_snapshot', row.actor_id, `taken from machine version ${row.machine_version}, this is ${machineVersion}`),
      );
      continue;
    }
    const reservation = parsed?.context?.reservation;
    if (parsed?.status !== 'active' || !reservation || reservation.reservationId !== id) {
      reportError(new RestoreError('actor_snapshot', row.actor_id, 'not a running reservation'));
      continue;
    }
    resumed.add(id);
    out.reservations.push({ reservation, active: parsed.value === 'active', restore: parsed });
    out.seed.set(id, { snapshot: row.snapshot_json, row: records.get(id)?.row ?? '' });
  }
  // Rebuilt from the domain table: a fresh actor with the stored terms.
  for (const [id, { record, row }] of records) {
    if (resumed.has(id)) continue;
    out.reservations.push({ reservation: record, active: true });
    out.seed.set(id, { snapshot: '', row });
  }
  out.reservations.sort((a, b) => a.reservation.reservationId - b.reservation.reservationId);
  return out;
}
