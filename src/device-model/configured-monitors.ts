/**
 * Hard-wired and preconfigured monitors of the component configuration (N03, N07, N08): the
 * `monitors` array of a variable, in EVerest libocpp's format (`type`, `value`, `severity`,
 * `transaction`, `config_type`, `reference_value`) plus an optional `id`. Checked like a
 * SetVariableMonitoringRequest would be (N04.FR.05/06/10/14), so that the station never holds a
 * monitor the CSMS could not have set.
 */
import type { MonitorEnumType, VariableCharacteristicsType } from '../generated/ocpp-types.js';
import type { DeviceModelConfigIssue } from './errors.js';
import { formatComponentPath } from './keys.js';
import type { ConfiguredMonitor, LoadedComponent } from './types.js';

/** The raw shape the schema guarantees. */
export interface RawMonitor {
  id?: number;
  type: MonitorEnumType;
  value: number;
  severity: number;
  transaction?: boolean;
  config_type: 'HardWiredMonitor' | 'PreconfiguredMonitor';
  reference_value?: string | number | boolean;
}

/** Placeholder id of a monitor whose config gives none; {@link numberMonitors} replaces it. */
const UNNUMBERED = -1;

/**
 * The problem with a monitor of this type and value on a variable with these characteristics, or
 * undefined when it can be set: the rules of N04.FR.05 (type), N04.FR.06 (threshold within
 * minLimit..maxLimit, errata 2025-01), N04.FR.14 (no negative Delta) and a positive period (N08).
 *
 * @example
 * monitorProblem('UpperThreshold', 30, { dataType: 'boolean', supportsMonitoring: true });
 * // 'a threshold needs a numeric variable (dataType boolean)'
 */
export function monitorProblem(
  type: MonitorEnumType,
  value: number,
  characteristics: VariableCharacteristicsType,
): { status: 'UnsupportedMonitorType' | 'Rejected'; message: string } | undefined {
  const { dataType, supportsMonitoring, minLimit, maxLimit } = characteristics;
  if (!supportsMonitoring)
    return { status: 'UnsupportedMonitorType', message: 'the variable does not support monitoring' };
  const numeric = dataType === 'integer' || dataType === 'decimal';
  if (type === 'UpperThreshold' || type === 'LowerThreshold') {
    if (!numeric) {
      return {
        status: 'UnsupportedMonitorType',
        message: `a threshold needs a numeric variable (dataType ${dataType})`,
      };
    }
    // N04.FR.06 (errata 2025-01): within minLimit..maxLimit of the variable.
    if ((minLimit !== undefined && value < minLimit) || (maxLimit !== undefined && value > maxLimit)) {
      return {
        status: 'Rejected',
        message: `threshold ${value} is outside the variable's range ${minLimit ?? '-∞'}..${maxLimit ?? '∞'}`,
      };
    }
  }
  // N04.FR.14
  if (type === 'Delta' && value < 0)
    return { status: 'Rejected', message: `a Delta cannot be negative (${value})` };
  if ((type === 'Periodic' || type === 'PeriodicClockAligned') && !(value >= 1)) {
    return { status: 'Rejected', message: `a period must be at least 1 second (${value})` };
  }
  return undefined;
}

/**
 * The configured monitors of one variable; `problem` receives what is wrong with each bad one.
 *
 * @example
 * loadMonitors([{ type: 'UpperThreshold', value: 60, severity: 2, config_type: 'HardWiredMonitor' }], characteristics, console.error);
 */
export function loadMonitors(
  raw: readonly RawMonitor[],
  characteristics: VariableCharacteristicsType,
  problem: (message: string) => void,
): ConfiguredMonitor[] {
  const out: ConfiguredMonitor[] = [];
  for (const [i, monitor] of raw.entries()) {
    const wrong = monitorProblem(monitor.type, monitor.value, characteristics);
    if (wrong !== undefined) {
      problem(`monitors[${i}] (${monitor.type}): ${wrong.message}`);
      continue;
    }
    // N04.FR.10: one monitor per type and severity on a variable.
    if (out.some((m) => m.type === monitor.type && m.severity === monitor.severity)) {
      problem(`monitors[${i}]: a second ${monitor.type} monitor with severity ${monitor.severity}`);
      continue;
    }
    out.push({
      id: monitor.id ?? UNNUMBERED,
      type: monitor.type,
      value: monitor.value,
      severity: monitor.severity,
      transaction: monitor.transaction ?? false,
      kind: monitor.config_type,
    });
  }
  return out;
}

/**
 * Gives every configured monitor its id: a configured id stays (one used twice is an issue, except
 * in the EVSE/connector copies made from one template file, which are renumbered); the others are
 * numbered after the largest configured id, in component order.
 *
 * @example
 * numberMonitors(components, issues);
 */
export function numberMonitors(
  components: readonly LoadedComponent[],
  issues: DeviceModelConfigIssue[],
): void {
  const all = components.flatMap((component) =>
    component.variables.flatMap((variable) =>
      (variable.monitors ?? []).map((monitor) => ({ component, variable, monitor })),
    ),
  );
  const owner = new Map<number, string>();
  let next = 1 + Math.max(0, ...all.map((m) => m.monitor.id));
  for (const { component, variable, monitor } of all) {
    if (monitor.id === UNNUMBERED) continue;
    const file = owner.get(monitor.id);
    if (file === undefined) owner.set(monitor.id, component.file);
    else if (file === component.file) monitor.id = UNNUMBERED;
    else {
      issues.push({
        file: component.file,
        location: `${formatComponentPath(component)}.${variable.name}`,
        message: `monitor id ${monitor.id} is also used in ${file}`,
      });
    }
  }
  for (const { monitor } of all) if (monitor.id === UNNUMBERED) monitor.id = next++;
}
