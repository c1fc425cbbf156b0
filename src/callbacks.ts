/**
 * The host's side of the station: what the library asks the hardware and the station software to
 * do. Names and semantics follow EVerest libocpp's `ocpp::v2::Callbacks` in camelCase
 * (docs/callbacks.md maps each one). All are optional here; the documented default applies when a
 * callback is absent. Callbacks may return a value or a Promise of it.
 */
import type { MasterPassChoice } from './authorization/token-presentation.js';
import type {
  BootNotificationResponse,
  CertificateHashDataType,
  ClearDisplayMessageRequest,
  ClearDisplayMessageResponse,
  DataTransferRequest,
  DataTransferResponse,
  FirmwareStatusEnumType,
  GetDisplayMessagesRequest,
  GetLogRequest,
  GetLogResponse,
  IdTokenType,
  MessageInfoType,
  NetworkConnectionProfileType,
  OperationalStatusEnumType,
  ReasonEnumType,
  RequestStartStopStatusEnumType,
  RequestStartTransactionRequest,
  ReserveNowRequest,
  ReserveNowStatusEnumType,
  ResetEnumType,
  SetDisplayMessageResponse,
  SetNetworkProfileStatusEnumType,
  SetVariableDataType,
  TransactionEventRequest,
  TransactionEventResponse,
  UnlockConnectorResponse,
  UpdateFirmwareRequest,
  UpdateFirmwareResponse,
} from './generated/ocpp-types.js';
import type { CompositeScheduleDetails } from './smart-charging/index.js';
import type { RunningCost, TariffMessage } from './tariff/tariff-types.js';
import type { FirmwareInstall, FirmwareInstallResult } from './firmware/firmware-install.js';

type MaybePromise<T> = T | Promise<T>;

/** Direction of an OCPP-J frame for `ocppMessagesCallback`. */
export type MessageDirection = 'CSMS->station' | 'station->CSMS';

/** Answer of `isReservationForTokenCallback` (libocpp's ReservationCheckStatus). */
export type ReservationCheckStatus =
  'NotReserved' | 'ReservedForToken' | 'ReservedForOtherToken' | 'ReservedForOtherTokenAndHasParentToken';

