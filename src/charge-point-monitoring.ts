/**
 * The host's side of monitoring (N02–N08) on the ChargePoint facade: report a variable's value or
 * a hardware problem the way the hardware sees it, so that the monitors evaluate it, and read or
 * fire the installed monitors. Every change of a value reaches the monitors through the device
 * model's change listeners, whoever makes it (the CSMS, the host, the station itself).
 */
import { ChargePointSessions } from './charge-point-sessions.js';
import type { DeviceModel } from './device-model/index.js';
import type { SetVariableDataType, SetVariableStatusEnumType } from './generated/ocpp-types.js';
import type { MonitorNotice } from './monitoring/station-monitoring.js';
import type { Monitor } from './monitoring/monitor-types.js';
import type { VariableRef } from './runtime/ports.js';

/** The address of a component (a {@link VariableRef} without the variable). */
export type ComponentRef = Omit<VariableRef, 'variable' | 'variableInstance' | 'attribute'>;

/**
 * The monitoring part of {@link ChargePoint} (a base class, like ChargePointSessions).
 *
 * @example
 * await chargePoint.setVariableFromHost({ component: 'ChargingStation', variable: 'Temperature' }, '65');
 */
export abstract class ChargePointMonitoring extends ChargePointSessions {
  abstract get deviceModel(): DeviceModel;

  /**
   * The hardware reports a variable's value (libocpp's device model writes from the host): stored
   * as a host value (ReadOnly attributes included), and every monitor on it evaluates it (N07).
   * Returns the status of the write; Rejected values (not of the variable's type) change nothing.
   *
   * @example
   * await station.setVariableFromHost({ component: 'ChargingStation', variable: 'Temperature' }, '71.5');
   */
  setVariableFromHost(ref: VariableRef, value: string): Promise<SetVariableStatusEnumType> {
    return this.deviceModel.set(ref, value, 'host');
  }

  /**
   * libocpp's `on_variable_changed`: the host changed a variable locally, given as SetVariableData
   * (attributeType defaults to Actual). The same as {@link setVariableFromHost}: stored as the
   * host's value, and the monitors on it evaluate it.
   *
   * @example
   * await station.onVariableChanged({ component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' }, attributeValue: '7200' });
   */
  onVariableChanged(data: SetVariableDataType): Promise<SetVariableStatusEnumType> {
    const { component, variable } = data;
    const ref: VariableRef = {
      component: component.name,
      variable: variable.name,
      attribute: data.attributeType ?? 'Actual',
    };
    if (component.instance !== undefined) ref.componentInstance = component.instance;
    if (component.evse !== undefined) ref.evseId = component.evse.id;
    if (component.evse?.connectorId !== undefined) ref.connectorId = component.evse.connectorId;
    if (variable.instance !== undefined) ref.variableInstance = variable.instance;
    return this.setVariableFromHost(ref, data.attributeValue);
  }

  /**
   * A hardware problem appears (or is gone: `problem` false) on a component: its `Problem`
   * variable becomes true (false), which its monitors report (e.g. the preconfigured Delta
   * monitor on ChargingStation.Problem of the example configuration). Returns the write's status
   * (UnknownComponent / UnknownVariable when the component has no Problem variable).
   *
   * @example
   * await station.onHardwareProblem({ component: 'ChargingStation' }, true);
   */
  onHardwareProblem(component: ComponentRef, problem: boolean): Promise<SetVariableStatusEnumType> {
    return this.setVariableFromHost({ ...component, variable: 'Problem' }, String(problem));
  }

  /**
   * The active monitors (hard-wired, preconfigured and custom), by id; empty before start.
   *
   * @example
   * station.monitors().map((m) => `${m.id} ${m.kind} ${m.type}`);
   */
  monitors(): Monitor[] {
    return this.running?.monitoring.list() ?? [];
  }

  /**
   * Fires an active monitor now, as if its condition occurred (a hard-wired monitor's test, CLI
   * `monitor trigger`): NotifyEvent with its trigger and the variable's value, subject to the
   * monitoring level and offline rules. Undefined when no active monitor has this id.
   *
   * @example
   * (await station.triggerMonitor(1))?.delivery; // 'queued'
   */
  triggerMonitor(id: number): Promise<MonitorNotice | undefined> {
    return this.station.monitoring.trigger(id);
  }

  /**
   * Calls `listener` with every fired monitor (what NotifyEvent says and whether it was sent,
   * queued, filtered by the monitoring level or dropped offline). Returns the unsubscribe function.
   *
   * @example
   * const off = station.onMonitorEvent(({ request, delivery }) => console.log(request.eventData[0].trigger, delivery));
   */
  onMonitorEvent(listener: (notice: MonitorNotice) => void): () => void {
    return this.station.monitoring.onNotice(listener);
  }
}
