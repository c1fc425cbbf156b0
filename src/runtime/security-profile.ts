/**
 * The no-downgrade rules of the security profile (A00.FR.005, A05.FR.08–10, B09.FR.04/31/32 as
 * changed by errata 2025-09): a profile may only go up, except 3 → 2 when
 * SecurityCtrlr.AllowSecurityProfileDowngrade is true; never to 1 from 2 or 3.
 */
import type { DeviceModelPort } from './ports.js';
import { readBooleanSetting } from './setting-rules.js';
import { readSettings, VARIABLES } from './settings.js';

/**
 * May the station move from the active security profile `current` to `requested`?
 *
 * @example
 * securityProfileAllowed(3, 2, true); // true (A05.FR.08, B09.FR.31)
 * securityProfileAllowed(2, 1, true); // false (A05.FR.09, B09.FR.32)
 * securityProfileAllowed(2, 1, false); // false (A05.FR.10, B09.FR.04)
 */
export function securityProfileAllowed(current: number, requested: number, allowDowngrade: boolean): boolean {
  if (requested >= current) return true;
  return allowDowngrade && current === 3 && requested === 2;
}

/**
 * The same check with the station's settings: the active profile is SecurityCtrlr.SecurityProfile
 * (kept equal to the profile of the live connection), the exception AllowSecurityProfileDowngrade.
 *
 * @example
 * if (!allowedFromStation(deviceModel, request.connectionData.securityProfile)) reject('NoSecurityDowngrade');
 */
export function allowedFromStation(dm: DeviceModelPort, requested: number): boolean {
  return securityProfileAllowed(
    readSettings(dm).securityProfile,
    requested,
    readBooleanSetting(dm, VARIABLES.allowSecurityProfileDowngrade, false),
  );
}
