/**
 * A05.FR.02/03: the certificates a higher security profile needs before the station may be told to
 * use it through NetworkConfigurationPriority: a valid CSMS root for 2 and 3, a valid
 * ChargingStationCertificate for 3.
 */
import type { SetVariableDataType } from '../generated/ocpp-types.js';
import { readNetworkProfiles } from '../runtime/network-profiles.js';
import type { DeviceModelPort } from '../runtime/ports.js';
import { readSettings } from '../runtime/settings.js';
import type { CertificateManager } from './certificate-manager.js';

/**
 * Why the station cannot move from `current` to `requested`, or undefined when it can.
 *
 * @example
 * securityUpgradeProblem(1, 3, certificates); // 'security profile 3 needs a valid ChargingStationCertificate (A05.FR.03)'
 */
export function securityUpgradeProblem(
  current: number,
  requested: number,
  certificates: Pick<CertificateManager, 'hasCsmsRoot' | 'hasClientCertificate'>,
): string | undefined {
  if (requested <= current) return undefined;
  if (requested >= 2 && !certificates.hasCsmsRoot()) {
    return `security profile ${requested} needs a valid CSMSRootCertificate (A05.FR.02)`;
  }
  if (requested === 3 && !certificates.hasClientCertificate()) {
    return 'security profile 3 needs a valid ChargingStationCertificate (A05.FR.03)';
  }
  return undefined;
}

/**
 * A05.FR.02/03 for one SetVariables item: the reason a NetworkConfigurationPriority value is refused,
 * or undefined (other variables, or all prerequisites met).
 *
 * @example
 * const problem = priorityUpgradeProblem(deviceModel, item, certificates);
 * if (problem) return { attributeStatus: 'Rejected', attributeStatusInfo: { reasonCode: 'NoCertificate', additionalInfo: problem } };
 */
export function priorityUpgradeProblem(
  dm: DeviceModelPort,
  item: SetVariableDataType,
  certificates: Pick<CertificateManager, 'hasCsmsRoot' | 'hasClientCertificate'>,
): string | undefined {
  if (item.component.name !== 'OCPPCommCtrlr' || item.variable.name !== 'NetworkConfigurationPriority')
    return undefined;
  if ((item.attributeType ?? 'Actual') !== 'Actual') return undefined;
  const current = readSettings(dm).securityProfile;
  let profiles;
  try {
    profiles = readNetworkProfiles(dm);
  } catch {
    return undefined; // the device model's own checks report a broken profile list
  }
  for (const slot of item.attributeValue.split(',').map((s) => Number(s.trim()))) {
    const requested = profiles.find((p) => p.configurationSlot === slot)?.connectionData.securityProfile;
    const problem =
      requested === undefined ? undefined : securityUpgradeProblem(current, requested, certificates);
    if (problem) return `slot ${slot}: ${problem}`;
  }
  return undefined;
}
