/**
 * The wiring of a ChargePoint's token presentations (C01, C09, C16, E07; src/charge-point.ts): the
 * TokenPresentation reads and drives the running station through the ChargePoint, so it follows
 * the runtime across a stop and a new start.
 */
import type { ChargePointOptions } from './charge-point-options.js';
import type { StationClock } from './clock.js';
import { TokenPresentation, type MasterPassChoice } from './authorization/token-presentation.js';
import type { StationRuntime } from './runtime/station-runtime.js';

/** What the token presentation reaches through: the ChargePoint's running station and clock. */
export interface TokenPresentationHost {
  /** The running station; throws when not started. */
  readonly station: StationRuntime;
  readonly clock: StationClock;
}

/**
 * A TokenPresentation of the station that `host` runs.
 *
 * @example
 * this.tokenPresentation ??= chargePointTokenPresentation(this, this.options);
 */
export function chargePointTokenPresentation(
  host: TokenPresentationHost,
  options: Pick<ChargePointOptions, 'evses' | 'callbacks'>,
): TokenPresentation {
  return new TokenPresentation({
    evses: options.evses,
    session: (evseId) => host.station.openSession(evseId),
    connectorStatus: (evseId, connectorId) => host.station.connectorStatus(evseId, connectorId),
    authorize: (idToken) => host.station.authorize(idToken),
    send: (event) => host.station.send(event),
    nowIso: () => host.clock.nowIso(),
    energyWh: (evseId) => host.station.meters.energyWh(evseId),
    releaseHeldCable: (idToken) => host.station.releaseHeldCable(idToken),
    known: (idToken) => host.station.knownToken(idToken),
    masterPassGroupId: () =>
      host.station.options.deviceModel.get({ component: 'AuthCtrlr', variable: 'MasterPassGroupId' }) ||
      undefined,
    ...(options.callbacks?.masterPassUiCallback
      ? {
          showMasterPassUi: (choice: MasterPassChoice) =>
            host.station.options.callbacks.masterPassUiCallback?.(choice),
        }
      : {}),
    reservations: {
      check: (evseId, idToken, groupIdToken) =>
        host.station.reservations.check(evseId, idToken, groupIdToken),
      reservedEvseFor: (idToken, groupIdToken) =>
        host.station.reservations.reservedEvseFor(idToken, groupIdToken),
    },
  });
}
