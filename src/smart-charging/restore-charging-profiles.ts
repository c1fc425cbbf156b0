/**
 * Start-up: the stored charging profiles are validated again against the configuration of this
 * start, in installation order, as if they were set again now.
 */
import type { Kysely } from 'kysely';
import { deleteChargingProfiles, loadChargingProfiles } from '../store/charging-profiles.js';
import type { Database } from '../store/schema.js';
import { installChargingProfile } from './install-charging-profile.js';
import type { SmartChargingSettings } from './smart-charging-settings.js';
import type { InstalledChargingProfile } from './types.js';
import { validateChargingProfile } from './validate-charging-profile.js';

/** Why a stored profile no longer holds, or undefined. Transaction rules were checked when it was set. */
function problemOf(
  entry: InstalledChargingProfile,
  accepted: readonly InstalledChargingProfile[],
  settings: SmartChargingSettings,
  now: string,
): string | undefined {
  const purpose = entry.profile.chargingProfilePurpose;
  if (purpose === 'TxProfile' && !settings.persistTxProfiles) {
    return 'SmartChargingCtrlr.ChargingProfilePersistence[TxProfile] is false';
  }
  const external = purpose === 'ChargingStationExternalConstraints';
  if (external && !settings.persistExternalConstraints) {
    return 'SmartChargingCtrlr.ChargingProfilePersistence[ChargingStationExternalConstraints] is false';
  }
  const transactionId = entry.profile.transactionId;
  const result = validateChargingProfile(entry.profile, {
    station: settings.station,
    profiles: accepted,
    transactions:
      transactionId === undefined
        ? []
        : [{ evseId: entry.evseId, transactionId, startTime: entry.installedAt ?? now }],
    evseId: entry.evseId,
    origin: external ? 'ExternalSystem' : 'SetChargingProfile',
    now,
  });
  if (result.status === 'Accepted') return undefined;
  const details = result.additionalInfo === undefined ? '' : `: ${result.additionalInfo}`;
  return `${result.reasonCode} (${result.requirement}${details})`;
}

/**
 * Loads the station's profiles and keeps those that still pass validation under `settings` (an
 * EVSE removed, RateUnit or ProfileStackLevel lowered, ...) and whose purpose persists
 * (ChargingProfilePersistence). The others, and unreadable rows, are deleted from the store and
 * reported one by one, naming the profile and the rule.
 *
 * @example
 * const profiles = await restoreChargingProfiles(db, 'CS-1', settings, now, console.error);
 */
export async function restoreChargingProfiles(
  db: Kysely<Database>,
  stationId: string,
  settings: SmartChargingSettings,
  now: string,
  report: (error: Error) => void,
): Promise<InstalledChargingProfile[]> {
  const { profiles, unreadable } = await loadChargingProfiles(db, stationId);
  const dropped: number[] = [];
  for (const row of unreadable) {
    dropped.push(row.profileId);
    report(new Error(`charging profile ${row.profileId} dropped at start: ${row.problem}`));
  }
  let accepted: InstalledChargingProfile[] = [];
  for (const entry of profiles) {
    const problem = problemOf(entry, accepted, settings, now);
    if (problem === undefined) {
      accepted = installChargingProfile(accepted, entry, [entry.profile.id]);
      continue;
    }
    dropped.push(entry.profile.id);
    report(
      new Error(`charging profile ${entry.profile.id} on EVSE ${entry.evseId} dropped at start: ${problem}`),
    );
  }
  await deleteChargingProfiles(db, stationId, dropped);
  return accepted;
}
