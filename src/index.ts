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
export { SettingValueError } from './runtime/setting-rules.js';
export type { EvseStructure } from './handlers/handler-context.js';
export type { ReservationInfo } from './reservations/reservation-port.js';
export { openStationDatabase, StoreError, type StationDatabase } from './store/database.js';
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
