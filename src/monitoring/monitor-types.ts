/**
 * A variable monitor as the station holds it (N02–N08): its settings (VariableMonitoringType), what
 * it is (hard-wired, preconfigured, custom) and its evaluation state, all persisted
 * (migrations/0012_monitoring.ts).
 */
import type { ComponentType, MonitorEnumType, VariableType } from '../generated/ocpp-types.js';

/** EventNotificationEnumType without HardWiredNotification (that is not a monitor). */
export type MonitorKind = 'HardWiredMonitor' | 'PreconfiguredMonitor' | 'CustomMonitor';

export interface Monitor {
  /** variableMonitoringId. */
  id: number;
  /** What it is now: a preconfigured monitor the CSMS replaced is a CustomMonitor (N04.FR.15). */
  kind: MonitorKind;
  /** The kind it has in the configuration; null for a monitor the CSMS created. */
  origin: 'HardWiredMonitor' | 'PreconfiguredMonitor' | null;
  /** False for a preconfigured monitor switched off (SetMonitoringBase HardWiredOnly, ClearVariableMonitoring). */
  active: boolean;
  /** Names as configured in the device model. */
  component: ComponentType;
  variable: VariableType;
  type: MonitorEnumType;
  value: number;
  severity: number;
  /** Only while a transaction runs on the component's EVSE (or any, for a station component). */
  transaction: boolean;
  /** A threshold monitor whose threshold is crossed now (a cleared event follows when it returns, N07.FR.02). */
  exceeded: boolean;
  /** The value a Delta monitor compares with: when it was set or last reported (N07.FR.18/19). */
  reference: string | null;
  /** RFC 3339: when a periodic monitor reports next (a persisted deadline, N08.FR.06/07). */
  nextAt: string | null;
}

/** What one evaluation asks to report: the NotifyEvent trigger and, for thresholds, cleared. */
export interface MonitorFiring {
  trigger: 'Alerting' | 'Delta' | 'Periodic';
  cleared?: boolean;
}

/** Highest (least severe) severity number, 9-Debug. */
export const LOWEST_SEVERITY = 9;
