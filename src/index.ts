/**
 * ocpp-station: an OCPP 2.0.1 Charging Station runtime for Node.js.
 *
 * The one barrel of the package. Optional parts live behind subpaths:
 * `ocpp-station/smart-charging` (the pure schedule engine) and `ocpp-station/testing` (a test CSMS
 * and a test PKI).
 */
export { ChargePoint, DEFAULT_CONFIG_DIR, type ChargePointOptions } from './charge-point.js';
export type { ChargePointCallbacks, MessageDirection, ReservationCheckStatus } from './callbacks.js';
export { createStationClock, type StationClock } from './clock.js';
export {
  DeviceModel,
  DeviceModelConfigError,
  DeviceModelWarning,
  loadComponentConfig,
  parseSetArgument,
  parseVariablePath,
  formatVariablePath,
} from './device-model/index.js';
export type { LoadComponentConfigOptions, LoadedComponent } from './device-model/index.js';
export type { VariableRef } from './runtime/ports.js';
export type { TlsMaterial } from './runtime/session.js';
export type {
  CertificateStore,
  ClientCredentials,
  CsrSubject,
  StoredCertificate,
  StoredCertificateType,
} from './security/certificate-store.js';
export { FileCertificateStore } from './security/file-certificate-store.js';
export type { CertificateManager, InstallResult } from './security/certificate-manager.js';
export type { OcspCacheEntry } from './security/ocsp-cache.js';
export { CertificateFormatError } from './security/pem.js';
export { CertificateInstallError, type StartupRoot } from './security/startup-roots.js';
export { SettingValueError } from './runtime/setting-rules.js';
export type { EvseStructure } from './handlers/handler-context.js';
export type { ReservationInfo } from './reservations/reservation-port.js';
export type { ComponentRef } from './charge-point-monitoring.js';
export type { Monitor, MonitorKind } from './monitoring/monitor-types.js';
export type { MonitorNotice } from './monitoring/station-monitoring.js';
export type { Delivery as MonitorDelivery } from './monitoring/monitor-events.js';
export type { ScreenContent } from './runtime/station-user-interface.js';
export type { RunningCost, RunningCostState, TariffCostScreen, TariffMessage, TariffMessageKind } from './tariff/tariff-types.js';
export type { FirmwareInstall, FirmwareInstallResult, InstallOutcome } from './firmware/firmware-install.js';
export type { FirmwareDuringTransaction, FirmwareOptions } from './firmware/station-firmware.js';
export { TransferError } from './firmware/download.js';
export { openStationDatabase, StoreError, type StationDatabase } from './store/database.js';
export { UnboundSystemError } from './runtime/system-effects.js';
export { StationFleet, type FleetStationOptions, type StationFleetOptions } from './fleet/station-fleet.js';
export type {
  CompositePeriodDetail,
  CompositeScheduleDetails,
  EvChargingSchedule,
  LimitSource,
} from './smart-charging/index.js';
export type { ExternalLimit, ExternalLimitSource } from './smart-charging/external-limits.js';
export type { ExternalLimitResult } from './smart-charging/external-limit-control.js';
export type {
  EvChargingNeedsResult,
  EvChargingScheduleInput,
  EvChargingScheduleResult,
} from './smart-charging/iso15118-sessions.js';
export type {
  CompositeSchedulesOptions,
  SmartChargingRuntimeOptions,
} from './smart-charging/station-smart-charging.js';
export { NotDeliveredError } from './queue/message-queue.js';
export { LocalSendError, MessageDiscardedError, QueueBoundDropError } from './queue/queue-types.js';
export { VariablePathError } from './device-model/variable-path.js';
export { NetworkProfileError } from './runtime/network-profiles.js';
export { RestoreError } from './runtime/restore-state.js';
export { PersistenceError } from './runtime/persistence-error.js';
export { CallbackError } from './callbacks.js';
export { JournalStoppedError } from './store/journal.js';
export { SmartChargingInputError } from './smart-charging/types.js';
export { TransportError, TransportConfigError, type TransportErrorKind } from './transport/errors.js';
export {
  ERROR_CATALOGUE,
  describeError,
  errorCodeOf,
  isErrorCode,
  type DescribedError,
  type ErrorCode,
  type ErrorSeverity,
} from './events/error-catalogue.js';
export type {
  ActorStatus,
  AvailabilityStationEvent,
  ConnectionStationEvent,
  ConnectorStatusStationEvent,
  ErrorStationEvent,
  FrameMessageType,
  FrameStationEvent,
  QueueDropStationEvent,
  RegistrationStationEvent,
  StateStationEvent,
  StateValue,
  StationEvent,
  StationEventType,
  TransactionStationEvent,
} from './events/station-event.js';
export { StoredMessageError } from './queue/stored-message.js';
export {
  OcppRpcError,
  RpcTimeoutError,
  RpcConnectionClosedError,
  RpcInvalidMessageError,
  type RpcErrorCode,
} from './rpc/errors.js';
export {
  isOcppAction,
  validateRequest,
  validateResponse,
  type ValidationFailure,
} from './validation/index.js';
export type * from './generated/ocpp-types.js';
export { OCPP_ACTIONS } from './generated/ocpp-types.js';
