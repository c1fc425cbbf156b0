/**
 * The simulated station's firmware (L01/L02): "installing" a downloaded file records the version
 * it carries, and the station reboots in-process into it (RebootRequired: InstallRebooting, a reset,
 * BootNotification reason FirmwareUpdate). Every later start of the process on that database runs
 * the recorded version: InternalCtrlr.FirmwareVersion, which the BootNotification reports as
 * `chargingStation.firmwareVersion` (docs/cli.md).
 *
 * The console command `firmware next <outcome>` chooses how the next installation ends: Installed
 * (the default: the reboot into the new version), or InstallVerificationFailed / InstallationFailed
 * (L01.FR.29: that status, and the station keeps running its old version).
 */
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { FirmwareInstall, InstallOutcome } from '../firmware/firmware-install.js';
import type { VariableRef } from '../runtime/ports.js';
import { VARIABLES } from '../runtime/settings.js';
import type { Database } from '../store/schema.js';
import { getStationState, setStationState } from '../store/station-state.js';

/** How the simulated station's next firmware installation can end (`firmware next`). */
export const SIM_FIRMWARE_OUTCOMES = ['Installed', 'InstallVerificationFailed', 'InstallationFailed'] as const;
export type SimFirmwareOutcome = (typeof SIM_FIRMWARE_OUTCOMES)[number];

/** The station_state key of the installed version. */
export const SIM_FIRMWARE_VERSION_KEY = 'simFirmwareVersion';

/**
 * The version a firmware file carries: its text when it is one printable line of at most 50
 * characters (what tests and demos serve), else the file name of its location without extension.
 *
 * @example
 * firmwareVersionOf(Buffer.from('2.1.0\n'), 'http://files/fw.bin'); // '2.1.0'
 * firmwareVersionOf(binaryImage, 'http://files/station-3.0.0.bin'); // 'station-3.0.0'
 */
export function firmwareVersionOf(content: Buffer, location: string): string {
  const text = content.toString('utf8').trim();
  if (/^[\x20-\x7e]{1,50}$/.test(text)) return text;
  let name = 'unknown';
  try {
    name = path.posix.basename(new URL(location).pathname) || name;
  } catch {
    // An unreadable location keeps 'unknown'.
  }
  return name.replace(/\.[^.]*$/, '').slice(0, 50) || 'unknown';
}

/**
 * "Installs" `install` as `outcome` says: Installed records the version the file carries as the one
 * the next start runs and asks for the reboot (RebootRequired); a failure records nothing, so the
 * station keeps its version, and is reported as such (L01.FR.29).
 *
 * @example
 * installFirmwareCallback: (install) => simInstallFirmware(store.db, 'CS-1', install, content, clock.nowIso(), 'Installed')
 */
export async function simInstallFirmware(
  db: Kysely<Database>,
  stationId: string,
  install: FirmwareInstall,
  content: Buffer,
  nowIso: string,
  outcome: SimFirmwareOutcome = 'Installed',
): Promise<InstallOutcome> {
  if (outcome !== 'Installed') return outcome;
  await setStationState(db, stationId, SIM_FIRMWARE_VERSION_KEY, firmwareVersionOf(content, install.location), nowIso);
  return 'RebootRequired';
}

/**
 * The start's overrides with the installed version (if any) as InternalCtrlr.FirmwareVersion,
 * replacing a `--set` of the same variable.
 *
 * @example
 * const overrides = await withInstalledFirmware(store.db, 'CS-1', options.overrides);
 */
export async function withInstalledFirmware(
  db: Kysely<Database>,
  stationId: string,
  overrides: ReadonlyArray<{ ref: VariableRef; value: string }>,
): Promise<Array<{ ref: VariableRef; value: string }>> {
  const version = await getStationState<string>(db, stationId, SIM_FIRMWARE_VERSION_KEY);
  if (typeof version !== 'string') return [...overrides];
  const ref = VARIABLES.firmwareVersion;
  const same = (r: VariableRef) => r.component === ref.component && r.variable === ref.variable && !r.evseId;
  return [...overrides.filter((o) => !same(o.ref)), { ref, value: version }];
}
