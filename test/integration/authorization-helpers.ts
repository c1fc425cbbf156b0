/**
 * Helpers of the authorization cache and local list integration tests (authorization-*.test.ts):
 * counting AuthorizeRequests, going offline, the CSMS's SendLocalList / GetLocalListVersion /
 * ClearCache calls, a station whose device model has small capacities (maxLimit characteristics
 * cannot be set with `--set`), and one presentation on a plugged EVSE.
 */
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG_DIR } from '../../src/charge-point.js';
import { loadComponentConfig, parseSetArgument, type LoadedComponent } from '../../src/device-model/index.js';
import type {
  AuthorizationData,
  AuthorizationStatusEnumType,
  ClearCacheResponse,
  GetLocalListVersionResponse,
  IdTokenInfoType,
  IdTokenType,
  SendLocalListRequest,
  SendLocalListResponse,
} from '../../src/generated/ocpp-types.js';
import type { PresentationResult } from '../../src/authorization/token-presentation.js';
import type { Harness } from './station-harness.js';
import { settle } from './transactions-helpers.js';
import { TWO_EVSES } from './station-harness.js';

export const token = (id: string): IdTokenType => ({ idToken: id, type: 'ISO14443' });

/** AuthorizeRequests the CSMS received for this token (all tokens when not given). */
export function authorizeCalls(h: Harness, idToken?: IdTokenType): number {
  return h.csms.calls.filter(
    (c) =>
      c.identity === h.identity &&
      c.action === 'Authorize' &&
      (idToken === undefined || (c.payload as { idToken: IdTokenType }).idToken.idToken === idToken.idToken),
  ).length;
}

/** The CSMS answers AuthorizeRequests with the status this function gives for the token. */
export function answerAuthorize(
  h: Harness,
  status: (idToken: IdTokenType) => AuthorizationStatusEnumType,
): void {
  h.csms.onCall('Authorize', (call) => ({
    idTokenInfo: { status: status((call.payload as { idToken: IdTokenType }).idToken) },
  }));
}

export async function sendLocalList(
  h: Harness,
  request: SendLocalListRequest,
): Promise<SendLocalListResponse> {
  return (await h.csms.call(h.identity, 'SendLocalList', request)) as SendLocalListResponse;
}

export async function listVersion(h: Harness): Promise<number> {
  return ((await h.csms.call(h.identity, 'GetLocalListVersion', {})) as GetLocalListVersionResponse)
    .versionNumber;
}

export async function clearCache(h: Harness): Promise<ClearCacheResponse> {
  return (await h.csms.call(h.identity, 'ClearCache', {})) as ClearCacheResponse;
}

/** One AuthorizationData element of a SendLocalList. */
export function listed(
  id: string,
  status?: AuthorizationStatusEnumType,
  info: Partial<IdTokenInfoType> = {},
): AuthorizationData {
  return status === undefined
    ? { idToken: token(id) }
    : { idToken: token(id), idTokenInfo: { status, ...info } };
}

/** A Full SendLocalList with these elements. */
export function fullList(versionNumber: number, ...items: AuthorizationData[]): SendLocalListRequest {
  return items.length === 0
    ? { versionNumber, updateType: 'Full' }
    : {
        versionNumber,
        updateType: 'Full',
        localAuthorizationList: items as [AuthorizationData, ...AuthorizationData[]],
      };
}

/** A Differential SendLocalList with these elements. */
export function differentialList(versionNumber: number, ...items: AuthorizationData[]): SendLocalListRequest {
  return items.length === 0
    ? { versionNumber, updateType: 'Differential' }
    : {
        versionNumber,
        updateType: 'Differential',
        localAuthorizationList: items as [AuthorizationData, ...AuthorizationData[]],
      };
}


/**
 * A cable is plugged into EVSE 1 and the token presented there; what the presentation did. When a
 * transaction started, it is ended again (the token stops it, the cable is removed) so that the next
 * presentation finds EVSE 1 free.
 */
export async function presentPlugged(h: Harness, idToken: IdTokenType): Promise<PresentationResult> {
  h.station.onSessionStarted(1, 1);
  const result = await h.station.onAuthorizationPresented(idToken, 1);
  if (result.action === 'started') {
    assert.ok(h.station.getTransactionId(1), 'a transaction runs on EVSE 1');
    const stop = await h.station.onAuthorizationPresented(idToken, 1);
    assert.equal(stop.action, 'stopped');
  }
  h.station.onSessionFinished(1, 1);
  if (h.station.isConnected) await settle(h);
  else await h.station.station.persistence.flushed();
  return result;
}

/**
 * The example components with other characteristics for some variables (`maxLimit` of
 * AuthCacheCtrlr.Storage, LocalAuthListCtrlr.Entries, ...), for `deviceModel.components`.
 */
export async function componentsWithLimits(
  limits: Array<{ component: string; variable: string; maxLimit: number }>,
): Promise<LoadedComponent[]> {
  const components = await loadComponentConfig(DEFAULT_CONFIG_DIR, TWO_EVSES);
  for (const limit of limits) {
    const component = components.find((c) => c.name === limit.component);
    const variable = component?.variables.find((v) => v.name === limit.variable);
    assert.ok(variable, `${limit.component}.${limit.variable} in the example config`);
    variable.characteristics = { ...variable.characteristics, maxLimit: limit.maxLimit };
  }
  return components;
}

/** `--set` assignments as device-model overrides (for a `deviceModel` option of its own). */
export const overrides = (set: string[]) => set.map(parseSetArgument);
