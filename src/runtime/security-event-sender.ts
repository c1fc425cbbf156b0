/**
 * A04 security events: each is recorded through securityEventCallback and, when critical, sent to
 * the CSMS with guaranteed delivery; and the security event that every boot is.
 */
import type { ChargePointCallbacks } from '../callbacks.js';
import type { StationClock } from '../clock.js';
import type { BootReasonEnumType, SecurityEventNotificationRequest } from '../generated/ocpp-types.js';
import type { MessageQueue } from '../queue/message-queue.js';

/** What sending a security event uses. */
export interface SecurityEventPorts {
  callbacks: Pick<ChargePointCallbacks, 'securityEventCallback'>;
  clock: Pick<StationClock, 'nowIso'>;
  queue: Pick<MessageQueue, 'send'>;
  reportError(error: unknown): void;
}

/**
 * A04: records a security event (securityEventCallback, A04.FR.04) and, when critical, sends it
 * to the CSMS with guaranteed delivery (A04.FR.01/02).
 *
 * @example
 * await sendSecurityEvent({ callbacks, clock, queue, reportError }, 'TamperDetectionActivated', 'cover opened');
 */
export async function sendSecurityEvent(
  ports: SecurityEventPorts,
  type: string,
  techInfo?: string,
  critical = true,
): Promise<void> {
  ports.callbacks.securityEventCallback?.(type, techInfo);
  if (!critical) return;
  const payload: SecurityEventNotificationRequest = {
    type,
    timestamp: ports.clock.nowIso(),
    ...(techInfo === undefined ? {} : { techInfo: techInfo.slice(0, 255) }),
  };
  await ports.queue
    .send('SecurityEventNotification', payload, { durable: true })
    .catch((e: unknown) => ports.reportError(e));
}

/** Boot reasons after which the station reports ResetOrReboot instead of StartupOfTheDevice. */
const RESET_REASONS: ReadonlySet<BootReasonEnumType> = new Set([
  'RemoteReset',
  'ScheduledReset',
  'LocalReset',
  'Triggered',
  'FirmwareUpdate',
  'ApplicationReset',
  'Watchdog',
]);

/**
 * A04: every boot is a security event (TC_A_*: StartupOfTheDevice or ResetOrReboot).
 *
 * @example
 * bootSecurityEventType('RemoteReset'); // 'ResetOrReboot'
 * bootSecurityEventType('PowerUp'); // 'StartupOfTheDevice'
 */
export function bootSecurityEventType(reason: BootReasonEnumType): 'ResetOrReboot' | 'StartupOfTheDevice' {
  return RESET_REASONS.has(reason) ? 'ResetOrReboot' : 'StartupOfTheDevice';
}
