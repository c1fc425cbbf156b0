// Shared builders for the smart-charging tests, and the official-schema check of what they return.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type {
  ChargingProfileType,
  ChargingSchedulePeriodType,
  ChargingScheduleType,
} from '../../src/generated/ocpp-types.js';
import type {
  EvseSmartChargingInfo,
  InstalledChargingProfile,
  SmartChargingState,
  StationSmartChargingConfig,
} from '../../src/smart-charging/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

/** Asserts that `message` is valid against the official OCPP 2.0.1 schema `schemas/<name>.json`. */
export function assertSchemaValid(name: string, message: unknown): void {
  let validate = compiled.get(name);
  if (validate === undefined) {
    validate = ajv.compile(
      JSON.parse(readFileSync(path.join(root, 'schemas', `${name}.json`), 'utf8')) as object,
    );
    compiled.set(name, validate);
  }
  if (!validate(message)) {
    throw new Error(
      `${name} is not schema-valid: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(message)}`,
    );
  }
}

export const T0 = '2024-03-04T12:00:00Z';

/** ISO time `seconds` after T0 (or after `base`). */
export function at(seconds: number, base = T0): string {
  return new Date(Date.parse(base) + seconds * 1000).toISOString().replace('.000Z', 'Z');
}

export function acEvse(id: number, extra: Partial<EvseSmartChargingInfo> = {}): EvseSmartChargingInfo {
  return { id, currentType: 'AC', supplyPhases: 3, maxCurrent: 32, ...extra };
}

export function station(extra: Partial<StationSmartChargingConfig> = {}): StationSmartChargingConfig {
  return {
    evses: [acEvse(1), acEvse(2)],
    supplyVoltage: 230,
    supplyPhases: 3,
    supportedRateUnits: ['A', 'W'],
    ...extra,
  };
}

export function periods(
  ...pairs: [number, number][]
): [ChargingSchedulePeriodType, ...ChargingSchedulePeriodType[]] {
  const list = pairs.map(([startPeriod, limit]) => ({ startPeriod, limit }));
  return list as [ChargingSchedulePeriodType, ...ChargingSchedulePeriodType[]];
}

export function schedule(extra: Partial<ChargingScheduleType> = {}): ChargingScheduleType {
  return { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: periods([0, 16]), ...extra };
}

/** An Absolute TxDefaultProfile starting at T0 unless overridden. */
export function profile(
  extra: Partial<Omit<ChargingProfileType, 'chargingSchedule'>> = {},
  scheduleExtra: Partial<ChargingScheduleType> = {},
): ChargingProfileType {
  const kind = extra.chargingProfileKind ?? 'Absolute';
  const base: Partial<ChargingScheduleType> = kind === 'Relative' ? {} : { startSchedule: T0 };
  return {
    id: 1,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: kind,
    ...extra,
    chargingSchedule: [schedule({ ...base, ...scheduleExtra })],
  };
}

export function installed(
  evseId: number,
  p: ChargingProfileType,
  extra: Partial<InstalledChargingProfile> = {},
): InstalledChargingProfile {
  return { evseId, profile: p, ...extra };
}

export function state(extra: Partial<SmartChargingState> = {}): SmartChargingState {
  return { station: station(), profiles: [], transactions: [], ...extra };
}
