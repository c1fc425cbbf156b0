/**
 * What the host sees of a firmware installation (L01/L02): the downloaded (and, for a secure update,
 * verified) file handed to `installFirmwareCallback`, and the outcomes the host can report.
 */
import type { InstallOutcome } from '../../machines/firmware.js';

export type { InstallOutcome } from '../../machines/firmware.js';

/** A firmware file ready to be installed. */
export interface FirmwareInstall {
  /** The UpdateFirmwareRequest's requestId (every status of this update carries it, L01.FR.10). */
  requestId: number;
  /** The downloaded file (the library deletes it once the update is over). */
  file: string;
  /** Where it was downloaded from (UpdateFirmwareRequest.firmware.location). */
  location: string;
  /** Its signature was verified against an installed ManufacturerRootCertificate (L01), or unsigned (L02). */
  signed: boolean;
}

/**
 * What `installFirmwareCallback` resolves with: the outcome, or nothing when the host reports it
 * later with `ChargePoint.onFirmwareInstalled(requestId, outcome)`.
 *
 * - `Installed`: running the new firmware now (no reboot needed).
 * - `RebootRequired`: installed, active after a reboot: the library sends InstallRebooting, records
 *   the boot reason FirmwareUpdate and calls `resetCallback(undefined, 'Immediate')`; the next start
 *   reports Installed.
 * - `InstallVerificationFailed` / `InstallationFailed`: L01.FR.29 and the failure status.
 */
export type FirmwareInstallResult = InstallOutcome | void;
