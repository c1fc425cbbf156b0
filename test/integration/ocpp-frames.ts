/**
 * Reading the test CSMS's frame log (`csms.frames`): which CALLs it sent, where a station's answer
 * or CALL sits in the order of arrival, and the CALLERRORs a station sent back.
 */
import type { TestCsms } from '../../src/testing/index.js';

type Frame = unknown[];

function parse(text: string): Frame | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The message id of the last CALL of `action` the CSMS sent to `identity`. */
export function lastCsmsCallId(csms: TestCsms, identity: string, action: string): string {
  for (let i = csms.frames.length - 1; i >= 0; i--) {
    const frame = csms.frames[i]!;
    if (frame.identity !== identity || frame.direction !== 'out') continue;
    const parsed = parse(frame.text);
    if (parsed?.[0] === 2 && parsed[2] === action) return String(parsed[1]);
  }
  throw new Error(`the test CSMS sent no ${action} to ${identity}`);
}

/** Index in `csms.frames` of the station's answer (CALLRESULT or CALLERROR) to CSMS message `messageId`. */
export function answerIndex(csms: TestCsms, identity: string, messageId: string): number {
  return csms.frames.findIndex((frame) => {
    if (frame.identity !== identity || frame.direction !== 'in') return false;
    const parsed = parse(frame.text);
    return (parsed?.[0] === 3 || parsed?.[0] === 4) && parsed[1] === messageId;
  });
}

/** Index in `csms.frames` of the station's CALL with this message id. */
export function stationCallIndex(csms: TestCsms, identity: string, messageId: string): number {
  return csms.frames.findIndex((frame) => {
    if (frame.identity !== identity || frame.direction !== 'in') return false;
    const parsed = parse(frame.text);
    return parsed?.[0] === 2 && parsed[1] === messageId;
  });
}

/** The CALLERROR `[4, id, code, description, details]` the station sent for `messageId`, if any. */
export function callErrorFor(
  csms: TestCsms,
  identity: string,
  messageId: string,
): { code: string; description: string; details: unknown } | undefined {
  for (const frame of csms.frames) {
    if (frame.identity !== identity || frame.direction !== 'in') continue;
    const parsed = parse(frame.text);
    if (parsed?.[0] === 4 && parsed[1] === messageId) {
      return { code: String(parsed[2]), description: String(parsed[3]), details: parsed[4] };
    }
  }
  return undefined;
}

/** Every frame the station sent to the CSMS, parsed (unparseable ones as undefined). */
export function stationFrames(csms: TestCsms, identity: string): Array<Frame | undefined> {
  return csms.frames.filter((f) => f.identity === identity && f.direction === 'in').map((f) => parse(f.text));
}
