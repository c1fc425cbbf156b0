/**
 * OCPP-J message frames (OCPP 2.0.1 Part 4 §4.2): parsing with the CALLERROR code every kind of bad
 * input deserves, and serialization. docs/errors.md explains each choice of code.
 */
import { randomUUID } from 'node:crypto';
import { normalizeRpcErrorCode, type RpcErrorCode, type RpcErrorDetails } from './errors.js';

/** Message Type Numbers (Part 4 §4.1.3, table 3). */
export const MessageTypeId = { Call: 2, CallResult: 3, CallError: 4 } as const;

/** Part 4 §4.2.3: "When also the MessageId cannot be read, the CALLERROR SHALL contain "-1" as MessageId." */
export const UNREADABLE_MESSAGE_ID = '-1';

/** Part 4 §4.1.4, table 4: messageId is string[36], to allow for UUIDs. */
export const MAX_MESSAGE_ID_LENGTH = 36;

/** Part 4 §4.2.3, table 7: ErrorDescription is string[255]. */
export const MAX_ERROR_DESCRIPTION_LENGTH = 255;

/** `[2, messageId, action, payload]` */
export interface CallFrame {
  readonly type: typeof MessageTypeId.Call;
  readonly messageId: string;
  readonly action: string;
  readonly payload: unknown;
}

/** `[3, messageId, payload]` */
export interface CallResultFrame {
  readonly type: typeof MessageTypeId.CallResult;
  readonly messageId: string;
  readonly payload: unknown;
}

/** `[4, messageId, errorCode, errorDescription, errorDetails]`, read tolerantly (see {@link parseFrame}). */
export interface CallErrorFrame {
  readonly type: typeof MessageTypeId.CallError;
  readonly messageId: string;
  /** The code normalized by {@link normalizeRpcErrorCode}. */
  readonly errorCode: RpcErrorCode;
  /** The code exactly as received, for logs. */
  readonly rawErrorCode: unknown;
  readonly description: string;
  readonly details: RpcErrorDetails;
}

export type OcppFrame = CallFrame | CallResultFrame | CallErrorFrame;

/** Why a text is not a usable OCPP-J frame, and how to answer it. */
export interface FrameError {
  /** The Message Type Number when it could be read (a number), else undefined. */
  readonly messageTypeId: number | undefined;
  /** The message id to answer with: the frame's own when readable and valid, else "-1". */
  readonly messageId: string;
  readonly code: RpcErrorCode;
  readonly description: string;
  /**
   * Whether a CALLERROR should be sent back. Never for something that claims to be a CALLRESULT or
   * CALLERROR: answering answers could make two peers bounce errors at each other forever.
   */
  readonly reply: boolean;
}

export type ParsedFrame =
  { readonly ok: true; readonly frame: OcppFrame } | { readonly ok: false; readonly error: FrameError };

/**
 * Whether a value is a usable message id: a non-empty string of at most 36 characters (Part 4 §4.1.4).
 *
 * @example
 * isValidMessageId('19223201'); // true
 * isValidMessageId(19223201); // false: ids are strings
 */
export function isValidMessageId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_MESSAGE_ID_LENGTH;
}

/**
 * A fresh message id: a random UUID (36 characters), unique across connections as Part 4 §4.1.4 requires.
 *
 * @example
 * const id = newMessageId(); // 'b3c0e8a2-5f0e-4d7e-9a55-0b8e0e7d2c11'
 */
