/**
 * The smart-charging configuration of a running station, read from its device model: the
 * SmartChargingCtrlr variables (Part 2 appendix), the electrical facts of the station and of each
 * EVSE, and the time zone Recurring profiles recur in. Read again whenever one of them changes.
 * docs/smart-charging.md ("Wiring") lists every variable and its default.
 */
import { IANAZone } from 'luxon';
import type { ChargingRateUnitEnumType } from '../generated/ocpp-types.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import type { DeviceModelPort, VariableRef } from '../runtime/ports.js';
import { placedRef } from '../device-model/placed-refs.js';
import type { EvseSmartChargingInfo, StationSmartChargingConfig } from './types.js';

const ctrlr = (variable: string, variableInstance?: string): VariableRef =>
  variableInstance === undefined
    ? { component: 'SmartChargingCtrlr', variable }
    : { component: 'SmartChargingCtrlr', variable, variableInstance };

/** The variables read here. */
export const SMART_CHARGING_VARIABLES = {
  available: ctrlr('Available'),
  enabled: ctrlr('Enabled'),
  entries: ctrlr('Entries', 'ChargingProfiles'),
  rateUnit: ctrlr('RateUnit'),
  profileStackLevel: ctrlr('ProfileStackLevel'),
  periodsPerSchedule: ctrlr('PeriodsPerSchedule'),
  phases3to1: ctrlr('Phases3to1'),
  acPhaseSwitchingSupported: ctrlr('ACPhaseSwitchingSupported'),
  externalControlSignalsEnabled: ctrlr('ExternalControlSignalsEnabled'),
  limitChangeSignificance: ctrlr('LimitChangeSignificance'),
  notifyChargingLimitWithSchedules: ctrlr('NotifyChargingLimitWithSchedules'),
  supplyVoltage: ctrlr('SupplyVoltage'),
  defaultLimitAmps: ctrlr('CompositeScheduleDefaultLimitAmps'),
  persistTxProfile: ctrlr('ChargingProfilePersistence', 'TxProfile'),
  persistExternal: ctrlr('ChargingProfilePersistence', 'ChargingStationExternalConstraints'),
  stationSupplyPhases: { component: 'ChargingStation', variable: 'SupplyPhases' },
  timeZone: { component: 'ClockCtrlr', variable: 'TimeZone' },
} satisfies Record<string, VariableRef>;

/** The per-EVSE variables read here, placed at each EVSE with {@link placedRef}. */
const EVSE_VARIABLES = {
  supplyPhases: { component: 'EVSE', variable: 'SupplyPhases' },
  phaseRotation: { component: 'EVSE', variable: 'PhaseRotation' },
  power: { component: 'EVSE', variable: 'Power' },
} satisfies Record<string, VariableRef>;
const STATION_POWER: VariableRef = { component: 'ChargingStation', variable: 'Power' };

/**
 * The variables outside SmartChargingCtrlr that feed {@link readSmartChargingSettings}, by
 * component, built from the lists it reads (a variable added there is followed at once). Only
 * these are followed: the EVSE and station AvailabilityState written at every boot
 * and status change made every station read all its settings again (issue 9, boot storm).
 */
const FEEDING_VARIABLES: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const byComponent = new Map<string, Set<string>>();
  const outside = [
    ...Object.values(SMART_CHARGING_VARIABLES).filter((ref) => ref.component !== 'SmartChargingCtrlr'),
    ...Object.values(EVSE_VARIABLES),
    STATION_POWER,
  ];
  for (const { component, variable } of outside) {
    const key = component.toLowerCase();
    const variables = byComponent.get(key) ?? new Set<string>();
    variables.add(variable.toLowerCase());
    byComponent.set(key, variables);
  }
  return byComponent;
})();

/**
 * Whether a change of this variable can change {@link readSmartChargingSettings}'s answer: any
 * SmartChargingCtrlr variable but Entries (the installed count, not a setting), and the station's
 * and EVSEs' electrical facts and the time zone. Names compare case-insensitively, as the device
 * model's lookups do (Part 2 §2.1.4).
 *
 * @example
 * feedsSmartChargingSettings({ component: 'EVSE', evseId: 1, variable: 'Power' }); // true
 * feedsSmartChargingSettings({ component: 'EVSE', evseId: 1, variable: 'AvailabilityState' }); // false
 */
export function feedsSmartChargingSettings(ref: VariableRef): boolean {
  const component = ref.component.toLowerCase();
  const variable = ref.variable.toLowerCase();
  if (component === 'smartchargingctrlr') return variable !== 'entries';
  return FEEDING_VARIABLES.get(component)?.has(variable) ?? false;
}

/** Line voltage when SmartChargingCtrlr.SupplyVoltage is not configured (K01.FR.50 "e.g. 230"). */
export const DEFAULT_SUPPLY_VOLTAGE = 230;
/** EVSE local limit when neither EVSE.Power maxLimit nor CompositeScheduleDefaultLimitAmps is set (libocpp's default). */
export const DEFAULT_EVSE_CURRENT = 48;

