/**
 * Dispatch of the CSMS's CALLs (already parsed and schema-validated by the RPC layer) to their
 * handlers, behind the registration gate.
 */
import type { OcppAction, OcppRequestMap, OcppResponseMap } from '../generated/ocpp-types.js';
import { handleCancelReservation } from '../handlers/cancel-reservation.js';
import {
  handleCertificateSigned,
  handleDeleteCertificate,
  handleGetInstalledCertificateIds,
  handleInstallCertificate,
} from '../handlers/certificates.js';
import { handleChangeAvailability } from '../handlers/change-availability.js';
import { handleClearCache } from '../handlers/clear-cache.js';
import { handleClearChargingProfile } from '../handlers/clear-charging-profile.js';
import { handleGetChargingProfiles } from '../handlers/get-charging-profiles.js';
import { handleGetCompositeSchedule } from '../handlers/get-composite-schedule.js';
import { handleGetLocalListVersion } from '../handlers/get-local-list-version.js';
import { handleGetLog } from '../handlers/get-log.js';
import { handleGetTransactionStatus } from '../handlers/get-transaction-status.js';
import { handleRequestStartTransaction } from '../handlers/request-start-transaction.js';
import { handleRequestStopTransaction } from '../handlers/request-stop-transaction.js';
import { handleUnlockConnector } from '../handlers/unlock-connector.js';
import { handleSendLocalList } from '../handlers/send-local-list.js';
import { handleSetChargingProfile } from '../handlers/set-charging-profile.js';
import { handleDataTransfer } from '../handlers/data-transfer.js';
import { handleClearDisplayMessage } from '../handlers/clear-display-message.js';
import { handleCostUpdated } from '../handlers/cost-updated.js';
import { handleCustomerInformation } from '../handlers/customer-information.js';
import { handleGetDisplayMessages } from '../handlers/get-display-messages.js';
import { handleSetDisplayMessage } from '../handlers/set-display-message.js';
import type { CallHandler, HandlerContext } from '../handlers/handler-context.js';
import { handleGetBaseReport, handleGetReport } from '../handlers/reports.js';
import {
  handleClearVariableMonitoring,
  handleGetMonitoringReport,
  handleSetMonitoringBase,
  handleSetMonitoringLevel,
  handleSetVariableMonitoring,
} from '../handlers/monitoring.js';
import { handleReserveNow } from '../handlers/reserve-now.js';
import { handleReset } from '../handlers/reset.js';
import { handleSetNetworkProfile } from '../handlers/set-network-profile.js';
import { handleTriggerMessage } from '../handlers/trigger-message.js';
import { handleUpdateFirmware } from '../handlers/update-firmware.js';
import { handleGetVariables, handleSetVariables } from '../handlers/variables.js';
import type { IncomingCallInfo } from '../rpc/endpoint.js';
import { OcppRpcError } from '../rpc/errors.js';
import type { RegistrationStatus } from '../../machines/boot.js';

type HandlerTable = { [A in OcppAction]?: CallHandler<OcppRequestMap[A], OcppResponseMap[A]> };

