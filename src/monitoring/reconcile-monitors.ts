/**
 * At start, the stored monitors meet the configuration (pure): configured monitors keep their
 * stored state (an exceeded threshold still clears after a reboot, N07.FR.14) and take the
 * configured settings unless the CSMS replaced them (N04.FR.15); monitors of the configuration that
 * are gone are removed, and so are custom monitors whose variable is gone or no longer takes them
 * (N04 remark: "persistent ... if the monitored variable still exists and it is still monitor-able").
 */
import { monitorProblem, type ConfiguredMonitorAt, type MonitorTarget } from '../device-model/index.js';
import type { ComponentType, MonitoringBaseEnumType, VariableType } from '../generated/ocpp-types.js';
import type { Monitor } from './monitor-types.js';
import { sameVariable } from './set-monitoring-check.js';

/**
 * The monitor a configured one is when (re)activated from the configuration, with fresh state.
 *
 * @example
 * fromConfig(configured[0], true).kind; // 'HardWiredMonitor'
 */
export function fromConfig(at: ConfiguredMonitorAt, active: boolean): Monitor {
  const { monitor } = at;
  return {
    id: monitor.id,
    kind: monitor.kind,
    origin: monitor.kind,
    active,
    component: at.component,
    variable: at.variable,
    type: monitor.type,
    value: monitor.value,
    severity: monitor.severity,
    transaction: monitor.transaction,
    exceeded: false,
    reference: null,
    nextAt: null,
  };
}

const sameSettings = (a: Monitor, b: Monitor) =>
  a.type === b.type && a.value === b.value && a.severity === b.severity && a.transaction === b.transaction;

/**
 * The monitors to hold after a start, and the stored ids to delete. `base` is the active
 * MonitoringBase: under HardWiredOnly a newly configured preconfigured monitor starts switched off.
 *
 * @example
 * const { monitors, removed } = reconcileMonitors(await store.load(), model.configuredMonitors, (c, v) => model.monitorTarget(c, v), 'All');
 */
export function reconcileMonitors(
  stored: readonly Monitor[],
  configured: readonly ConfiguredMonitorAt[],
  targetOf: (component: ComponentType, variable: VariableType) => MonitorTarget,
  base: MonitoringBaseEnumType,
): { monitors: Monitor[]; removed: number[] } {
  const byId = new Map(stored.map((m) => [m.id, m]));
  const monitors: Monitor[] = [];
  const removed = new Set<number>();
  const configuredIds = new Set(configured.map((c) => c.monitor.id));
  for (const at of configured) {
    const fresh = fromConfig(at, at.monitor.kind === 'HardWiredMonitor' || base !== 'HardWiredOnly');
    const row = byId.get(at.monitor.id);
    const ours =
      row !== undefined && row.origin === at.monitor.kind && sameVariable(at.component, at.variable, row);
    if (!ours) {
      monitors.push(fresh);
      continue;
    }
    byId.delete(row.id);
    // A replaced one stays as the CSMS set it; an unchanged one keeps its state; a changed one starts afresh.
    if (row.kind === 'CustomMonitor' || sameSettings(row, fresh)) {
      monitors.push({ ...row, component: at.component, variable: at.variable });
    } else {
      monitors.push({ ...fresh, active: row.active });
    }
  }
  let nextId = 1 + Math.max(0, ...configuredIds, ...stored.map((m) => m.id));
  for (const row of byId.values()) {
    if (row.origin !== null) {
      removed.add(row.id); // its configuration is gone
      continue;
    }
    const target = targetOf(row.component, row.variable);
    if (
      target.status !== 'Found' ||
      target.mutability === undefined ||
      monitorProblem(row.type, row.value, target.characteristics)
    ) {
      removed.add(row.id);
      continue;
    }
    if (configuredIds.has(row.id)) {
      // N04.FR.19: ids of custom monitors may change after a reboot; the configuration's id wins.
      removed.add(row.id);
      monitors.push({ ...row, id: nextId++ });
      continue;
    }
    monitors.push(row);
  }
  monitors.sort((a, b) => a.id - b.id);
  return { monitors, removed: [...removed] };
}