export interface SmartChargingSettings {
  /** SmartChargingCtrlr.Available and Enabled: else K messages are answered NotSupported (K01.FR.29). */
  supported: boolean;
  station: StationSmartChargingConfig;
  /** SmartChargingCtrlr.ExternalControlSignalsEnabled (default true: a host that reports limits has them). */
  externalControlSignalsEnabled: boolean;
  /** SmartChargingCtrlr.LimitChangeSignificance in percent (SC.03); default 0: every change is reported. */
  limitChangeSignificance: number;
  /** SmartChargingCtrlr.NotifyChargingLimitWithSchedules (K11.FR.03); default false. */
  notifyChargingLimitWithSchedules: boolean;
  /** SmartChargingCtrlr.ChargingProfilePersistence[TxProfile] (default true). */
  persistTxProfiles: boolean;
  /** SmartChargingCtrlr.ChargingProfilePersistence[ChargingStationExternalConstraints] (default true). */
  persistExternalConstraints: boolean;
}

/** Reads values without letting one malformed value stop the station: it is reported and the default used. */
class Reader {
  constructor(
    private readonly dm: DeviceModelPort,
    private readonly warn: (message: string) => void,
  ) {}

  private describe(ref: VariableRef): string {
    const evse = ref.evseId === undefined ? '' : `[evse ${ref.evseId}]`;
    const instance = ref.variableInstance === undefined ? '' : `[${ref.variableInstance}]`;
    return `${ref.component}${evse}.${ref.variable}${instance}`;
  }

  private read<T>(ref: VariableRef, parse: () => T | undefined): T | undefined {
    try {
      return parse();
    } catch (error) {
      this.warn(`${this.describe(ref)}: ${(error as Error).message}; using the default`);
      return undefined;
    }
  }

  boolean(ref: VariableRef): boolean | undefined {
    return this.read(ref, () => this.dm.getBoolean(ref));
  }

  integer(ref: VariableRef): number | undefined {
    return this.read(ref, () => this.dm.getInteger(ref));
  }

  decimal(ref: VariableRef): number | undefined {
    const raw = this.dm.get(ref);
    if (raw === undefined || raw.trim() === '') return undefined;
    const value = Number(raw);
    if (Number.isFinite(value)) return value;
    this.warn(`${this.describe(ref)}: "${raw}" is not a number; using the default`);
    return undefined;
  }

  /**
   * The maxLimit characteristic of a variable (EVSE.Power, Entries): looked up directly when the
   * device model can (a custom report per read was most of a fleet station's settings cost), else
   * through the report interface.
   */
  maxLimit(ref: VariableRef): number | undefined {
    return this.read(ref, () => {
      if (this.dm.maxLimit !== undefined) {
        // Its answer is final: a variable without maxLimit (EVSE.Power of the shipped config) no
        // longer costs a report at every settings read of every station (issue 9).
        const direct = this.dm.maxLimit(ref);
        return direct !== undefined && Number.isFinite(direct) ? direct : undefined;
      }
      const component = {
        name: ref.component,
        ...(ref.evseId === undefined ? {} : { evse: { id: ref.evseId } }),
      };
      const variable = {
        name: ref.variable,
        ...(ref.variableInstance === undefined ? {} : { instance: ref.variableInstance }),
      };
      const { data } = this.dm.report({ requestId: 0, componentVariable: [{ component, variable }] });
      const found = data.find(
        (d) =>
          d.variable.name === ref.variable &&
          d.variable.instance === ref.variableInstance &&
          d.component.evse?.id === ref.evseId,
      );
      const value = found?.variableCharacteristics?.maxLimit;
      return value === undefined || !Number.isFinite(value) ? undefined : value;
    });
  }
}

function phases(value: number | undefined): 1 | 2 | 3 | undefined {
  return value === 1 || value === 2 || value === 3 ? value : undefined;
}

/** EVSE.PhaseRotation of a 1-phase EVSE, e.g. "Sxx": the one phase it is wired to (R=1, S=2, T=3). */
function connectedPhase(rotation: string | undefined): 1 | 2 | 3 | undefined {
  const wired = [...(rotation ?? '')].filter((c) => c === 'R' || c === 'S' || c === 'T');
  if (wired.length !== 1) return undefined;
  return wired[0] === 'R' ? 1 : wired[0] === 'S' ? 2 : 3;
}

function rateUnits(value: string | undefined, warn: (message: string) => void): ChargingRateUnitEnumType[] {
  if (value === undefined) return ['A', 'W'];
  const units = value
    .split(',')
    .map((unit) => unit.trim())
    .filter((unit) => unit !== '');
  const known = units.filter((unit): unit is ChargingRateUnitEnumType => unit === 'A' || unit === 'W');
  if (known.length !== units.length) {
    warn(`SmartChargingCtrlr.RateUnit: "${value}" has values other than A and W; they are ignored`);
  }
  return known;
}

