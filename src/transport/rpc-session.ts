/**
 * Wires one open {@link Transport} connection to a new {@link RpcEndpoint}: frames in and out, and
 * the end of the connection ends the RPC session (pending calls reject with RpcConnectionClosedError).
 */
import { RpcEndpoint, type RpcEndpointOptions } from '../rpc/endpoint.js';
import type { Transport } from './transport.js';

/**
 * Creates the RPC endpoint for the transport's current connection. Call it right after `connect()`
 * resolved, before awaiting anything else: frames arriving while nobody listens to the transport's
 * `message` event are not kept. Create a new one for every new connection.
 *
 * @example
 * await transport.connect();
 * const endpoint = openRpcSession(transport, { validator, handler, supportedActions, messageTimeoutMs: () => 30_000 });
 * const boot = await endpoint.call('BootNotification', request);
 */
export function openRpcSession(transport: Transport, options: Omit<RpcEndpointOptions, 'send'>): RpcEndpoint {
  if (transport.state !== 'open')
    throw new Error(`openRpcSession: transport is ${transport.state}, not open`);
  const endpoint = new RpcEndpoint({ ...options, send: (text) => transport.send(text) });
  const offMessage = transport.on('message', (text) => void endpoint.receive(text));
  const offClose = transport.on('close', () => {
    offMessage();
    offClose();
    endpoint.close();
  });
  return endpoint;
}
