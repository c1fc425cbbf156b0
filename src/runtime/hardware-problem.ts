/**
 * A hardware problem the station reports on its own (N07 style, before the monitoring of the next
 * issue): a NotifyEventRequest for the component's `Problem` variable, trigger Delta, as a
 * hard-wired notification. Part 6 TC_G_20 expects it for a failed cable lock:
 * ConnectorPlugRetentionLock.Problem = true on the connector.
 */
import type { NotifyEventRequest } from '../generated/ocpp-types.js';

/** eventIds of this process: unique enough for the notifications one run sends. */
let nextEventId = Math.floor(Math.random() * 1_000_000);

/**
 * The NotifyEventRequest of `component.Problem` becoming `value` on a connector.
 *
 * @example
 * problemEvent('ConnectorPlugRetentionLock', 1, 1, '2026-01-01T00:00:00.000Z');
 */
export function problemEvent(
  component: string,
  evseId: number,
  connectorId: number,
  now: string,
  value = 'true',
): NotifyEventRequest {
  nextEventId = (nextEventId + 1) % 2_147_483_647;
  return {
    generatedAt: now,
    seqNo: 0,
    eventData: [
      {
        eventId: nextEventId,
        timestamp: now,
        trigger: 'Delta',
        actualValue: value,
        eventNotificationType: 'HardWiredNotification',
        component: { name: component, evse: { id: evseId, connectorId } },
        variable: { name: 'Problem' },
      },
    ],
  };
}
