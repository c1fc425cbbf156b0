/**
 * Small helpers for integration tests that drive a station from the test CSMS: waiting until the
 * station is registered, reading the CALLERROR code of a refused call, and finding the raw frames
 * of one exchange.
 */
import assert from 'node:assert/strict';
import type { Harness } from './station-harness.js';
import type { CsmsFrame, TestCsms } from '../../src/testing/index.js';

/** Waits until the station booted (Accepted) and reported both connectors. */
export async function registered(h: Harness): Promise<void> {
  await h.csms.waitForCall('BootNotification');
  await h.csms.waitForCall('StatusNotification');
  await h.csms.waitForCall('StatusNotification');
}

/** The OCPP-J error code the station answered a CSMS call with; fails when the call succeeded. */
export async function callErrorCode(call: Promise<unknown>): Promise<string> {
  let code: string | undefined;
  await assert.rejects(call, (error: unknown) => {
    code = (error as { rpcErrorCode?: string }).rpcErrorCode;
    return typeof code === 'string';
  });
  return code ?? '';
}

/** The station's raw answer frame (CALLRESULT or CALLERROR) to the CSMS's last CALL of `action`. */
export function answerTo(csms: TestCsms, identity: string, action: string): unknown[] {
  const frames = csms.frames.filter((f: CsmsFrame) => f.identity === identity);
  const calls = frames
    .filter((f) => f.direction === 'out')
    .map((f) => JSON.parse(f.text) as unknown[])
    .filter((m) => m[0] === 2 && m[2] === action);
  const last = calls.at(-1);
  assert.ok(last, `the CSMS sent no ${action}`);
  const answer = frames
    .filter((f) => f.direction === 'in')
    .map((f) => JSON.parse(f.text) as unknown[])
    .find((m) => (m[0] === 3 || m[0] === 4) && m[1] === last[1]);
  assert.ok(answer, `the station did not answer ${action} ${String(last[1])}`);
  return answer;
}

/** The byte length of the CALL frame ocpp-rpc will send for this payload (its message ids are UUIDs). */
export function callFrameBytes(action: string, payload: unknown): number {
  return Buffer.byteLength(JSON.stringify([2, '00000000-0000-0000-0000-000000000000', action, payload]));
}
