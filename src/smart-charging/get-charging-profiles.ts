import type {
  ChargingLimitSourceEnumType,
  ChargingProfileType,
  GetChargingProfilesRequest,
  GetChargingProfilesResponse,
  ReportChargingProfilesRequest,
} from '../generated/ocpp-types.js';
import type { InstalledChargingProfile } from './types.js';

function sourceOf(entry: InstalledChargingProfile): ChargingLimitSourceEnumType {
  return entry.chargingLimitSource ?? 'CSO';
}

/**
 * The installed profiles a GetChargingProfilesRequest asks for (K09): every given criterion must
 * match (chargingProfileId: any of the listed ids; stackLevel; chargingProfilePurpose;
 * chargingLimitSource: any of the listed sources). evseId > 0 selects the profiles installed on that
 * EVSE (K09.FR.04), 0 those installed on the station itself (K09.FR.05), absent all (K09.FR.06).
 *
 * @example
 * selectChargingProfiles(installed, { requestId: 1, evseId: 1, chargingProfile: { chargingProfilePurpose: 'TxProfile' } });
 */
export function selectChargingProfiles(
  installed: readonly InstalledChargingProfile[],
  request: GetChargingProfilesRequest,
): InstalledChargingProfile[] {
  const criteria = request.chargingProfile;
  return installed.filter(
    (entry) =>
      (request.evseId === undefined || entry.evseId === request.evseId) &&
      (criteria.chargingProfileId === undefined || criteria.chargingProfileId.includes(entry.profile.id)) &&
      (criteria.stackLevel === undefined || entry.profile.stackLevel === criteria.stackLevel) &&
      (criteria.chargingProfilePurpose === undefined ||
        entry.profile.chargingProfilePurpose === criteria.chargingProfilePurpose) &&
      (criteria.chargingLimitSource === undefined || criteria.chargingLimitSource.includes(sourceOf(entry))),
  );
}

/** The answer to a GetChargingProfilesRequest and the reports to send after it. */
export interface ChargingProfilesReport {
  response: GetChargingProfilesResponse;
  /** ReportChargingProfilesRequests in sending order; empty when the status is NoProfiles. */
  reports: ReportChargingProfilesRequest[];
}

/**
 * Answers a GetChargingProfilesRequest: NoProfiles when nothing matches (K09 error handling), else
 * Accepted and the ReportChargingProfilesRequests to send. A report carries one evseId and one
 * chargingLimitSource (both are single fields of the message), so profiles are grouped by them,
 * EVSE ascending, in installation order within a group, and a group is split into reports of at
 * most `maxProfilesPerReport` profiles. Every report carries the requestId (K09.FR.01); all but the
 * last have tbc = true (K09.FR.02).
 *
 * @example
 * const { response, reports } = chargingProfilesReport(installed, request, { maxProfilesPerReport: 10 });
 */
export function chargingProfilesReport(
  installed: readonly InstalledChargingProfile[],
  request: GetChargingProfilesRequest,
  options: { maxProfilesPerReport?: number } = {},
): ChargingProfilesReport {
  const selected = selectChargingProfiles(installed, request);
  if (selected.length === 0) return { response: { status: 'NoProfiles' }, reports: [] };
  const chunk = Math.max(1, Math.floor(options.maxProfilesPerReport ?? Number.MAX_SAFE_INTEGER));
  const groups = new Map<
    string,
    { evseId: number; source: ChargingLimitSourceEnumType; profiles: ChargingProfileType[] }
  >();
  for (const entry of [...selected].sort((a, b) => a.evseId - b.evseId)) {
    const key = `${entry.evseId}/${sourceOf(entry)}`;
    const group = groups.get(key) ?? { evseId: entry.evseId, source: sourceOf(entry), profiles: [] };
    group.profiles.push(entry.profile);
    groups.set(key, group);
  }
  const reports: ReportChargingProfilesRequest[] = [];
  for (const group of groups.values()) {
    for (let index = 0; index < group.profiles.length; index += chunk) {
      const [first, ...rest] = group.profiles.slice(index, index + chunk);
      if (first === undefined) continue;
      reports.push({
        requestId: request.requestId,
        evseId: group.evseId,
        chargingLimitSource: group.source,
        chargingProfile: [first, ...rest],
        tbc: true,
      });
    }
  }
  const last = reports[reports.length - 1];
  if (last !== undefined) last.tbc = false;
  return { response: { status: 'Accepted' }, reports };
}
