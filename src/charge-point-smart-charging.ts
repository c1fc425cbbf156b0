/**
 * The host's side of smart charging on the ChargePoint facade (K08, K11–K17): the composite
 * schedules the host applies, the limits of an external system (EMS, SO) and the EV's ISO 15118
 * charging needs and schedule. ChargePoint (src/charge-point.ts) inherits these (docs/smart-charging.md).
 */
import { ChargePointSecurity } from './charge-point-security.js';
import type {
  GetCompositeScheduleRequest,
  GetCompositeScheduleResponse,
  NotifyEVChargingNeedsRequest,
} from './generated/ocpp-types.js';
import type { CompositeScheduleDetails } from './smart-charging/index.js';
import type { ExternalLimit, ExternalLimitSource } from './smart-charging/external-limits.js';
import type {
  EvChargingNeedsResult,
  EvChargingScheduleInput,
  EvChargingScheduleResult,
} from './smart-charging/iso15118-sessions.js';
import type { ExternalLimitResult } from './smart-charging/external-limit-control.js';
import type { CompositeSchedulesOptions } from './smart-charging/station-smart-charging.js';

/**
 * The smart charging API of {@link ChargePoint} (a base class, like ChargePointSecurity).
 *
 * @example
 * await station.onExternalLimit({ evseId: 0, source: 'SO', limit: 40, unit: 'A', isGridCritical: true });
 */
export abstract class ChargePointSmartCharging extends ChargePointSecurity {
  /**
   * The composite schedule of the grid connection (EVSE 0) and of every EVSE from now, with the
   * source of each period: the limits the host applies (libocpp get_all_composite_schedules). The
   * host is told of every change through compositeSchedulesChangedCallback.
   *
   * @example
   * for (const { schedule } of station.getCompositeSchedules({ duration: 3600, chargingRateUnit: 'A' })) {
   *   hardware.setLimit(schedule.evseId, schedule.chargingSchedulePeriod[0].limit);
   * }
   */
  getCompositeSchedules(options: CompositeSchedulesOptions = {}): CompositeScheduleDetails[] {
    return this.station.smartCharging.compositeSchedules(options);
  }

  /**
   * K08: a composite schedule as GetCompositeSchedule computes it (libocpp get_composite_schedule).
   *
   * @example
   * station.getCompositeSchedule({ evseId: 1, duration: 600, chargingRateUnit: 'A' }).schedule?.chargingSchedulePeriod;
   */
  getCompositeSchedule(request: GetCompositeScheduleRequest): GetCompositeScheduleResponse {
    return this.station.smartCharging.getCompositeSchedule(request);
  }

  /**
   * K11/K12: an external system (EMS, SO, Other) set or changed a limit on the station (evseId 0) or
   * one EVSE. It caps the composite schedules and, when it changed by more than
   * LimitChangeSignificance, is sent to the CSMS in NotifyChargingLimitRequest. Beyond libocpp.
   *
   * @example
   * await station.onExternalLimit({ evseId: 0, source: 'SO', limit: 40, unit: 'A', isGridCritical: true });
   */
  onExternalLimit(limit: ExternalLimit): Promise<ExternalLimitResult> {
    return this.station.smartCharging.setExternalLimit(limit);
  }

  /**
   * K13: the external system released its limit; ClearedChargingLimitRequest is sent. Beyond libocpp.
   *
   * @example
   * await station.onExternalLimitCleared(0, 'SO'); // true: it was set and is now released
   */
  onExternalLimitCleared(evseId: number, source: ExternalLimitSource = 'EMS'): Promise<boolean> {
    return this.station.smartCharging.clearExternalLimit(evseId, source);
  }

  /**
   * K15/K17: the EV's ISO 15118 charging needs (ChargeParameterDiscoveryReq) for the CSMS (libocpp on_ev_charging_needs).
   *
   * @example
   * const { status } = await station.onEvChargingNeeds({ evseId: 1, chargingNeeds: { requestedEnergyTransfer: 'DC', dcChargingParameters: { evMaxCurrent: 125, evMaxVoltage: 450 } } });
   */
  onEvChargingNeeds(request: NotifyEVChargingNeedsRequest): Promise<EvChargingNeedsResult> {
    return this.station.smartCharging.iso15118.chargingNeeds(request);
  }

  /**
   * K15–K17: the schedule the EV chose (PowerDeliveryReq): checked, applied, sent. Beyond libocpp.
   *
   * @example
   * const result = await station.onEvChargingSchedule({ evseId: 1, chargingSchedule: evProfile });
   * if (result.status === 'OutOfBounds') iso15118.rejectPowerDelivery(); // K15.FR.09
   */
  onEvChargingSchedule(input: EvChargingScheduleInput): Promise<EvChargingScheduleResult> {
    return this.station.smartCharging.iso15118.chargingSchedule(input);
  }
}
