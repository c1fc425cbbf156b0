import type {
  GetVariablesRequest,
  GetVariablesResponse,
  SetVariablesRequest,
  SetVariablesResponse,
} from '../generated/ocpp-types.js';
import { priorityUpgradeProblem } from '../security/security-prerequisites.js';
import { messageSize, type CallHandler, type HandlerContext } from './handler-context.js';

/**
 * B06 GetVariables: answered by the device model, which refuses a request over
 * ItemsPerMessage/BytesPerMessage GetVariables with a CALLERROR (B06.FR.16/17).
 *
 * @example
 * const response = await handleGetVariables(ctx, request); // the GetVariablesResponse to send
 */
export const handleGetVariables: CallHandler<GetVariablesRequest, GetVariablesResponse> = (ctx, request) =>
  ctx.deviceModel.getVariables(request, messageSize(ctx));

/**
 * B05 SetVariables: applied by the device model (which persists CSMS values and refuses a request
 * over ItemsPerMessage/BytesPerMessage SetVariables, B05.FR.11); the runtime reacts to the changes
 * through the device model's change listeners, and the host hears of each accepted change through
 * variableChangedCallback once the response is out.
 *
 * @example
 * const response = await handleSetVariables(ctx, request); // the SetVariablesResponse to send
 */
export const handleSetVariables: CallHandler<SetVariablesRequest, SetVariablesResponse> = async (
  ctx,
  request,
) => {
  // A05.FR.02/03: a priority that puts a higher security profile in use needs its certificates.
  const refused = request.setVariableData.map((item) =>
    priorityUpgradeProblem(ctx.deviceModel, item, ctx.runtime.certificates.manager),
  );
  const response = refused.some((r) => r !== undefined)
    ? await setVariablesExcept(ctx, request, refused)
    : await ctx.deviceModel.setVariables(request, messageSize(ctx));
  const accepted = request.setVariableData.filter((_, i) => {
    const status = response.setVariableResult[i]?.attributeStatus;
    return status === 'Accepted' || status === 'RebootRequired';
  });
  if (accepted.length > 0 && ctx.callbacks.variableChangedCallback) {
    const callback = ctx.callbacks.variableChangedCallback;
    ctx.afterResponse(() => accepted.forEach((data) => callback(data)));
  }
  const passwordChanged = accepted.some(
    (d) =>
      d.component.name === 'SecurityCtrlr' &&
      d.variable.name === 'BasicAuthPassword' &&
      (d.attributeType ?? 'Actual') === 'Actual',
  );
  if (passwordChanged) {
    ctx.afterResponse(() => {
      // A01.FR.11/12: the change goes to the security log, without the password.
      ctx.securityEvent('ReconfigurationOfSecurityParameters', 'BasicAuthPassword changed', false);
      // A01.FR.03: the CSMS no longer accepts the old credentials; connect again with the new ones.
      ctx.reconnect();
    });
  }
  return response;
};

/** SetVariables of the items not refused in `refused` (by index); the refused ones are Rejected. */
async function setVariablesExcept(
  ctx: HandlerContext,
  request: SetVariablesRequest,
  refused: ReadonlyArray<string | undefined>,
): Promise<SetVariablesResponse> {
  const kept = request.setVariableData.filter((_, i) => refused[i] === undefined);
  const [first, ...rest] = kept;
  const applied = first
    ? (await ctx.deviceModel.setVariables({ setVariableData: [first, ...rest] }, messageSize(ctx))).setVariableResult
    : [];
  let next = 0;
  const results = request.setVariableData.map((item, i) => {
    const problem = refused[i];
    if (problem === undefined) return applied[next++] as SetVariablesResponse['setVariableResult'][number];
    return {
      attributeType: item.attributeType ?? 'Actual',
      attributeStatus: 'Rejected' as const,
      attributeStatusInfo: { reasonCode: 'NoCertificate', additionalInfo: problem.slice(0, 512) },
      component: item.component,
      variable: item.variable,
    };
  });
  return { setVariableResult: results as SetVariablesResponse['setVariableResult'] };
}
