/**
 * Network connection profiles (B09/B10). They live in the device model as the JSON list
 * `InternalCtrlr.NetworkConnectionProfiles` (`[{ configurationSlot, connectionData }]`, the shape of
 * SetNetworkProfileRequest) and are tried in the order of `OCPPCommCtrlr.NetworkConfigurationPriority`,
 * a comma-separated list of slots.
 */
import type { NetworkConnectionProfileType } from '../generated/ocpp-types.js';
import { csvEntries } from '../device-model/value-check.js';
import { validateRequest } from '../validation/index.js';
import type { DeviceModelValidator } from '../device-model/index.js';
import type { DeviceModelPort, VariableRef } from './ports.js';
import { connectionDataProblem } from './connection-data-check.js';
import { allowedFromStation } from './security-profile.js';
import { VARIABLES } from './settings.js';

export interface NetworkProfileSlot {
  configurationSlot: number;
  connectionData: NetworkConnectionProfileType;
}

/**
 * A stored profile list or priority that cannot be used; names the variable.
 *
 * @example
 * try { readNetworkProfiles(dm); } catch (e) { if (e instanceof NetworkProfileError) console.error(e.message); }
 */
export class NetworkProfileError extends Error {
  override readonly name = 'NetworkProfileError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_NETWORK_PROFILE';
}

/**
 * Parses and validates the stored profiles (each one as a SetNetworkProfileRequest would be).
 *
 * @example
 * const slots = readNetworkProfiles(deviceModel); // [{ configurationSlot: 1, connectionData: {...} }]
 */
export function readNetworkProfiles(dm: DeviceModelPort): NetworkProfileSlot[] {
  return parseNetworkProfiles(dm.get(VARIABLES.networkConnectionProfiles));
}

/**
 * Parses and validates a NetworkConnectionProfiles value: a JSON array of SetNetworkProfileRequests
 * with distinct slots; empty or absent means no profile. Throws a {@link NetworkProfileError} naming
 * the variable and the entry.
 *
 * @example
 * parseNetworkProfiles('[{"configurationSlot":1,"connectionData":{...}}]'); // [{ configurationSlot: 1, ... }]
 */
export function parseNetworkProfiles(raw: string | undefined): NetworkProfileSlot[] {
  if (raw === undefined || raw.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new NetworkProfileError(
      `InternalCtrlr.NetworkConnectionProfiles is not JSON: ${(error as Error).message}`,
    );
  }
  if (!Array.isArray(parsed)) {
    throw new NetworkProfileError('InternalCtrlr.NetworkConnectionProfiles must be a JSON array');
  }
  const seen = new Set<number>();
  return parsed.map((item, index) => {
    const failure = validateRequest('SetNetworkProfile', item);
    if (failure) {
      throw new NetworkProfileError(
        `InternalCtrlr.NetworkConnectionProfiles[${index}] is not a valid profile: ${failure.description}`,
      );
    }
    const profile = item as NetworkProfileSlot;
    if (seen.has(profile.configurationSlot)) {
      throw new NetworkProfileError(
        `InternalCtrlr.NetworkConnectionProfiles[${index}] repeats configurationSlot ${profile.configurationSlot}`,
      );
    }
    seen.add(profile.configurationSlot);
    return profile;
  });
}

/**
 * The slots to try, in order (B10.FR.04), keeping only slots that have a profile.
 *
 * @example
 * priorityList(deviceModel); // [1, 2]
 */
export function priorityList(dm: DeviceModelPort, profiles = readNetworkProfiles(dm)): number[] {
  const raw = dm.get(VARIABLES.networkConfigurationPriority) ?? '';
  const slots = csvEntries(raw).map(Number);
  const bad = slots.find((n) => !Number.isInteger(n));
  if (bad !== undefined) {
    throw new NetworkProfileError(
      `OCPPCommCtrlr.NetworkConfigurationPriority is not a list of slots: ${JSON.stringify(raw)}`,
    );
  }
  const known = new Set(profiles.map((p) => p.configurationSlot));
  const ordered = slots.filter((s) => known.has(s));
  if (ordered.length === 0 && profiles[0]) return [profiles[0].configurationSlot];
  return ordered;
}

/**
 * Stores a profile in its slot (replacing what was there), as SetNetworkProfile does (B09.FR.01).
 *
 * @example
 * await storeNetworkProfile(deviceModel, 2, { ocppVersion: 'OCPP20', ... });
 */
export async function storeNetworkProfile(
  dm: DeviceModelPort,
  configurationSlot: number,
  connectionData: NetworkConnectionProfileType,
): Promise<boolean> {
  const profiles = readNetworkProfiles(dm).filter((p) => p.configurationSlot !== configurationSlot);
  profiles.push({ configurationSlot, connectionData });
  profiles.sort((a, b) => a.configurationSlot - b.configurationSlot);
  return (await dm.set(VARIABLES.networkConnectionProfiles, JSON.stringify(profiles), 'host')) === 'Accepted';
}

const sameVariable = (a: VariableRef, b: VariableRef): boolean =>
  a.component.toLowerCase() === b.component.toLowerCase() &&
  a.variable.toLowerCase() === b.variable.toLowerCase() &&
  (a.attribute ?? 'Actual') === 'Actual';

/**
 * The device-model rule on CSMS writes of the network settings, so that a SetVariables can never
 * leave the station unable to connect at its next boot:
 * - OCPPCommCtrlr.NetworkConfigurationPriority: every slot must hold a valid profile, and there must
 *   be at least one (B10.FR.02; Rejected with reasonCode InvalidNetworkConf);
 * - InternalCtrlr.NetworkConnectionProfiles: a valid, non-empty profile list, every profile usable
 *   (connection-data-check.ts; Rejected, InvalidValue, additionalInfo naming the slot and the problem).
 *
 * @example
 * deviceModel.addValidator(networkSettingsValidator(deviceModel));
 * // SetVariables NetworkConfigurationPriority "1,3" without a profile in slot 3 -> Rejected
 */
