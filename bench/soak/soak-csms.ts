/**
 * The CSMS of the soak (bench/soak.ts), in its own process: ocpp-rpc's RPCServer in strict mode
 * (both directions validated) on 127.0.0.1, answering every station CALL with the test CSMS's
 * default answer, BootNotification Accepted with `--heartbeat-s` as the interval (the soak's
 * accelerated heartbeats). It keeps no log, only counts: a long soak must not grow its CSMS.
 *
 * Protocol with the parent (IPC): sends `{ port }` once listening; answers `'counts'` with
 * `{ counts: { calls, rejected } }` (rejected: CALLs that failed strict validation); exits on
 * disconnect.
 */
import { parseArgs } from 'node:util';
import { RPCServer, createRPCError } from 'ocpp-rpc';
import type * as ServerClientModule from 'ocpp-rpc/lib/server-client.js';
import { defaultCsmsResponse } from '../../src/testing/default-csms-responses.js';

const { values } = parseArgs({ options: { 'heartbeat-s': { type: 'string', default: '2' } } });
const settings = { heartbeatInterval: Number(values['heartbeat-s']), bootStatus: 'Accepted' } as const;
const counts = { calls: 0, rejected: 0 };
const rpc = new RPCServer({
  protocols: ['ocpp2.0.1'],
  strictMode: true,
  callTimeoutMs: 60_000,
  pingIntervalMs: 0,
  wssOptions: { perMessageDeflate: false },
});
rpc.auth((accept) => accept({}));
rpc.on('client', (client: ServerClientModule.default) => {
  client.on('strictValidationFailure', () => counts.rejected++);
  client.handle(async ({ method, params }) => {
    counts.calls++;
    const answer = defaultCsmsResponse(method ?? '', params, settings);
    if (answer === undefined) throw createRPCError('NotImplemented', `${method} is not handled`);
    return answer as Record<string, unknown>;
  });
});
const server = await rpc.listen(0, '127.0.0.1');
const address = server.address();
if (address === null || typeof address === 'string') throw new Error('soak CSMS has no TCP address');
process.send?.({ port: address.port });
process.on('message', (m) => {
  if (m === 'counts') process.send?.({ counts });
});
process.on('disconnect', () => process.exit(0));
