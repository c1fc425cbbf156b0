/**
 * The CSMS's monitoring requests on the station's monitors: SetVariableMonitoring (N04),
 * ClearVariableMonitoring (N06), SetMonitoringBase (N03), SetMonitoringLevel (N05) and the data of
 * GetMonitoringReport (N02). Each runs in the monitors' serial chain and stores its result before
 * it answers; what it makes fire is returned to be reported after the response.
 */
import type {
  ClearMonitoringResultType,
  ClearVariableMonitoringRequest,
  ClearVariableMonitoringResponse,
  GenericDeviceModelStatusEnumType,
  GetMonitoringReportRequest,
  MonitoringBaseEnumType,
  MonitoringDataType,
  SetMonitoringBaseResponse,
  SetMonitoringLevelResponse,
  SetMonitoringResultType,
  SetVariableMonitoringRequest,
  SetVariableMonitoringResponse,
} from '../generated/ocpp-types.js';
import { OcppRpcError } from '../rpc/errors.js';
import type { VariableRef } from '../runtime/ports.js';
import { monitoringReportData } from './monitoring-report.js';
import { LOWEST_SEVERITY, type Monitor } from './monitor-types.js';
import { fromConfig } from './reconcile-monitors.js';
import { checkSetMonitoring } from './set-monitoring-check.js';
import { MONITORING_VARIABLES, StationMonitoring } from './station-monitoring.js';

/** A response and the reports to make once it is on the wire. */
export interface WithFollowUp<T> {
  response: T;
  afterResponse: Array<() => void>;
}

/** A request's items and received bytes against ItemsPerMessage/BytesPerMessage of one instance. */
function enforceLimits(
  limits: { items?: number | undefined; bytes?: number | undefined },
  what: string,
  items: number,
  bytes: number | undefined,
): void {
  if (limits.items !== undefined && items > limits.items) {
    throw new OcppRpcError(
      'OccurrenceConstraintViolation',
      `${what} has ${items} elements, more than ItemsPerMessage (${limits.items})`,
    );
  }
  if (limits.bytes !== undefined && bytes !== undefined && bytes > limits.bytes) {
    throw new OcppRpcError(
      'FormatViolation',
      `${what} is ${bytes} bytes, more than BytesPerMessage (${limits.bytes})`,
    );
  }
}

/**
 * The station's monitors with the CSMS's requests on them.
 *
 * @example
 * const { response, afterResponse } = await monitoring.setVariableMonitoring(request, 412);
 */
export class MonitoringService extends StationMonitoring {
  /** N04: one result per element, in order (N04.FR.01/02); accepted monitors are stored and evaluated. */
  setVariableMonitoring(
    request: SetVariableMonitoringRequest,
    messageBytes?: number,
  ): Promise<WithFollowUp<SetVariableMonitoringResponse>> {
    // N04.FR.09: ItemsPerMessage / BytesPerMessage SetVariableMonitoring.
    enforceLimits(
      this.limits('SetVariableMonitoring'),
      'SetVariableMonitoringRequest',
      request.setMonitoringData.length,
      messageBytes,
    );
    return this.serial(async () => {
      const dm = this.options.deviceModel;
      const pending: Monitor[] = [];
      const removed: number[] = [];
      const results = request.setMonitoringData.map((data): SetMonitoringResultType => {
        const result: SetMonitoringResultType = {
          status: 'Rejected',
          type: data.type,
          severity: data.severity,
          component: data.component,
          variable: data.variable,
        };
        const target = dm.monitorTarget?.(data.component, data.variable) ?? {
          status: 'UnknownComponent' as const,
        };
        const verdict = checkSetMonitoring(data, target, this.list());
        result.status = verdict.status;
        if (verdict.status !== 'Accepted') {
          if (verdict.statusInfo !== undefined) result.statusInfo = verdict.statusInfo;
          if (data.id !== undefined) result.id = data.id;
          return result;
        }
        const old = verdict.replaces;
        // N04.FR.11: a new monitor gets the next free id.
        const id = old?.id ?? this.nextId();
        const monitor: Monitor = {
          id,
          // N04.FR.15: a replaced preconfigured monitor is a custom one until SetMonitoringBase.
          kind: 'CustomMonitor',
          origin: old?.origin ?? null,
          active: true,
          component: verdict.target.component,
          variable: verdict.target.variable,
          type: data.type,
          value: data.value,
          severity: data.severity,
          transaction: data.transaction ?? false,
          // N07.FR.11: a changed threshold compares its state before with the value now.
          exceeded: old !== undefined && old.type === data.type ? old.exceeded : false,
          reference: null,
          nextAt: null,
        };
        this.monitors.set(id, monitor);
        pending.push(monitor);
        result.id = id;
        return result;
      });
      const fires = pending.map((m) => this.evaluateNow(m));
      await this.store.write(pending, removed, this.options.clock.nowIso());
      for (const m of pending) this.rearm(m);
      const [first, ...rest] = results;
      return {
        response: { setMonitoringResult: [first!, ...rest] },
        afterResponse: fires.filter((f): f is () => void => f !== undefined),
      };
    });
  }

