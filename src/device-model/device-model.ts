/**
 * The station's device model (B05–B08): configured components and variables with their current
 * values, persisted in the `device_model` table and cached in memory for synchronous reads.
 */
import type {
  GenericDeviceModelStatusEnumType,
  GetReportRequest,
  GetVariableDataType,
  GetVariableResultType,
  GetVariablesRequest,
  GetVariablesResponse,
  ReportBaseEnumType,
  ReportDataType,
  SetVariableResultType,
  SetVariablesRequest,
  SetVariablesResponse,
  SetVariableStatusEnumType,
  StatusInfoType,
} from '../generated/ocpp-types.js';
import type { StationDatabase } from '../store/database.js';
import { DeviceModelConfigError, type DeviceModelConfigIssue } from './errors.js';
import { enforceMessageLimits, type LimitedRequest, type MessageLimits } from './message-limits.js';
import { ModelIndex, refOf, type AttributeState, type VariableState } from './model-index.js';
import { REBOOT_REQUIRED_VARIABLES, requiresReboot, type RebootRequiredVariable } from './reboot-required.js';
import { reconcile } from './reconcile.js';
import { baseReportData, customReportData, limitReported } from './reports.js';
import { csvEntries } from './value-check.js';
import { formatVariablePath } from './variable-path.js';
import { checkWrite, type WriteSource } from './write-check.js';
import type { LoadedComponent, VariableRef } from './types.js';
import { writeAttributes, replaceStationRows, type AttributeWrite } from './device-model-store.js';

/** A change of a value, reported after it is stored. */
export interface DeviceModelChange {
  ref: VariableRef;
  value: string;
  previous: string | undefined;
  source: 'host' | 'csms';
  /** The variable only takes the new value into effect after a reboot (answered RebootRequired). */
  rebootRequired: boolean;
}

/** A business rule on CSMS writes; `undefined` or Accepted lets the write through. */
export type DeviceModelValidator = (
  ref: VariableRef,
  value: string,
) => { status: SetVariableStatusEnumType; reasonCode?: string } | undefined;

export interface OpenDeviceModelOptions {
  store: StationDatabase;
  stationId: string;
  /** From {@link loadComponentConfig}. */
  components: readonly LoadedComponent[];
  /** Start-up configuration (CLI `--set`, host): applied over config and CSMS values, any mutability. */
  overrides?: ReadonlyArray<{ ref: VariableRef; value: string }>;
  /** RFC 3339 clock for `updated_at`. */
  now?: () => string;
  /** Variables answered RebootRequired when the CSMS changes them; default {@link REBOOT_REQUIRED_VARIABLES}. */
  rebootRequired?: readonly RebootRequiredVariable[];
  /** Receives open-time warnings (dropped CSMS values) and errors thrown by change listeners. */
  onWarning?: (message: string) => void;
}

type Outcome = { status: SetVariableStatusEnumType; value?: string; statusInfo?: StatusInfoType; rebootRequired?: boolean };

/** OCPP 2.0.1 limits: SetVariableData.attributeValue string[0..1000], reported values string[0..2500]. */
const MAX_SET_VALUE = 1000;
const MAX_REPORTED_VALUE = 2500;
const CRITERIA = ['Active', 'Available', 'Enabled', 'Problem'] as const;
/** StatusInfoType.additionalInfo is string[0..512]. */
const MAX_ADDITIONAL_INFO = 512;

function statusInfo(reasonCode: string, additionalInfo: string): StatusInfoType {
  return { reasonCode, additionalInfo: limitReported(additionalInfo, MAX_ADDITIONAL_INFO) };
}

/**
 * The device model of one station.
 *
 * @example
 * const store = await openStationDatabase('station.db');
 * const components = await loadComponentConfig('config/component-config', { evses });
 * const model = await DeviceModel.open({ store, stationId: 'CS-1', components });
 * model.getInteger({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }); // 1800
 * const response = await model.setVariables(request); // B05
 */
