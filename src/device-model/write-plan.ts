/**
 * What a write to the device model gets before anything is stored: the status to report and, when
 * the write goes ahead, the value to store. For the elements of a SetVariablesRequest (B05) and
 * for one write of the station or the CSMS (`DeviceModel.set`); the rules a write is judged
 * by (value size, reboot-required variables, validators) come from the model as `evaluate`.
 */
import type {
  SetVariableDataType,
  SetVariableResultType,
  SetVariableStatusEnumType,
} from '../generated/ocpp-types.js';
import type { AttributeState, ModelIndex, VariableState } from './model-index.js';
import type { VariableRef } from './types.js';
import type { CommitWrite } from './value-commits.js';
import type { WriteOutcome } from './write-evaluation.js';

/**
 * Evaluates one write with the model's rules (write-evaluation.ts); `pending` holds the values of
 * earlier elements of the same request, seen instead of the stored ones.
 */
export type EvaluateWrite = (
  variable: VariableState,
  attribute: AttributeState,
  raw: string,
  pending?: ReadonlyMap<AttributeState, string>,
) => WriteOutcome;

/** A write of a SetVariablesRequest element, with the result reported for it. */
export type SetVariableWrite = CommitWrite & { result: SetVariableResultType };

/**
 * The result of every element of a SetVariablesRequest, in request order, and the writes to store.
 * Values are checked against a view that includes the earlier elements of the same request (so a
 * repeated element, which B05.FR.13 forbids the CSMS to send, is applied in order). A write's
 * result is the one in `results`: storing may still turn it into Rejected.
 *
 * @example
 * const { results, writes } = planSetVariables(index, request.setVariableData, evaluate);
 */
export function planSetVariables(
  index: ModelIndex,
  data: readonly SetVariableDataType[],
  evaluate: EvaluateWrite,
): { results: SetVariableResultType[]; writes: SetVariableWrite[] } {
  const pending = new Map<AttributeState, string>();
  const writes: SetVariableWrite[] = [];
  const results = data.map((element): SetVariableResultType => {
    const attributeType = element.attributeType ?? 'Actual';
    // B05.FR.02/03/12: echo component and variable, attributeType defaulting to Actual.
    const result: SetVariableResultType = {
      attributeType,
      attributeStatus: 'Accepted',
      component: element.component,
      variable: element.variable,
    };
    const found = index.lookup(element.component, element.variable, attributeType);
    if (found.status !== 'Found') {
      // B05.FR.04–06
      result.attributeStatus = found.status;
      return result;
    }
    const outcome = evaluate(found.variable, found.attribute, element.attributeValue, pending);
    result.attributeStatus = outcome.status;
    if (outcome.statusInfo !== undefined) result.attributeStatusInfo = outcome.statusInfo;
    if (outcome.value !== undefined) {
      pending.set(found.attribute, outcome.value);
      writes.push({
        variable: found.variable,
        attribute: found.attribute,
        value: outcome.value,
        result,
        rebootRequired: outcome.rebootRequired ?? false,
      });
    }
    return result;
  });
  return { results, writes };
}

/**
 * The status a write of `value` to `ref` gets and, when it is accepted, the write to store.
 *
 * @example
 * planWrite(index, { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }, '300', evaluate);
 * // { status: 'Accepted', write: { variable, attribute, value: '300', rebootRequired: false } }
 */
export function planWrite(
  index: ModelIndex,
  ref: VariableRef,
  value: string,
  evaluate: EvaluateWrite,
): { status: SetVariableStatusEnumType; write?: CommitWrite } {
  const found = index.resolve(ref);
  if (found.status !== 'Found') return { status: found.status };
  const outcome = evaluate(found.variable, found.attribute, value);
  if (outcome.value === undefined) return { status: outcome.status };
  return {
    status: outcome.status,
    write: {
      variable: found.variable,
      attribute: found.attribute,
      value: outcome.value,
      rebootRequired: outcome.rebootRequired ?? false,
    },
  };
}
