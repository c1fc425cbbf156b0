/**
 * Start-up overrides (CLI `--set`, host configuration): values applied as configuration at open,
 * ReadOnly attributes included, checked like CSMS values.
 */
import { DeviceModelConfigError, type DeviceModelConfigIssue } from './errors.js';
import type { AttributeState, ModelIndex } from './model-index.js';
import type { VariableRef } from './types.js';
import { formatVariablePath } from './variable-path.js';
import { checkWrite } from './write-check.js';

const UNKNOWN = {
  UnknownComponent: 'unknown component',
  UnknownVariable: 'unknown variable',
  NotSupportedAttributeType: 'the variable has no such attribute',
} as const;

/**
 * Resolves and checks overrides; throws one {@link DeviceModelConfigError} naming every unknown,
 * repeated or invalid one. Later overrides see earlier ones (MinSet/MaxSet bounds).
 *
 * @example
 * resolveOverrides(index, [{ ref: { component: 'TxCtrlr', variable: 'TxStartPoint' }, value: 'Authorized' }], undefined);
 */
export function resolveOverrides(
  index: ModelIndex,
  overrides: ReadonlyArray<{ ref: VariableRef; value: string }>,
  maxValueLength: number | undefined,
): Map<AttributeState, string> {
  const issues: DeviceModelConfigIssue[] = [];
  const accepted = new Map<AttributeState, string>();
  for (const { ref, value } of overrides) {
    const location = formatVariablePath({ ...ref, attribute: ref.attribute ?? 'Actual' });
    const found = index.resolve(ref);
    if (found.status !== 'Found') {
      issues.push({ location, message: `cannot be set: ${UNKNOWN[found.status]}` });
      continue;
    }
    if (accepted.has(found.attribute)) {
      issues.push({ location, message: 'is set twice' });
      continue;
    }
    const verdict = checkWrite(found.variable, found.attribute, value, 'override', {
      ...(maxValueLength === undefined ? {} : { maxValueLength }),
      currentValue: (a) => (accepted.has(a) ? accepted.get(a) : index.value(a)),
    });
    if (verdict.ok) accepted.set(found.attribute, verdict.value);
    else issues.push({ location, message: `value '${value}' rejected: ${verdict.additionalInfo}` });
  }
  if (issues.length > 0) throw new DeviceModelConfigError(issues);
  return accepted;
}
