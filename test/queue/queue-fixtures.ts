/** Shared fixtures of the message queue tests: a manual host clock, a queue on a temp store, raw rows. */
import type { Kysely } from 'kysely';
import { MessageQueue, type MessageQueueOptions, type QueueSettings } from '../../src/queue/message-queue.js';
import { createStationClock } from '../../src/clock.js';
import type { Database, MessageQueueTable } from '../../src/store/schema.js';

export const settings: QueueSettings = {
  transactionAttempts: 3,
  transactionAttemptIntervalS: 60,
  queueAllMessages: false,
};

/** Host time that moves only by `advance(ms)`, which fires the timers then due. Records every delay asked. */
export function manualTime(start = 1_000_000) {
  let now = start;
  const timers: Array<{ at: number; fn: () => void }> = [];
  const delays: number[] = [];
  return {
    delays,
    hostNow: () => now,
    setTimer: (fn: () => void, ms: number) => {
      delays.push(ms);
      const t = { at: now + ms, fn };
      timers.push(t);
      return t;
    },
    clearTimer: (h: unknown) => {
      const i = timers.indexOf(h as { at: number; fn: () => void });
      if (i >= 0) timers.splice(i, 1);
    },
    advance(ms: number) {
      now += ms;
      for (const t of timers.splice(0)) {
        if (t.at <= now) t.fn();
        else timers.push(t);
      }
    },
    get pendingTimers() {
      return timers.length;
    },
  };
}

/** A queue on `db` for station 'CS' that records what it reports; `extra` overrides any option. */
export function openQueue(db: Kysely<Database>, extra: Partial<MessageQueueOptions> = {}) {
  const errors: unknown[] = [];
  const discarded: Array<{ action: string; error: unknown }> = [];
  const queue = new MessageQueue({
    db,
    stationId: 'CS',
    clock: createStationClock(),
    settings: () => settings,
    onError: (e) => errors.push(e),
    onDiscarded: (action, _payload, error) => discarded.push({ action, error }),
    ...extra,
  });
  return { queue, errors, discarded };
}

/** A valid SecurityEventNotification payload of `type`. */
export const securityEvent = (type: string) => ({ type, timestamp: '2026-01-01T00:00:00.000Z' });

/** Writes a message_queue row directly (as an earlier run, another version or a damaged file left it). */
export async function insertRow(
  db: Kysely<Database>,
  row: Partial<Omit<MessageQueueTable, 'id'>> = {},
): Promise<number> {
  const result = await db
    .insertInto('message_queue')
    .values({
      station_id: 'CS',
      message_id: `m-${Math.random().toString(16).slice(2, 10)}`,
      action: 'SecurityEventNotification',
      payload_json: JSON.stringify(securityEvent('StartupOfTheDevice')),
      kind: 'normal',
      dedupe_key: null,
      attempts: 0,
      next_attempt_at: '2026-01-01T00:00:00.000Z',
      created_at: '2026-01-01T00:00:00.000Z',
      ...row,
    })
    .executeTakeFirstOrThrow();
  return Number(result.insertId);
}

/** A promise with its resolve and reject exposed. */
export function deferred<T = unknown>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
