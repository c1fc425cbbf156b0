/**
 * The `availability` rows of the station, derived from the EVSE snapshots: one row per level
 * (station 0/0, EVSE e/0, connector e/c) that is not simply Operative, with what is Scheduled for
 * it (G03/G04). Rows are remembered by key and JSON, so that only changed ones are written
 * (src/runtime/station-persistence.ts).
 */
import type { AvailabilityChange } from '../store/journal.js';

/** The availability of one EVSE as its persisted snapshot's context holds it. */
export interface EvseAvailabilityContext {
  evseOperative?: boolean;
  connectorOperative?: Record<string, boolean>;
  scheduled?: { evse?: boolean; station?: boolean; connectors?: Record<string, boolean> };
}

/**
 * The availability rows of one EVSE that differ from what was written; `written` (key → JSON)
 * learns them.
 *
 * @example
 * availabilityChanges(written, 1, { evseOperative: false }); // the row of EVSE 1 (connector 0): Inoperative
 */
export function availabilityChanges(
  written: Map<string, string>,
  evseId: number,
  context: EvseAvailabilityContext | undefined,
): AvailabilityChange[] {
  if (!context) return [];
  const changes: AvailabilityChange[] = [];
  const scheduled = context.scheduled ?? {};
  if (context.evseOperative !== undefined) {
    changes.push(
      ...levelChange(written, evseId, 0, context.evseOperative, scheduled.evse === undefined ? null : scheduled.evse),
    );
  }
  const connectors = new Set([
    ...Object.keys(context.connectorOperative ?? {}),
    ...Object.keys(scheduled.connectors ?? {}),
  ]);
  for (const key of connectors) {
    const operative = context.connectorOperative?.[key] ?? true;
    const pending = scheduled.connectors?.[key];
    changes.push(...levelChange(written, evseId, Number(key), operative, pending === undefined ? null : pending));
  }
  return changes;
}

/**
 * The row of one level, when it differs from what was written; `written` learns it.
 *
 * @example
 * levelChange(written, 0, 0, false, null); // the station is Inoperative: [{ evseId: 0, connectorId: 0, ... }]
 */
export function levelChange(
  written: Map<string, string>,
  evseId: number,
  connectorId: number,
  operative: boolean,
  scheduled: boolean | null,
): AvailabilityChange[] {
  const change: AvailabilityChange = {
    evseId,
    connectorId,
    operational: operative ? 'Operative' : 'Inoperative',
    scheduled: scheduled === null ? null : scheduled ? 'Operative' : 'Inoperative',
  };
  const key = `${evseId}/${connectorId}`;
  const json = JSON.stringify([change.operational, change.scheduled]);
  const before = written.get(key);
  // Absent rows mean Operative: no row is needed for a level that was never changed.
  if (before === json || (before === undefined && operative && scheduled === null)) return [];
  written.set(key, json);
  return [change];
}

/**
 * The key and JSON under which StationPersistence (src/runtime/station-persistence.ts) remembers an
 * availability row.
 *
 * @example
 * availabilitySeed([{ evseId: 1, connectorId: 0, operational: 'Inoperative', scheduled: null }]);
 */
export function availabilitySeed(
  rows: ReadonlyArray<{ evseId: number; connectorId: number; operational: string; scheduled: string | null }>,
): Map<string, string> {
  return new Map(rows.map((r) => [`${r.evseId}/${r.connectorId}`, JSON.stringify([r.operational, r.scheduled])]));
}
