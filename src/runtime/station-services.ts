/**
 * The station's services that the StationRuntime constructor wires from its public parts: the
 * certificates (A02–A05, M01–M06), the monitors (N02–N08), the token checks (C01, C10/C11) and the
 * user interface (O display messages, I tariff and cost). One function builds the last three, so
 * their closures share one context per station (issue 9, docs/fleet/idle-memory.md).
 */
import type { ConnectionEvent } from '../../machines/connection.js';
import { MonitoringService } from '../monitoring/monitoring-requests.js';
import { StationCertificates } from '../security/station-certificates.js';
import { readSettings } from './settings.js';
import type { StationRuntime } from './station-runtime.js';
import type { StationRuntimeOptions } from './station-runtime-options.js';
import { StationTokens } from './station-tokens.js';
import { StationUserInterface } from './station-user-interface.js';
import { REAL_TIMERS } from './timers.js';

/**
 * The station's certificates, keys and CSRs (src/security/). `options` are the host's, as given
 * (the certificates take the callbacks unwrapped).
 *
 * @example
 * this.certificates = stationCertificates(this, options, this.onSecurityEvent);
 */
export function stationCertificates(
  runtime: StationRuntime,
  options: StationRuntimeOptions,
  securityEvent: (type: string, techInfo?: string, critical?: boolean) => void,
): StationCertificates {
  const dm = options.deviceModel;
  // Object.assign, not `{ ...options, b }`: on Node 20 that literal gets a hidden class of its own
  // per station, Object.assign one shared by all (docs/fleet/idle-memory.md, issue 9).
  return new StationCertificates(
    Object.assign(
      {},
      options,
      { timers: options.timers ?? REAL_TIMERS, queue: runtime.queue },
      options.tls ? { hostTls: options.tls } : {},
      {
        securityEvent,
        reconnect: () =>
          runtime.rootActor?.system.get('connection')?.send({ type: 'connection.reconnect' } satisfies ConnectionEvent),
        securityProfile: () => readSettings(dm).securityProfile,
        reportError: runtime.onError,
      },
    ),
  );
}

/** The services built by {@link stationServices}. */
export interface StationServices {
  monitoring: MonitoringService;
  tokens: StationTokens;
  userInterface: StationUserInterface;
}

/**
 * The monitors, the token checks and the user interface, once the queue, meters and authorization
 * data exist.
 *
 * @example
 * ({ monitoring: this.monitoring, tokens: this.tokens, userInterface: this.userInterface } = stationServices(this));
 */
export function stationServices(runtime: StationRuntime): StationServices {
  const { options } = runtime;
  const dm = options.deviceModel;
  const monitoring = new MonitoringService({
    stationId: options.stationId,
    db: options.store.db,
    deviceModel: dm,
    clock: options.clock,
    timers: options.timers ?? REAL_TIMERS,
    send: (action, payload, sendOptions) => runtime.queue.send(action, payload, sendOptions),
    online: () => runtime.connected && runtime.registration === 'Accepted',
    transactionId: (evseId) =>
      (evseId === undefined ? runtime.openSessions()[0] : runtime.openSession(evseId))?.transactionId ?? undefined,
    reportError: runtime.onError,
  });
  const tokens = new StationTokens({
    deviceModel: dm,
    queue: runtime.queue,
    own: runtime.authorization,
    replacement: options.localAuthorization,
    online: () => runtime.connected && runtime.registration === 'Accepted',
    registration: () => runtime.registration,
  });
  const userInterface = new StationUserInterface({
    ...options,
    timers: options.timers ?? REAL_TIMERS,
    openSessions: () => runtime.openSessions(),
    connectorStatus: (evseId, connectorId) => runtime.connectorStatus(evseId, connectorId),
    meters: runtime.meters,
    queue: runtime.queue,
    reportError: runtime.onError,
    online: () => runtime.connected,
  });
  return { monitoring, tokens, userInterface };
}
