/**
 * Smart charging engine (OCPP 2.0.1 functional block K): pure functions, no I/O and no clock
 * ("now" is always a parameter). Package subpath `./smart-charging`. docs/smart-charging.md
 * documents every rule, formula and choice.
 *
 * @example
 * import { validateChargingProfile, compositeSchedule } from 'ocpp-station/smart-charging';
 */
export type {
  ActiveTransaction,
  EvChargingSchedule,
  EvseSmartChargingInfo,
  InstalledChargingProfile,
  SmartChargingState,
  StationSmartChargingConfig,
} from './types.js';
export { SmartChargingInputError } from './types.js';
export type { ChargingProfileOrigin, ProfileValidationContext } from './validate-charging-profile.js';
export { validateChargingProfile } from './validate-charging-profile.js';
export type { ProfileAcceptance, ProfileRejection, ProfileValidationResult } from './profile-rejection.js';
export { toSetChargingProfileResponse } from './profile-rejection.js';
export { installChargingProfile, removeTransactionProfiles } from './install-charging-profile.js';
export type {
  CompositeScheduleInput,
  CompositePeriodDetail,
  CompositeScheduleDetails,
} from './composite-schedule.js';
export { compositeSchedule, compositeScheduleDetails } from './composite-schedule.js';
export type { LimitSource } from './composite-timeline.js';
export type { StationScheduleRequest } from './station-composite-schedules.js';
export { stationCompositeSchedules } from './station-composite-schedules.js';
export { answerGetCompositeSchedule } from './get-composite-schedule.js';
export type { ChargingProfilesReport } from './get-charging-profiles.js';
export { chargingProfilesReport, selectChargingProfiles } from './get-charging-profiles.js';
export type { ClearChargingProfileOutcome } from './clear-charging-profile.js';
export { clearChargingProfiles } from './clear-charging-profile.js';
export { convertRate, floorToTenth } from './unit-conversion.js';
export type { Occurrence } from './schedule-segments.js';
export { recurrencesOverlapping } from './schedule-segments.js';
