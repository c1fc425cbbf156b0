/**
 * Reading durable messages back from the `message_queue` table, one row at a time, so that a single
 * bad row (edited by hand, written by another version, damaged on disk) is named precisely and does
 * not cost the other rows.
 *
 * Decision (docs/message-queue.md): a bad row is skipped, reported through the queue's `onError` as
 * a {@link StoredMessageError}, and left in the table untouched, for inspection and repair: nothing
 * is deleted on the strength of a row the station cannot read, and a repaired row is sent at the next
 * start. Its dedupe key stays taken meanwhile (the message counts as stored).
 *
 * `next_attempt_at` is only a scheduling hint: an unreadable value means "due now".
 */
import type { Selectable } from 'kysely';
import type { MessageQueueTable } from '../store/schema.js';
import { findOutgoingProblem } from './outgoing-check.js';

/** Part 4 §4.1.4: messageId is string[36]. */
const MAX_MESSAGE_ID_LENGTH = 36;

/** A durable message as read back from the store. */
export interface StoredMessage {
  rowId: number;
  messageId: string;
  action: string;
  payload: unknown;
  transaction: boolean;
  /** Attempts the CSMS has seen so far (E13.FR.02). */
  attempts: number;
  /** Host time (ms) of the next attempt; 0 when unknown (due now). */
  nextAttemptAt: number;
  /** systemId of the actor that receives the answer (it deletes the row); null: the queue does. */
  owner: string | null;
}

/**
 * A row of the message queue table cannot be used: names the table, the row id and the column.
 *
 * @example
 * queue = new MessageQueue({ ..., onError: (e) => { if (e instanceof StoredMessageError) log(e.rowId, e.field); } });
 */
export class StoredMessageError extends Error {
  override readonly name = 'StoredMessageError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_STORED_MESSAGE';
  constructor(
    readonly table: string,
    readonly rowId: number,
    readonly field: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${table} row ${rowId}: ${field} ${reason}; the row is skipped and kept in the table`, options);
  }
}

/**
 * Decodes one row: the message, or the error naming what is wrong with the row. Never throws.
 *
 * @example
 * const decoded = decodeStoredMessage(row);
 * if (decoded instanceof StoredMessageError) onError(decoded); else entries.push(decoded);
 */
export function decodeStoredMessage(row: Selectable<MessageQueueTable>): StoredMessage | StoredMessageError {
  const bad = (field: keyof MessageQueueTable, reason: string, cause?: unknown) =>
    new StoredMessageError('message_queue', row.id, field, reason, cause === undefined ? {} : { cause });
  if (
    typeof row.message_id !== 'string' ||
    row.message_id.length === 0 ||
    row.message_id.length > MAX_MESSAGE_ID_LENGTH
  ) {
    return bad('message_id', `must be a string of 1-${MAX_MESSAGE_ID_LENGTH} characters`);
  }
  if (row.kind !== 'transaction' && row.kind !== 'normal') {
    return bad('kind', `must be 'transaction' or 'normal', is ${JSON.stringify(row.kind)}`);
  }
  if (!Number.isSafeInteger(row.attempts) || row.attempts < 0) {
    return bad('attempts', `must be a non-negative integer, is ${JSON.stringify(row.attempts)}`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload_json);
  } catch (error) {
    return bad('payload_json', `is not valid JSON (${(error as Error).message})`, error);
  }
  const problem = findOutgoingProblem(row.action, payload);
  if (problem?.field === 'action') return bad('action', problem.description);
  if (problem) return bad('payload_json', `fails ${row.action}Request: ${problem.description}`);
  const nextAttemptAt = Date.parse(row.next_attempt_at);
  return {
    rowId: row.id,
    messageId: row.message_id,
    action: row.action,
    payload,
    transaction: row.kind === 'transaction',
    attempts: row.attempts,
    nextAttemptAt: Number.isFinite(nextAttemptAt) ? nextAttemptAt : 0,
    owner: typeof row.owner === 'string' && row.owner !== '' ? row.owner : null,
  };
}
