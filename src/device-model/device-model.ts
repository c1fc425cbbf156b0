/**
 * The station's device model (B05–B08): configured components and variables with their current
 * values, persisted in the `device_model` table and cached in memory for synchronous reads.
 */
import type {
  ComponentType,
  GenericDeviceModelStatusEnumType,
  GetReportRequest,
  GetVariablesRequest,
  GetVariablesResponse,
  ReportBaseEnumType,
  ReportDataType,
  SetVariablesRequest,
  SetVariablesResponse,
  SetVariableStatusEnumType,
  StatusInfoType,
  VariableType,
} from '../generated/ocpp-types.js';
import type { StationDatabase } from '../store/database.js';
import { ownHandle } from '../store/sqlite-handle.js';
import { deviceDataSettings, type DeviceDataSettings } from './device-data-settings.js';
import { readStationRows, syncStationRows, writeAttributes } from './device-model-store.js';
import { enforceMessageLimits, type LimitedRequest, type MessageLimits } from './message-limits.js';
import { ModelIndex, type AttributeState, type DerivationList, type VariableState } from './model-index.js';
import { resolveOverrides } from './overrides.js';
import { REBOOT_REQUIRED_VARIABLES, type RebootRequiredVariable } from './reboot-required.js';
import { reconcile } from './reconcile.js';
import { baseReportData } from './reports.js';
import { reportResult } from './report-request.js';
import type { OpenDeviceModelOptions } from './device-model-options.js';
import type { LoadedComponent, VariableRef } from './types.js';
import { ValueCommits, type CommitWrite, type DeviceModelChange } from './value-commits.js';
import { formatVariablePath } from './variable-path.js';
import { getVariableResult } from './get-variable-result.js';
import {
  configuredMonitors,
  monitorTarget,
  type ConfiguredMonitorAt,
  type MonitorTarget,
} from './monitor-target.js';
import {
  evaluateWrite,
  statusInfo,
  type DeviceModelValidator,
  type WriteOutcome,
} from './write-evaluation.js';
import type { WriteSource } from './write-check.js';
import { planSetVariables, planWrite, type EvaluateWrite } from './write-plan.js';

export type { DeviceModelValidator } from './write-evaluation.js';

export type { DeviceModelChange } from './value-commits.js';
// The options live next to this file; callers import them from here.
export type { OpenDeviceModelOptions } from './device-model-options.js';

/**
 * The device model of one station.
 *
 * @example
 * const store = await openStationDatabase('station.db');
 * const components = await loadComponentConfig('config/component-config', evses);
 * const model = await DeviceModel.open({ store, stationId: 'CS-1', components });
 * model.getInteger({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }); // 1800
 * const response = await model.setVariables(request); // B05
 */
export class DeviceModel {
  /** Warnings of the last open (CSMS/host values that no longer fit the config and were dropped). */
  warnings: readonly string[] = [];
  /** Hard-wired and preconfigured monitors of the configuration (N03; docs/monitoring.md). */
  configuredMonitors: readonly ConfiguredMonitorAt[] = [];
  private readonly commits: ValueCommits;
  private readonly validators: DeviceModelValidator[] = [];
  private readonly settings: DeviceDataSettings;

  private constructor(
    private readonly store: StationDatabase,
    readonly stationId: string,
    private readonly index: ModelIndex,
    private readonly now: () => string,
    private readonly rebootList: readonly RebootRequiredVariable[],
    private readonly onWarning: (message: string) => void,
  ) {
    this.settings = deviceDataSettings(index);
    this.commits = new ValueCommits(
      index,
      (rows, source, updatedAt) =>
        writeAttributes(store.db, stationId, rows, source, updatedAt, ownHandle(store)),
      now,
      (message) => this.onWarning(message),
    );
  }

  /**
   * Opens the station's device model: validates the overrides (a bad one throws a
   * {@link DeviceModelConfigError} naming it, before the store is touched), then, in one
   * transaction, brings the station's rows to the reconciled model (see {@link reconcile}:
   * overrides win, CSMS and host values survive while they fit, else config values). The rows hold
   * only values that differ from the configuration; a new station without overrides writes none.
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
    const overrides = resolveOverrides(index, options.overrides ?? [], model.settings.maxSetValueLength());
    const { db } = options.store;
    const sqlite = ownHandle(options.store);
    const stored = await readStationRows(db, options.stationId, sqlite);
    const maxValueLength = model.settings.maxSetValueLength();
    const { rows, warnings } = reconcile({
      stationId: options.stationId,
      index,
      rows: stored,
      overrides,
      now: now(),
      ...(maxValueLength === undefined ? {} : { maxValueLength }),
    });
    await syncStationRows(db, options.stationId, stored, rows, sqlite);
    model.warnings = warnings;
    model.configuredMonitors = configuredMonitors(options.components);
    for (const warning of warnings) model.onWarning(warning);
    return model;
  }

  /**
   * The configured value of an attribute in loaded components (before any store or override), e.g.
   * to derive an override from it.
   *
   * @example
   * DeviceModel.configuredValue(components, { component: 'InternalCtrlr', variable: 'NetworkConnectionProfiles' });
   */
  static configuredValue(components: readonly LoadedComponent[], ref: VariableRef): string | undefined {
    const found = ModelIndex.build(components, '').resolve(ref);
    return found.status === 'Found' ? found.attribute.configValue : undefined;
  }

