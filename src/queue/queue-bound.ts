/**
 * The bound of the outgoing queue (InternalCtrlr.MessageQueueSizeThreshold): which queued messages
 * a station that is offline and short of memory gives up, per the only drop rule the specification
 * has for queued messages.
 *
 * J02.FR.12: offline and low on memory, the station MAY drop TransactionEventRequest(eventType =
 * Updated) messages. J02.FR.13: it SHALL drop intermediate messages first (the 1st, 3rd, 5th ...),
 * not from the start, nor stop adding messages to the queue.
 *
 * Choices (docs/message-queue.md):
 * - Only Updated events that carry nothing but meter data are candidates (triggerReason
 *   MeterValuePeriodic or MeterValueClock): every other Updated reports a fact the CSMS cannot
 *   learn again (an authorization, a charging-state change, a stop), and Started / Ended are
 *   never dropped. Other messages are never dropped either.
 * - When the count of waiting durable messages passes the threshold, one pass thins the
 *   candidates: the 1st, 3rd, 5th ... of them in queue order are dropped. The remaining meter
 *   data is then spread evenly over the outage at half the resolution, and a later pass halves
 *   it again: the queue never loses the newest readings, nor the oldest ones all at once.
 * - The message in flight is never a candidate, nor the newest candidate (dropping what just
 *   arrived would amount to no longer adding messages, which J02.FR.13 forbids).
 */

/** What the bound needs to know of a queued message. */
export interface BoundCandidate {
  action: string;
  payload: unknown;
  durable: boolean;
  inFlight: boolean;
}

const METER_DATA_TRIGGERS = new Set(['MeterValuePeriodic', 'MeterValueClock']);

/**
 * Whether a queued message may be dropped by the bound (J02.FR.12): an Updated TransactionEvent that
 * only reports meter data, not in flight.
 *
 * @example
 * isDroppable({ action: 'TransactionEvent', payload: { eventType: 'Updated', triggerReason: 'MeterValuePeriodic' }, durable: true, inFlight: false }); // true
 */
export function isDroppable(message: BoundCandidate): boolean {
  if (message.inFlight || message.action !== 'TransactionEvent') return false;
  const payload = message.payload as { eventType?: string; triggerReason?: string } | null;
  return payload?.eventType === 'Updated' && METER_DATA_TRIGGERS.has(payload.triggerReason ?? '');
}

/**
 * Indexes (into `queue`) of the messages to drop now: none while the durable messages waiting are
 * at most `threshold`; else every other droppable one, starting with the first (J02.FR.13).
 *
 * @example
 * const drop = messagesToDrop(entries.map(toCandidate), 10_000);
 * for (const i of drop.reverse()) discard(entries[i]);
 */
export function messagesToDrop(queue: readonly BoundCandidate[], threshold: number | undefined): number[] {
  if (threshold === undefined) return [];
  let durable = 0;
  for (const message of queue) if (message.durable) durable++;
  if (durable <= threshold) return [];
  const candidates: number[] = [];
  queue.forEach((message, i) => {
    if (isDroppable(message)) candidates.push(i);
  });
  // The newest reading stays: dropping what just arrived would be "stop adding" (J02.FR.13).
  return candidates.slice(0, -1).filter((_, k) => k % 2 === 0);
}