const HANDLERS: HandlerTable = {
  CancelReservation: handleCancelReservation,
  CertificateSigned: handleCertificateSigned,
  ChangeAvailability: handleChangeAvailability,
  ClearCache: handleClearCache,
  ClearChargingProfile: handleClearChargingProfile,
  ClearVariableMonitoring: handleClearVariableMonitoring,
  ClearDisplayMessage: handleClearDisplayMessage,
  CostUpdated: handleCostUpdated,
  CustomerInformation: handleCustomerInformation,
  DataTransfer: handleDataTransfer,
  DeleteCertificate: handleDeleteCertificate,
  GetBaseReport: handleGetBaseReport,
  GetChargingProfiles: handleGetChargingProfiles,
  GetCompositeSchedule: handleGetCompositeSchedule,
  GetDisplayMessages: handleGetDisplayMessages,
  GetInstalledCertificateIds: handleGetInstalledCertificateIds,
  GetLocalListVersion: handleGetLocalListVersion,
  GetMonitoringReport: handleGetMonitoringReport,
  GetLog: handleGetLog,
  GetReport: handleGetReport,
  GetTransactionStatus: handleGetTransactionStatus,
  GetVariables: handleGetVariables,
  InstallCertificate: handleInstallCertificate,
  RequestStartTransaction: handleRequestStartTransaction,
  RequestStopTransaction: handleRequestStopTransaction,
  ReserveNow: handleReserveNow,
  Reset: handleReset,
  SendLocalList: handleSendLocalList,
  SetChargingProfile: handleSetChargingProfile,
  SetMonitoringBase: handleSetMonitoringBase,
  SetMonitoringLevel: handleSetMonitoringLevel,
  SetDisplayMessage: handleSetDisplayMessage,
  SetNetworkProfile: handleSetNetworkProfile,
  SetVariables: handleSetVariables,
  SetVariableMonitoring: handleSetVariableMonitoring,
  TriggerMessage: handleTriggerMessage,
  UnlockConnector: handleUnlockConnector,
  UpdateFirmware: handleUpdateFirmware,
};

/** Actions the CSMS may send that this station handles; other known actions are NotSupported. */
export const SUPPORTED_CSMS_ACTIONS: ReadonlySet<string> = new Set(Object.keys(HANDLERS));

/**
 * B03.FR.08: while Rejected the station answers every CSMS CALL with SecurityError, before looking
 * at the action or the payload. The RPC endpoint applies it first; the dispatcher checks again.
 *
 * @example
 * registrationGate('Rejected')('Reset')?.code; // 'SecurityError'
 */
export function registrationGate(registration: RegistrationStatus): (action: string) => OcppRpcError | null {
  return (action) =>
    registration === 'Rejected'
      ? new OcppRpcError(
          'SecurityError',
          `${action} refused: the CSMS rejected this station's BootNotification`,
        )
      : null;
}

/** Per-call part of the handler context: follow-up work runs after the response is sent. */
export type CallContextFactory = (
  afterResponse: (work: () => void | Promise<void>) => void,
) => HandlerContext;

/**
 * Builds the function the RPC layer calls for each incoming CALL. The RPC layer's `info.frameBytes`
 * (the received frame's length) reaches the handler as `ctx.requestBytes` for the BytesPerMessage
 * limits (B06.FR.17, B08.FR.18).
 *
 * @example
 * const dispatch = createCallDispatcher((after) => ({ ...base, afterResponse: after }));
 * const response = await dispatch('GetVariables', request, messageId, { frameBytes: 120 });
 */
export function createCallDispatcher(makeContext: CallContextFactory) {
  return async (
    action: string,
    payload: unknown,
    _messageId?: string,
    info?: Partial<IncomingCallInfo>,
  ): Promise<unknown> => {
    const followUps: Array<() => void | Promise<void>> = [];
    const base = makeContext((work) => followUps.push(work));
    const ctx: HandlerContext =
      info?.frameBytes === undefined ? base : { ...base, requestBytes: info.frameBytes };
    const closed = registrationGate(ctx.registration())(action);
    if (closed) throw closed;
    // B02.FR.05: no remote start/stop while Pending, even if transactions are allowed before Accepted.
    if (
      ctx.registration() === 'Pending' &&
      (action === 'RequestStartTransaction' || action === 'RequestStopTransaction')
    ) {
      return { status: 'Rejected', statusInfo: { reasonCode: 'NotAccepted' } };
    }
    const handler = HANDLERS[action as OcppAction] as CallHandler<unknown, unknown> | undefined;
    if (!handler) throw new OcppRpcError('NotSupported', `${action} is not supported by this station`);
    const response = await handler(ctx, payload);
    if (followUps.length > 0) {
      // The RPC layer writes the response when this promise settles; setImmediate runs after that
      // (F06.FR.04: response first, then the requested message).
      setImmediate(() => {
        for (const work of followUps) {
          Promise.resolve()
            .then(work)
            .catch((error: unknown) => ctx.reportError(error));
        }
      });
    }
    return response;
  };
}
