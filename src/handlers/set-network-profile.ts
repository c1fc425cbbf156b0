import type { SetNetworkProfileRequest, SetNetworkProfileResponse } from '../generated/ocpp-types.js';
import { connectionDataProblem } from '../runtime/connection-data-check.js';
import { storeNetworkProfile } from '../runtime/network-profiles.js';
import { csvEntries } from '../device-model/value-check.js';
import { allowedFromStation } from '../runtime/security-profile.js';
import { readSettings, VARIABLES } from '../runtime/settings.js';
import type { CallHandler } from './handler-context.js';

/**
 * B09 SetNetworkProfile: validate (the schema did the syntax, B09.FR.02 the content: see
 * connection-data-check.ts), refuse a lower security profile
 * (B09.FR.04/31/32, src/runtime/security-profile.ts) and slots NetworkConfigurationPriority does not offer
 * (B09.FR.05), let the host veto it, then store it (B09.FR.01) or answer Failed (B09.FR.03). The
 * profile is used from the next reboot on (B10.FR.04).
 *
 * @example
 * const response = await handleSetNetworkProfile(ctx, request); // the SetNetworkProfileResponse to send
 */
export const handleSetNetworkProfile: CallHandler<
  SetNetworkProfileRequest,
  SetNetworkProfileResponse
> = async (ctx, request) => {
  const rejected = (reasonCode: string, additionalInfo: string): SetNetworkProfileResponse => ({
    status: 'Rejected',
    statusInfo: { reasonCode, additionalInfo },
  });
  const { configurationSlot, connectionData } = request;
  // B09.FR.04/31/32 (errata 2025-09): only 3 → 2, and only with AllowSecurityProfileDowngrade.
  if (!allowedFromStation(ctx.deviceModel, connectionData.securityProfile)) {
    const current = readSettings(ctx.deviceModel).securityProfile;
    return rejected(
      'NoSecurityDowngrade',
      `securityProfile ${connectionData.securityProfile} is below the active profile ${current}`,
    );
  }
  const allowed = allowedSlots(ctx.deviceModel.valuesList?.(VARIABLES.networkConfigurationPriority));
  if (configurationSlot < 1 || (allowed !== null && !allowed.includes(configurationSlot))) {
    return rejected(
      'InvalidConfSlot',
      `slot ${configurationSlot} is not one of ${allowed?.join(',') ?? 'the slots'}`,
    );
  }
  if (connectionData.ocppTransport !== 'JSON')
    return rejected('UnsupportedRequest', 'only OCPP-J (JSON) is supported');
  // B09.FR.02 (errata 2025-09: reasonCode InvalidNetworkConf): content the schema lets through but
  // that cannot work, e.g. messageTimeout -5 (every CALL would fail) or a URL the profile cannot use.
  const problem = connectionDataProblem(connectionData);
  if (problem !== undefined) return rejected('InvalidNetworkConf', problem);
  if (ctx.callbacks.validateNetworkProfileCallback) {
    const verdict = await ctx.callbacks.validateNetworkProfileCallback(configurationSlot, connectionData);
    if (verdict !== 'Accepted') return { status: verdict };
  }
  try {
    if (!(await storeNetworkProfile(ctx.deviceModel, configurationSlot, connectionData)))
      return { status: 'Failed' };
  } catch (error) {
    ctx.reportError(error);
    return { status: 'Failed' };
  }
  return { status: 'Accepted' };
};

/** Slots offered by NetworkConfigurationPriority's valuesList, or null when it lists none. */
function allowedSlots(valuesList: string | undefined): number[] | null {
  if (!valuesList) return null;
  const slots = csvEntries(valuesList).map(Number).filter(Number.isInteger);
  return slots.length > 0 ? slots : null;
}
