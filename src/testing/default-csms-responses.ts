/**
 * What the test CSMS answers when a test has not said otherwise: the simplest response that a real
 * CSMS could send and that lets a station proceed (boot accepted, tokens accepted, notifications
 * acknowledged). Every answer passes the official response schema (tested).
 */
import { DateTime } from 'luxon';
import type { OcppRequestMap, OcppResponseMap } from '../generated/ocpp-types.js';
import { STATION_INITIATED_ACTIONS, type StationInitiatedAction } from '../rpc/action-directions.js';

export interface DefaultResponseSettings {
  /** BootNotificationResponse.interval (heartbeat interval, seconds). */
  heartbeatInterval: number;
  /** BootNotificationResponse.status. */
  bootStatus: 'Accepted' | 'Pending' | 'Rejected';
}

type Responder<A extends StationInitiatedAction> = (
  request: OcppRequestMap[A],
  settings: DefaultResponseSettings,
) => OcppResponseMap[A];

const now = (): string => DateTime.utc().toISO();

const responders: { [A in StationInitiatedAction]: Responder<A> } = {
  Authorize: () => ({ idTokenInfo: { status: 'Accepted' } }),
  BootNotification: (_req, s) => ({
    currentTime: now(),
    interval: s.heartbeatInterval,
    status: s.bootStatus,
  }),
  ClearedChargingLimit: () => ({}),
  // A CSMS without an extension for this vendor answers UnknownVendorId (P01.FR.05).
  DataTransfer: () => ({ status: 'UnknownVendorId' }),
  FirmwareStatusNotification: () => ({}),
  Get15118EVCertificate: () => ({ status: 'Failed', exiResponse: '' }),
  GetCertificateStatus: () => ({ status: 'Failed' }),
  Heartbeat: () => ({ currentTime: now() }),
  LogStatusNotification: () => ({}),
  MeterValues: () => ({}),
  NotifyChargingLimit: () => ({}),
  NotifyCustomerInformation: () => ({}),
  NotifyDisplayMessages: () => ({}),
  NotifyEVChargingNeeds: () => ({ status: 'Accepted' }),
  NotifyEVChargingSchedule: () => ({ status: 'Accepted' }),
  NotifyEvent: () => ({}),
  NotifyMonitoringReport: () => ({}),
  NotifyReport: () => ({}),
  PublishFirmwareStatusNotification: () => ({}),
  ReportChargingProfiles: () => ({}),
  ReservationStatusUpdate: () => ({}),
  SecurityEventNotification: () => ({}),
  SignCertificate: () => ({ status: 'Accepted' }),
  StatusNotification: () => ({}),
  // A token presented at the start of a transaction is accepted, like Authorize.
  TransactionEvent: (req) => (req.idToken ? { idTokenInfo: { status: 'Accepted' } } : {}),
};

/**
 * The default answer of the test CSMS to a station's CALL, or undefined for actions a station does
 * not send (the test CSMS answers those NotImplemented).
 *
 * @example
 * defaultCsmsResponse('Heartbeat', {}, { heartbeatInterval: 300, bootStatus: 'Accepted' }); // { currentTime: '2024-...Z' }
 */
export function defaultCsmsResponse(
  action: string,
  request: unknown,
  settings: DefaultResponseSettings,
): unknown {
  if (!(STATION_INITIATED_ACTIONS as ReadonlySet<string>).has(action)) return undefined;
  const responder = responders[action as StationInitiatedAction] as (
    request: unknown,
    settings: DefaultResponseSettings,
  ) => unknown;
  return responder(request, settings);
}
