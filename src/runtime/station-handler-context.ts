/**
 * The context the handlers of the CSMS's CALLs get (src/handlers/handler-context.ts), drawn from the
 * running station.
 */
import type { ConnectionEvent } from '../../machines/connection.js';
import type { HandlerContext } from '../handlers/handler-context.js';
import type { StationRuntime } from './station-runtime.js';

/**
 * The handler context of one CALL; the station must be started.
 *
 * @example
 * createCallDispatcher((after) => stationHandlerContext(runtime, reportError, after));
 */
export function stationHandlerContext(
  runtime: StationRuntime,
  reportError: (error: unknown) => void,
  afterResponse: HandlerContext['afterResponse'],
): HandlerContext {
  const { options } = runtime;
  const station = runtime.station;
  return {
    stationId: options.stationId,
    evses: options.evses,
    deviceModel: options.deviceModel,
    db: options.store.db,
    queue: runtime.queue,
    clock: options.clock,
    callbacks: options.callbacks,
    smartCharging: runtime.smartCharging,
    station,
    registration: () => runtime.registration,
    afterResponse,
    hasActiveTransaction: (evseId) => runtime.hasActiveTransaction(evseId),
    runtime,
    authorization: runtime.authorization,
    reportError,
    securityEvent: (type, techInfo, critical) => void runtime.securityEvent(type, techInfo, critical),
    // A deliberate reconnect waits the back-off like a lost connection (machines/connection.ts).
    reconnect: () =>
      station.system.get('connection')?.send({ type: 'connection.reconnect' } satisfies ConnectionEvent),
  };
}
