/**
 * `frame` events from the RPC layer's frame hook (src/rpc/endpoint.ts `onFrame`): each text frame is
 * parsed leniently (a frame the RPC layer refuses is still shown, as `INVALID`), and an answer is
 * matched with the CALL it answers for its action and round-trip latency.
 */
import type { FrameMessageType, FrameStationEvent, StationEventSink } from './station-event.js';
import { redactKeyCodes, redactKeyCodesInText } from '../logging/redact-key-codes.js';
import { redactText, redactUrlPasswords } from '../logging/redact.js';
import { LazyMap } from '../lazy-collections.js';

/** CALLs remembered for their answer; an unanswered CALL (timed out) is forgotten after this many. */
const MAX_PENDING_CALLS = 1024;

type FrameBody = Omit<FrameStationEvent, 'time'>;

const MESSAGE_TYPES: Record<number, FrameMessageType> = { 2: 'CALL', 3: 'CALLRESULT', 4: 'CALLERROR' };

/**
 * @example
 * const frames = new FrameEvents(bus);
 * openSession({ ..., onFrame: (text, direction) => frames.frame(text, direction === 'station->CSMS' ? 'out' : 'in') });
 */
export class FrameEvents {
  /** CALLs not answered yet, by message id: when and which way they went, and their action. */
  private readonly pending = new LazyMap<string, { at: number; action: string; direction: 'in' | 'out' }>();

  constructor(
    private readonly sink: StationEventSink,
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {}

  /** One frame, as sent (`out`) or received (`in`). Never throws. */
  frame(text: string, direction: 'in' | 'out'): void {
    // Nobody listens: no parsing (a fleet's stations pay nothing for a stream nobody reads).
    if (this.sink.active === false) return;
    this.sink.emit(this.describe(text, direction));
  }

  private describe(text: string, direction: 'in' | 'out'): FrameBody {
    let frame: unknown;
    try {
      // C04.FR.04: listeners log frames; a KeyCode idToken is shown as `<redacted>` (the walk only
      // when the text names the type: one search for every other frame).
      frame = JSON.parse(text);
      if (text.includes('"KeyCode"')) frame = redactKeyCodes(frame);
      // No URL password (an UpdateFirmware or GetLog location's `user:password@`) reaches an event.
      if (text.includes('://')) frame = redactUrlPasswords(frame);
    } catch {
      return { type: 'frame', direction, frame: redactText(redactKeyCodesInText(text)), messageType: 'INVALID' };
    }
    const messageType =
      Array.isArray(frame) && typeof frame[0] === 'number' ? MESSAGE_TYPES[frame[0]] : undefined;
    const messageId = Array.isArray(frame) && typeof frame[1] === 'string' ? frame[1] : undefined;
    if (messageType === undefined || messageId === undefined) {
      return { type: 'frame', direction, frame, messageType: 'INVALID', ...(messageId ? { messageId } : {}) };
    }
    const body: FrameBody = { type: 'frame', direction, frame, messageType, messageId };
    const list = frame as unknown[];
    if (messageType === 'CALL') {
      if (typeof list[2] === 'string') {
        body.action = list[2];
        this.remember(messageId, list[2], direction);
      }
      return body;
    }
    if (messageType === 'CALLERROR' && typeof list[2] === 'string') body.errorCode = list[2];
    const call = this.pending.get(messageId);
    // An answer travels the other way from its CALL; the same id the same way is not its answer.
    if (call && call.direction !== direction) {
      this.pending.delete(messageId);
      body.action = call.action;
      body.latencyMs = Math.max(0, Math.round((this.monotonicMs() - call.at) * 1000) / 1000);
    }
    return body;
  }

  private remember(messageId: string, action: string, direction: 'in' | 'out'): void {
    this.pending.delete(messageId);
    this.pending.set(messageId, { at: this.monotonicMs(), action, direction });
    if (this.pending.size > MAX_PENDING_CALLS) {
      const oldest = this.pending.keys().next().value;
      if (oldest !== undefined) this.pending.delete(oldest);
    }
  }
}
