import type { ChargingProfileType } from '../generated/ocpp-types.js';
import { checkPhaseConflicts } from './phase-conflicts.js';
import { reject, type ProfileRejection, type ProfileValidationResult } from './profile-rejection.js';
import { parseInstant, requireInstant } from './time.js';
import type { InstalledChargingProfile, SmartChargingState } from './types.js';
import { checkChargingSchedules } from './validate-schedule.js';

/** Where a profile comes from: each source has its own rules. */
export type ChargingProfileOrigin =
  /** SetChargingProfileRequest from the CSMS (K01). */
  | 'SetChargingProfile'
  /** The chargingProfile of a RequestStartTransactionRequest (K05): no transaction exists yet. */
  | 'RequestStartTransaction'
  /** A limit from an external system (EMS, DSO, ...) installed by the host (K11/K12). */
  | 'ExternalSystem';

/** The situation a profile is validated in. */
export interface ProfileValidationContext extends SmartChargingState {
  /** evseId of the request (0 = the Charging Station). */
  evseId: number;
  origin: ChargingProfileOrigin;
  /** The current time (RFC 3339): an absent validFrom of the new profile means "from now". */
  now: string;
}

/** Validity period [from, to) of a profile in epoch seconds; absent bounds are open. */
function validity(profile: ChargingProfileType, absentFrom: number): [number, number] {
  const from = profile.validFrom === undefined ? absentFrom : (parseInstant(profile.validFrom) ?? -Infinity);
  const to = profile.validTo === undefined ? Infinity : (parseInstant(profile.validTo) ?? Infinity);
  return [from, to];
}

function checkOrigin(
  profile: ChargingProfileType,
  origin: ChargingProfileOrigin,
): ProfileRejection | undefined {
  const purpose = profile.chargingProfilePurpose;
  if (origin === 'RequestStartTransaction' && purpose !== 'TxProfile') {
    return reject(
      'InvalidProfile',
      'K05.FR.02',
      `a RequestStartTransaction chargingProfile must be a TxProfile, not ${purpose}`,
    );
  }
  if (origin === 'SetChargingProfile' && purpose === 'ChargingStationExternalConstraints') {
    return reject(
      'InvalidValue',
      'K01.FR.22',
      'the CSMS cannot set a ChargingStationExternalConstraints profile',
    );
  }
  if (origin === 'ExternalSystem' && purpose !== 'ChargingStationExternalConstraints') {
    return reject(
      'InvalidValue',
      'K11',
      `an external limit is a ChargingStationExternalConstraints profile, not ${purpose}`,
    );
  }
  return undefined;
}

function checkProfileFields(
  profile: ChargingProfileType,
  context: ProfileValidationContext,
): ProfileRejection | undefined {
  const { station } = context;
  if (!(Number.isInteger(profile.stackLevel) && profile.stackLevel >= 0)) {
    return reject(
      'InvalidStackLevel',
      'ChargingProfileType.stackLevel',
      `stackLevel ${profile.stackLevel} is not an integer >= 0`,
    );
  }
  if (station.maxStackLevel !== undefined && profile.stackLevel > station.maxStackLevel) {
    return reject(
      'InvalidStackLevel',
      'SmartChargingCtrlr.ProfileStackLevel',
      `stackLevel ${profile.stackLevel} is above the maximum ${station.maxStackLevel}`,
    );
  }
  if (
    profile.chargingProfilePurpose === 'ChargingStationMaxProfile' &&
    profile.chargingProfileKind === 'Relative'
  ) {
    return reject('InvalidProfile', 'K01.FR.38', 'a ChargingStationMaxProfile cannot be Relative');
  }
  if (profile.chargingProfileKind === 'Recurring' && profile.recurrencyKind === undefined) {
    return reject(
      'InvalidProfile',
      'ChargingProfileType.recurrencyKind',
      'a Recurring profile needs recurrencyKind Daily or Weekly',
    );
  }
  if (profile.chargingProfileKind !== 'Recurring' && profile.recurrencyKind !== undefined) {
    return reject(
      'InvalidProfile',
      'ChargingProfileType.recurrencyKind',
      `recurrencyKind is only for Recurring profiles, not ${profile.chargingProfileKind}`,
    );
  }
  if (profile.transactionId !== undefined && profile.chargingProfilePurpose !== 'TxProfile') {
    return reject(
      'InvalidProfile',
      'ChargingProfileType.transactionId',
      `transactionId is only for a TxProfile, not a ${profile.chargingProfilePurpose}`,
    );
  }
  for (const field of ['validFrom', 'validTo'] as const) {
    const value = profile[field];
    if (value !== undefined && parseInstant(value) === undefined) {
      return reject(
        'InvalidProfile',
        `ChargingProfileType.${field}`,
        `${field} "${value}" is not an RFC 3339 date-time`,
      );
    }
  }
  const [from, to] = validity(profile, -Infinity);
  if (from >= to) {
    return reject(
      'InvalidProfile',
      'K01.FR.36/K01.FR.37',
      `validTo ${profile.validTo} is not after validFrom ${profile.validFrom}: the profile would never be valid`,
    );
  }
  return undefined;
}

