/**
 * A CSMS for the CLI's end-to-end tests: an ocpp-rpc server (independent of our code) in strict
 * mode on 127.0.0.1 port 0. It records every CALL it receives, answers the ones a station sends
 * with a valid response, and can CALL a connected station (Reset, ...).
 */
import type { AddressInfo } from 'node:net';
import { RPCServer, createRPCError } from 'ocpp-rpc';

export interface ReceivedCall {
  identity: string;
  action: string;
  payload: Record<string, unknown>;
}

interface ServerClient {
  identity: string;
  handshake: { password?: Buffer };
  handle(handler: (call: { method?: string; params?: Record<string, unknown> }) => Promise<unknown>): void;
  call(method: string, params: unknown): Promise<unknown>;
  once(event: 'close', listener: () => void): void;
}

export interface RpcCsms {
  /** Endpoint URL to pass as `--csms`. */
  url: string;
  calls: ReceivedCall[];
  /** Basic-auth passwords the stations connected with, in order (undefined: none sent). */
  passwords: Array<string | undefined>;
  /** Index the next call will have. */
  mark(): number;
  waitForCall(description: string, predicate: (call: ReceivedCall) => boolean, since?: number): Promise<ReceivedCall>;
  /** CALLs a connected station and resolves with its response. */
  call(identity: string, action: string, payload: unknown): Promise<unknown>;
  close(): Promise<void>;
}

const WAIT_MS = 30_000;

export async function startRpcCsms(options: { now?: () => string } = {}): Promise<RpcCsms> {
  const now = options.now ?? (() => new Date().toISOString());
  const server = new RPCServer({ protocols: ['ocpp2.0.1'], strictMode: true });
  const calls: ReceivedCall[] = [];
  const passwords: Array<string | undefined> = [];
  const clients = new Map<string, ServerClient>();
  const listeners = new Set<() => void>();
  const answers: Record<string, () => unknown> = {
    BootNotification: () => ({ status: 'Accepted', currentTime: now(), interval: 300 }),
    Heartbeat: () => ({ currentTime: now() }),
    StatusNotification: () => ({}),
    SecurityEventNotification: () => ({}),
    NotifyEvent: () => ({}),
    NotifyReport: () => ({}),
  };
  server.on('client', (client: ServerClient) => {
    clients.set(client.identity, client);
    passwords.push(client.handshake.password?.toString('utf8'));
    client.once('close', () => {
      if (clients.get(client.identity) === client) clients.delete(client.identity);
    });
    client.handle(async ({ method, params }) => {
      calls.push({ identity: client.identity, action: method ?? '', payload: params ?? {} });
      listeners.forEach((l) => l());
      const answer = answers[method ?? ''];
      if (!answer) throw createRPCError('NotImplemented', `test CSMS does not handle ${method}`);
      return answer();
    });
  });
  const http = await server.listen(0, '127.0.0.1');
  const { port } = http.address() as AddressInfo;

  return {
    url: `ws://127.0.0.1:${port}/ocpp`,
    calls,
    passwords,
    mark: () => calls.length,
    waitForCall(description, predicate, since = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = calls.slice(since).find(predicate);
          if (!found) return;
          done();
          resolve(found);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${WAIT_MS} ms waiting for the CSMS to receive: ${description}\nreceived: ${calls.map((c) => `${c.action} ${JSON.stringify(c.payload)}`).join('\n')}`));
        }, WAIT_MS);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async call(identity, action, payload) {
      const client = clients.get(identity);
      if (!client) throw new Error(`station ${identity} is not connected to the test CSMS`);
      return client.call(action, payload);
    },
    async close() {
      await server.close({ force: true });
    },
  };
}
