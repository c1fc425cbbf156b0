/**
 * N02 GetMonitoringReport, pure: the monitors a request selects (monitoringCriteria,
 * componentVariable) grouped per component/variable as MonitoringDataType, and their split into
 * NotifyMonitoringReportRequest parts within the report limits.
 */
import { Buffer } from 'node:buffer';
import type {
  ComponentVariableType,
  GetMonitoringReportRequest,
  MonitoringCriterionEnumType,
  MonitoringDataType,
  NotifyMonitoringReportRequest,
  VariableMonitoringType,
} from '../generated/ocpp-types.js';
import type { Monitor } from './monitor-types.js';
import { sameVariable } from './set-monitoring-check.js';

const CRITERIA: Record<MonitoringCriterionEnumType, ReadonlyArray<Monitor['type']>> = {
  ThresholdMonitoring: ['UpperThreshold', 'LowerThreshold'], // N02.FR.12
  DeltaMonitoring: ['Delta'], // N02.FR.13
  PeriodicMonitoring: ['Periodic', 'PeriodicClockAligned'], // N02.FR.14
};

const same = (a: string | undefined, b: string | undefined) => a?.toLowerCase() === b?.toLowerCase();

/**
 * Does one componentVariable of a request select this monitor? Name always; instance, EVSE,
 * connector and variable only when the request gives them (N02.FR.16–21); a request for an EVSE
 * also selects the station-level component of that name (N02.FR.19).
 *
 * @example
 * selects({ component: { name: 'EVSE' } }, monitor); // true for a monitor on any EVSE's variables
 */
export function selects(
  filter: ComponentVariableType,
  monitor: Pick<Monitor, 'component' | 'variable'>,
): boolean {
  const { component, variable } = filter;
  const m = monitor.component;
  if (!same(component.name, m.name)) return false;
  if (component.instance !== undefined && !same(component.instance, m.instance)) return false;
  if (component.evse !== undefined && m.evse !== undefined) {
    if (component.evse.id !== m.evse.id) return false;
    if (component.evse.connectorId !== undefined && component.evse.connectorId !== m.evse.connectorId)
      return false;
  }
  if (variable === undefined) return true;
  if (!same(variable.name, monitor.variable.name)) return false;
  return variable.instance === undefined || same(variable.instance, monitor.variable.instance);
}

/**
 * The report data of a request over `monitors` (active ones), grouped per component/variable in
 * the order of the monitors: all monitors when neither filter is given (N02.FR.11), else those both
 * given filters select (N02.FR.05/06/08).
 *
 * @example
 * monitoringReportData(monitors, { requestId: 1, monitoringCriteria: ['DeltaMonitoring'] });
 */
export function monitoringReportData(
  monitors: readonly Monitor[],
  request: Pick<GetMonitoringReportRequest, 'monitoringCriteria' | 'componentVariable'>,
): MonitoringDataType[] {
  const types = request.monitoringCriteria?.flatMap((c) => CRITERIA[c]);
  const chosen = monitors.filter(
    (m) =>
      (types === undefined || types.includes(m.type)) &&
      (request.componentVariable === undefined || request.componentVariable.some((f) => selects(f, m))),
  );
  const groups: Array<{ monitor: Monitor; entries: VariableMonitoringType[] }> = [];
  for (const m of chosen) {
    const entry: VariableMonitoringType = {
      id: m.id,
      transaction: m.transaction,
      value: m.value,
      type: m.type,
      severity: m.severity,
    };
    const group = groups.find((g) => sameVariable(m.component, m.variable, g.monitor));
    if (group) group.entries.push(entry);
    else groups.push({ monitor: m, entries: [entry] });
  }
  return groups.map(({ monitor, entries: [first, ...rest] }) => ({
    component: monitor.component,
    variable: monitor.variable,
    variableMonitoring: [first!, ...rest],
  }));
}

/** Options of {@link splitMonitoringReport}. */
export interface MonitoringReportSplitOptions {
  requestId: number;
  generatedAt: string;
  /** Most `monitor` entries per message (ItemsPerMessage GetReport); unlimited when absent. */
  itemsPerMessage?: number | undefined;
  /** Most bytes of the whole CALL frame (BytesPerMessage GetReport); unlimited when absent. */
  bytesPerMessage?: number | undefined;
}

/**
 * Packs report data greedily, in order, into NotifyMonitoringReportRequests: same requestId and
 * generatedAt, seqNo 0, 1, ... (N02.FR.04/09), tbc on all but the last. An entry too large to fit
 * alone is sent alone. No data gives one message without `monitor`.
 *
 * @example
 * splitMonitoringReport(data, { requestId: 3, generatedAt: now, itemsPerMessage: 2 }).map((p) => p.seqNo); // [0, 1, ...]
 */
export function splitMonitoringReport(
  data: readonly MonitoringDataType[],
  options: MonitoringReportSplitOptions,
): NotifyMonitoringReportRequest[] {
  const { requestId, generatedAt, itemsPerMessage, bytesPerMessage } = options;
  const overhead = (seqNo: number) =>
    Buffer.byteLength(
      JSON.stringify([
        2,
        'x'.repeat(36),
        'NotifyMonitoringReport',
        { requestId, generatedAt, seqNo, tbc: false, monitor: [] },
      ]),
    );
  const groups: MonitoringDataType[][] = [];
  let group: MonitoringDataType[] = [];
  let bytes = overhead(0);
  for (const entry of data) {
    const size = Buffer.byteLength(JSON.stringify(entry)) + (group.length > 0 ? 1 : 0);
    const full =
      (itemsPerMessage !== undefined && group.length >= Math.max(1, itemsPerMessage)) ||
      (bytesPerMessage !== undefined && group.length > 0 && bytes + size > bytesPerMessage);
    if (full) {
      groups.push(group);
      group = [];
      bytes = overhead(groups.length);
    }
    bytes += Buffer.byteLength(JSON.stringify(entry)) + (group.length > 0 ? 1 : 0);
    group.push(entry);
  }
  if (group.length > 0 || groups.length === 0) groups.push(group);
  return groups.map(([first, ...rest], seqNo) => {
    const part: NotifyMonitoringReportRequest = {
      requestId,
      generatedAt,
      seqNo,
      tbc: seqNo < groups.length - 1,
    };
    if (first !== undefined) part.monitor = [first, ...rest];
    return part;
  });
}
