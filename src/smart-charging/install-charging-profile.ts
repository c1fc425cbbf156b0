import type { InstalledChargingProfile } from './types.js';

/**
 * The installed profiles after accepting `entry`: the profiles it replaces (the `replaces` ids of
 * an accepted validation, K01.FR.05) are removed and `entry` is added last.
 *
 * @example
 * const result = validateChargingProfile(request.chargingProfile, context);
 * if (result.status === 'Accepted') profiles = installChargingProfile(profiles, { evseId: request.evseId, profile: request.chargingProfile }, result.replaces);
 */
export function installChargingProfile(
  installed: readonly InstalledChargingProfile[],
  entry: InstalledChargingProfile,
  replaces: readonly number[],
): InstalledChargingProfile[] {
  return [...installed.filter((other) => !replaces.includes(other.profile.id)), entry];
}

/**
 * The installed profiles after a transaction ended: its TxProfiles are deleted (K02.FR.05).
 *
 * @example
 * profiles = removeTransactionProfiles(profiles, 'tx-42');
 */
export function removeTransactionProfiles(
  installed: readonly InstalledChargingProfile[],
  transactionId: string,
): InstalledChargingProfile[] {
  return installed.filter(
    (entry) =>
      !(
        entry.profile.chargingProfilePurpose === 'TxProfile' && entry.profile.transactionId === transactionId
      ),
  );
}
