import type { ChargingRateUnitEnumType } from '../generated/ocpp-types.js';
import { compositeScheduleDetails, type CompositeScheduleDetails } from './composite-schedule.js';
import type { SmartChargingState } from './types.js';

/** The window and unit for {@link stationCompositeSchedules}. */
export interface StationScheduleRequest {
  /** Start ("now"), RFC 3339. */
  startTime: string;
  /** Seconds. */
  duration: number;
  chargingRateUnit: ChargingRateUnitEnumType;
}

/**
 * The composite schedule of the grid connection (EVSE 0) and of every EVSE, with per-period
 * details: what the host applies to its hardware after any change of profiles or transactions
 * (K01.FR.07, K10.FR.05). The first entry is EVSE 0, then the EVSEs in configuration order.
 *
 * @example
 * for (const { schedule, periods } of stationCompositeSchedules(state, { startTime: now, duration: 86400, chargingRateUnit: 'A' })) {
 *   hardware.setLimit(schedule.evseId, periods[0]?.limit);
 * }
 */
export function stationCompositeSchedules(
  state: SmartChargingState,
  request: StationScheduleRequest,
): CompositeScheduleDetails[] {
  const ids = [0, ...state.station.evses.map((evse) => evse.id)];
  return ids.map((evseId) => compositeScheduleDetails({ ...state, ...request, evseId }));
}
