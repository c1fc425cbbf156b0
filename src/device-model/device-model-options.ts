/** What a DeviceModel (device-model.ts) is opened with. */
import type { StationDatabase } from '../store/database.js';
import type { RebootRequiredVariable } from './reboot-required.js';
import type { LoadedComponent, VariableRef } from './types.js';

/** What DeviceModel.open takes: the store, the station, its loaded configuration and start-up values. */
export interface OpenDeviceModelOptions {
  store: StationDatabase;
  stationId: string;
  /** From {@link loadComponentConfig}. */
  components: readonly LoadedComponent[];
  /** Start-up configuration (CLI `--set`, host): applied over config, CSMS and host values, any mutability. */
  overrides?: ReadonlyArray<{ ref: VariableRef; value: string }>;
  /** RFC 3339 clock for `updated_at`. */
  now?: () => string;
  /** Variables answered RebootRequired when the CSMS changes them; default {@link REBOOT_REQUIRED_VARIABLES}. */
  rebootRequired?: readonly RebootRequiredVariable[];
  /** Receives open-time warnings (dropped CSMS/host values) and errors thrown by change listeners. */
  onWarning?: (message: string) => void;
}
