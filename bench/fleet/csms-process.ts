/**
 * The CSMS of the fleet bench, in its own process so that its cost is not counted in the load's:
 * ocpp-rpc's RPCServer in strict mode (both directions validated) on 127.0.0.1, answering every
 * station CALL with the test CSMS's default answer (BootNotification Accepted). It logs nothing per
 * message (a fleet's log would be the bench's largest memory user).
 *
 * Protocol with the parent (IPC): sends `{ port }` once listening; sends `{ boot: identity }` for
 * each BootNotification from an identity starting with `COLD` (the cold-start runs); exits on
 * disconnect. Run by hand, it prints its URL and runs until killed.
 */
import { RPCServer, createRPCError } from 'ocpp-rpc';
import type * as ServerClientModule from 'ocpp-rpc/lib/server-client.js';
import { defaultCsmsResponse } from '../../src/testing/default-csms-responses.js';

const settings = { heartbeatInterval: 3600, bootStatus: 'Accepted' } as const;
const rpc = new RPCServer({
  protocols: ['ocpp2.0.1'],
  strictMode: true,
  callTimeoutMs: 60_000,
  // Idle figures: no keep-alive traffic from the CSMS side during the bench.
  pingIntervalMs: 0,
  wssOptions: { perMessageDeflate: false },
});
rpc.auth((accept) => accept({}));
rpc.on('client', (client: ServerClientModule.default) => {
  const identity = client.identity ?? '';
  client.handle(async ({ method, params }) => {
    if (method === 'BootNotification' && identity.startsWith('COLD')) process.send?.({ boot: identity });
    const answer = defaultCsmsResponse(method ?? '', params, settings);
    if (answer === undefined) throw createRPCError('NotImplemented', `${method} is not handled`);
    return answer as Record<string, unknown>;
  });
});
const server = await rpc.listen(0, '127.0.0.1');
const address = server.address();
if (address === null || typeof address === 'string') throw new Error('bench CSMS has no TCP address');
if (process.send) {
  process.send({ port: address.port });
  process.on('disconnect', () => process.exit(0));
} else {
  // Run by hand (e.g. to profile a load): print the URL.
  console.log(`ws://127.0.0.1:${address.port}`);
}