export class DeviceModel {
  /** Warnings of the last open (CSMS values that no longer fit the config and were dropped). */
  warnings: readonly string[] = [];
  private readonly listeners = new Set<(change: DeviceModelChange) => void>();
  private readonly validators: DeviceModelValidator[] = [];

  private constructor(
    private readonly store: StationDatabase,
    readonly stationId: string,
    private readonly index: ModelIndex,
    private readonly now: () => string,
    private readonly rebootList: readonly RebootRequiredVariable[],
    private readonly onWarning: (message: string) => void,
  ) {}

  /**
   * Opens the station's device model: validates the overrides (a bad one throws a
   * {@link DeviceModelConfigError} naming it, before the store is touched), then, in one
   * transaction, replaces the station's rows with the reconciled model (see {@link reconcile}:
   * overrides win, CSMS values survive while they fit, else config values).
   */
  static async open(options: OpenDeviceModelOptions): Promise<DeviceModel> {
    const now = options.now ?? (() => new Date().toISOString());
    const index = ModelIndex.build(options.components, now());
    const model = new DeviceModel(
      options.store,
      options.stationId,
      index,
      now,
      options.rebootRequired ?? REBOOT_REQUIRED_VARIABLES,
      options.onWarning ?? (() => undefined),
    );
    const overrides = model.resolveOverrides(options.overrides ?? []);
    const { db } = options.store;
    const stored = await db.selectFrom('device_model').selectAll().where('station_id', '=', options.stationId).execute();
    const maxValueLength = model.maxSetValueLength();
    const { rows, warnings } = reconcile({
      stationId: options.stationId,
      index,
      rows: stored,
      overrides,
      now: now(),
      ...(maxValueLength === undefined ? {} : { maxValueLength }),
    });
    await replaceStationRows(db, options.stationId, rows);
    model.warnings = warnings;
    for (const warning of warnings) model.onWarning(warning);
    return model;
  }

  /** The value of an attribute (WriteOnly included: this is the station's own read), undefined when unset or unknown. */
  get(ref: VariableRef): string | undefined {
    const found = this.index.resolve(ref);
    return found.status === 'Found' ? found.attribute.value : undefined;
  }

  /** Whether the device model has this attribute. */
  has(ref: VariableRef): boolean {
    return this.index.resolve(ref).status === 'Found';
  }

  /** A boolean value; throws a TypeError when the value is not "true"/"false". */
  getBoolean(ref: VariableRef): boolean | undefined {
    return this.typed(ref, 'a boolean', (v) => (v === 'true' ? true : v === 'false' ? false : undefined));
  }

  /** An integer value; throws a TypeError when the value is not an integer. */
  getInteger(ref: VariableRef): number | undefined {
    return this.typed(ref, 'an integer', (v) => (/^-?[0-9]+$/.test(v) ? Number(v) : undefined));
  }

  /** A decimal value; throws a TypeError when the value is not a number. */
  getDecimal(ref: VariableRef): number | undefined {
    return this.typed(ref, 'a decimal', (v) => (v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined));
  }