  /**
   * N06: per id (N06.FR.05) Accepted, NotFound (N06.FR.02) or Rejected for a hard-wired monitor
   * (N06.FR.03). A configured preconfigured monitor is switched off (SetMonitoringBase brings it
   * back); a removed threshold sends no cleared event (N07.FR.12).
   */
  clearVariableMonitoring(
    request: ClearVariableMonitoringRequest,
    messageBytes?: number,
  ): Promise<ClearVariableMonitoringResponse> {
    // N06.FR.06/07
    enforceLimits(
      this.limits('ClearVariableMonitoring'),
      'ClearVariableMonitoringRequest',
      request.id.length,
      messageBytes,
    );
    return this.serial(async () => {
      const save: Monitor[] = [];
      const remove: number[] = [];
      const results = request.id.map((id): ClearMonitoringResultType => {
        const m = this.monitors.get(id);
        if (m === undefined || !m.active || save.includes(m)) return { id, status: 'NotFound' };
        if (m.kind === 'HardWiredMonitor') {
          return {
            id,
            status: 'Rejected',
            statusInfo: { reasonCode: 'ReadOnly', additionalInfo: 'a hard-wired monitor cannot be cleared' },
          };
        }
        const restored = this.restored(m, false);
        if (restored === undefined) {
          this.monitors.delete(id);
          remove.push(id);
        } else save.push(restored);
        this.disarm(id);
        return { id, status: 'Accepted' };
      });
      await this.store.write(save, remove, this.options.clock.nowIso());
      const [first, ...rest] = results;
      return { clearMonitoringResult: [first!, ...rest] };
    });
  }

  /**
   * N03 (errata 2025-01 remark): All activates every preconfigured monitor and keeps the custom
   * ones (N03.FR.03); FactoryDefault removes the custom ones and restores every preconfigured one
   * (N03.FR.04); HardWiredOnly removes the custom ones and switches the preconfigured ones off
   * (N03.FR.05). ActiveMonitoringBase reports the base.
   */
  setMonitoringBase(base: MonitoringBaseEnumType): Promise<WithFollowUp<SetMonitoringBaseResponse>> {
    return this.serial(async () => {
      const save: Monitor[] = [];
      const remove: number[] = [];
      for (const m of [...this.monitors.values()]) {
        if (m.kind === 'HardWiredMonitor') continue;
        const custom = m.origin === null;
        const replaced = m.kind === 'CustomMonitor';
        if (base === 'All') {
          if (!custom && !replaced && !m.active) save.push(this.restored(m, true)!);
          continue;
        }
        if (custom) {
          this.monitors.delete(m.id);
          this.disarm(m.id);
          remove.push(m.id);
          continue;
        }
        const active = base === 'FactoryDefault';
        if (replaced || m.active !== active) save.push(this.restored(m, active)!);
      }
      const fires = save.filter((m) => m.active).map((m) => this.evaluateNow(m));
      await this.store.write(save, remove, this.options.clock.nowIso());
      for (const m of save) this.rearm(m);
      await this.setHostValue(MONITORING_VARIABLES.base, base);
      return {
        response: { status: 'Accepted' },
        afterResponse: fires.filter((f): f is () => void => f !== undefined),
      };
    });
  }

