/**
 * What the runtime needs from its collaborators, as interfaces: the device model (src/device-model),
 * an RPC session (src/rpc) and a transport (src/transport). Keeping them narrow keeps the runtime
 * testable and lets a fleet share implementations.
 */
import type {
  GetReportRequest,
  GenericDeviceModelStatusEnumType,
  GetVariablesRequest,
  GetVariablesResponse,
  ReportBaseEnumType,
  ReportDataType,
  SetVariableStatusEnumType,
  SetVariablesRequest,
  SetVariablesResponse,
  StatusInfoType,
} from '../generated/ocpp-types.js';

import type { VariableRef } from '../device-model/types.js';
import type { DerivationList } from '../device-model/model-index.js';
import type { ConfiguredMonitorAt, MonitorTarget } from '../device-model/monitor-target.js';
import type { ComponentType, VariableType } from '../generated/ocpp-types.js';

/** Address of one attribute of one variable of one component (defined by the device model). */
export type { VariableRef };

export type ValueSource = 'host' | 'csms';

export interface VariableChange {
  ref: VariableRef;
  value: string;
  previous: string | undefined;
  source: string;
}

/** Size of the received request, for the BytesPerMessage limits. */
export interface MessageSize {
  messageBytes?: number;
}

export interface DeviceModelPort {
  /** Does the device model have this attribute? */
  has(ref: VariableRef): boolean;
  get(ref: VariableRef): string | undefined;
  getInteger(ref: VariableRef): number | undefined;
  getBoolean(ref: VariableRef): boolean | undefined;
  set(ref: VariableRef, value: string, source: ValueSource): Promise<SetVariableStatusEnumType>;
  /**
   * Host writes of several values in one store transaction (DeviceModel.setHostValues); without
   * it they are written one `set` at a time.
   */
  setHostValues?(values: ReadonlyArray<{ ref: VariableRef; value: string }>): Promise<void>;
  /** B06; throws an OcppRpcError over ItemsPerMessage/BytesPerMessage (`messageBytes`: the received frame). */
  getVariables(request: GetVariablesRequest, options?: MessageSize): GetVariablesResponse;
  /** B05; throws an OcppRpcError over ItemsPerMessage/BytesPerMessage. */
  setVariables(request: SetVariablesRequest, options?: MessageSize): Promise<SetVariablesResponse>;
  baseReport(reportBase: ReportBaseEnumType): ReportDataType[];
  /** B08; throws an OcppRpcError over ItemsPerMessage/BytesPerMessage. */
  report(
    request: GetReportRequest,
    options?: MessageSize,
  ): { status: GenericDeviceModelStatusEnumType; statusInfo?: StatusInfoType; data: ReportDataType[] };
  onChange(listener: (change: VariableChange) => void): () => void;
  /** The variable's valuesList characteristic (OptionList/MemberList/SequenceList), if any. */
  valuesList?(ref: VariableRef): string | undefined;
  /** The variable's maxLimit characteristic, if any (e.g. LocalAuthListCtrlr.Entries: the most idTokens). */
  maxLimit?(ref: VariableRef): number | undefined;
  /**
   * Makes the attribute's value derived from the station's state (read at every get and report;
   * a CSMS write is Rejected); false when the model has no such attribute.
   */
  derive?(ref: VariableRef, value: () => string | undefined): boolean;
  /**
   * Derives the attributes of `list` from `context` (DeviceModel.deriveAll): `list` a module
   * constant shared by every station, so a station keeps its context, not a closure per attribute.
   */
  deriveAll?<C>(list: DerivationList<C>, context: C): void;
  /** N04: the variable a monitor addresses; without it the station supports no monitoring. */
  monitorTarget?(component: ComponentType, variable: VariableType): MonitorTarget;
  /** N03: hard-wired and preconfigured monitors of the configuration. */
  readonly configuredMonitors?: readonly ConfiguredMonitorAt[];
}

/**
 * Derives the attributes of `list` from `context` on any device-model port: through
 * {@link DeviceModelPort.deriveAll} where the port has it (one shared list, a context per station),
 * else one {@link DeviceModelPort.derive} per attribute (a host's own port); a port with neither
 * derives nothing.
 *
 * @example
 * deriveList(dm, [[{ component: 'DisplayMessageCtrlr', variable: 'DisplayMessages' }, (c: Msgs) => String(c.count)]], msgs);
 */
export function deriveList<C>(dm: DeviceModelPort, list: DerivationList<C>, context: C): void {
  if (dm.deriveAll) dm.deriveAll(list, context);
  else for (const [ref, value] of list) dm.derive?.(ref, () => value(context));
}