  /** The value of an attribute (WriteOnly included: this is the station's own read), undefined when unset or unknown. */
  get(ref: VariableRef): string | undefined {
    const found = this.index.resolve(ref);
    return found.status === 'Found' ? this.index.current(found.attribute) : undefined;
  }

  /**
   * Makes an attribute's value derived from the station's state instead of stored: `value` is
   * called for every read and report (GetVariables, NotifyReport, `get`), and a CSMS write is
   * Rejected (ReadOnly). Returns false when the model has no such attribute.
   *
   * @example
   * model.derive({ component: 'ClockCtrlr', variable: 'DateTime' }, () => clock.nowIso());
   */
  derive(ref: VariableRef, value: () => string | undefined): boolean {
    const found = this.index.resolve(ref);
    if (found.status !== 'Found') return false;
    this.index.derive(found.attribute, value);
    return true;
  }

  /**
   * Derives the attributes of `list` that the model has (others are skipped) from `context`, which
   * every derivation is called with at each read; one context per model. For the station's own
   * derived values (src/runtime/derived-values.ts): `list` is a module constant, so its slots are
   * resolved once per shape and shared by every station of a fleet (issue 9).
   *
   * @example
   * const NOW: DerivationList<{ clock: StationClock }> = [[{ component: 'ClockCtrlr', variable: 'DateTime' }, (c) => c.clock.nowIso()]];
   * model.deriveAll(NOW, { clock });
   */
  deriveAll<C>(list: DerivationList<C>, context: C): void {
    this.index.deriveAll(list, context);
  }

  /** The variable's valuesList characteristic (OptionList/MemberList/SequenceList), if any. */
  valuesList(ref: VariableRef): string | undefined {
    const found = this.index.resolve(ref);
    return found.status === 'Found' ? found.variable.characteristics.valuesList : undefined;
  }

  /**
   * The variable's maxLimit characteristic, if any (for a number: its largest value; the Storage and
   * Entries variables use it for a capacity, Part 2 Appendix 2.4.4, 2.5.2, 2.5.6).
   *
   * @example
   * model.maxLimit({ component: 'LocalAuthListCtrlr', variable: 'Entries' }); // 10000
   */
  maxLimit(ref: VariableRef): number | undefined {
    const found = this.index.resolve(ref);
    // A characteristic of the variable: found even when the ref's attribute type is not there (as a report would).
    return found.status === 'Found' || found.status === 'NotSupportedAttributeType'
      ? found.variable.characteristics.maxLimit
      : undefined;
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
    return this.typed(ref, 'a decimal', (v) =>
      v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined,
    );
  }

  /**
   * The variable a monitor addresses (N04.FR.03/04), with its characteristics.
   *
   * @example
   * model.monitorTarget({ name: 'ChargingStation' }, { name: 'Temperature' }).status; // 'Found'
   */
  monitorTarget(component: ComponentType, variable: VariableType): MonitorTarget {
    return monitorTarget(this.index, component, variable);
  }

