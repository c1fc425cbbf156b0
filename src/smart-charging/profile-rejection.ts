import type { SetChargingProfileResponse } from '../generated/ocpp-types.js';

/** Why a charging profile is refused: the OCPP reasonCode, the requirement it enforces, details. */
export interface ProfileRejection {
  status: 'Rejected';
  /** A reason code of OCPP 2.0.1 part 2 appendix "Reason codes" (e.g. InvalidSchedule, TxNotFound). */
  reasonCode: string;
  /** The requirement id (e.g. K01.FR.31) or the device-model variable / schema field enforced. */
  requirement: string;
  /** What exactly is wrong, naming the field (e.g. chargingSchedule[0].chargingSchedulePeriod[1].startPeriod). */
  additionalInfo?: string;
}

/** An accepted profile and the installed profile ids it replaces (same id, K01.FR.05). */
export interface ProfileAcceptance {
  status: 'Accepted';
  replaces: number[];
}

/** Outcome of {@link validateChargingProfile}. */
export type ProfileValidationResult = ProfileAcceptance | ProfileRejection;

/**
 * Builds a rejection.
 *
 * @example
 * reject('InvalidSchedule', 'K01.FR.31', 'chargingSchedule[0].chargingSchedulePeriod[0].startPeriod is 10, not 0');
 */
export function reject(reasonCode: string, requirement: string, additionalInfo?: string): ProfileRejection {
  const rejection: ProfileRejection = { status: 'Rejected', reasonCode, requirement };
  if (additionalInfo !== undefined) rejection.additionalInfo = additionalInfo;
  return rejection;
}

/** StatusInfoType.additionalInfo holds at most 512 characters. */
const ADDITIONAL_INFO_MAX = 512;

/**
 * The SetChargingProfileResponse (or, with the same fields, the status part of a
 * RequestStartTransactionResponse) for a validation result: statusInfo carries the reasonCode and
 * "<requirement>: <details>" as additionalInfo, cut to the schema's 512 characters.
 *
 * @example
 * toSetChargingProfileResponse(validateChargingProfile(request.chargingProfile, context));
 * // { status: 'Rejected', statusInfo: { reasonCode: 'InvalidSchedule', additionalInfo: 'K01.FR.31: ...' } }
 */
export function toSetChargingProfileResponse(result: ProfileValidationResult): SetChargingProfileResponse {
  if (result.status === 'Accepted') return { status: 'Accepted' };
  const text =
    result.additionalInfo === undefined
      ? result.requirement
      : `${result.requirement}: ${result.additionalInfo}`;
  return {
    status: 'Rejected',
    statusInfo: { reasonCode: result.reasonCode, additionalInfo: text.slice(0, ADDITIONAL_INFO_MAX) },
  };
}
