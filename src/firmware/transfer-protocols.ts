/**
 * Which file transfer protocols a location may use: the library transfers over HTTP, HTTPS, FTP and
 * FTPS (src/firmware/download.ts, src/logging/upload.ts), and OCPPCommCtrlr.FileTransferProtocols
 * (required, ReadOnly MemberList of FTP, FTPS, HTTP, HTTPS, SFTP) says which of them this station
 * offers. A UpdateFirmware or GetLog whose location uses another protocol is refused up front
 * (Rejected, reasonCode `UnsupportedProtocol`; docs/firmware.md explains the choice).
 */
import type { DeviceModelPort } from '../runtime/ports.js';

/** The values of FileTransferProtocols (OCPP 2.0.1 Part 2, 2.1.4). */
export type FileTransferProtocol = 'FTP' | 'FTPS' | 'HTTP' | 'HTTPS' | 'SFTP';

/** What the library can transfer with. */
export const IMPLEMENTED_TRANSFER_PROTOCOLS: readonly FileTransferProtocol[] = ['FTP', 'FTPS', 'HTTP', 'HTTPS'];

const FILE_TRANSFER_PROTOCOLS = { component: 'OCPPCommCtrlr', variable: 'FileTransferProtocols' };

const BY_SCHEME: Record<string, FileTransferProtocol> = {
  'ftp:': 'FTP',
  'ftps:': 'FTPS',
  'http:': 'HTTP',
  'https:': 'HTTPS',
  'sftp:': 'SFTP',
};

/**
 * The protocol a location names by its scheme; null for an unreadable URL or another scheme.
 *
 * @example
 * transferProtocol('ftps://u:p@files.example/fw.bin'); // 'FTPS'
 */
export function transferProtocol(location: string): FileTransferProtocol | null {
  try {
    return BY_SCHEME[new URL(location).protocol] ?? null;
  } catch {
    return null;
  }
}

/**
 * The protocols offered: FileTransferProtocols of the device model, restricted to what the library
 * implements; all of those when the model lacks the variable.
 *
 * @example
 * offeredTransferProtocols(dm); // ['FTP', 'FTPS', 'HTTP', 'HTTPS']
 */
export function offeredTransferProtocols(dm: Pick<DeviceModelPort, 'get'>): FileTransferProtocol[] {
  const value = dm.get(FILE_TRANSFER_PROTOCOLS);
  if (value === undefined) return [...IMPLEMENTED_TRANSFER_PROTOCOLS];
  const listed = new Set(value.split(',').map((v) => v.trim().toUpperCase()));
  return IMPLEMENTED_TRANSFER_PROTOCOLS.filter((p) => listed.has(p));
}

/**
 * Why `location` cannot be used (for statusInfo.additionalInfo), or null when its protocol is
 * offered.
 *
 * @example
 * refusedLocation(dm, 'sftp://files.example/fw.bin'); // 'protocol SFTP is not one of FileTransferProtocols (FTP,FTPS,HTTP,HTTPS)'
 */
export function refusedLocation(dm: Pick<DeviceModelPort, 'get'>, location: string): string | null {
  const offered = offeredTransferProtocols(dm);
  const protocol = transferProtocol(location);
  if (protocol === null) {
    let scheme = '(not a URL)';
    try {
      scheme = new URL(location).protocol.replace(':', '');
    } catch {
      // scheme stays '(not a URL)'
    }
    return `scheme ${scheme} is not a file transfer protocol (${offered.join(',')})`;
  }
  if (!offered.includes(protocol)) return `protocol ${protocol} is not one of FileTransferProtocols (${offered.join(',')})`;
  return null;
}