function checkEvse(
  profile: ChargingProfileType,
  context: ProfileValidationContext,
): ProfileRejection | undefined {
  const { evseId } = context;
  if (!(evseId === 0 || context.station.evses.some((evse) => evse.id === evseId))) {
    return reject('UnknownEvse', 'K01.FR.28', `EVSE ${evseId} does not exist`);
  }
  if (profile.chargingProfilePurpose === 'ChargingStationMaxProfile' && evseId !== 0) {
    return reject(
      'InvalidValue',
      'K04.FR.03',
      `a ChargingStationMaxProfile can only be set on EVSE 0, not ${evseId}`,
    );
  }
  if (profile.chargingProfilePurpose === 'TxProfile' && evseId === 0) {
    return reject('InvalidValue', 'K01.FR.16', 'a TxProfile can only be set on an EVSE with id > 0');
  }
  return undefined;
}

/** K01.FR.34: more than one chargingSchedule only for a TxProfile of an ISO 15118 session with charging needs. */
function checkScheduleCount(
  profile: ChargingProfileType,
  context: ProfileValidationContext,
): ProfileRejection | undefined {
  if (profile.chargingSchedule.length <= 1) return undefined;
  const transaction = context.transactions.find((t) => t.evseId === context.evseId);
  const iso15118 =
    context.origin === 'SetChargingProfile' &&
    profile.chargingProfilePurpose === 'TxProfile' &&
    transaction?.iso15118?.chargingNeedsSent === true;
  if (iso15118) return undefined;
  return reject(
    'TooManyElements',
    'K01.FR.34',
    `${profile.chargingSchedule.length} chargingSchedules; only one is allowed unless the transaction uses ISO 15118 and sent its charging needs`,
  );
}

function checkTransaction(
  profile: ChargingProfileType,
  context: ProfileValidationContext,
  others: readonly InstalledChargingProfile[],
): ProfileRejection | undefined {
  // K05: a RequestStartTransaction profile precedes its transaction, so it has no transactionId yet.
  if (profile.chargingProfilePurpose !== 'TxProfile' || context.origin !== 'SetChargingProfile')
    return undefined;
  const { transactionId } = profile;
  if (transactionId === undefined) {
    return reject(
      'MissingParam',
      'K01.FR.03',
      'a TxProfile needs the transactionId of the transaction it limits',
    );
  }
  const transaction = context.transactions.find((t) => t.evseId === context.evseId);
  if (transaction === undefined) {
    return reject('TxNotFound', 'K01.FR.09', `no transaction is active on EVSE ${context.evseId}`);
  }
  if (transaction.transactionId !== transactionId) {
    const elsewhere = context.transactions.find((t) => t.transactionId === transactionId);
    return reject(
      'TxNotFound',
      'K01.FR.33',
      elsewhere === undefined
        ? `transaction ${transactionId} is not known`
        : `transaction ${transactionId} runs on EVSE ${elsewhere.evseId}, not on EVSE ${context.evseId}`,
    );
  }
  if (transaction.iso15118 !== undefined && !transaction.iso15118.chargingNeedsSent) {
    return reject(
      'InvalidMessageSeq',
      'K15.FR.17',
      `transaction ${transactionId} uses ISO 15118 and has not sent its charging needs yet`,
    );
  }
  const clash = others.find(
    (entry) =>
      entry.profile.chargingProfilePurpose === 'TxProfile' &&
      entry.profile.transactionId === transactionId &&
      entry.profile.stackLevel === profile.stackLevel,
  );
  if (clash !== undefined) {
    return reject(
      'DuplicateProfile',
      'K01.FR.39',
      `TxProfile ${clash.profile.id} already has stackLevel ${profile.stackLevel} for transaction ${transactionId}`,
    );
  }
  return undefined;
}

