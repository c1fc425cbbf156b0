/**
 * The vocabulary of `firmware` (machines/firmware.ts): an accepted UpdateFirmwareRequest as the chart
 * keeps it, its context, events, and what its invoked actors take and give.
 */
import type { FirmwareStatusEnumType } from '../src/generated/ocpp-types.js';

/**
 * What the station can do while a transaction runs (a capability of the host, L01.FR.06/33):
 * - `none`: nothing; the download waits until no transaction runs (DownloadScheduled, L01.FR.13).
 * - `download`: download and verify; install once the transactions have ended (L01.FR.06).
 * - `all`: also install during a transaction (Part 6 TC_L_16); a reboot that activates the new
 *   firmware still waits for the transactions to end (L01.FR.33).
 */
export type FirmwareDuringTransaction = 'none' | 'download' | 'all';

/** An accepted UpdateFirmwareRequest, as the chart keeps it (JSON). */
export interface FirmwareRequest {
  requestId: number;
  location: string;
  /** RFC 3339; the download starts once it is reached (L01.FR.13). */
  retrieveDateTime: string;
  /** RFC 3339 or null: install at once (L01.FR.05) or at this instant (L01.FR.16). */
  installDateTime: string | null;
  /** PEM of the firmware signing certificate: present for a secure (signed) update (L01). */
  signingCertificate: string | null;
  /** Base64 signature over the whole file (L01.FR.04). */
  signature: string | null;
  /** Further download attempts after the first fails. */
  retries: number;
  /** Seconds between download attempts. */
  retryIntervalS: number;
  /** When the station received the request (station time, RFC 3339). */
  receivedAt: string;
  /** The station's capability when the request arrived; absent (older snapshots): `download`. */
  duringTransaction?: FirmwareDuringTransaction;
}

/** What a download attempt ended with (the `download` actor's output). */
export type DownloadResult =
  | { ok: true; file: string; at: string }
  | { ok: false; reason: string; at: string };

/** How an installation ended, as the host says (the `install` and `reboot` actors' output). */
export type InstallOutcome = 'Installed' | 'RebootRequired' | 'InstallVerificationFailed' | 'InstallationFailed';

/** What the `install` actor gets. */
export interface InstallInput {
  requestId: number;
  file: string;
  location: string;
  /** The signature was verified (L01); false for an unsigned update (L02). */
  signed: boolean;
}

/** The answer to an UpdateFirmwareRequest decided by the chart. */
export type FirmwareReply = 'Accepted' | 'AcceptedCanceled' | 'Rejected';

export interface FirmwareContext {
  /** The update in progress (or the last one). */
  request: FirmwareRequest | null;
  /** Download attempts made for it. */
  attempts: number;
  /** When the next download attempt starts (after a failed one). */
  retryAt: string | null;
  /** Why the last download attempt failed. */
  lastError: string | null;
  /** The downloaded file (src/ chooses where). */
  file: string | null;
  /** When the download finished (decides InstallScheduled, L01.FR.16). */
  downloadedAt: string | null;
  /** The last status sent, and its requestId (TriggerMessage, L01.FR.25/26). */
  lastStatus: FirmwareStatusEnumType | null;
  lastRequestId: number | null;
  /** The connectors were made Unavailable by this update (L01.FR.07); they are released after it. */
  holding: boolean;
}

export interface FirmwareInput {
  /** A persisted snapshot to resume (src/runtime/restorable.ts). */
  restore?: unknown;
}

export type FirmwareEvent =
  /** L01/L02: an UpdateFirmwareRequest whose certificate src/ has already checked (L01.FR.21/22). */
  { type: 'firmware.update'; request: FirmwareRequest; reply?: (status: FirmwareReply) => void };

/** Status actions' parameters. */
export interface StatusParams {
  status: FirmwareStatusEnumType;
}
