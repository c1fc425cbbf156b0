/** One GetVariableResult of a GetVariablesRequest (B06). */
import type { GetVariableDataType, GetVariableResultType } from '../generated/ocpp-types.js';
import type { ModelIndex } from './model-index.js';
import { limitReported } from './reports.js';
import { statusInfo } from './write-evaluation.js';

/**
 * Answers one GetVariableData: echoes its component and variable with the attributeType
 * (Actual when absent, B06.FR.02/03/11); UnknownComponent/UnknownVariable/NotSupportedAttributeType
 * without value (B06.FR.06–08, and B06.FR.15: no instance addresses only the instance-less one);
 * Rejected for WriteOnly (B06.FR.09); else Accepted with the value (derived ones, such as
 * ClockCtrlr.DateTime, computed now), "" when unset (B06.FR.10/13), cut to `maxReportedLength`
 * (ReportingValueSize).
 *
 * @example
 * getVariableResult(index, { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' } }, 2500);
 * // { attributeStatus: 'Accepted', attributeType: 'Actual', attributeValue: '60', component: ..., variable: ... }
 */
export function getVariableResult(
  index: ModelIndex,
  data: GetVariableDataType,
  maxReportedLength: number,
): GetVariableResultType {
  const attributeType = data.attributeType ?? 'Actual';
  const result: GetVariableResultType = {
    attributeStatus: 'Accepted',
    attributeType,
    component: data.component,
    variable: data.variable,
  };
  const found = index.lookup(data.component, data.variable, attributeType);
  if (found.status !== 'Found') {
    result.attributeStatus = found.status;
  } else if (found.attribute.mutability === 'WriteOnly') {
    result.attributeStatus = 'Rejected';
    result.attributeStatusInfo = statusInfo(
      'WriteOnly',
      `${attributeType} of ${found.variable.name} is WriteOnly`,
    );
  } else {
    result.attributeValue = limitReported(index.current(found.attribute) ?? '', maxReportedLength);
  }
  return result;
}