function checkDuplicates(
  profile: ChargingProfileType,
  context: ProfileValidationContext,
  others: readonly InstalledChargingProfile[],
  now: number,
): ProfileRejection | undefined {
  const purpose = profile.chargingProfilePurpose;
  const { evseId } = context;
  // K01.FR.06: an absent validFrom on the new profile means "from now"; an installed one has been valid since installed.
  const [from, to] = validity(profile, now);
  if (purpose !== 'TxProfile') {
    const overlapping = others.find((entry) => {
      if (entry.evseId !== evseId || entry.profile.chargingProfilePurpose !== purpose) return false;
      if (entry.profile.stackLevel !== profile.stackLevel) return false;
      const [otherFrom, otherTo] = validity(entry.profile, -Infinity);
      return from < otherTo && otherFrom < to;
    });
    if (overlapping !== undefined) {
      return reject(
        'DuplicateProfile',
        'K01.FR.06',
        `profile ${overlapping.profile.id} has the same stackLevel ${profile.stackLevel}, purpose and EVSE with an overlapping validity period`,
      );
    }
  }
  if (purpose === 'TxDefaultProfile') {
    // K01.FR.52 / K01.FR.53: one stackLevel cannot hold a TxDefaultProfile on EVSE 0 and on an EVSE.
    const crossing = others.find(
      (entry) =>
        entry.profile.chargingProfilePurpose === 'TxDefaultProfile' &&
        entry.profile.stackLevel === profile.stackLevel &&
        (evseId === 0 ? entry.evseId !== 0 : entry.evseId === 0),
    );
    if (crossing !== undefined) {
      return reject(
        'DuplicateProfile',
        evseId === 0 ? 'K01.FR.52' : 'K01.FR.53',
        `TxDefaultProfile ${crossing.profile.id} on EVSE ${crossing.evseId} has the same stackLevel ${profile.stackLevel}`,
      );
    }
  }
  return undefined;
}

/**
 * Decides whether the station accepts a charging profile (SetChargingProfileRequest K01, the
 * profile of a RequestStartTransactionRequest K05, or an external limit K11/K12), checking every
 * rejection rule of the spec + errata 2025-09, and for an accepted profile which installed profile
 * ids it replaces (the one with the same id, K01.FR.05). A rejection names the requirement and the
 * field. For RequestStartTransaction the reasonCode is InvalidSchedule or InvalidProfile (K05.FR.05).
 * docs/smart-charging.md lists every rule in the order it is checked. Throws
 * {@link SmartChargingInputError} when `context.now` is not a date-time.
 *
 * @example
 * const result = validateChargingProfile(request.chargingProfile, {
 *   station, profiles, transactions, evseId: request.evseId, origin: 'SetChargingProfile', now: new Date().toISOString(),
 * });
 * if (result.status === 'Accepted') install(request, result.replaces);
 */
export function validateChargingProfile(
  profile: ChargingProfileType,
  context: ProfileValidationContext,
): ProfileValidationResult {
  const now = requireInstant(context.now, 'now');
  const sameId = context.profiles.filter((entry) => entry.profile.id === profile.id);
  const others = context.profiles.filter((entry) => entry.profile.id !== profile.id);
  const rejection =
    checkOrigin(profile, context.origin) ??
    checkEvse(profile, context) ??
    checkProfileFields(profile, context) ??
    checkScheduleCount(profile, context) ??
    checkChargingSchedules(profile, context.station, context.evseId) ??
    checkTransaction(profile, context, others) ??
    checkReplacement(profile, context, sameId) ??
    checkDuplicates(profile, context, others, now) ??
    checkPhaseConflicts(profile, context.evseId, others) ??
    checkCapacity(context, others);
  if (rejection === undefined)
    return { status: 'Accepted', replaces: sameId.map((entry) => entry.profile.id) };
  if (context.origin !== 'RequestStartTransaction') return rejection;
  // K05.FR.05: an invalid RequestStartTransaction profile is reported as InvalidProfile or InvalidSchedule.
  const scheduleCodes = ['InvalidSchedule', 'UnsupportedRateUnit', 'TooManyElements'];
  return {
    ...rejection,
    reasonCode: scheduleCodes.includes(rejection.reasonCode) ? 'InvalidSchedule' : 'InvalidProfile',
  };
}

/** K01.FR.05: the CSMS replaces a profile by sending its id again, but never an external limit. */
function checkReplacement(
  profile: ChargingProfileType,
  context: ProfileValidationContext,
  sameId: readonly InstalledChargingProfile[],
): ProfileRejection | undefined {
  for (const entry of sameId) {
    const external = entry.profile.chargingProfilePurpose === 'ChargingStationExternalConstraints';
    if (external && context.origin !== 'ExternalSystem') {
      return reject(
        'DuplicateProfile',
        'K01.FR.05',
        `profile ${profile.id} is a ChargingStationExternalConstraints profile and cannot be replaced by the CSMS`,
      );
    }
    if (!external && context.origin === 'ExternalSystem') {
      return reject(
        'DuplicateProfile',
        'K01.FR.05',
        `profile ${profile.id} was set by the CSMS; an external limit needs another id`,
      );
    }
  }
  return undefined;
}

/** SmartChargingCtrlr.Entries(ChargingProfiles).maxLimit: the most profiles installed at once. */
function checkCapacity(
  context: ProfileValidationContext,
  others: readonly InstalledChargingProfile[],
): ProfileRejection | undefined {
  const max = context.station.maxInstalledProfiles;
  if (max === undefined || others.length + 1 <= max) return undefined;
  return reject(
    'OutOfStorage',
    'SmartChargingCtrlr.Entries(ChargingProfiles).maxLimit',
    `${others.length} profiles are installed; at most ${max} fit`,
  );
}
