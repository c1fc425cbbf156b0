import type { ChargingProfilePurposeEnumType, ChargingProfileType } from '../generated/ocpp-types.js';
import { reject, type ProfileRejection } from './profile-rejection.js';
import type { InstalledChargingProfile } from './types.js';

function phasesToUse(profile: ChargingProfileType): Set<number> {
  const phases = new Set<number>();
  for (const schedule of profile.chargingSchedule) {
    for (const period of schedule.chargingSchedulePeriod) {
      if (period.phaseToUse !== undefined) phases.add(period.phaseToUse);
    }
  }
  return phases;
}

function isStationCap(purpose: ChargingProfilePurposeEnumType): boolean {
  return purpose === 'ChargingStationMaxProfile' || purpose === 'ChargingStationExternalConstraints';
}

/**
 * Errata 2025-01, part 2 §3.7 "Avoiding Phase Conflicts": a phaseToUse in a TxProfile or
 * TxDefaultProfile that differs from one in a ChargingStationMaxProfile or
 * ChargingStationExternalConstraints acting on the same EVSE leaves no valid composite period, so
 * such a profile is rejected. The check is conservative, as the erratum asks when the station cannot
 * be sure the periods never meet: any two differing values conflict, whatever their timing.
 *
 * @example
 * checkPhaseConflicts(newTxProfile, 1, installedExceptSameId); // a rejection or undefined
 */
export function checkPhaseConflicts(
  profile: ChargingProfileType,
  evseId: number,
  others: readonly InstalledChargingProfile[],
): ProfileRejection | undefined {
  const mine = phasesToUse(profile);
  if (mine.size === 0) return undefined;
  const cap = isStationCap(profile.chargingProfilePurpose);
  for (const entry of others) {
    if (isStationCap(entry.profile.chargingProfilePurpose) === cap) continue;
    // A profile on EVSE 0 acts on every EVSE.
    if (!(entry.evseId === 0 || evseId === 0 || entry.evseId === evseId)) continue;
    for (const theirs of phasesToUse(entry.profile)) {
      for (const phase of mine) {
        if (phase !== theirs) {
          return reject(
            'InvalidSchedule',
            'Errata 2025-01 K §3.7',
            `phaseToUse ${phase} conflicts with phaseToUse ${theirs} of ${entry.profile.chargingProfilePurpose} ${entry.profile.id} on EVSE ${entry.evseId}`,
          );
        }
      }
    }
  }
  return undefined;
}
