/**
 * A02.FR.21: when the CSMS answers a SignCertificate for a V2GCertificate with Rejected, the station
 * turns ISO15118Ctrlr.PnCEnabled off until it is rebooted: without a V2G certificate, Plug & Charge
 * cannot work. The value it had is kept in station_state, and the next start puts it back (a start is
 * a reboot, a power loss included).
 */
import type { DeviceModelPort } from '../runtime/ports.js';
import type { KeyValuePort } from './certificate-manager.js';

const PNC_ENABLED = { component: 'ISO15118Ctrlr', variable: 'PnCEnabled' };
/** station_state key: PnCEnabled's value before A02.FR.21 turned it off. */
const SUSPENDED_KEY = 'pncSuspendedByA02';

/**
 * Turns PnCEnabled off (A02.FR.21) and remembers its value until the next start; nothing when the
 * station has no such variable or it is already off.
 *
 * @example
 * await suspendPnc(deviceModel, state); // after SignCertificateResponse Rejected for a V2GCertificate
 */
export async function suspendPnc(dm: DeviceModelPort, state: KeyValuePort): Promise<boolean> {
  if (!dm.has(PNC_ENABLED)) return false;
  const before = dm.get(PNC_ENABLED);
  if (before !== 'true') return false;
  await state.set(SUSPENDED_KEY, before);
  return (await dm.set(PNC_ENABLED, 'false', 'host')) === 'Accepted';
}

/**
 * At start (after a reboot): PnCEnabled turned off by {@link suspendPnc} is turned on again, unless
 * the CSMS changed it meanwhile (then its value stays).
 *
 * @example
 * await restorePncAfterReboot(deviceModel, state);
 */
export async function restorePncAfterReboot(dm: DeviceModelPort, state: KeyValuePort): Promise<void> {
  const before = await state.get<string>(SUSPENDED_KEY);
  if (before === undefined) return;
  await state.delete(SUSPENDED_KEY);
  if (dm.has(PNC_ENABLED) && dm.get(PNC_ENABLED) === 'false') await dm.set(PNC_ENABLED, before, 'host');
}
