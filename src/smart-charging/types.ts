import type {
  ChargingLimitSourceEnumType,
  ChargingProfileType,
  ChargingRateUnitEnumType,
  ChargingScheduleType,
} from '../generated/ocpp-types.js';

/**
 * A charging profile as installed on the station: the profile itself and the EVSE it was set on
 * (0 = the Charging Station itself, i.e. the grid connection).
 */
export interface InstalledChargingProfile {
  evseId: number;
  profile: ChargingProfileType;
  /**
   * Who set the limit, as reported in ReportChargingProfilesRequest (K09). Profiles set by the CSMS
   * are `CSO`; external limits (K11/K12) carry the external system's source. Default `CSO`.
   */
  chargingLimitSource?: ChargingLimitSourceEnumType;
  /**
   * When the profile was installed (RFC 3339). Only used as the start of a station-level (EVSE 0)
   * Relative profile, i.e. a relative ChargingStationExternalConstraints; without it such a profile
   * is taken to start at the start of the requested schedule.
   */
  installedAt?: string;
}

/** Electrical facts about one EVSE that smart charging needs. */
export interface EvseSmartChargingInfo {
  /** EVSE id, > 0. */
  id: number;
  currentType: 'AC' | 'DC';
  /**
   * AC: number of phases wired to the EVSE (1..3); the composite never reports more (K01.FR.45).
   * DC: number of phases of the AC supply feeding the EVSE, used only to convert A <-> W.
   */
  supplyPhases: 1 | 2 | 3;
  /** SmartChargingCtrlr.ACPhaseSwitchingSupported of this EVSE (K01.FR.46/48). */
  phaseSwitchingSupported?: boolean;
  /** A 1-phase AC EVSE without phase switching: the phase it is wired to (K01.FR.48 "already going to use"). */
  connectedPhase?: 1 | 2 | 3;
  /**
   * Local limit of the EVSE in A per phase. With `maxPower` (at least one is required) it caps every
   * composite period and fills the time no profile covers (K02.FR.08 "the local limit").
   */
  maxCurrent?: number;
  /** Local limit of the EVSE in W. */
  maxPower?: number;
}

/** Station-wide smart-charging configuration (mostly SmartChargingCtrlr device-model values). */
export interface StationSmartChargingConfig {
  /** Every EVSE of the station (ids > 0). */
  evses: readonly EvseSmartChargingInfo[];
  /** Nominal line-to-neutral voltage of the area, e.g. 230 (K01.FR.50 "Line Voltage"). */
  supplyVoltage: number;
  /** ChargingStationSupplyPhases of the grid connection (1..3); used for station-level A <-> W. */
  supplyPhases: 1 | 2 | 3;
  /** SmartChargingCtrlr.RateUnit (ChargingScheduleChargingRateUnit), K01.FR.26 / K08.FR.07. */
  supportedRateUnits: readonly ChargingRateUnitEnumType[];
  /**
   * IANA time zone in which Recurring profiles recur (wall-clock days/weeks across DST). Default
   * `UTC`: a day is exactly 86400 s. See docs/smart-charging.md.
   */
  timeZone?: string;
  /** Local limit of the grid connection in A per phase; caps the EVSE 0 composite. */
  maxCurrent?: number;
  /** Local limit of the grid connection in W. */
  maxPower?: number;
  /** SmartChargingCtrlr.ProfileStackLevel: highest stackLevel accepted. */
  maxStackLevel?: number;
  /** SmartChargingCtrlr.PeriodsPerSchedule: most periods accepted in one ChargingSchedule. */
  periodsPerSchedule?: number;
  /** SmartChargingCtrlr.Entries(ChargingProfiles).maxLimit: most profiles installed at once. */
  maxInstalledProfiles?: number;
  /** SmartChargingCtrlr.Phases3to1: a 3-phase AC EVSE can be limited to 1 phase (K01.FR.43). */
  phases3to1Supported?: boolean;
}

/** A transaction that is running on an EVSE. */
export interface ActiveTransaction {
  evseId: number;
  transactionId: string;
  /**
   * When the EVSE became ready to deliver energy (RFC 3339). Relative profiles of this EVSE start
   * here (K01.FR.42 recommends the PowerPathClosed moment; pass that when it differs from the
   * transaction start).
   */
  startTime: string;
  /**
   * Set for an ISO 15118 session: whether the NotifyEVChargingNeedsRequest was sent. Multiple
   * chargingSchedules are only accepted then (K01.FR.34); a TxProfile before it is out of sequence
   * (K15.FR.17).
   */
  iso15118?: { chargingNeedsSent: boolean };
}

/**
 * The charging schedule an EV chose (ISO 15118 PowerDeliveryReq, sent to the CSMS as
 * NotifyEVChargingScheduleRequest). The EV will not draw more, so it caps its EVSE's composite
 * schedule (K15.FR.14, K16.FR.10, K17.FR.14; SC.04: report the lowest expected limit).
 */
export interface EvChargingSchedule {
  evseId: number;
  /** RFC 3339: the periods' startPeriod counts from here (NotifyEVChargingScheduleRequest.timeBase). */
  timeBase: string;
  chargingSchedule: ChargingScheduleType;
}

/** Everything the smart-charging functions read: configuration, installed profiles, transactions. */
export interface SmartChargingState {
  station: StationSmartChargingConfig;
  profiles: readonly InstalledChargingProfile[];
  transactions: readonly ActiveTransaction[];
  /** EV charging schedules in force (at most one per EVSE is expected; every one given caps). */
  evChargingSchedules?: readonly EvChargingSchedule[];
}

/**
 * Thrown when the input of a smart-charging function is unusable (configuration or stored data,
 * not a CSMS request): the message names the field.
 *
 * @example
 * try { compositeSchedule(input); } catch (e) { if (e instanceof SmartChargingInputError) console.error(e.field); }
 */
export class SmartChargingInputError extends Error {
  override readonly name = 'SmartChargingInputError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_SMART_CHARGING_INPUT';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}