/**
 * Reads the smart-charging settings of a station with `evses` from its device model. Malformed
 * values are reported through `warn` (naming the variable) and replaced by their defaults.
 *
 * @example
 * const settings = readSmartChargingSettings(deviceModel, evses, (message) => console.warn(message));
 * settings.station.supportedRateUnits; // ['A', 'W']
 */
export function readSmartChargingSettings(
  dm: DeviceModelPort,
  evses: readonly EvseStructure[],
  warn: (message: string) => void,
): SmartChargingSettings {
  const read = new Reader(dm, warn);
  const v = SMART_CHARGING_VARIABLES;
  const stationPhases = phases(read.integer(v.stationSupplyPhases)) ?? 3;
  const defaultAmps = read.integer(v.defaultLimitAmps);
  const zone = dm.get(v.timeZone);
  let timeZone: string | undefined;
  if (zone !== undefined && zone.trim() !== '') {
    if (IANAZone.isValidZone(zone)) timeZone = zone;
    else warn(`ClockCtrlr.TimeZone: "${zone}" is not an IANA time zone; Recurring profiles recur in UTC`);
  }
  const stationSwitching = read.boolean(v.acPhaseSwitchingSupported);
  const evseInfos = evses.map((evse): EvseSmartChargingInfo => {
    const supply = read.integer(placedRef(EVSE_VARIABLES.supplyPhases, evse.id));
    // Part 2 appendix, SupplyPhases: "0 means DC"; a DC EVSE converts A <-> W with the station's supply.
    const dc = supply === 0;
    const info: EvseSmartChargingInfo = {
      id: evse.id,
      currentType: dc ? 'DC' : 'AC',
      supplyPhases: dc ? stationPhases : (phases(supply) ?? stationPhases),
    };
    const switching = read.boolean(placedRef(v.acPhaseSwitchingSupported, evse.id)) ?? stationSwitching;
    if (switching !== undefined) info.phaseSwitchingSupported = switching;
    const wired = connectedPhase(dm.get(placedRef(EVSE_VARIABLES.phaseRotation, evse.id)));
    if (info.supplyPhases === 1 && wired !== undefined) info.connectedPhase = wired;
    // The EVSE's local limit: EVSE.Power maxLimit (mandatory for an EVSE in the device model).
    const power = read.maxLimit(placedRef(EVSE_VARIABLES.power, evse.id));
    if (power !== undefined && power > 0) info.maxPower = power;
    else {
      info.maxCurrent = defaultAmps !== undefined && defaultAmps > 0 ? defaultAmps : DEFAULT_EVSE_CURRENT;
      warn(
        `EVSE[evse ${evse.id}].Power has no maxLimit: its local limit is ${info.maxCurrent} A (SmartChargingCtrlr.CompositeScheduleDefaultLimitAmps or ${DEFAULT_EVSE_CURRENT})`,
      );
    }
    return info;
  });
  const voltage = read.decimal(v.supplyVoltage);
  const station: StationSmartChargingConfig = {
    evses: evseInfos,
    supplyVoltage: voltage !== undefined && voltage > 0 ? voltage : DEFAULT_SUPPLY_VOLTAGE,
    supplyPhases: stationPhases,
    supportedRateUnits: rateUnits(dm.get(v.rateUnit), warn),
  };
  if (timeZone !== undefined) station.timeZone = timeZone;
  const gridPower = read.maxLimit(STATION_POWER);
  if (gridPower !== undefined && gridPower > 0) station.maxPower = gridPower;
  const stackLevel = read.integer(v.profileStackLevel);
  if (stackLevel !== undefined) station.maxStackLevel = stackLevel;
  const periods = read.integer(v.periodsPerSchedule);
  if (periods !== undefined) station.periodsPerSchedule = periods;
  const entries = read.maxLimit(v.entries);
  if (entries !== undefined) station.maxInstalledProfiles = entries;
  const phases3to1 = read.boolean(v.phases3to1);
  if (phases3to1 !== undefined) station.phases3to1Supported = phases3to1;
  return {
    supported: read.boolean(v.available) === true && read.boolean(v.enabled) !== false,
    station,
    externalControlSignalsEnabled: read.boolean(v.externalControlSignalsEnabled) ?? true,
    limitChangeSignificance: Math.max(0, read.decimal(v.limitChangeSignificance) ?? 0),
    notifyChargingLimitWithSchedules: read.boolean(v.notifyChargingLimitWithSchedules) ?? false,
    persistTxProfiles: read.boolean(v.persistTxProfile) ?? true,
    persistExternalConstraints: read.boolean(v.persistExternal) ?? true,
  };
}
