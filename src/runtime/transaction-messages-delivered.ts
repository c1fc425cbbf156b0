/**
 * The wait before a reset for the transaction-related messages to be delivered (B11/B12): a reset
 * with a TransactionEvent still in flight would make the next run send it again.
 */
import type { MessageQueue } from '../queue/message-queue.js';
import type { StationPersistence } from './station-persistence.js';

/** What the wait watches. */
export interface DeliveryWaitPorts {
  persistence: Pick<StationPersistence, 'flushed'>;
  queue: Pick<MessageQueue, 'pendingDurable' | 'idle'>;
  /** OCPPCommCtrlr.MessageTimeout (s), read when the wait begins. */
  messageTimeoutS(): number;
  /** Is waiting still of use (connected, not stopped)? */
  canWait(): boolean;
}

/**
 * Everything decided is stored; then, while the CSMS is reachable and deliveries progress, waits
 * until no transaction-related message is queued. An unanswered message ends the wait when it
 * times out (it is not waited for again); OCPPCommCtrlr.MessageTimeout bounds it. A reset called
 * with the Ended event still in flight made the next run send it again (Part 6 TC_B_21/22 saw a
 * second Ended with the same message id).
 *
 * @example
 * beforeReset: () => transactionMessagesDelivered({ persistence, queue, messageTimeoutS: () => 30, canWait: () => connected }),
 */
export async function transactionMessagesDelivered(ports: DeliveryWaitPorts): Promise<void> {
  const { persistence, queue } = ports;
  await persistence.flushed();
  const deadline = Date.now() + ports.messageTimeoutS() * 1000;
  for (;;) {
    const waiting = queue.pendingDurable(true).length;
    const remaining = deadline - Date.now();
    if (waiting === 0 || !ports.canWait() || remaining <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      queue.idle(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, remaining);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    await new Promise<void>((resolve) => setImmediate(resolve));
    await persistence.flushed();
    // Nothing was delivered (a retry waits for its timer, or the queue is gated): do not wait for it.
    if (queue.pendingDurable(true).length >= waiting) return;
  }
}
