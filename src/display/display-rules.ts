/**
 * Display messages (O01–O06) as pure rules: the checks of a SetDisplayMessageRequest against the
 * DisplayMessageCtrlr variables, the GetDisplayMessages filter, what a screen shows now and in what
 * order, and the NotifyDisplayMessages parts. No clock, no store: times and settings come in.
 */
import { Buffer } from 'node:buffer';
import type {
  ComponentType,
  DisplayMessageStatusEnumType,
  GetDisplayMessagesRequest,
  MessageInfoType,
  MessagePriorityEnumType,
  MessageStateEnumType,
  NotifyDisplayMessagesRequest,
  StatusInfoType,
} from '../generated/ocpp-types.js';

/** The DisplayMessageCtrlr variables the rules read (src/display/display-settings.ts reads them). */
export interface DisplaySettings {
  /** DisplayMessageCtrlr.Available and .Enabled (both must be true). */
  available: boolean;
  enabled: boolean;
  /** DisplayMessageCtrlr.SupportedFormats / SupportedPriorities / SupportedStates, as lists. */
  formats: readonly string[];
  priorities: readonly string[];
  /** Undefined: the variable has no value, every state is supported. */
  states: readonly string[] | undefined;
  /** NumberOfDisplayMessages (DisplayMessageCtrlr.DisplayMessages) maxLimit; undefined: no limit. */
  maxMessages: number | undefined;
}

/** What the check of one SetDisplayMessageRequest needs to know of the station. */
export interface SetCheckContext {
  settings: DisplaySettings;
  /** O02.FR.01: is this transactionId a transaction the station knows (an open one)? */
  transactionKnown(transactionId: string): boolean;
  /** O01.FR.22: does the device model have the Display component a message names? */
  displayKnown(display: ComponentType): boolean;
  /** Messages stored now, and whether the new one replaces one of them (O06: same id). */
  stored: readonly MessageInfoType[];
}

export interface SetCheckResult {
  status: DisplayMessageStatusEnumType;
  statusInfo?: StatusInfoType;
}

/**
 * The SetDisplayMessageResponse status the station gives before storing `message`: Accepted, or the
 * first refusal in the order O01.FR.01–03 / O02.FR.01 / O01.FR.11 (the order libocpp checks too).
 *
 * @example
 * checkSetDisplayMessage(message, { settings, transactionKnown: () => false, displayKnown: () => true, stored: [] }).status; // 'Accepted'
 */
export function checkSetDisplayMessage(message: MessageInfoType, ctx: SetCheckContext): SetCheckResult {
  const { settings } = ctx;
  if (!settings.available || !settings.enabled) {
    return {
      status: 'Rejected',
      statusInfo: {
        reasonCode: settings.available ? 'NotEnabled' : 'UnsupportedRequest',
        additionalInfo: `DisplayMessageCtrlr.${settings.available ? 'Enabled' : 'Available'} is false`,
      },
    };
  }
  // O01.FR.01 / O02.FR.03
  if (!settings.priorities.includes(message.priority)) return { status: 'NotSupportedPriority' };
  // O01.FR.03 / O02.FR.05
  if (!settings.formats.includes(message.message.format)) return { status: 'NotSupportedMessageFormat' };
  // O01.FR.02 / O02.FR.04
  if (message.state !== undefined && settings.states !== undefined && !settings.states.includes(message.state)) {
    return { status: 'NotSupportedState' };
  }
  // O01.FR.22: a display the station does not have.
  if (message.display !== undefined && !ctx.displayKnown(message.display)) {
    return {
      status: 'Rejected',
      statusInfo: { reasonCode: 'UnknownComponent', additionalInfo: `no display component ${message.display.name}` },
    };
  }
  // O02.FR.01
  if (message.transactionId !== undefined && !ctx.transactionKnown(message.transactionId)) {
    return { status: 'UnknownTransaction' };
  }
  // O01.FR.11 / O02.FR.11: the count after this request; a replacement (O06) adds nothing, nor does a
  // second AlwaysFront, which replaces the first (O01.FR.16).
  if (settings.maxMessages !== undefined) {
    const after = ctx.stored.filter((m) => m.id !== message.id && !replacedBy(m, message)).length + 1;
    if (after > settings.maxMessages) {
      return {
        status: 'Rejected',
        statusInfo: {
          reasonCode: 'OutOfStorage',
          additionalInfo: `NumberOfDisplayMessages maxLimit ${settings.maxMessages} reached`,
        },
      };
    }
  }
  return { status: 'Accepted' };
}

/**
 * O01.FR.16 / O02.FR.18: a new AlwaysFront message replaces the AlwaysFront message already set
 * (TC_O_24_CS: asking for the old id afterwards is Unknown).
 *
 * @example
 * replacedBy({ id: 1, priority: 'AlwaysFront', ... }, { id: 2, priority: 'AlwaysFront', ... }); // true
 */
export function replacedBy(stored: MessageInfoType, incoming: MessageInfoType): boolean {
  return stored.id !== incoming.id && stored.priority === 'AlwaysFront' && incoming.priority === 'AlwaysFront';
}

/**
 * O04: does a stored message match every criterion given in GetDisplayMessagesRequest (id list,
 * priority, state)? No criterion: every message matches (O03).
 *
 * @example
 * matchesRequest(message, { requestId: 1, id: [5] }); // message.id === 5
 */
