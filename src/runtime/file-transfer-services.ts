/**
 * The station's file transfer services, built for a StationRuntime: firmware updates (L01–L04,
 * src/firmware/station-firmware.ts) and GetLog uploads (N01, src/logging/station-log-upload.ts).
 */
import type { Actor } from 'xstate';
import type { stationMachine } from '../../machines/station.js';
import { StationFirmware } from '../firmware/station-firmware.js';
import { StationLogUpload } from '../logging/station-log-upload.js';
import type { StationLogs } from '../logging/station-logs.js';
import type { MessageQueue } from '../queue/message-queue.js';
import { setPendingBootReason } from '../store/station-state.js';
import { readSettings } from './settings.js';
import type { StationRuntimeOptions } from './station-runtime-options.js';
import { REAL_TIMERS } from './timers.js';

/** What the services need of the running station. */
export interface FileTransferPorts {
  /** The runtime's options, callbacks already guarded and wrapped by the logs. */
  options: StationRuntimeOptions;
  logs: StationLogs;
  queue: MessageQueue;
  station(): Actor<typeof stationMachine> | null;
  flushed(): Promise<void>;
  /** Connected and not stopping. */
  connected(): boolean;
  securityEvent(type: string, techInfo: string): void;
  reportError(error: unknown): void;
  /** ManufacturerRootCertificates installed by InstallCertificate (M05; src/security/). */
  installedManufacturerRoots?: () => readonly string[];
  /** CSMSRootCertificates installed by InstallCertificate (M05; src/security/). */
  installedCsmsRoots?: () => readonly string[];
}

/**
 * @example
 * const { firmware, logUpload } = fileTransferServices({ options, logs, queue, station: () => actor, ... });
 */
export function fileTransferServices(ports: FileTransferPorts): { firmware: StationFirmware; logUpload: StationLogUpload } {
  const { options, queue } = ports;
  const dm = options.deviceModel;
  const timers = options.timers ?? REAL_TIMERS;
  // Roots trusted for https and ftps transfers besides node's: firmware.fileTransferCa, else tls.ca,
  // and the installed CSMSRootCertificates (N01.FR.15: at least the CSMS trust chain).
  const tlsCa = options.tls?.ca === undefined ? undefined : ([] as string[]).concat(options.tls.ca);
  const transferCa = (): readonly string[] | undefined => {
    const roots = [...(options.firmware?.fileTransferCa ?? tlsCa ?? []), ...(ports.installedCsmsRoots?.() ?? [])];
    return roots.length > 0 ? roots : undefined;
  };
  const firmware = new StationFirmware({
    stationId: options.stationId,
    databaseFile: options.store.file,
    options: options.firmware ?? {},
    tlsCa,
    transferCa,
    clock: options.clock,
    timers,
    queue,
    callbacks: options.callbacks,
    deviceModel: dm,
    bootReason: options.bootReason,
    station: ports.station,
    flushed: ports.flushed,
    recordBootReason: (reason) => setPendingBootReason(options.store.db, options.stationId, reason, options.clock.nowIso()),
    messageTimeoutS: () => readSettings(dm).messageTimeoutS,
    connected: ports.connected,
    securityEvent: ports.securityEvent,
    reportError: ports.reportError,
    ...(ports.installedManufacturerRoots ? { installedManufacturerRoots: ports.installedManufacturerRoots } : {}),
  });
  const logUpload = new StationLogUpload({
    logs: ports.logs,
    clock: options.clock,
    timers,
    queue,
    ca: transferCa,
    station: ports.station,
    reportError: ports.reportError,
  });
  return { firmware, logUpload };
}
