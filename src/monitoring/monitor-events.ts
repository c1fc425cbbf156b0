/**
 * How a fired monitor reaches the CSMS (N07, N08): the NotifyEventRequest, and whether it is sent,
 * queued durably, filtered by the monitoring level or dropped while offline.
 */
import type { EventDataType, NotifyEventRequest } from '../generated/ocpp-types.js';
import type { Monitor, MonitorFiring } from './monitor-types.js';

/** What became of a fired monitor. */
export type Delivery =
  /** MonitoringCtrlr.Enabled is false: monitors are evaluated but report nothing. */
  | 'disabled'
  /** N05.FR.03 / N07.FR.15: severity above ActiveMonitoringLevel. */
  | 'filtered'
  /** Offline with a severity above OfflineQueuingSeverity: not queued (N07.FR.04 / N08.FR.03). */
  | 'dropped'
  /** Queued durably: kept until delivered, across reconnects and restarts. */
  | 'queued'
  /** Sent now, not kept when the connection drops. */
  | 'sent';

/** The settings the delivery decision reads (MonitoringCtrlr). */
export interface DeliverySettings {
  enabled: boolean;
  /** ActiveMonitoringLevel. */
  level: number;
  /** OfflineQueuingSeverity. */
  offlineQueuingSeverity: number;
  online: boolean;
}

/**
 * Where a fired monitor goes: filtered when the station does not report it at all, else queued
 * durably when its severity is at most OfflineQueuingSeverity (so a connection lost on the way does
 * not lose it either), else sent only when online.
 *
 * @example
 * delivery(7, { enabled: true, level: 9, offlineQueuingSeverity: 5, online: false }); // 'dropped'
 */
export function delivery(severity: number, settings: DeliverySettings): Delivery {
  if (!settings.enabled) return 'disabled';
  if (severity > settings.level) return 'filtered';
  if (severity <= settings.offlineQueuingSeverity) return 'queued';
  return settings.online ? 'sent' : 'dropped';
}

/** eventIds of this process: unique enough for the notifications one run sends. */
let lastEventId = Math.floor(Math.random() * 1_000_000);

/**
 * The NotifyEventRequest of one fired monitor: seqNo 0 (N07.FR.07), component, variable and
 * variableMonitoringId (N07.FR.06), the kind of monitor, the Actual value (empty for a WriteOnly
 * variable, N07.FR.10), cleared for thresholds (N07.FR.02).
 *
 * @example
 * notifyEventRequest(monitor, { trigger: 'Alerting', cleared: false }, '61.5', now, undefined);
 */
export function notifyEventRequest(
  monitor: Monitor,
  firing: MonitorFiring,
  actualValue: string,
  now: string,
  transactionId: string | undefined,
): NotifyEventRequest {
  lastEventId = (lastEventId + 1) % 2_147_483_647;
  const data: EventDataType = {
    eventId: lastEventId,
    timestamp: now,
    trigger: firing.trigger,
    actualValue: [...actualValue].slice(0, 2500).join(''),
    component: monitor.component,
    variable: monitor.variable,
    variableMonitoringId: monitor.id,
    eventNotificationType: monitor.kind,
  };
  if (firing.cleared !== undefined) data.cleared = firing.cleared;
  if (transactionId !== undefined) data.transactionId = transactionId;
  return { generatedAt: now, seqNo: 0, eventData: [data] };
}
