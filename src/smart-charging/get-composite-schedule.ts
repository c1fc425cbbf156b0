import type { GetCompositeScheduleRequest, GetCompositeScheduleResponse } from '../generated/ocpp-types.js';
import { compositeSchedule } from './composite-schedule.js';
import type { SmartChargingState } from './types.js';

/**
 * Answers a GetCompositeScheduleRequest received at `now` (K08): Rejected with UnknownEvse for an
 * EVSE the station does not have (K08.FR.05), with UnsupportedRateUnit for a chargingRateUnit not in
 * ChargingScheduleChargingRateUnit (K08.FR.07), with InvalidValue for a negative duration; else
 * Accepted with the composite schedule from `now` for `duration` seconds (K08.FR.02). Without a
 * chargingRateUnit the first supported unit is used.
 *
 * @example
 * const response = answerGetCompositeSchedule({ evseId: 0, duration: 300, chargingRateUnit: 'A' }, state, new Date().toISOString());
 */
export function answerGetCompositeSchedule(
  request: GetCompositeScheduleRequest,
  state: SmartChargingState,
  now: string,
): GetCompositeScheduleResponse {
  const { evseId, duration } = request;
  if (!(evseId === 0 || state.station.evses.some((evse) => evse.id === evseId))) {
    return {
      status: 'Rejected',
      statusInfo: { reasonCode: 'UnknownEvse', additionalInfo: `K08.FR.05: EVSE ${evseId} does not exist` },
    };
  }
  const unit = request.chargingRateUnit ?? state.station.supportedRateUnits[0];
  if (unit === undefined || !state.station.supportedRateUnits.includes(unit)) {
    return {
      status: 'Rejected',
      statusInfo: {
        reasonCode: 'UnsupportedRateUnit',
        additionalInfo: `K08.FR.07: chargingRateUnit ${unit ?? '(none)'} is not in ChargingScheduleChargingRateUnit (${state.station.supportedRateUnits.join(',')})`,
      },
    };
  }
  if (!(Number.isInteger(duration) && duration >= 0)) {
    return {
      status: 'Rejected',
      statusInfo: {
        reasonCode: 'InvalidValue',
        additionalInfo: `duration ${duration} is not a whole number of seconds >= 0`,
      },
    };
  }
  return {
    status: 'Accepted',
    schedule: compositeSchedule({ ...state, evseId, startTime: now, duration, chargingRateUnit: unit }),
  };
}
