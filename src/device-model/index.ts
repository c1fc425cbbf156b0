/** The device model (B05–B08): component config loading, the DeviceModel, reports and their splitting. */
export {
  DeviceModel,
  type DeviceModelChange,
  type DeviceModelValidator,
  type OpenDeviceModelOptions,
} from './device-model.js';
export { DeviceModelConfigError, DeviceModelWarning, type DeviceModelConfigIssue } from './errors.js';
export {
  loadComponentConfig,
  type ComponentConfigFile,
  type ComponentConfigSource,
  type LoadComponentConfigOptions,
} from './load-component-config.js';
export type { EvseStructureFit } from './evse-structure.js';
export { splitNotifyReport, type NotifyReportSplitOptions } from './notify-report.js';
export { REBOOT_REQUIRED_VARIABLES, type RebootRequiredVariable } from './reboot-required.js';
export {
  formatVariablePath,
  parseSetArgument,
  parseVariablePath,
  VariablePathError,
} from './variable-path.js';
export { monitorProblem } from './configured-monitors.js';
export type { ConfiguredMonitorAt, MonitorTarget } from './monitor-target.js';
export type {
  ConfiguredMonitor,
  EvseStructure,
  LoadedAttribute,
  LoadedComponent,
  LoadedVariable,
  ValueSource,
  VariableRef,
} from './types.js';