export interface ChargePointCallbacks {
  /** B11/B12: may the station (evseId undefined) or one EVSE be reset now? Default: true. */
  isResetAllowedCallback?: (evseId: number | undefined, resetType: ResetEnumType) => MaybePromise<boolean>;
  /**
   * B11/B12: perform the reset (reboot the station, or reset one EVSE). Called after the
   * ResetResponse was sent. Without it, Reset is answered Rejected.
   */
  resetCallback?: (evseId: number | undefined, resetType: ResetEnumType) => MaybePromise<void>;
  /** F03/E: stop the energy transfer of the transaction on `evseId` for `reason`. */
  stopTransactionCallback?: (
    evseId: number,
    reason: ReasonEnumType,
  ) => MaybePromise<RequestStartStopStatusEnumType>;
  /** Suspend charging on `evseId` (e.g. a transaction deauthorized while charging). */
  pauseChargingCallback?: (evseId: number) => MaybePromise<void>;
  /**
   * Beyond libocpp (the library owns the session): energy may flow on `evseId` now (authorized, EV
   * connected, nothing withholds it), or must stop. The host closes or opens the power path (and
   * locks a socket cable first: a failed lock is reported with onConnectorLockFailed).
   */
  chargingPermittedChangedCallback?: (evseId: number, permitted: boolean) => void;
  /**
   * C16.FR.01: registered, the station has a UI for the master pass: a presented token of the
   * AuthCtrlr.MasterPassGroupId group shows this choice instead of stopping every transaction
   * (C16.FR.02); the user's answer comes back through `onMasterPassSelected`.
   */
  masterPassUiCallback?: (choice: MasterPassChoice) => void;
  /** G03/G04: the station's effective operational status changed. */
  csEffectiveOperativeStatusChangedCallback?: (status: OperationalStatusEnumType) => void;
  /** G03/G04: an EVSE's effective operational status changed. */
  evseEffectiveOperativeStatusChangedCallback?: (evseId: number, status: OperationalStatusEnumType) => void;
  /** G03/G04: a connector's effective operational status changed (enable/disable it). */
  connectorEffectiveOperativeStatusChangedCallback?: (
    evseId: number,
    connectorId: number,
    status: OperationalStatusEnumType,
  ) => void;
  /**
   * N01, libocpp's semantics: the host uploads the log itself; its GetLogResponse is sent and it
   * reports with `onLogStatusNotification`. Optional: without it the library uploads its own
   * security and OCPP message logs (docs/logs.md).
   */
  getLogRequestCallback?: (request: GetLogRequest) => MaybePromise<GetLogResponse>;
  /** F05: unlock a connector. Default: UnlockFailed. */
  unlockConnectorCallback?: (evseId: number, connectorId: number) => MaybePromise<UnlockConnectorResponse>;
  /** F01: may a remote start be carried out? `authorizeRemoteStart` says an Authorize must follow. */
  remoteStartTransactionCallback?: (
    request: RequestStartTransactionRequest,
    authorizeRemoteStart: boolean,
  ) => MaybePromise<RequestStartStopStatusEnumType>;
  /**
   * H03: is `evseId` reserved, and for whom? Optional: without it the library decides from its own
   * reservations; when given, the host decides (docs/callbacks.md, docs/reservations.md).
   */
  isReservationForTokenCallback?: (
    evseId: number,
    idToken: string,
    groupIdToken: string | undefined,
  ) => MaybePromise<ReservationCheckStatus>;
  /**
   * L01/L02, libocpp's semantics: consulted for every UpdateFirmwareRequest the library would accept
   * (its certificate already checked, L01.FR.21/22); an answer other than Accepted is sent instead
   * and nothing starts. Optional (docs/firmware.md).
   */
  updateFirmwareRequestCallback?: (request: UpdateFirmwareRequest) => MaybePromise<UpdateFirmwareResponse>;
  /**
   * L01/L02: install the downloaded (and, when signed, verified) firmware. Without it UpdateFirmware
   * is Rejected (the station cannot install). Resolve with the outcome, or with nothing and report it
   * later with `onFirmwareInstalled` (docs/firmware.md).
   */
  installFirmwareCallback?: (install: FirmwareInstall) => MaybePromise<FirmwareInstallResult>;
  /** L01: a FirmwareStatusNotification was queued for the CSMS (progress for the host's UI). */
  firmwareStatusCallback?: (status: FirmwareStatusEnumType, requestId: number | undefined) => void;
  /** B05: a variable was changed by the CSMS. */
  variableChangedCallback?: (data: SetVariableDataType) => void;
  /** B09: validate a network profile before it is stored. Default: Accepted. */
  validateNetworkProfileCallback?: (
    configurationSlot: number,
    profile: NetworkConnectionProfileType,
  ) => MaybePromise<SetNetworkProfileStatusEnumType>;
  /** B09/B10: bring up the interface of a profile before connecting; resolve false if it cannot be. */
  configureNetworkConnectionProfileCallback?: (
    configurationSlot: number,
    profile: NetworkConnectionProfileType,
  ) => MaybePromise<boolean>;
  /** B01.FR.06 / G02.FR.06: the CSMS told the time. */
  timeSyncCallback?: (currentTime: string) => void;
  /** Every OCPP-J frame, raw, in both directions. */
  ocppMessagesCallback?: (message: string, direction: MessageDirection) => void;
  /** A04.FR.04: a security event happened inside the library (log it in the security log). */
  securityEventCallback?: (eventType: string, techInfo: string | undefined) => void;
  /**
   * K01/K10: the set of installed charging profiles changed (a SetChargingProfile or an external
   * limit accepted, profiles cleared, TxProfiles of an ended transaction deleted): recompute limits.
   */
  setChargingProfilesCallback?: () => void;
  /**
   * Beyond libocpp. The composite schedules changed: after any change of profiles, external limits,
   * transactions, EV schedules or smart-charging configuration, and whenever time reaches a period
   * boundary. `schedules` are EVSE 0 (the grid connection) then every EVSE, from now; apply each
   * EVSE's first period (docs/smart-charging.md, "Wiring").
   */
  compositeSchedulesChangedCallback?: (schedules: CompositeScheduleDetails[]) => void;
  /**
   * Beyond libocpp. K16.FR.02: the CSMS set a new profile while the ISO 15118 EV on `evseId` charges
   * on an agreed schedule: start a renegotiation (EVSENotification = ReNegotiation), then report the
   * EV's new schedule with onEvChargingSchedule.
   */
  renegotiateChargingScheduleCallback?: (evseId: number) => void;
  /** B01–B03: a BootNotificationResponse arrived. */
  bootNotificationCallback?: (response: BootNotificationResponse) => void;
  /** N09: human-readable customer information for a certificate, token or customer id. */
  getCustomerInformationCallback?: (
    certificate: CertificateHashDataType | undefined,
    idToken: IdTokenType | undefined,
    customerIdentifier: string | undefined,
  ) => MaybePromise<string>;
  /** N10: clear customer information. */
  clearCustomerInformationCallback?: (
    certificate: CertificateHashDataType | undefined,
    idToken: IdTokenType | undefined,
    customerIdentifier: string | undefined,
  ) => MaybePromise<void>;
  /** G03/G04/L01: every connector is now Unavailable (e.g. a firmware update may start). */
  allConnectorsUnavailableCallback?: () => void;
  /** P01: answer a DataTransfer from the CSMS. Default: UnknownVendorId. */
  dataTransferCallback?: (request: DataTransferRequest) => MaybePromise<DataTransferResponse>;
  /** E: a TransactionEventRequest was sent. */
  transactionEventCallback?: (request: TransactionEventRequest) => void;
  /** E: the CSMS answered a TransactionEventRequest. */
  transactionEventResponseCallback?: (
    request: TransactionEventRequest,
    response: TransactionEventResponse,
  ) => void;
  /** The websocket to the CSMS went up or down. */
  connectionStateChangedCallback?: (
    isConnected: boolean,
    configurationSlot: number,
    profile: NetworkConnectionProfileType | undefined,
  ) => void;
  /**
   * O03/O04: registered, the host owns the display messages as in libocpp (docs/display-messages.md):
   * GetDisplayMessages reads the messages matching the request from the host, SetDisplayMessage and
   * ClearDisplayMessage are the host's to store and answer. Absent, the library stores them.
   */
  getDisplayMessageCallback?: (request: GetDisplayMessagesRequest) => MaybePromise<MessageInfoType[]>;
  /**
   * O01/O02/O06: a message passed the device-model checks. Host-owned: the host stores it and its
   * answer is sent. Library-owned: asked before storing; any status but Accepted is sent and nothing is stored.
   */
  setDisplayMessageCallback?: (messages: MessageInfoType[]) => MaybePromise<SetDisplayMessageResponse>;
  /** O05: remove a message. Host-owned: the host's answer is sent. Library-owned: asked for a known id first. */
  clearDisplayMessageCallback?: (
    request: ClearDisplayMessageRequest,
  ) => MaybePromise<ClearDisplayMessageResponse>;
  /**
   * Beyond libocpp. Library-owned display messages: the messages to show changed (set, cleared,
   * started, ended, their transaction ended). `messages` are those within their time window, in
   * display order (AlwaysFront, InFront, NormalCycle); the host shows those whose `state` matches its own.
   */
  displayMessagesChangedCallback?: (messages: MessageInfoType[]) => void;
  /** I02/I03: a running or final cost to show (Cost enabled; California pricing data included when enabled). */
  setRunningCostCallback?: (
    runningCost: RunningCost,
    numberOfDecimals: number,
    currencyCode: string | undefined,
  ) => void;
  /** I01/I04/I05/I06: a tariff or fallback text to show (Tariff, resp. Cost for I05, enabled). */
  tariffMessageCallback?: (message: TariffMessage) => void;
  /**
   * H01: consulted when the library would accept a ReserveNowRequest; another status is sent instead
   * and nothing is reserved. Optional: the library owns reservations (docs/reservations.md).
   */
  reserveNowCallback?: (request: ReserveNowRequest) => MaybePromise<ReserveNowStatusEnumType>;
  /**
   * H02: told after the library cancelled an active reservation (CancelReservationResponse Accepted);
   * the return value is not used.
   */
  cancelReservationCallback?: (reservationId: number) => MaybePromise<boolean>;
}