export function networkSettingsValidator(dm: DeviceModelPort): DeviceModelValidator {
  return (ref, value) => {
    if (sameVariable(ref, VARIABLES.networkConfigurationPriority)) {
      let profiles: Map<number, NetworkProfileSlot>;
      try {
        profiles = new Map(readNetworkProfiles(dm).map((p) => [p.configurationSlot, p]));
      } catch {
        return { status: 'Rejected', reasonCode: 'InvalidNetworkConf' };
      }
      const slots = csvEntries(value).map(Number);
      if (slots.length === 0 || slots.some((slot) => !profiles.has(slot)))
        return { status: 'Rejected', reasonCode: 'InvalidNetworkConf' };
      // A05.FR.08–10: no slot may lower the active security profile (3 → 2 only when allowed).
      if (slots.some((slot) => !allowedFromStation(dm, profiles.get(slot)!.connectionData.securityProfile)))
        return { status: 'Rejected', reasonCode: 'NoSecurityDowngrade' };
      return undefined;
    }
    if (sameVariable(ref, VARIABLES.networkConnectionProfiles)) {
      let profiles: NetworkProfileSlot[];
      try {
        profiles = parseNetworkProfiles(value);
      } catch (error) {
        return { status: 'Rejected', reasonCode: 'InvalidValue', additionalInfo: (error as Error).message };
      }
      if (profiles.length === 0)
        return { status: 'Rejected', reasonCode: 'InvalidValue', additionalInfo: 'no profile in the list' };
      // B09.FR.02: each profile's content must make sense (a messageTimeout of -5 fails every CALL).
      for (const profile of profiles) {
        const problem = connectionDataProblem(profile.connectionData);
        if (problem !== undefined) {
          return {
            status: 'Rejected',
            reasonCode: 'InvalidValue',
            additionalInfo: `configurationSlot ${profile.configurationSlot}: ${problem}`,
          };
        }
      }
    }
    return undefined;
  };
}

/**
 * Points configuration slot 1 at `csmsUrl` (the host's `csmsUrl` option, the CLI's `--csms`),
 * keeping the rest of that profile and every other slot (a profile the CSMS stored with
 * SetNetworkProfile survives restarts). A00.FR.003: the URL scheme and the security profile must
 * agree: `ws://` is profile 1, `wss://` profile 2 unless slot 1 already says 3, or `securityProfile`
 * when given (the CLI's `--security-profile`; a scheme that does not fit it is an error).
 * A stored list that cannot be read is an error naming the variable, never silently replaced.
 *
 * @example
 * await applyCsmsUrl(deviceModel, 'wss://csms.example.com/ocpp');
 */
export async function applyCsmsUrl(dm: DeviceModelPort, csmsUrl: string, given?: number): Promise<void> {
  const slot = readNetworkProfiles(dm).find((p) => p.configurationSlot === 1)?.connectionData;
  const configured = slot?.securityProfile;
  const tls = csmsUrl.startsWith('wss:');
  const needsTls = given !== undefined && given >= 2;
  if (given !== undefined && needsTls !== tls) {
    throw new NetworkProfileError(
      `csmsUrl ${csmsUrl} cannot be used with security profile ${given}: profile 1 needs ws://, 2 and 3 need wss:// (A00.FR.003)`,
    );
  }
  const securityProfile = given ?? (tls ? (configured === 3 ? 3 : 2) : 1);
  const connectionData: NetworkConnectionProfileType = {
    ocppVersion: 'OCPP20',
    ocppTransport: 'JSON',
    ocppInterface: 'Wired0',
    messageTimeout: 30,
    ...slot,
    securityProfile,
    ocppCsmsUrl: csmsUrl,
  };
  if (!(await storeNetworkProfile(dm, 1, connectionData))) {
    throw new NetworkProfileError(
      `csmsUrl ${csmsUrl} cannot be stored in InternalCtrlr.NetworkConnectionProfiles`,
    );
  }
}

/**
 * A05.FR.06: once the station is connected with a profile of a higher security level than
 * SecurityCtrlr.SecurityProfile, that level becomes the active one, and the profiles below it are
 * removed from NetworkConnectionProfiles and NetworkConfigurationPriority (so a later failure can
 * never fall back to a weaker connection). A connection at the same or a lower level changes nothing.
 *
 * @example
 * await adoptConnectedProfile(deviceModel, 2); // after connecting through slot 2
 */
export async function adoptConnectedProfile(dm: DeviceModelPort, slot: number): Promise<void> {
  const profiles = readNetworkProfiles(dm);
  const level = profiles.find((p) => p.configurationSlot === slot)?.connectionData.securityProfile;
  const current = dm.getInteger(VARIABLES.securityProfile) ?? 1;
  if (level === undefined || level <= current) return;
  await dm.set(VARIABLES.securityProfile, String(level), 'host');
  const kept = profiles.filter((p) => p.connectionData.securityProfile >= level);
  if (kept.length === profiles.length) return;
  await dm.set(VARIABLES.networkConnectionProfiles, JSON.stringify(kept), 'host');
  const priority = csvEntries(dm.get(VARIABLES.networkConfigurationPriority) ?? '')
    .map(Number)
    .filter((s) => kept.some((p) => p.configurationSlot === s));
  await dm.set(VARIABLES.networkConfigurationPriority, priority.join(','), 'host');
}
