/**
 * The CSMS the CLI starts when no `--csms` is given, so that a new user sees a station boot with no
 * setup: an ocpp-rpc server (an implementation independent of ours) in strict mode on 127.0.0.1,
 * answering what a station sends with the simplest valid response (BootNotification Accepted).
 * Strict mode validates both directions against the official schemas, so a malformed frame from
 * the station shows up as a CALLERROR.
 */
import { RPCServer } from 'ocpp-rpc';
import type { AddressInfo } from 'node:net';
import type {
  AuthorizeResponse,
  BootNotificationResponse,
  DataTransferResponse,
  HeartbeatResponse,
  NotifyEVChargingNeedsResponse,
  NotifyEVChargingScheduleResponse,
  OcppAction,
  OcppResponseMap,
  SignCertificateResponse,
} from '../generated/ocpp-types.js';

export interface EmbeddedCsms {
  /** OCPP-J endpoint URL (`ws://127.0.0.1:<port>/ocpp`); the station appends its identity. */
  readonly url: string;
  /** Stations connected now. */
  readonly connected: number;
  close(): Promise<void>;
}

export interface EmbeddedCsmsOptions {
  /** Port to listen on; default 0 (any free port). */
  port?: number;
  /** HeartbeatInterval given in BootNotificationResponse, seconds. */
  heartbeatIntervalS?: number;
  /** Current time for BootNotification and Heartbeat responses (RFC 3339). */
  now?: () => string;
}

/**
 * Starts the embedded CSMS.
 *
 * @example
 * const csms = await startEmbeddedCsms();
 * // new ChargePoint({ ..., csmsUrl: csms.url }) boots Accepted
 * await csms.close();
 */
export async function startEmbeddedCsms(options: EmbeddedCsmsOptions = {}): Promise<EmbeddedCsms> {
  const now = options.now ?? (() => new Date().toISOString());
  const interval = options.heartbeatIntervalS ?? 300;
  const server = new RPCServer({ protocols: ['ocpp2.0.1'], strictMode: true });
  let connected = 0;

  const answers: { [A in OcppAction]?: () => OcppResponseMap[A] } = {
    BootNotification: (): BootNotificationResponse => ({ status: 'Accepted', currentTime: now(), interval }),
    Heartbeat: (): HeartbeatResponse => ({ currentTime: now() }),
    Authorize: (): AuthorizeResponse => ({ idTokenInfo: { status: 'Accepted' } }),
    DataTransfer: (): DataTransferResponse => ({ status: 'UnknownVendorId' }),
    NotifyEVChargingNeeds: (): NotifyEVChargingNeedsResponse => ({ status: 'Accepted' }),
    NotifyEVChargingSchedule: (): NotifyEVChargingScheduleResponse => ({ status: 'Accepted' }),
    SignCertificate: (): SignCertificateResponse => ({ status: 'Accepted' }),
  };
  // Notifications whose response has no required field: acknowledged with {}.
  const acknowledged: OcppAction[] = [
    'StatusNotification',
    'SecurityEventNotification',
    'NotifyEvent',
    'NotifyReport',
    'NotifyMonitoringReport',
    'NotifyChargingLimit',
    'ClearedChargingLimit',
    'ReportChargingProfiles',
    'ReservationStatusUpdate',
    'NotifyCustomerInformation',
    'NotifyDisplayMessages',
    'FirmwareStatusNotification',
    'PublishFirmwareStatusNotification',
    'LogStatusNotification',
    'MeterValues',
    'TransactionEvent',
  ];

  server.on('client', (client: { handle(method: string, handler: () => Promise<unknown>): void; once(event: 'close', cb: () => void): void }) => {
    connected += 1;
    client.once('close', () => {
      connected -= 1;
    });
    for (const [action, answer] of Object.entries(answers)) client.handle(action, async () => answer());
    for (const action of acknowledged) client.handle(action, async () => ({}));
  });

  const httpServer = await server.listen(options.port ?? 0, '127.0.0.1');
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ocpp`,
    get connected() {
      return connected;
    },
    async close() {
      await server.close({ force: true });
    },
  };
}
