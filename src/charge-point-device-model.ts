/**
 * The device model of a ChargePoint start: the components it is opened with (from the config
 * directory, whose shipped default follows `evses`, and/or given in memory), the values applied as
 * configuration, and what is set up once it is open (derived values, validators, the CSMS URL, a
 * report of stored values that do not fit).
 */
import { DEFAULT_CONFIG_DIR, type ChargePointOptions } from './charge-point-options.js';
import type { StationClock } from './clock.js';
import { loadComponentConfig, type DeviceModel, type LoadedComponent } from './device-model/index.js';
import { configurationProblems } from './runtime/configuration-check.js';
import { deriveStationValues } from './runtime/derived-values.js';
import { applyCsmsUrl, networkSettingsValidator } from './runtime/network-profiles.js';
import type { VariableRef } from './runtime/ports.js';
import { settingsValidator } from './runtime/setting-rules.js';
import { VARIABLES } from './runtime/settings.js';

/**
 * The components to open the device model with: those of the config directory (the shipped
 * example when none is given and no components are), then those given in memory.
 *
 * @example
 * const components = await deviceModelComponents({ evses, deviceModel: { configDir: 'my-config' } });
 */
export async function deviceModelComponents(
  options: Pick<ChargePointOptions, 'evses' | 'deviceModel'>,
): Promise<LoadedComponent[]> {
  return [
    ...(options.deviceModel?.components === undefined || options.deviceModel.configDir !== undefined
      ? await loadComponentConfig(options.deviceModel?.configDir ?? DEFAULT_CONFIG_DIR, options.evses, {
          // The shipped default follows `evses`; a user's own config must agree with them.
          evseStructure: options.deviceModel?.configDir === undefined ? 'adapt' : 'strict',
        })
      : []),
    ...(options.deviceModel?.components ?? []),
  ];
}

/**
 * Values applied at start as configuration: stationId becomes configuration of the device model,
 * then the caller's overrides (CLI `--set`).
 *
 * @example
 * deviceModelOverrides({ stationId: 'CS-001' }); // [{ ref: SecurityCtrlr.Identity, value: 'CS-001' }]
 */
export function deviceModelOverrides(
  options: Pick<ChargePointOptions, 'stationId' | 'deviceModel'>,
): Array<{ ref: VariableRef; value: string }> {
  return [{ ref: VARIABLES.identity, value: options.stationId }, ...(options.deviceModel?.overrides ?? [])];
}

/**
 * Sets up an opened device model for the station: its derived values, the validators of
 * SetVariables, the CSMS URL of slot 1; configuration problems go to `report`.
 *
 * @example
 * await prepareDeviceModel(model, options, clock, (e) => console.error(e));
 */
export async function prepareDeviceModel(
  model: DeviceModel,
  options: Pick<ChargePointOptions, 'stationId' | 'csmsUrl' | 'csmsSecurityProfile'>,
  clock: StationClock,
  report: (error: unknown) => void,
): Promise<void> {
  // ClockCtrlr.DateTime, ChargingStation.Model/VendorName, InternalCtrlr.ChargePointId are facts.
  deriveStationValues(model, { clock, stationId: options.stationId });
  // B10.FR.02: a SetVariables cannot point the station at slots without a valid profile.
  model.addValidator(networkSettingsValidator(model));
  // B05.FR.07/08: nor write a value that would break it (src/runtime/setting-rules.ts).
  model.addValidator(settingsValidator);
  // Slot 1's URL only, as a host write: profiles the CSMS stored in other slots (B09.FR.01) and
  // its NetworkConfigurationPriority survive the restart (B10.FR.04).
  if (options.csmsUrl !== undefined) await applyCsmsUrl(model, options.csmsUrl, options.csmsSecurityProfile);
  // Stored values that would: the readers clamp or fall back, and this says so once.
  for (const problem of configurationProblems(model)) report(problem);
}
