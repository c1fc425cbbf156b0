/**
 * Which side of an OCPP 2.0.1 connection may send the CALL of each action (Part 2, the "Messages"
 * chapter: each request is listed as sent by the Charging Station or by the CSMS; DataTransfer by both).
 */
import type { OcppAction } from '../generated/ocpp-types.js';

const csmsInitiated = [
  'CancelReservation',
  'CertificateSigned',
  'ChangeAvailability',
  'ClearCache',
  'ClearChargingProfile',
  'ClearDisplayMessage',
  'ClearVariableMonitoring',
  'CostUpdated',
  'CustomerInformation',
  'DataTransfer',
  'DeleteCertificate',
  'GetBaseReport',
  'GetChargingProfiles',
  'GetCompositeSchedule',
  'GetDisplayMessages',
  'GetInstalledCertificateIds',
  'GetLocalListVersion',
  'GetLog',
  'GetMonitoringReport',
  'GetReport',
  'GetTransactionStatus',
  'GetVariables',
  'InstallCertificate',
  'PublishFirmware',
  'RequestStartTransaction',
  'RequestStopTransaction',
  'ReserveNow',
  'Reset',
  'SendLocalList',
  'SetChargingProfile',
  'SetDisplayMessage',
  'SetMonitoringBase',
  'SetMonitoringLevel',
  'SetNetworkProfile',
  'SetVariableMonitoring',
  'SetVariables',
  'TriggerMessage',
  'UnlockConnector',
  'UnpublishFirmware',
  'UpdateFirmware',
] as const satisfies readonly OcppAction[];

const stationInitiated = [
  'Authorize',
  'BootNotification',
  'ClearedChargingLimit',
  'DataTransfer',
  'FirmwareStatusNotification',
  'Get15118EVCertificate',
  'GetCertificateStatus',
  'Heartbeat',
  'LogStatusNotification',
  'MeterValues',
  'NotifyChargingLimit',
  'NotifyCustomerInformation',
  'NotifyDisplayMessages',
  'NotifyEVChargingNeeds',
  'NotifyEVChargingSchedule',
  'NotifyEvent',
  'NotifyMonitoringReport',
  'NotifyReport',
  'PublishFirmwareStatusNotification',
  'ReportChargingProfiles',
  'ReservationStatusUpdate',
  'SecurityEventNotification',
  'SignCertificate',
  'StatusNotification',
  'TransactionEvent',
] as const satisfies readonly OcppAction[];

/** An action whose CALL the CSMS sends to the Charging Station. */
export type CsmsInitiatedAction = (typeof csmsInitiated)[number];

/** An action whose CALL the Charging Station sends to the CSMS. */
export type StationInitiatedAction = (typeof stationInitiated)[number];

/** Actions whose CALL the CSMS sends to the Charging Station. */
export const CSMS_INITIATED_ACTIONS: ReadonlySet<OcppAction> = new Set<OcppAction>(csmsInitiated);

/** Actions whose CALL the Charging Station sends to the CSMS. */
export const STATION_INITIATED_ACTIONS: ReadonlySet<OcppAction> = new Set<OcppAction>(stationInitiated);