  /**
   * Subscribes to changes; returns the unsubscribe function. A `set` or `setHostValues` is told at
   * once, a SetVariables once stored (src/device-model/value-commits.ts).
   */
  onChange(listener: (change: DeviceModelChange) => void): () => void {
    this.commits.listeners.add(listener);
    return () => this.commits.listeners.delete(listener);
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
    const [first, ...rest] = request.getVariableData.map((data) =>
      getVariableResult(this.index, data, this.settings.maxReportedLength()),
    );
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
  async setVariables(
    request: SetVariablesRequest,
    options: { messageBytes?: number } = {},
  ): Promise<SetVariablesResponse> {
    this.enforceLimits('SetVariables', request.setVariableData.length, options.messageBytes);
    const { results, writes } = planSetVariables(
      this.index,
      request.setVariableData,
      (variable, attribute, raw, pending) => this.evaluate(variable, attribute, raw, 'csms', pending),
    );
    // B05: Accepted only once stored; a failing store changes nothing, not even for a moment.
    await this.commits.commit(writes, 'csms', 'stored', (error) => {
      for (const write of writes) {
        write.result.attributeStatus = 'Rejected';
        write.result.attributeStatusInfo = statusInfo(
          'InternalError',
          `storing the value failed: ${error.message}`,
        );
      }
    });
    const [first, ...rest] = results;
    if (first === undefined) throw new Error('SetVariablesRequest without setVariableData');
    return { setVariableResult: [first, ...rest] };
  }

  /**
   * Writes one value and stores it (it survives a restart while it fits the configuration).
   * `csms` writes follow SetVariables rules exactly; `host` writes (the library and the hardware
   * reporting state) may write ReadOnly attributes, skip the validators, and their Actual values
   * are not range-checked (Part 1 §4.3). Returns the SetVariables status the write got. The value
   * is readable, and the listeners told, at once; the promise resolves once it is stored with the
   * turn's other writes (issue 9), and throws when the store fails (the value is put back then).
   */
  async set(ref: VariableRef, value: string, source: 'host' | 'csms'): Promise<SetVariableStatusEnumType> {
    const { status, write } = planWrite(this.index, ref, value, (variable, attribute, raw) =>
      this.evaluate(variable, attribute, raw, source),
    );
    if (write !== undefined) await this.commitOrThrow([write], source);
    return status;
  }

  /**
   * Host writes of several values (the library reporting state, as {@link set} with source `host`)
   * stored in one transaction: the AvailabilityState of a connector, its EVSE and the station
   * after one status change, or of several EVSEs reported in one turn, cost one SQLite transaction
   * instead of one each (issue 9, boot storm). A value the model refuses (unknown attribute, not
   * of its type) is skipped, as `set` would answer it; throws when the store fails (the values are
   * put back then). Every value is readable at once, as after `set`.
   *
   * @example
   * await model.setHostValues([{ ref: { component: 'EVSE', evseId: 1, variable: 'AvailabilityState' }, value: 'Available' }]);
   */
  async setHostValues(values: ReadonlyArray<{ ref: VariableRef; value: string }>): Promise<void> {
    const evaluate: EvaluateWrite = (variable, attribute, raw) =>
      this.evaluate(variable, attribute, raw, 'host');
    const writes = values.flatMap(
      ({ ref, value }) => planWrite(this.index, ref, value, evaluate).write ?? [],
    );
    await this.commitOrThrow(writes, 'host');
  }

  /** Shows `writes` at once and stores them in one transaction; throws the store's error (put back then). */
  private async commitOrThrow(writes: CommitWrite[], source: 'host' | 'csms'): Promise<void> {
    let failure: Error | undefined;
    await this.commits.commit(writes, source, 'now', (error) => {
      failure = error;
    });
    if (failure !== undefined) throw failure;
  }

  /** The data of a GetBaseReport (B07), see {@link baseReportData}. */
  baseReport(reportBase: ReportBaseEnumType): ReportDataType[] {
    return baseReportData(this.index, reportBase, this.settings.maxReportedLength());
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
    return reportResult(this.index, request, supportedList, this.settings.maxReportedLength());
  }

  /** ItemsPerMessage/BytesPerMessage GetReport: the limits the runtime applies to NotifyReport parts (see docs/device-model.md). */
  reportLimits(): MessageLimits {
    return this.settings.limits('GetReport');
  }

  private evaluate(
    variable: VariableState,
    attribute: AttributeState,
    raw: string,
    source: WriteSource,
    pending?: ReadonlyMap<AttributeState, string>,
  ): WriteOutcome {
    return evaluateWrite(variable, attribute, raw, source, {
      model: this.index,
      ...(pending === undefined ? {} : { pending }),
      maxValueLength: this.settings.maxSetValueLength(),
      rebootRequired: this.rebootList,
      validators: this.validators,
    });
  }

  private typed<T>(ref: VariableRef, what: string, parse: (value: string) => T | undefined): T | undefined {
    const value = this.get(ref);
    if (value === undefined) return undefined;
    const parsed = parse(value);
    if (parsed === undefined) throw new TypeError(`${formatVariablePath(ref)} is '${value}', not ${what}`);
    return parsed;
  }

  private enforceLimits(request: LimitedRequest, items: number, messageBytes: number | undefined): void {
    enforceMessageLimits(request, this.settings.limits(request), items, messageBytes);
  }
}
