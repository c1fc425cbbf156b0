/**
 * The full verdict on one write, as SetVariables reports it: the built-in checks
 * ({@link checkWrite}), then for CSMS writes the reboot rule and the host's validators.
 */
import type { SetVariableStatusEnumType, StatusInfoType } from '../generated/ocpp-types.js';
import { refOf, type AttributeState, type ModelIndex, type VariableState } from './model-index.js';
import { requiresReboot, type RebootRequiredVariable } from './reboot-required.js';
import { limitReported } from './reports.js';
import type { VariableRef } from './types.js';
import { checkWrite, type WriteSource } from './write-check.js';

/**
 * A business rule on CSMS writes; `undefined` or Accepted lets the write through. A refusal may say
 * why (`reasonCode`, default InvalidValue, and `additionalInfo`, both sent in attributeStatusInfo).
 */
export type DeviceModelValidator = (
  ref: VariableRef,
  value: string,
) => { status: SetVariableStatusEnumType; reasonCode?: string; additionalInfo?: string } | undefined;

/** The status to report; `value` (the value to store) is present exactly when the write goes ahead. */
export interface WriteOutcome {
  status: SetVariableStatusEnumType;
  value?: string;
  statusInfo?: StatusInfoType;
  rebootRequired?: boolean;
}

export interface WriteContext {
  /** The station's values. */
  model: Pick<ModelIndex, 'value' | 'isDerived'>;
  /** Values pending in the same request, seen instead of the stored ones. */
  pending?: ReadonlyMap<AttributeState, string>;
  maxValueLength: number | undefined;
  rebootRequired: readonly RebootRequiredVariable[];
  validators: readonly DeviceModelValidator[];
}

/** StatusInfoType.additionalInfo is string[0..512]. */
const MAX_ADDITIONAL_INFO = 512;

/**
 * A StatusInfoType whose additionalInfo fits the schema.
 *
 * @example
 * statusInfo('ReadOnly', 'Actual of MessageTimeout is ReadOnly');
 */
export function statusInfo(reasonCode: string, additionalInfo: string): StatusInfoType {
  return { reasonCode, additionalInfo: limitReported(additionalInfo, MAX_ADDITIONAL_INFO) };
}

/**
 * Evaluates a write: Rejected with a reason code when a built-in check fails (B05.FR.07–09);
 * for CSMS writes then RebootRequired when the value changes a reboot-required variable, and the
 * validators in order (the first non-Accepted status other than RebootRequired decides; a
 * throwing validator is Rejected/InternalError); else Accepted.
 *
 * @example
 * evaluateWrite(variable, attribute, '300', 'csms', { maxValueLength: undefined, rebootRequired: [], validators: [] });
 * // { status: 'Accepted', value: '300', rebootRequired: false }
 */
export function evaluateWrite(
  variable: VariableState,
  attribute: AttributeState,
  raw: string,
  source: WriteSource,
  context: WriteContext,
): WriteOutcome {
  const { pending, model } = context;
  if (source === 'csms' && model.isDerived(attribute)) {
    // A derived value follows the station's state (ClockCtrlr.DateTime, ...): writing it would be a lie.
    return {
      status: 'Rejected',
      statusInfo: statusInfo('ReadOnly', `${attribute.type} of ${variable.name} is derived by the station`),
    };
  }
  const verdict = checkWrite(variable, attribute, raw, source, {
    ...(context.maxValueLength === undefined ? {} : { maxValueLength: context.maxValueLength }),
    currentValue: (a) => (pending?.has(a) ? pending.get(a) : model.value(a)),
  });
  if (!verdict.ok)
    return { status: 'Rejected', statusInfo: statusInfo(verdict.reasonCode, verdict.additionalInfo) };
  if (source !== 'csms') return { status: 'Accepted', value: verdict.value, rebootRequired: false };
  const current = pending?.has(attribute) ? pending.get(attribute) : model.value(attribute);
  let rebootRequired = verdict.value !== current && requiresReboot(context.rebootRequired, variable);
  const ref = refOf(variable, attribute);
  for (const validator of context.validators) {
    let answer: ReturnType<DeviceModelValidator>;
    try {
      answer = validator(ref, verdict.value);
    } catch (error) {
      return {
        status: 'Rejected',
        statusInfo: statusInfo('InternalError', `validator failed: ${(error as Error).message}`),
      };
    }
    if (answer === undefined || answer.status === 'Accepted') continue;
    if (answer.status === 'RebootRequired') {
      rebootRequired = true;
      continue;
    }
    const reasonCode = answer.reasonCode ?? 'InvalidValue';
    return {
      status: answer.status,
      statusInfo:
        answer.additionalInfo === undefined ? { reasonCode } : statusInfo(reasonCode, answer.additionalInfo),
    };
  }
  return { status: rebootRequired ? 'RebootRequired' : 'Accepted', value: verdict.value, rebootRequired };
}
