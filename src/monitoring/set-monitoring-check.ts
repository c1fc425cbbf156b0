/**
 * N04 SetVariableMonitoring: the result status of one SetMonitoringData against the device model and
 * the monitors installed, pure. The order of the checks follows the requirements: the variable
 * (N04.FR.03/04), the monitor type and value (N04.FR.05/06/14), the id (N04.FR.13/16/18), duplicates
 * (N04.FR.10), capacity.
 */
import { monitorProblem, type MonitorTarget } from '../device-model/index.js';
import { componentKey, variableKey } from '../device-model/keys.js';
import type {
  ComponentType,
  SetMonitoringDataType,
  SetMonitoringStatusEnumType,
  StatusInfoType,
  VariableType,
} from '../generated/ocpp-types.js';
import { LOWEST_SEVERITY, type Monitor } from './monitor-types.js';

/** Most monitors a station holds (configured ones included); OCPP 2.0.1 has no variable for it. */
export const MAX_MONITORS = 1000;

/** The verdict on one SetMonitoringData. */
export type SetMonitoringVerdict =
  | { status: Exclude<SetMonitoringStatusEnumType, 'Accepted'>; statusInfo?: StatusInfoType }
  | { status: 'Accepted'; target: Extract<MonitorTarget, { status: 'Found' }>; replaces?: Monitor };

/**
 * Whether two monitors watch the same variable (names case-insensitive, Part 2 §2.16).
 *
 * @example
 * sameVariable({ name: 'EVSE', evse: { id: 1 } }, { name: 'Power' }, monitor); // true when monitor watches EVSE@1.Power
 */
export function sameVariable(
  component: ComponentType,
  variable: VariableType,
  monitor: Pick<Monitor, 'component' | 'variable'>,
): boolean {
  const c = (x: ComponentType) => componentKey(x.name, x.instance, x.evse?.id, x.evse?.connectorId);
  const v = (x: VariableType) => variableKey(x.name, x.instance);
  return c(component) === c(monitor.component) && v(variable) === v(monitor.variable);
}

const info = (reasonCode: string, additionalInfo: string): StatusInfoType => ({
  reasonCode,
  additionalInfo: additionalInfo.slice(0, 512),
});

/**
 * The verdict on `data`, given the variable it addresses and the active monitors (those accepted
 * earlier in the same request included).
 *
 * @example
 * checkSetMonitoring({ value: 60, type: 'UpperThreshold', severity: 2, component: { name: 'X' }, variable: { name: 'Y' } },
 *   { status: 'UnknownComponent' }, []); // { status: 'UnknownComponent' }
 */
export function checkSetMonitoring(
  data: SetMonitoringDataType,
  target: MonitorTarget,
  monitors: readonly Monitor[],
): SetMonitoringVerdict {
  if (target.status !== 'Found') return { status: target.status };
  if (target.mutability === undefined) {
    return {
      status: 'UnsupportedMonitorType',
      statusInfo: info('UnsupportedParam', 'the variable has no Actual attribute'),
    };
  }
  const problem = monitorProblem(data.type, data.value, target.characteristics);
  if (problem !== undefined) {
    return {
      status: problem.status,
      statusInfo: info(
        problem.status === 'Rejected' ? 'ValueOutOfRange' : 'UnsupportedParam',
        problem.message,
      ),
    };
  }
  if (!Number.isInteger(data.severity) || data.severity < 0 || data.severity > LOWEST_SEVERITY) {
    return {
      status: 'Rejected',
      statusInfo: info('ValueOutOfRange', `severity ${data.severity} is not 0..9`),
    };
  }
  let replaces: Monitor | undefined;
  if (data.id !== undefined) {
    replaces = monitors.find((m) => m.id === data.id);
    // N04.FR.13
    if (replaces === undefined)
      return { status: 'Rejected', statusInfo: info('InvalidValue', `no monitor with id ${data.id}`) };
    // N04.FR.18
    if (replaces.kind === 'HardWiredMonitor') {
      return { status: 'Rejected', statusInfo: info('ReadOnly', `monitor ${data.id} is hard-wired`) };
    }
    // N04.FR.16
    if (!sameVariable(target.component, target.variable, replaces)) {
      return {
        status: 'Rejected',
        statusInfo: info('InvalidValue', `monitor ${data.id} watches another component/variable`),
      };
    }
  }
  // N04.FR.10: no two monitors of one type and severity on a variable.
  const duplicate = monitors.find(
    (m) =>
      m.id !== data.id &&
      m.type === data.type &&
      m.severity === data.severity &&
      sameVariable(target.component, target.variable, m),
  );
  if (duplicate !== undefined) return { status: 'Duplicate' };
  if (replaces === undefined && monitors.length >= MAX_MONITORS) {
    return {
      status: 'Rejected',
      statusInfo: info('NoCapacity', `the station holds at most ${MAX_MONITORS} monitors`),
    };
  }
  return replaces === undefined ? { status: 'Accepted', target } : { status: 'Accepted', target, replaces };
}
