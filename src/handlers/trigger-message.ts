import type {
  HeartbeatResponse,
  TriggerMessageRequest,
  TriggerMessageResponse,
} from '../generated/ocpp-types.js';
import { connectorActorId } from '../../machines/evse.js';
import { syncClockFromCsms } from '../runtime/time-sync.js';
import type { CallHandler, HandlerContext } from './handler-context.js';

/**
 * F06 TriggerMessage. The response goes first (F06.FR.04) and Accepted messages are then sent
 * (F06.FR.10) with current information (F06.FR.09), marked as triggered so they pass the Pending
 * gate (B02.FR.02). Message types this station cannot produce yet answer NotImplemented (F06.FR.08).
 *
 * Heartbeat and StatusNotification are sent here, through the queue, rather than by the boot and
 * connector statecharts: those only send while Accepted and only on a change, whereas a triggered
 * message goes out while Pending too and even when nothing changed (F06.FR.09/10). A triggered
 * BootNotification is the boot chart's business (its reason and its retry timing), so it goes there.
 *
 * @example
 * // in the dispatcher's handler table (src/runtime/incoming.ts): TriggerMessage: handleTriggerMessage
 * await handleTriggerMessage(ctx, { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } });
 * // -> { status: 'Accepted' }; the StatusNotification of connector 1/1 follows the response
 */
export const handleTriggerMessage: CallHandler<TriggerMessageRequest, TriggerMessageResponse> = (
  ctx,
  request,
) => {
  const rejected = (reasonCode: string): TriggerMessageResponse => ({
    status: 'Rejected',
    statusInfo: { reasonCode },
  });
  switch (request.requestedMessage) {
    case 'BootNotification':
      // F06.FR.17: only meaningful while not Accepted.
      if (ctx.registration() === 'Accepted') return rejected('AlreadyAccepted');
      ctx.afterResponse(() => ctx.station.send({ type: 'trigger.BootNotification' }));
      return { status: 'Accepted' };
    case 'Heartbeat':
      ctx.afterResponse(() => sendHeartbeat(ctx));
      return { status: 'Accepted' };
    case 'StatusNotification': {
      const evseId = request.evse?.id;
      const connectorId = request.evse?.connectorId;
      // F06.FR.12: StatusNotification exists per connector only.
      if (evseId === undefined || connectorId === undefined) return rejected('MissingConnectorId');
      const connector = ctx.station.system.get(connectorActorId(evseId, connectorId));
      if (!connector) return rejected('UnknownConnector');
      ctx.afterResponse(() => sendStatus(ctx, evseId, connectorId));
      return { status: 'Accepted' };
    }
    // L01.FR.25/26: Idle, or the last status sent with its requestId.
    case 'FirmwareStatusNotification': {
      ctx.afterResponse(async () => {
        await ctx.queue.send('FirmwareStatusNotification', ctx.runtime.firmware.triggeredStatus(), { triggered: true });
      });
      return { status: 'Accepted' };
    }
    // F06.FR.15 / N01.FR.13: Idle, or the running upload's status with its requestId.
    case 'LogStatusNotification': {
      ctx.afterResponse(async () => {
        await ctx.queue.send('LogStatusNotification', ctx.runtime.logUpload.triggeredStatus(), { triggered: true });
      });
      return { status: 'Accepted' };
    }

    case 'MeterValues': {
      // F06.FR.06 (Part 6 TC_F_11/12): one MeterValuesRequest per EVSE asked for (all when absent),
      // the AlignedDataMeasurands of the newest reading, context Trigger.
      const evseId = request.evse?.id;
      if (evseId !== undefined && !ctx.evses.some((e) => e.id === evseId)) return rejected('UnknownEvse');
      const targets = (evseId === undefined ? ctx.evses.map((e) => e.id) : [evseId]).filter(
        (id) => ctx.runtime.meters.alignedReading(id, 'Trigger') !== null,
      );
      if (targets.length === 0) return rejected('NoMeterValues');
      ctx.afterResponse(async () => {
        for (const id of targets) {
          const meterValue = ctx.runtime.meters.alignedReading(id, 'Trigger', ctx.clock.nowIso());
          if (meterValue) await ctx.queue.send('MeterValues', { evseId: id, meterValue: [meterValue] }, { triggered: true });
        }
      });
      return { status: 'Accepted' };
    }
    case 'TransactionEvent': {
      // F06.FR.07 (TC_F_13/14): an Updated with triggerReason Trigger for each running transaction
      // asked for; Rejected when there is none.
      const evseId = request.evse?.id;
      if (evseId !== undefined && !ctx.evses.some((e) => e.id === evseId)) return rejected('UnknownEvse');
      if (!ctx.hasActiveTransaction(evseId)) return rejected('NoTransaction');
      ctx.afterResponse(() =>
        ctx.station.send({
          type: 'trigger.transactionEvent',
          at: ctx.clock.nowIso(),
          ...(evseId === undefined ? {} : { evseId }),
        }),
      );
      return { status: 'Accepted' };
    }
    case 'SignChargingStationCertificate':
    case 'SignV2GCertificate': {
      // A02.FR.02: the key pair and CSR are made after the TriggerMessageResponse.
      const use = request.requestedMessage === 'SignV2GCertificate' ? 'V2GCertificate' : 'ChargingStationCertificate';
      if (!ctx.deviceModel.get({ component: 'SecurityCtrlr', variable: 'OrganizationName' })) {
        return rejected('MissingOrganizationName');
      }
      ctx.afterResponse(() => ctx.runtime.certificates.signing.request(use, true));
      return { status: 'Accepted' };
    }
    default:
      return { status: 'NotImplemented' };
  }
};

async function sendHeartbeat(ctx: HandlerContext): Promise<void> {
  const response = (await ctx.queue.send('Heartbeat', {}, { triggered: true })) as HeartbeatResponse;
  // G02.FR.06: like a scheduled Heartbeat, the answer sets the clock when the CSMS is a time source.
  syncClockFromCsms(ctx, response.currentTime);
}

async function sendStatus(ctx: HandlerContext, evseId: number, connectorId: number): Promise<void> {
  const connector = ctx.station.system.get(connectorActorId(evseId, connectorId));
  const snapshot = connector?.getSnapshot() as { value: { status: string } } | undefined;
  if (!snapshot) return;
  await ctx.queue.send(
    'StatusNotification',
    { timestamp: ctx.clock.nowIso(), connectorStatus: snapshot.value.status, evseId, connectorId },
    { triggered: true },
  );
}