/** Callbacks that only notify the host: their return value is not used by the library. */
export const NOTIFICATION_CALLBACKS = [
  'chargingPermittedChangedCallback',
  'masterPassUiCallback',
  'csEffectiveOperativeStatusChangedCallback',
  'evseEffectiveOperativeStatusChangedCallback',
  'connectorEffectiveOperativeStatusChangedCallback',
  'variableChangedCallback',
  'timeSyncCallback',
  'ocppMessagesCallback',
  'securityEventCallback',
  'setChargingProfilesCallback',
  'compositeSchedulesChangedCallback',
  'renegotiateChargingScheduleCallback',
  'bootNotificationCallback',
  'allConnectorsUnavailableCallback',
  'transactionEventCallback',
  'transactionEventResponseCallback',
  'connectionStateChangedCallback',
  'setRunningCostCallback',
  'displayMessagesChangedCallback',
  'tariffMessageCallback',
  'firmwareStatusCallback',
] as const satisfies ReadonlyArray<keyof ChargePointCallbacks>;

/**
 * Wraps the host's notification callbacks so that one that throws (or returns a rejected promise)
 * is reported instead of breaking the station: they run inside statechart actions and socket
 * listeners, where an exception would stop the root actor or escape as an uncaught error.
 * Callbacks whose answer the library uses (isResetAllowedCallback, dataTransferCallback, ...) are
 * left as they are: their failure becomes the CALLERROR InternalError of the CALL they answer.
 *
 * @example
 * const safe = guardNotificationCallbacks(callbacks, (e) => console.error(e));
 * safe.securityEventCallback?.('StartupOfTheDevice', undefined); // never throws
 */
export function guardNotificationCallbacks(
  callbacks: ChargePointCallbacks,
  reportError: (error: unknown) => void,
): ChargePointCallbacks {
  const guarded: Record<string, unknown> = { ...callbacks };
  for (const name of NOTIFICATION_CALLBACKS) {
    const callback = callbacks[name] as ((...args: unknown[]) => unknown) | undefined;
    if (!callback) continue;
    guarded[name] = (...args: unknown[]) => {
      try {
        const result = callback(...args);
        if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
          (result as Promise<unknown>).then(undefined, (error: unknown) =>
            reportError(new CallbackError(name, error)),
          );
        }
      } catch (error) {
        reportError(new CallbackError(name, error));
      }
    };
  }
  return guarded as ChargePointCallbacks;
}

/**
 * A host callback failed; `callback` names it, `cause` is what it threw.
 *
 * @example
 * onError: (e) => { if (e instanceof CallbackError) console.error(`${e.callback} failed`, e.cause); }
 */
export class CallbackError extends Error {
  override readonly name = 'CallbackError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_CALLBACK';
  constructor(
    readonly callback: string,
    cause: unknown,
  ) {
    super(`${callback} threw: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
