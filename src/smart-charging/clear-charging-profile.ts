import type { ClearChargingProfileRequest, ClearChargingProfileResponse } from '../generated/ocpp-types.js';
import type { InstalledChargingProfile } from './types.js';

/** The answer to a ClearChargingProfileRequest and the ids of the profiles to remove. */
export interface ClearChargingProfileOutcome {
  response: ClearChargingProfileResponse;
  /** Ids of the installed profiles to remove; empty when the status is Unknown. */
  clear: number[];
}

function isExternal(entry: InstalledChargingProfile): boolean {
  return entry.profile.chargingProfilePurpose === 'ChargingStationExternalConstraints';
}

/**
 * Decides what a ClearChargingProfileRequest removes (K10):
 * - with chargingProfileId: that profile (K10.FR.03), unless it is an external limit (K10.FR.09) or
 *   does not match the criteria also given;
 * - with criteria only: every profile matching all given fields, external limits excepted (K10.FR.04);
 * - with neither (K10.FR.02 asks for one): every profile except external limits, as OCPP 1.6 did.
 * Nothing to remove gives Unknown (K10.FR.01, K10.FR.08). Criteria naming the
 * ChargingStationExternalConstraints purpose are refused with Unknown (K10.FR.06).
 *
 * @example
 * const { response, clear } = clearChargingProfiles(installed, { chargingProfileCriteria: { evseId: 1, stackLevel: 0 } });
 */
export function clearChargingProfiles(
  installed: readonly InstalledChargingProfile[],
  request: ClearChargingProfileRequest,
): ClearChargingProfileOutcome {
  const criteria = request.chargingProfileCriteria ?? {};
  if (criteria.chargingProfilePurpose === 'ChargingStationExternalConstraints') {
    return {
      response: {
        status: 'Unknown',
        statusInfo: {
          reasonCode: 'InvalidValue',
          additionalInfo: 'K10.FR.06: ChargingStationExternalConstraints cannot be cleared by the CSMS',
        },
      },
      clear: [],
    };
  }
  const matches = installed.filter(
    (entry) =>
      !isExternal(entry) &&
      (request.chargingProfileId === undefined || entry.profile.id === request.chargingProfileId) &&
      (criteria.evseId === undefined || entry.evseId === criteria.evseId) &&
      (criteria.stackLevel === undefined || entry.profile.stackLevel === criteria.stackLevel) &&
      (criteria.chargingProfilePurpose === undefined ||
        entry.profile.chargingProfilePurpose === criteria.chargingProfilePurpose),
  );
  if (matches.length === 0) return { response: { status: 'Unknown' }, clear: [] };
  return { response: { status: 'Accepted' }, clear: matches.map((entry) => entry.profile.id) };
}