  /** Subscribes to stored changes; returns the unsubscribe function. */
  onChange(listener: (change: DeviceModelChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds a rule that CSMS writes must pass after the built-in checks (e.g. valid network profile slots, B10.FR.02). */
  addValidator(validator: DeviceModelValidator): void {
    this.validators.push(validator);
  }

  /**
   * Handles a GetVariablesRequest (B06). Throws an OcppRpcError (OccurrenceConstraintViolation,
   * FormatViolation) when the request exceeds ItemsPerMessage/BytesPerMessage GetVariables.
   */
  getVariables(request: GetVariablesRequest, options: { messageBytes?: number } = {}): GetVariablesResponse {
    this.enforceLimits('GetVariables', request.getVariableData.length, options.messageBytes);
    const [first, ...rest] = request.getVariableData.map((data) => this.getOne(data));
    if (first === undefined) throw new Error('GetVariablesRequest without getVariableData');
    return { getVariableResult: [first, ...rest] };
  }

  /**
   * Handles a SetVariablesRequest (B05): every element gets its result in request order, values
   * are checked against a view that includes the earlier elements of the same request (so a
   * repeated element, which B05.FR.13 forbids the CSMS to send, is applied in order), and all
   * accepted values are stored in one transaction before anything is reported changed. A failing
   * store turns every would-be write into Rejected (InternalError).
   */
  async setVariables(request: SetVariablesRequest, options: { messageBytes?: number } = {}): Promise<SetVariablesResponse> {
    this.enforceLimits('SetVariables', request.setVariableData.length, options.messageBytes);
    const pending = new Map<AttributeState, string>();
    const writes: Array<AttributeWrite & { result: SetVariableResultType; rebootRequired: boolean }> = [];
    const results = request.setVariableData.map((data): SetVariableResultType => {
      const attributeType = data.attributeType ?? 'Actual';
      // B05.FR.02/03/12: echo component and variable, attributeType defaulting to Actual.
      const result: SetVariableResultType = { attributeType, attributeStatus: 'Accepted', component: data.component, variable: data.variable };
      const found = this.index.lookup(data.component, data.variable, attributeType);
      if (found.status !== 'Found') {
        // B05.FR.04–06
        result.attributeStatus = found.status;
        return result;
      }
      const outcome = this.evaluate(found.variable, found.attribute, data.attributeValue, 'csms', pending);
      result.attributeStatus = outcome.status;
      if (outcome.statusInfo !== undefined) result.attributeStatusInfo = outcome.statusInfo;
      if (outcome.value !== undefined) {
        pending.set(found.attribute, outcome.value);
        writes.push({ variable: found.variable, attribute: found.attribute, value: outcome.value, result, rebootRequired: outcome.rebootRequired ?? false });
      }
      return result;
    });
    await this.commit(writes, 'csms', (error) => {
      for (const write of writes) {
        write.result.attributeStatus = 'Rejected';
        write.result.attributeStatusInfo = statusInfo('InternalError', `storing the value failed: ${error.message}`);
      }
    });
    const [first, ...rest] = results;
    if (first === undefined) throw new Error('SetVariablesRequest without setVariableData');
    return { setVariableResult: [first, ...rest] };
  }

  /**
   * Writes one value. `csms` writes follow SetVariables rules exactly; `host` writes (the library
   * and the hardware reporting state) may write ReadOnly attributes, and Actual values are not
   * range-checked (Part 1 §4.3). Returns the SetVariables status the write got.
   */
  async set(ref: VariableRef, value: string, source: 'host' | 'csms'): Promise<SetVariableStatusEnumType> {
    const found = this.index.resolve(ref);
    if (found.status !== 'Found') return found.status;
    const outcome = this.evaluate(found.variable, found.attribute, value, source);
    if (outcome.value === undefined) return outcome.status;
    let failure: Error | undefined;
    await this.commit([{ variable: found.variable, attribute: found.attribute, value: outcome.value, rebootRequired: outcome.rebootRequired ?? false }], source, (error) => {
      failure = error;
    });
    if (failure !== undefined) throw failure;
    return outcome.status;
  }

  /** The data of a GetBaseReport (B07), see {@link baseReportData}. */
  baseReport(reportBase: ReportBaseEnumType): ReportDataType[] {
    return baseReportData(this.index, reportBase, this.maxReportedLength());
  }

  /**
   * Handles a GetReportRequest (B08): NotSupported for criteria outside InternalCtrlr.SupportedCriteria
   * (when the config has it; else all four are supported), EmptyResultSet when nothing matches
   * (B08.FR.15), else Accepted with the data. Throws an OcppRpcError over ItemsPerMessage/BytesPerMessage GetReport.
   */
  report(
    request: GetReportRequest,
    options: { messageBytes?: number } = {},
  ): { status: GenericDeviceModelStatusEnumType; statusInfo?: StatusInfoType; data: ReportDataType[] } {
    this.enforceLimits('GetReport', request.componentVariable?.length ?? 0, options.messageBytes);
    const supportedList = this.get({ component: 'InternalCtrlr', variable: 'SupportedCriteria' });
    const supported = supportedList === undefined ? CRITERIA : csvEntries(supportedList);
    const unsupported = (request.componentCriteria ?? []).filter((c) => !supported.includes(c));
    if (unsupported.length > 0) {
      // B08.FR.02
      return { status: 'NotSupported', statusInfo: statusInfo('UnsupportedParam', `componentCriteria ${unsupported.join(', ')} not supported`), data: [] };
    }
    const data = customReportData(this.index, request, this.maxReportedLength());
    return data.length === 0 ? { status: 'EmptyResultSet', data } : { status: 'Accepted', data };
  }

  /** ItemsPerMessage/BytesPerMessage GetReport: the limits the runtime applies to NotifyReport parts (see docs/device-model.md). */
  reportLimits(): MessageLimits {
    return this.limits('GetReport');
  }

  private getOne(data: GetVariableDataType): GetVariableResultType {
    const attributeType = data.attributeType ?? 'Actual';
    // B06.FR.02/03/11: echo component and variable, attributeType defaulting to Actual.
    const result: GetVariableResultType = { attributeStatus: 'Accepted', attributeType, component: data.component, variable: data.variable };
    const found = this.index.lookup(data.component, data.variable, attributeType);
    if (found.status !== 'Found') {
      // B06.FR.06–08 (and B06.FR.15: no instance addresses only the instance-less one): no attributeValue.
      result.attributeStatus = found.status;
    } else if (found.attribute.mutability === 'WriteOnly') {
      // B06.FR.09
      result.attributeStatus = 'Rejected';
      result.attributeStatusInfo = statusInfo('WriteOnly', `${attributeType} of ${found.variable.name} is WriteOnly`);
    } else {
      // B06.FR.10, B06.FR.13: an unset attribute reads as "".
      result.attributeValue = limitReported(found.attribute.value ?? '', this.maxReportedLength());
    }
    return result;
  }

  private evaluate(variable: VariableState, attribute: AttributeState, raw: string, source: WriteSource, pending?: ReadonlyMap<AttributeState, string>): Outcome {
    const maxValueLength = this.maxSetValueLength();
    const verdict = checkWrite(variable, attribute, raw, source, {
      ...(maxValueLength === undefined ? {} : { maxValueLength }),
      currentValue: (a) => (pending?.has(a) ? pending.get(a) : a.value),
    });
    // B05.FR.07–09: wrong format, out of range, ReadOnly.
    if (!verdict.ok) return { status: 'Rejected', statusInfo: statusInfo(verdict.reasonCode, verdict.additionalInfo) };
    const current = pending?.has(attribute) ? pending.get(attribute) : attribute.value;
    let rebootRequired = source === 'csms' && verdict.value !== current && requiresReboot(this.rebootList, variable);
    if (source === 'csms') {
      const ref = refOf(variable, attribute);
      for (const validator of this.validators) {
        let answer: ReturnType<DeviceModelValidator>;
        try {
          answer = validator(ref, verdict.value);
        } catch (error) {
          return { status: 'Rejected', statusInfo: statusInfo('InternalError', `validator failed: ${(error as Error).message}`) };
        }
        if (answer === undefined || answer.status === 'Accepted') continue;
        if (answer.status === 'RebootRequired') {
          rebootRequired = true;
          continue;
        }
        return { status: answer.status, statusInfo: { reasonCode: answer.reasonCode ?? 'InvalidValue' } };
      }
    }
    return { status: rebootRequired ? 'RebootRequired' : 'Accepted', value: verdict.value, rebootRequired };
  }

  /** Stores the writes in one transaction, then updates the cache and tells the listeners. */
  private async commit(
    writes: ReadonlyArray<AttributeWrite & { rebootRequired: boolean }>,
    source: 'host' | 'csms',
    onFailure: (error: Error) => void,
  ): Promise<void> {
    if (writes.length === 0) return;
    const updatedAt = this.now();
    try {
      await writeAttributes(this.store.db, this.stationId, writes, source, updatedAt);
    } catch (error) {
      onFailure(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const changes: DeviceModelChange[] = [];
    for (const { variable, attribute, value, rebootRequired } of writes) {
      const previous = attribute.value;
      attribute.value = value;
      attribute.source = source;
      attribute.updatedAt = updatedAt;
      if (previous !== value) changes.push({ ref: refOf(variable, attribute), value, previous, source, rebootRequired });
    }
    for (const change of changes) {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch (error) {
          this.onWarning(`onChange listener failed for ${formatVariablePath(change.ref)}: ${(error as Error).message}`);
        }
      }
    }
  }

  private resolveOverrides(overrides: ReadonlyArray<{ ref: VariableRef; value: string }>): Map<AttributeState, string> {
    const issues: DeviceModelConfigIssue[] = [];
    const accepted = new Map<AttributeState, string>();
    const maxValueLength = this.maxSetValueLength();
    for (const { ref, value } of overrides) {
      const location = formatVariablePath({ ...ref, attribute: ref.attribute ?? 'Actual' });
      const found = this.index.resolve(ref);
      if (found.status !== 'Found') {
        const what = { UnknownComponent: 'unknown component', UnknownVariable: 'unknown variable', NotSupportedAttributeType: 'the variable has no such attribute' };
        issues.push({ location, message: `cannot be set: ${what[found.status]}` });
        continue;
      }
      if (accepted.has(found.attribute)) {
        issues.push({ location, message: 'is set twice' });
        continue;
      }
      const verdict = checkWrite(found.variable, found.attribute, value, 'override', {
        ...(maxValueLength === undefined ? {} : { maxValueLength }),
        currentValue: (a) => (accepted.has(a) ? accepted.get(a) : a.value),
      });
      if (verdict.ok) accepted.set(found.attribute, verdict.value);
      else issues.push({ location, message: `value '${value}' rejected: ${verdict.additionalInfo}` });
    }
    if (issues.length > 0) throw new DeviceModelConfigError(issues);
    return accepted;
  }

  private typed<T>(ref: VariableRef, what: string, parse: (value: string) => T | undefined): T | undefined {
    const value = this.get(ref);
    if (value === undefined) return undefined;
    const parsed = parse(value);
    if (parsed === undefined) throw new TypeError(`${formatVariablePath(ref)} is '${value}', not ${what}`);
    return parsed;
  }

  private setting(variable: string, instance?: string): number | undefined {
    const value = this.get({ component: 'DeviceDataCtrlr', variable, ...(instance === undefined ? {} : { variableInstance: instance }) });
    const number = value === undefined || value === '' ? NaN : Number(value);
    return Number.isInteger(number) && number > 0 ? number : undefined;
  }

  private limits(request: LimitedRequest): MessageLimits {
    const limits: MessageLimits = {};
    const items = this.setting('ItemsPerMessage', request);
    const bytes = this.setting('BytesPerMessage', request);
    if (items !== undefined) limits.itemsPerMessage = items;
    if (bytes !== undefined) limits.bytesPerMessage = bytes;
    return limits;
  }

  private enforceLimits(request: LimitedRequest, items: number, messageBytes: number | undefined): void {
    enforceMessageLimits(request, this.limits(request), items, messageBytes);
  }

  /** ConfigurationValueSize and ValueSize limit SetVariableData.attributeValue (Part 2 §2.1.20). */
  private maxSetValueLength(): number | undefined {
    const limits = [this.setting('ConfigurationValueSize'), this.setting('ValueSize')].filter((n) => n !== undefined);
    return limits.length === 0 ? undefined : Math.min(MAX_SET_VALUE, ...limits);
  }

  /** ReportingValueSize and ValueSize limit reported values (Part 2 §2.1.21), never above 2500. */
  private maxReportedLength(): number {
    return Math.min(MAX_REPORTED_VALUE, ...[this.setting('ReportingValueSize'), this.setting('ValueSize')].filter((n) => n !== undefined));
  }
}
