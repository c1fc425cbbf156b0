/** A RpcEndpoint wired to in-memory send/hook logs, for frame-by-frame tests. */
import {
  RpcEndpoint,
  type FrameDirection,
  type RpcEndpointOptions,
  type RpcIssue,
} from '../../src/rpc/endpoint.js';
import type { OcppAction } from '../../src/generated/ocpp-types.js';
import { ocppValidator as schemaValidator } from '../../src/validation/index.js';

export const boot = { reason: 'PowerUp', chargingStation: { model: 'M1', vendorName: 'Vendor' } } as const;
export const bootAccepted = { currentTime: '2024-05-01T10:00:00Z', interval: 300, status: 'Accepted' };

export function harness(overrides: Partial<RpcEndpointOptions> = {}) {
  const sent: string[] = [];
  const issues: RpcIssue[] = [];
  const frames: Array<[string, FrameDirection]> = [];
  const handled: Array<[OcppAction, unknown, string]> = [];
  let timeoutMs = 30_000;
  const endpoint = new RpcEndpoint({
    send: (text) => void sent.push(text),
    validator: schemaValidator,
    handler: async (action, payload, messageId) => {
      handled.push([action, payload, messageId]);
      return { status: 'Accepted' };
    },
    supportedActions: ['Reset', 'ChangeAvailability', 'ClearCache'],
    messageTimeoutMs: () => timeoutMs,
    onFrame: (text, direction) => void frames.push([text, direction]),
    onError: (issue) => void issues.push(issue),
    ...overrides,
  });
  return {
    endpoint,
    sent,
    issues,
    frames,
    handled,
    setTimeoutMs: (ms: number) => void (timeoutMs = ms),
    /** The last frame sent, parsed. */
    last: (): unknown[] => JSON.parse(sent.at(-1) ?? 'null') as unknown[],
  };
}

export function sentId(text: string | undefined): string {
  return (JSON.parse(text ?? '[]') as [number, string])[1];
}