export function matchesRequest(message: MessageInfoType, request: GetDisplayMessagesRequest): boolean {
  if (request.id !== undefined && !request.id.includes(message.id)) return false;
  if (request.priority !== undefined && message.priority !== request.priority) return false;
  if (request.state !== undefined && message.state !== request.state) return false;
  return true;
}

/**
 * Has the message's end passed (O01.FR.07 / O02.FR.07: it is removed)?
 *
 * @example
 * expired({ endDateTime: '2026-01-01T00:00:00Z', ... }, Date.parse('2026-01-02T00:00:00Z')); // true
 */
export function expired(message: MessageInfoType, nowMs: number): boolean {
  return message.endDateTime !== undefined && Date.parse(message.endDateTime) <= nowMs;
}

/**
 * Is the message shown at `nowMs` in a station whose states are `states`? Not before its start
 * (O01.FR.06), not after its end (O01.FR.07), and only in its state when it names one.
 *
 * @example
 * shownNow(message, Date.now(), new Set(['Idle']));
 */
export function shownNow(message: MessageInfoType, nowMs: number, states?: ReadonlySet<MessageStateEnumType>): boolean {
  if (message.startDateTime !== undefined && Date.parse(message.startDateTime) > nowMs) return false;
  if (expired(message, nowMs)) return false;
  return message.state === undefined || states === undefined || states.has(message.state);
}

const PRIORITY_RANK: Record<MessagePriorityEnumType, number> = { AlwaysFront: 0, InFront: 1, NormalCycle: 2 };

/**
 * The order a screen shows messages in: AlwaysFront (never cycled, O01.FR.15), then InFront (cycled
 * among themselves, O01.FR.13/14), then the normal cycle (O01.FR.12); within a priority, in the
 * order they were set (the input order). The input is not changed.
 *
 * @example
 * displayOrder([normal, alwaysFront]); // [alwaysFront, normal]
 */
export function displayOrder(messages: readonly MessageInfoType[]): MessageInfoType[] {
  return messages
    .map((message, index) => ({ message, index }))
    .sort((a, b) => PRIORITY_RANK[a.message.priority] - PRIORITY_RANK[b.message.priority] || a.index - b.index)
    .map(({ message }) => message);
}

/**
 * The next instant after `nowMs` at which what is shown changes by time alone (a start or an end),
 * or undefined when none is ahead.
 *
 * @example
 * nextBoundaryMs(messages, Date.now()); // e.g. the endDateTime of the first message to expire
 */
export function nextBoundaryMs(messages: readonly MessageInfoType[], nowMs: number): number | undefined {
  let next: number | undefined;
  for (const message of messages) {
    for (const time of [message.startDateTime, message.endDateTime]) {
      if (time === undefined) continue;
      const at = Date.parse(time);
      if (at > nowMs && (next === undefined || at < next)) next = at;
    }
  }
  return next;
}

/** Limits of one NotifyDisplayMessagesRequest. */
export interface NotifyDisplayLimits {
  /** Most messageInfo entries per message; unlimited when absent. */
  itemsPerMessage?: number | undefined;
  /** Most bytes of the whole OCPP-J CALL frame; unlimited when absent (an entry too large alone goes alone). */
  bytesPerMessage?: number | undefined;
}

/**
 * O03.FR.03–05 / O04.FR.04–06: the NotifyDisplayMessagesRequests carrying `messages`, split at the
 * limits, all with the request's requestId and tbc true on every part but the last.
 *
 * @example
 * splitNotifyDisplayMessages(messages, 7, { itemsPerMessage: 2 }).map((p) => p.tbc); // [true, false]
 */
export function splitNotifyDisplayMessages(
  messages: readonly MessageInfoType[],
  requestId: number,
  limits: NotifyDisplayLimits = {},
): NotifyDisplayMessagesRequest[] {
  const { itemsPerMessage, bytesPerMessage } = limits;
  const overhead = Buffer.byteLength(
    JSON.stringify([2, 'x'.repeat(36), 'NotifyDisplayMessages', { requestId, tbc: false, messageInfo: [] }]),
  );
  const groups: MessageInfoType[][] = [];
  let group: MessageInfoType[] = [];
  let bytes = overhead;
  for (const message of messages) {
    const size = Buffer.byteLength(JSON.stringify(message)) + (group.length > 0 ? 1 : 0);
    const full =
      (itemsPerMessage !== undefined && itemsPerMessage > 0 && group.length >= itemsPerMessage) ||
      (bytesPerMessage !== undefined && group.length > 0 && bytes + size > bytesPerMessage);
    if (full) {
      groups.push(group);
      group = [];
      bytes = overhead;
    }
    bytes += Buffer.byteLength(JSON.stringify(message)) + (group.length > 0 ? 1 : 0);
    group.push(message);
  }
  if (group.length > 0 || groups.length === 0) groups.push(group);
  return groups.map((entries, index) => {
    const part: NotifyDisplayMessagesRequest = { requestId };
    if (index < groups.length - 1) part.tbc = true;
    const [first, ...rest] = entries;
    if (first !== undefined) part.messageInfo = [first, ...rest];
    return part;
  });
}