  /** N05: severity 0..9 is Accepted and reported as ActiveMonitoringLevel (N05.FR.01/03), else Rejected (N05.FR.02). */
  setMonitoringLevel(severity: number): Promise<SetMonitoringLevelResponse> {
    return this.serial(async () => {
      if (!Number.isInteger(severity) || severity < 0 || severity > LOWEST_SEVERITY) {
        return {
          status: 'Rejected',
          statusInfo: { reasonCode: 'ValueOutOfRange', additionalInfo: `severity ${severity} is not 0..9` },
        };
      }
      const status = await this.setHostValue(MONITORING_VARIABLES.level, String(severity));
      return status
        ? { status: 'Accepted' }
        : {
            status: 'Rejected',
            statusInfo: {
              reasonCode: 'InternalError',
              additionalInfo: 'MonitoringCtrlr.ActiveMonitoringLevel cannot be set',
            },
          };
    });
  }

  /**
   * N02: the status and data of a GetMonitoringReport: EmptyResultSet when nothing is selected
   * (N02.FR.10), else Accepted (N02.FR.01). More componentVariables than ItemsPerMessage GetReport
   * is a CALLERROR (N02.FR.07).
   */
  monitoringReport(request: GetMonitoringReportRequest): {
    status: GenericDeviceModelStatusEnumType;
    data: MonitoringDataType[];
  } {
    // N02.FR.07 limits the componentVariables by ItemsPerMessage GetReport (bytes: no requirement).
    enforceLimits(
      { items: this.reportLimits().items },
      'GetMonitoringReportRequest',
      request.componentVariable?.length ?? 0,
      undefined,
    );
    const data = monitoringReportData(this.list(), request);
    return { status: data.length === 0 ? 'EmptyResultSet' : 'Accepted', data };
  }

  /** ItemsPerMessage / BytesPerMessage GetReport: the limits of a report's parts too. */
  reportLimits(): { items?: number | undefined; bytes?: number | undefined } {
    const read = (variable: string) =>
      this.integer({ component: 'DeviceDataCtrlr', variable, variableInstance: 'GetReport' });
    return { items: read('ItemsPerMessage'), bytes: read('BytesPerMessage') };
  }

  private limits(instance: 'SetVariableMonitoring' | 'ClearVariableMonitoring') {
    const read = (variable: string) =>
      this.integer({ component: 'MonitoringCtrlr', variable, variableInstance: instance });
    return { items: read('ItemsPerMessage'), bytes: read('BytesPerMessage') };
  }

  private integer(ref: VariableRef): number | undefined {
    try {
      return this.options.deviceModel.getInteger(ref);
    } catch {
      return undefined;
    }
  }

  /** A configured monitor as the configuration has it (active or not); undefined for a custom one. */
  private restored(m: Monitor, active: boolean): Monitor | undefined {
    const at = this.options.deviceModel.configuredMonitors?.find((c) => c.monitor.id === m.id);
    if (m.origin === null || at === undefined) return undefined;
    const fresh = fromConfig(at, active);
    this.monitors.set(fresh.id, fresh);
    return fresh;
  }

  private nextId(): number {
    return 1 + Math.max(0, ...this.monitors.keys());
  }

  private async setHostValue(ref: VariableRef, value: string): Promise<boolean> {
    try {
      const status = await this.options.deviceModel.set(ref, value, 'host');
      return status === 'Accepted' || status === 'RebootRequired';
    } catch (error) {
      this.options.reportError(error);
      return false;
    }
  }
}