export function newMessageId(): string {
  return randomUUID();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(
  messageTypeId: number | undefined,
  messageId: string,
  code: RpcErrorCode,
  description: string,
): ParsedFrame {
  const reply = messageTypeId !== MessageTypeId.CallResult && messageTypeId !== MessageTypeId.CallError;
  return { ok: false, error: { messageTypeId, messageId, code, description, reply } };
}

/**
 * Parses one websocket text message into an OCPP-J frame, or says which CALLERROR it deserves.
 *
 * - not JSON, not an array, Message Type Number not a number, or message id unreadable
 *   -> RpcFrameworkError with message id "-1" (Part 4 §4.2.3, table 8 "MessageId could not be read");
 * - Message Type Number other than 2/3/4 -> MessageTypeNotSupported (Part 4 §4.4);
 * - a CALL with a readable id but not `[2, id, action, payload]` (wrong element count, action not a
 *   string) -> ProtocolError ("not conform the PDU structure");
 * - a CALLRESULT must have exactly 3 elements; a CALLERROR is read tolerantly (its code normalized,
 *   a missing/odd description or details replaced by "" / {}) because it only ever rejects a call.
 * Payload contents are not checked here: that is schema validation.
 *
 * @example
 * const parsed = parseFrame('[2,"1","Heartbeat",{}]');
 * if (parsed.ok && parsed.frame.type === MessageTypeId.Call) console.log(parsed.frame.action); // 'Heartbeat'
 */
export function parseFrame(text: string): ParsedFrame {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch (e) {
    return fail(
      undefined,
      UNREADABLE_MESSAGE_ID,
      'RpcFrameworkError',
      `Message is not valid JSON: ${(e as Error).message}`,
    );
  }
  if (!Array.isArray(message)) {
    return fail(undefined, UNREADABLE_MESSAGE_ID, 'RpcFrameworkError', 'Message is not a JSON array');
  }
  const elements: unknown[] = message;
  const [typeId, rawId] = elements;
  const readableId = isValidMessageId(rawId) ? rawId : undefined;
  if (typeof typeId !== 'number') {
    return fail(
      undefined,
      readableId ?? UNREADABLE_MESSAGE_ID,
      'RpcFrameworkError',
      'MessageTypeId is not a number',
    );
  }
  if (
    typeId !== MessageTypeId.Call &&
    typeId !== MessageTypeId.CallResult &&
    typeId !== MessageTypeId.CallError
  ) {
    // Part 4 §4.1.3: the payload of an unknown message type is ignored; §4.4: answer MessageTypeNotSupported.
    return fail(
      typeId,
      readableId ?? UNREADABLE_MESSAGE_ID,
      'MessageTypeNotSupported',
      `MessageTypeId ${typeId} is not supported`,
    );
  }
  if (readableId === undefined) {
    const what =
      typeof rawId === 'string'
        ? `${rawId.length} characters long (must be 1-${MAX_MESSAGE_ID_LENGTH})`
        : `a ${rawId === null ? 'null' : typeof rawId}, not a string`;
    return fail(typeId, UNREADABLE_MESSAGE_ID, 'RpcFrameworkError', `MessageId is ${what}`);
  }
  switch (typeId) {
    case MessageTypeId.Call: {
      if (elements.length !== 4) {
        return fail(
          typeId,
          readableId,
          'ProtocolError',
          `CALL has ${elements.length} elements, expected 4: [2, messageId, action, payload]`,
        );
      }
      const action = elements[2];
      if (typeof action !== 'string') {
        return fail(typeId, readableId, 'ProtocolError', 'CALL action is not a string');
      }
      return { ok: true, frame: { type: typeId, messageId: readableId, action, payload: elements[3] } };
    }
    case MessageTypeId.CallResult: {
      if (elements.length !== 3) {
        return fail(
          typeId,
          readableId,
          'ProtocolError',
          `CALLRESULT has ${elements.length} elements, expected 3: [3, messageId, payload]`,
        );
      }
      return { ok: true, frame: { type: typeId, messageId: readableId, payload: elements[2] } };
    }
    case MessageTypeId.CallError: {
      if (elements.length < 3) {
        return fail(
          typeId,
          readableId,
          'ProtocolError',
          `CALLERROR has ${elements.length} elements, expected 5`,
        );
      }
      const [, , rawErrorCode, description, details] = elements;
      return {
        ok: true,
        frame: {
          type: typeId,
          messageId: readableId,
          errorCode: normalizeRpcErrorCode(rawErrorCode),
          rawErrorCode,
          description: typeof description === 'string' ? description : '',
          details: isPlainObject(details) ? details : {},
        },
      };
    }
  }
}

/**
 * `[2, messageId, action, payload]` as text. Throws if the payload cannot be JSON-serialized.
 *
 * @example
 * serializeCall('1', 'Heartbeat', {}); // '[2,"1","Heartbeat",{}]'
 */
export function serializeCall(messageId: string, action: string, payload: unknown): string {
  return JSON.stringify([MessageTypeId.Call, messageId, action, payload]);
}

/**
 * `[2, messageId, action, payload]` as text, around a payload already serialized (and checked) by
 * the caller: `payloadJson` is inserted as is.
 *
 * @example
 * serializeCheckedCall('1', 'Heartbeat', '{}'); // '[2,"1","Heartbeat",{}]'
 */
export function serializeCheckedCall(messageId: string, action: string, payloadJson: string): string {
  return `[${MessageTypeId.Call},${JSON.stringify(messageId)},${JSON.stringify(action)},${payloadJson}]`;
}

/**
 * `[3, messageId, payload]` as text. Throws if the payload cannot be JSON-serialized.
 *
 * @example
 * serializeCallResult('1', { currentTime: '2024-01-01T00:00:00Z' });
 */
export function serializeCallResult(messageId: string, payload: unknown): string {
  return JSON.stringify([MessageTypeId.CallResult, messageId, payload]);
}

/**
 * `[4, messageId, code, description, details]` as text. The description is cut to 255 characters
 * (Part 4 table 7); details that cannot be JSON-serialized become {} rather than losing the error.
 *
 * @example
 * serializeCallError('1', 'NotSupported', 'SetDisplayMessageRequest not supported');
 * // '[4,"1","NotSupported","SetDisplayMessageRequest not supported",{}]'
 */
export function serializeCallError(
  messageId: string,
  code: RpcErrorCode,
  description: string,
  details: RpcErrorDetails = {},
): string {
  const text =
    description.length > MAX_ERROR_DESCRIPTION_LENGTH
      ? description.slice(0, MAX_ERROR_DESCRIPTION_LENGTH)
      : description;
  try {
    return JSON.stringify([
      MessageTypeId.CallError,
      messageId,
      code,
      text,
      isPlainObject(details) ? details : {},
    ]);
  } catch {
    return JSON.stringify([MessageTypeId.CallError, messageId, code, text, {}]);
  }
}
